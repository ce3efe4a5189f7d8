import { ExportOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Select, Table, Tag, Typography, type InputRef, type TableColumnsType } from 'antd';
import { CUSTOMER_KIND_LABELS, CUSTOMER_KINDS, UNIT_RELATION_LABELS, type CustomerSummary } from '@qiaoliang/shared';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { formatDateTime, formatPhone } from '../../../lib/format';
import { useProjectOptions } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { useDisclosure } from '../../../lib/use-disclosure';
import { intParam, useUrlParams } from '../../../lib/use-url-params';
import { useCustomerAccess } from '../access';
import { useCustomers, type ArchiveFilter, type CustomerFilters } from '../api/customers';
import { CustomerFormDrawer } from '../components/CustomerFormDrawer';
import { CustomerImportModal } from '../components/CustomerImportModal';
import { ArchiveBadges, KindTag, VipTag } from '../components/CustomerTags';
import { ExportModal } from '../components/ExportModal';

const FILTERS = ['q', 'projectId', 'kind', 'vip', 'archive', 'page', 'pageSize'] as const;
const ARCHIVE_FILTERS: ArchiveFilter[] = ['complete', 'incomplete', 'stale'];

/**
 * 客户档案: one search box for whatever the caller gives (name, initials, phone or its last
 * digits, ID number, unit address), filters, and the list; create, import, export.
 */
