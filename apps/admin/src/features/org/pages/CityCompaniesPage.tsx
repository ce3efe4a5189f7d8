import { PlusOutlined } from '@ant-design/icons';
import { Button, Table, type TableColumnsType } from 'antd';
import type { CityCompany } from '@qiaoliang/shared';
import { EmptyState } from '../../../components/EmptyState';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { formatDateTime } from '../../../lib/format';
import { useCityCompanies } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { useEditor } from '../../../lib/use-editor';
import { CityCompanyFormModal } from '../components/CityCompanyFormModal';

/** 城市公司: the list with create and edit. */
export function CityCompaniesPage() {
  const { data, isLoading, error, refetch } = useCityCompanies();
  const editor = useEditor<CityCompany>();

  const columns: TableColumnsType<CityCompany> = [
    { title: T.cityCompanies.name, dataIndex: 'name' },
    { title: T.cityCompanies.code, dataIndex: 'code' },
    { title: T.common.createdAt, dataIndex: 'createdAt', render: formatDateTime, width: 180 },
    {
      title: T.common.actions,
      key: 'actions',
      width: 100,
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => editor.edit(r)} aria-label={`${T.common.edit} ${r.name}`}>
          {T.common.edit}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={T.cityCompanies.title}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={editor.create}>{T.cityCompanies.create}</Button>}
      />
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<CityCompany>
        rowKey="id"
        columns={columns}
        dataSource={data}
        loading={isLoading}
        pagination={false}
        locale={{ emptyText: <EmptyState description={T.cityCompanies.empty} /> }}
      />
      <CityCompanyFormModal open={editor.open} record={editor.record} onClose={editor.close} />
    </>
  );
}
