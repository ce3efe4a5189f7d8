import { Progress, Table, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { TH } from '../../../lib/texts-handover';
import { useBatches, type Batch } from '../api/handover';

/** 交付批次: each batch of the projects in scope with its progress at a glance. */
export function HandoverBatchesPage() {
  const { data, isFetching, error, refetch } = useBatches();
  const columns: TableColumnsType<Batch> = [
    { title: TH.batches.name, dataIndex: 'name', render: (n: string, b) => <Link to={`/handover/batches/${b.id}`}>{n}</Link> },
    { title: TH.batches.project, dataIndex: 'projectName', width: 110 },
    { title: TH.batches.window, width: 200, render: (_, b) => `${b.windowFrom} ~ ${b.windowTo}` },
    { title: TH.batches.units, width: 70, render: (_, b) => b.progress.units },
    { title: TH.batches.inspected, width: 150, render: (_, b) => <Progress size="small" percent={Math.round((b.progress.inspected / Math.max(1, b.progress.units)) * 100)} format={() => b.progress.inspected} /> },
    { title: TH.batches.accepted, width: 150, render: (_, b) => <Progress size="small" status="success" percent={Math.round((b.progress.accepted / Math.max(1, b.progress.units)) * 100)} format={() => b.progress.accepted} /> },
    { title: TH.batches.open, width: 110, render: (_, b) => b.progress.withOpenDefects },
    { title: TH.batches.refused, width: 60, render: (_, b) => b.progress.refused },
  ];
  return (
    <>
      <PageHeader title={TH.batches.title} />
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table rowKey="id" size="middle" loading={isFetching} columns={columns} dataSource={data ?? []} pagination={false} />
    </>
  );
}