export function CustomersPage() {
  const navigate = useNavigate();
  const { canWrite, canBulk } = useCustomerAccess();
  const [params, setParams] = useUrlParams(FILTERS);
  const [search, setSearch] = useState(params.q ?? '');
  const page = intParam(params.page, 1);
  const pageSize = intParam(params.pageSize, 20);
  const filters: CustomerFilters = {
    q: params.q,
    projectId: params.projectId,
    kind: CUSTOMER_KINDS.find((k) => k === params.kind),
    vip: params.vip === 'true' ? true : params.vip === 'false' ? false : undefined,
    archive: ARCHIVE_FILTERS.find((a) => a === params.archive),
  };
  const { data, isFetching, error, refetch } = useCustomers({ ...filters, page, pageSize });
  const projects = useProjectOptions();
  const creator = useDisclosure();
  const importer = useDisclosure();
  const exporter = useDisclosure();
  const filtered = Object.values(filters).some((v) => v !== undefined);
  const searchRef = useRef<InputRef>(null);

  // "/" jumps to the search box from anywhere on the page, as in most search-first tools.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      e.preventDefault();
      searchRef.current?.focus({ cursor: 'all' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const columns: TableColumnsType<CustomerSummary> = [
    {
      title: T.customers.name,
      dataIndex: 'name',
      width: 150,
      render: (name: string, c) => (
        <Flex vertical gap={2}>
          <Link to={`/customers/${c.id}`} style={{ fontWeight: 500 }}>
            {name}
          </Link>
          {c.tags.length ? (
            <Flex gap={2} wrap>
              {c.tags.map((t) => (
                <Tag key={t} style={{ marginInlineEnd: 0, fontSize: 11, lineHeight: '16px' }}>
                  {t}
                </Tag>
              ))}
            </Flex>
          ) : null}
        </Flex>
      ),
    },
    { title: T.customers.kind, dataIndex: 'kind', width: 100, render: (k: CustomerSummary['kind']) => <KindTag kind={k} /> },
    {
      title: T.customers.phone,
      dataIndex: 'phone',
      width: 130,
      render: (p: string | null) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatPhone(p)}</span>,
    },
    {
      title: T.customers.currentUnits,
      key: 'units',
      render: (_, c) =>
        c.units.length ? (
          <Flex vertical gap={2}>
            {c.units.map((u) => (
              <span key={`${u.unitId}-${u.relation}`}>
                <Typography.Text type="secondary">{u.projectName} </Typography.Text>
                {u.unitLabel}
                <Typography.Text type="secondary">（{UNIT_RELATION_LABELS[u.relation]}）</Typography.Text>
              </span>
            ))}
          </Flex>
        ) : (
          <Typography.Text type="secondary">{T.customers.noUnits}</Typography.Text>
        ),
    },
    { title: T.customers.vip, dataIndex: 'vip', width: 80, render: (v: boolean) => (v ? <VipTag /> : null) },
    {
      title: T.customers.archive,
      key: 'archive',
      width: 130,
      render: (_, c) => <ArchiveBadges complete={c.archiveComplete} current={c.archiveCurrent} />,
    },
    { title: T.customers.updatedAt, dataIndex: 'updatedAt', width: 150, render: formatDateTime },
    {
      title: T.common.actions,
      key: 'actions',
      width: 70,
      render: (_, c) => (
        <Button type="link" size="small" onClick={() => navigate(`/customers/${c.id}`)} aria-label={`${T.common.view} ${c.name}`}>
          {T.common.view}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={T.customers.title}
        extra={
          <>
            {canBulk ? (
              <>
                <Button icon={<ImportOutlined />} onClick={importer.show}>
                  {T.customers.import}
                </Button>
                <Button icon={<ExportOutlined />} onClick={exporter.show} disabled={!data?.total}>
                  {T.customers.export}
                </Button>
              </>
            ) : null}
            {canWrite ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={creator.show}>
                {T.customers.create}
              </Button>
            ) : null}
          </>
        }
      />
      <Input.Search
        ref={searchRef}
        size="large"
        placeholder={T.customers.searchPlaceholder}
        aria-label={T.customers.searchLabel}
        title={T.customers.searchShortcut}
        allowClear
        autoFocus
        enterButton={T.common.search}
        value={search}
        onChange={(e) => {
          setSearch(e.target.value);
          // Clearing the box shows everyone again.
          if (!e.target.value && params.q) setParams({ q: undefined });
        }}
        onSearch={(q) => setParams({ q: q.trim() })}
        style={{ maxWidth: 720, marginBottom: 12 }}
      />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Select
          placeholder={T.customers.allProjects}
          aria-label={T.customers.project}
          allowClear
          value={filters.projectId}
          onChange={(v?: string) => setParams({ projectId: v })}
          loading={projects.isLoading}
          showSearch={{ optionFilterProp: 'label' }}
          options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
          style={{ width: 180 }}
        />
        <Select
          placeholder={T.customers.allKinds}
          aria-label={T.customers.kind}
          allowClear
          value={filters.kind}
          onChange={(v?: string) => setParams({ kind: v })}
          options={CUSTOMER_KINDS.map((k) => ({ value: k, label: CUSTOMER_KIND_LABELS[k] }))}
          style={{ width: 140 }}
        />
        <Select
          placeholder={T.customers.vip}
          aria-label={T.customers.vip}
          allowClear
          value={params.vip}
          onChange={(v?: string) => setParams({ vip: v })}
          options={[
            { value: 'true', label: T.customers.vipOnly },
            { value: 'false', label: T.customers.nonVip },
          ]}
          style={{ width: 120 }}
        />
        <Select
          placeholder={T.customers.archive}
          aria-label={T.customers.archive}
          allowClear
          value={filters.archive}
          onChange={(v?: string) => setParams({ archive: v })}
          options={ARCHIVE_FILTERS.map((a) => ({ value: a, label: T.customers.archiveFilter[a] }))}
          style={{ width: 140 }}
        />
        {filtered ? (
          <Button
            onClick={() => {
              setSearch('');
              setParams({ q: undefined, projectId: undefined, kind: undefined, vip: undefined, archive: undefined });
            }}
          >
            {T.common.reset}
          </Button>
        ) : null}
      </Flex>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<CustomerSummary>
        rowKey="id"
        columns={columns}
        dataSource={data?.items}
        loading={isFetching}
        scroll={{ x: 1000 }}
        locale={{ emptyText: <EmptyState description={filtered ? T.customers.emptySearch : T.customers.empty} /> }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: T.common.total,
          onChange: (p, ps) => setParams({ page: p === 1 ? undefined : p, pageSize: ps === 20 ? undefined : ps }),
        }}
      />
      <CustomerFormDrawer
        open={creator.open}
        record={null}
        clearPhones={null}
        onClose={creator.hide}
        onCreated={(c) => navigate(`/customers/${c.id}`)}
      />
      {canBulk ? (
        <>
          <CustomerImportModal open={importer.open} defaultProjectId={filters.projectId} onClose={importer.hide} />
          <ExportModal open={exporter.open} filters={filters} total={data?.total ?? 0} onClose={exporter.hide} />
        </>
      ) : null}
    </>
  );
}
