import { Alert, Card, Descriptions, Table, Tag, type TableColumnsType } from 'antd';
import type { KpiRollupStatus } from '@qiaoliang/shared';
import { useIsAdmin } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { useKpiRollupStatus } from '../api/dashboard';

type DriftRow = KpiRollupStatus['drift'][number];
const fmt = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k} ${v}`).join('，');

/** Administrators: whether the K1/K2 rollups are filled and agree with the raw recomputation. */
export function RollupStatusPanel() {
  const admin = useIsAdmin();
  const { data } = useKpiRollupStatus(admin);
  if (!admin || !data) return null;
  const R = T.kpiRollups;
  const b = data.backfill;
  const r = data.reconcile;
  const columns: TableColumnsType<DriftRow> = [
    { title: R.columns.checkedAt, dataIndex: 'checkedAt', render: (v: string) => new Date(v).toLocaleString('zh-CN') },
    { title: R.columns.month, dataIndex: 'month' },
    { title: R.columns.kpi, dataIndex: 'kpi', render: (v: string) => v.toUpperCase() },
    { title: R.columns.expected, dataIndex: 'expected', render: fmt },
    { title: R.columns.actual, dataIndex: 'actual', render: fmt },
  ];
  return (
    <Card title={R.title} extra={R.hint} style={{ marginTop: 16 }} data-testid="kpi-rollup-status">
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={R.backfill}>
          {!b ? R.backfillNone : b.state === 'done' ? <Tag color="green">{R.backfillDone}</Tag> : R.backfillRunning(b.done, b.total)}
        </Descriptions.Item>
        <Descriptions.Item label={R.reconcile}>
          {!r ? R.reconcileNone : r.drift ? <Tag color="red">{R.drift(r.drift)}</Tag> : <Tag color="green">{R.noDrift(r.checked)}</Tag>}
          {r?.finishedAt ? ` ${new Date(r.finishedAt).toLocaleString('zh-CN')}` : ''}
        </Descriptions.Item>
        <Descriptions.Item>{R.pending(data.pendingMarks)}</Descriptions.Item>
      </Descriptions>
      {data.drift.length ? (
        <>
          <Alert type="error" showIcon title={R.drift(data.drift.length)} style={{ margin: '8px 0' }} />
          <Table<DriftRow> size="small" rowKey={(d) => `${d.checkedAt}-${d.projectId}-${d.month}-${d.kpi}`} columns={columns} dataSource={data.drift} pagination={false} />
        </>
      ) : null}
    </Card>
  );
}
