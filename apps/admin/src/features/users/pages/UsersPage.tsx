import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Popconfirm, Select, Table, Tag, type TableColumnsType } from 'antd';
import { ROLE_LABELS, SCOPE_KIND_LABELS, STAFF_ROLES, type StaffRole, type User } from '@qiaoliang/shared';
import { useState } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { ActiveTag } from '../../../components/ActiveTag';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { SearchFilter } from '../../../components/SearchFilter';
import { RoleTags } from '../../../components/RoleTags';
import { formatDateTime, formatPhone, orDash } from '../../../lib/format';
import { nameMap, useCityCompanies, useDepartments, useProjectOptions } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useEditor } from '../../../lib/use-editor';
import { intParam, useUrlParams } from '../../../lib/use-url-params';
import { useSetUserActive, useUsers } from '../api/users';
import { ResetPasswordModal } from '../components/ResetPasswordModal';
import { UserFormDrawer } from '../components/UserFormDrawer';

const FILTERS = ['q', 'role', 'active', 'page', 'pageSize'] as const;

function ToggleActive({ user }: { user: User }) {
  const setActive = useSetUserActive();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const next = !user.active;
  return (
    <Popconfirm
      title={next ? T.users.activateConfirm(user.displayName) : T.users.deactivateConfirm(user.displayName)}
      okText={T.common.confirm}
      cancelText={T.common.cancel}
      okButtonProps={{ danger: !next }}
      onConfirm={() =>
        setActive.mutateAsync({ user, active: next }).then(
          () => void message.success(next ? T.users.activated : T.users.deactivated),
          onError,
        )
      }
    >
      <Button type="link" size="small" danger={!next} aria-label={`${next ? T.common.activate : T.common.deactivate} ${user.username}`}>
        {next ? T.common.activate : T.common.deactivate}
      </Button>
    </Popconfirm>
  );
}

/** 用户管理: staff accounts with filters; create, edit, (de)activate, reset password. */
export function UsersPage() {
  const [filters, setFilters] = useUrlParams(FILTERS);
  const page = intParam(filters.page, 1);
  const pageSize = intParam(filters.pageSize, 20);
  const role = STAFF_ROLES.find((r) => r === filters.role);
  const active = filters.active === 'true' ? true : filters.active === 'false' ? false : undefined;
  const { data, isFetching, error, refetch } = useUsers({ page, pageSize, q: filters.q, role, active });
  const editor = useEditor<User>();
  const [resetting, setResetting] = useState<User | null>(null);
  const cityCompanies = nameMap(useCityCompanies().data);
  const projects = nameMap(useProjectOptions().data?.items);
  const departments = nameMap(useDepartments().data);

  const scopeOf = (u: User) => {
    if (u.scopeKind === 'group') return <Tag color="blue">{SCOPE_KIND_LABELS.group}</Tag>;
    const names = u.scopeKind === 'city_company' ? cityCompanies : projects;
    return (
      <>
        <Tag>{SCOPE_KIND_LABELS[u.scopeKind]}</Tag>
        {u.scopeIds.map((id) => names.get(id) ?? '…').join('、')}
      </>
    );
  };

  const columns: TableColumnsType<User> = [
    { title: T.users.username, dataIndex: 'username', width: 150, fixed: 'left' },
    { title: T.users.displayName, dataIndex: 'displayName', width: 120 },
    { title: T.users.roles, dataIndex: 'roles', width: 170, render: (roles: StaffRole[]) => <RoleTags roles={roles} /> },
    { title: T.users.scopeKind, key: 'scope', width: 220, render: (_, u) => scopeOf(u) },
    { title: T.users.department, dataIndex: 'departmentId', width: 130, render: (id: string | null) => (id ? (departments.get(id) ?? '…') : '—') },
    { title: T.users.extension, dataIndex: 'extension', render: orDash, width: 80 },
    { title: T.users.phone, dataIndex: 'phone', render: (v: string | null) => <span style={{ whiteSpace: 'nowrap' }}>{formatPhone(v)}</span>, width: 140 },
    { title: T.common.status, dataIndex: 'active', render: (a: boolean) => <ActiveTag active={a} />, width: 80 },
    { title: T.users.lastLoginAt, dataIndex: 'lastLoginAt', render: (v: string | null) => (v ? formatDateTime(v) : T.users.never), width: 150 },
    {
      title: T.common.actions,
      key: 'actions',
      fixed: 'right',
      width: 190,
      render: (_, u) => (
        <Flex gap={0}>
          <Button type="link" size="small" onClick={() => editor.edit(u)} aria-label={`${T.common.edit} ${u.username}`}>
            {T.common.edit}
          </Button>
          <Button type="link" size="small" onClick={() => setResetting(u)} aria-label={`${T.users.resetPassword} ${u.username}`}>
            {T.users.resetPassword}
          </Button>
          <ToggleActive user={u} />
        </Flex>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={T.users.title}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={editor.create}>{T.users.create}</Button>}
      />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <SearchFilter label={T.users.searchPlaceholder} value={filters.q} onSearch={(q) => setFilters({ q })} />
        <Select
          placeholder={T.users.roleFilter}
          aria-label={T.users.roleFilter}
          allowClear
          value={role}
          onChange={(v?: StaffRole) => setFilters({ role: v })}
          options={STAFF_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          style={{ width: 160 }}
        />
        <Select
          placeholder={T.users.activeFilter}
          aria-label={T.users.activeFilter}
          allowClear
          value={filters.active}
          onChange={(v?: string) => setFilters({ active: v })}
          options={[
            { value: 'true', label: T.common.active },
            { value: 'false', label: T.common.inactive },
          ]}
          style={{ width: 120 }}
        />
      </Flex>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<User>
        rowKey="id"
        columns={columns}
        dataSource={data?.items}
        loading={isFetching}
        // The sum of the column widths: with 'max-content' wide cells (roles, scope) grew past
        // their width and 手机号 slid under the fixed 操作 column (issue #18 defect 10).
        scroll={{ x: columns.reduce((sum, c) => sum + (Number(c.width) || 0), 0) }}
        tableLayout="fixed"
        locale={{ emptyText: <EmptyState description={T.users.empty} /> }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: T.common.total,
          onChange: (p, ps) => setFilters({ page: p === 1 ? undefined : p, pageSize: ps === 20 ? undefined : ps }),
        }}
      />
      <UserFormDrawer open={editor.open} record={editor.record} onClose={editor.close} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
