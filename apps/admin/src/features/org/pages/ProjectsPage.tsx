import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Select, Table, type TableColumnsType } from 'antd';
import type { Project } from '@qiaoliang/shared';
import { Link, useNavigate } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { SearchFilter } from '../../../components/SearchFilter';
import { formatDateTime, orDash } from '../../../lib/format';
import { useCityCompanies } from '../../../lib/lookups';
import { useIsAdmin } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { useEditor } from '../../../lib/use-editor';
import { intParam, useUrlParams } from '../../../lib/use-url-params';
import { useProjects } from '../api/projects';
import { ProjectFormModal } from '../components/ProjectFormModal';

const FILTERS = ['q', 'cityCompanyId', 'page', 'pageSize'] as const;

/** 项目: searchable, filterable, paginated; admins create and edit. */
export function ProjectsPage() {
  const isAdmin = useIsAdmin();
  const navigate = useNavigate();
  const [filters, setFilters] = useUrlParams(FILTERS);
  const page = intParam(filters.page, 1);
  const pageSize = intParam(filters.pageSize, 20);
  const cityCompanies = useCityCompanies();
  const { data, isFetching, error, refetch } = useProjects({ page, pageSize, q: filters.q, cityCompanyId: filters.cityCompanyId });
  const editor = useEditor<Project>();

  const columns: TableColumnsType<Project> = [
    { title: T.projects.name, dataIndex: 'name', render: (name: string, r) => <Link to={`/projects/${r.id}`}>{name}</Link> },
    { title: T.projects.code, dataIndex: 'code' },
    { title: T.projects.cityCompany, dataIndex: 'cityCompanyName' },
    { title: T.projects.address, dataIndex: 'address', render: orDash, ellipsis: true },
    { title: T.projects.buildingCount, dataIndex: 'buildingCount', align: 'right', width: 90 },
    { title: T.projects.unitCount, dataIndex: 'unitCount', align: 'right', width: 90 },
    { title: T.common.createdAt, dataIndex: 'createdAt', render: formatDateTime, width: 160 },
    {
      title: T.common.actions,
      key: 'actions',
      width: 130,
      render: (_, r) => (
        <Flex gap={4}>
          <Button type="link" size="small" onClick={() => navigate(`/projects/${r.id}`)}>{T.common.view}</Button>
          {isAdmin ? (
            <Button type="link" size="small" onClick={() => editor.edit(r)} aria-label={`${T.common.edit} ${r.name}`}>
              {T.common.edit}
            </Button>
          ) : null}
        </Flex>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={T.projects.title}
        extra={isAdmin ? <Button type="primary" icon={<PlusOutlined />} onClick={editor.create}>{T.projects.create}</Button> : null}
      />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <SearchFilter label={T.projects.searchPlaceholder} value={filters.q} onSearch={(q) => setFilters({ q })} width={280} />
        <Select
          placeholder={T.projects.allCityCompanies}
          aria-label={T.projects.cityCompany}
          allowClear
          value={filters.cityCompanyId}
          onChange={(v?: string) => setFilters({ cityCompanyId: v })}
          options={cityCompanies.data?.map((c) => ({ value: c.id, label: c.name }))}
          style={{ width: 200 }}
        />
      </Flex>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<Project>
        rowKey="id"
        columns={columns}
        dataSource={data?.items}
        loading={isFetching}
        locale={{ emptyText: <EmptyState description={isAdmin ? T.projects.empty : T.projects.emptyScoped} /> }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: T.common.total,
          onChange: (p, ps) => setFilters({ page: p === 1 ? undefined : p, pageSize: ps === 20 ? undefined : ps }),
        }}
      />
      <ProjectFormModal
        open={editor.open}
        record={editor.record}
        onClose={editor.close}
        onCreated={(p) => navigate(`/projects/${p.id}`)}
      />
    </>
  );
}
