import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Popconfirm, Table, Tag, type TableColumnsType } from 'antd';
import { DEPARTMENT_KIND_LABELS, ORG_LEVEL_LABELS, type Department } from '@qiaoliang/shared';
import { EmptyState } from '../../../components/EmptyState';
import { ActiveTag } from '../../../components/ActiveTag';
import { QueryError } from '../../../components/QueryError';
import { nameMap, useCityCompanies, useDepartments, useProjectOptions } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useEditor } from '../../../lib/use-editor';
import { useUpdateDepartment } from '../api/departments';
import { DepartmentFormModal } from './DepartmentFormModal';

function ToggleActive({ record }: { record: Department }) {
  const update = useUpdateDepartment();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const next = !record.active;
  return (
    <Popconfirm
      title={next ? T.departments.activateConfirm(record.name) : T.departments.deactivateConfirm(record.name)}
      okText={T.common.confirm}
      cancelText={T.common.cancel}
      okButtonProps={{ danger: !next, loading: update.isPending }}
      onConfirm={() =>
        update.mutateAsync({ id: record.id, version: record.version, body: { active: next } }).then(
          () => void message.success(next ? T.departments.activated : T.departments.deactivated),
          onError,
        )
      }
    >
      <Button type="link" size="small" danger={!next}>
        {next ? T.common.activate : T.common.deactivate}
      </Button>
    </Popconfirm>
  );
}

/**
 * Departments with their level and organization; admins create, edit and (de)activate.
 * With a project: the departments that can take that project's work.
 */
export function DepartmentTable({ projectId, canEdit }: { projectId?: string; canEdit: boolean }) {
  const { data, isLoading, error, refetch } = useDepartments(projectId);
  const cityCompanies = nameMap(useCityCompanies().data);
  const projects = nameMap(useProjectOptions().data?.items);
  const editor = useEditor<Department>();

  const ownerOf = (d: Department): string => {
    if (d.level === 'project' && d.projectId) return projects.get(d.projectId) ?? '…';
    if (d.level === 'city_company' && d.cityCompanyId) return cityCompanies.get(d.cityCompanyId) ?? '…';
    return T.departments.group;
  };

  const columns: TableColumnsType<Department> = [
    { title: T.departments.name, dataIndex: 'name' },
    { title: T.departments.kind, dataIndex: 'kind', width: 110, render: (k: Department['kind']) => DEPARTMENT_KIND_LABELS[k] ?? k },
    { title: T.departments.level, dataIndex: 'level', width: 110, render: (l: Department['level']) => <Tag>{ORG_LEVEL_LABELS[l] ?? l}</Tag> },
    { title: T.departments.owner, key: 'owner', render: (_, d) => ownerOf(d) },
    { title: T.common.status, dataIndex: 'active', width: 90, render: (a: boolean) => <ActiveTag active={a} /> },
  ];
  if (canEdit) {
    columns.push({
      title: T.common.actions,
      key: 'actions',
      width: 140,
      render: (_, r) => (
        <Flex gap={4}>
          <Button type="link" size="small" onClick={() => editor.edit(r)} aria-label={`${T.common.edit} ${r.name}`}>
            {T.common.edit}
          </Button>
          <ToggleActive record={r} />
        </Flex>
      ),
    });
  }

  return (
    <>
      {canEdit ? (
        <Flex justify="end" style={{ marginBottom: 16 }}>
          <Button type={projectId ? 'default' : 'primary'} icon={<PlusOutlined />} onClick={editor.create}>
            {T.departments.create}
          </Button>
        </Flex>
      ) : null}
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<Department>
        rowKey="id"
        columns={columns}
        dataSource={data}
        loading={isLoading}
        pagination={false}
        locale={{ emptyText: <EmptyState description={T.departments.empty} /> }}
      />
      <DepartmentFormModal open={editor.open} record={editor.record} onClose={editor.close} projectId={projectId} />
    </>
  );
}
