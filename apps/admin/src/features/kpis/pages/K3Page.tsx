import { Card, Col, Row, Table, Tag, type TableColumnsType } from 'antd';
import { VISIT_ATTEMPT_OUTCOME_LABELS, type K3Record, VISIT_KIND_LABELS, type VisitAttempt, type VisitKind } from '@qiaoliang/shared';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { PeriodFilters } from '../../../components/kpis/PeriodFilters';
import { CountCard, RateSummary } from '../../../components/kpis/RateSummary';
import { QueryError } from '../../../components/QueryError';
import { formatDateTime } from '../../../lib/format';
import { percent, periodFrom } from '../../../lib/period';
import { T } from '../../../lib/texts';
import { useUrlParams } from '../../../lib/use-url-params';
import { downloadXlsx } from '../../../lib/xlsx';
import { useK3Attempts, useK3Records, useKpis } from '../api/kpis';
import { KpiPageHeader } from '../components/KpiPageHeader';

const FILTERS = ['from', 'to', 'projectId'] as const;

const kindsText = (kinds: VisitKind[]) => kinds.map((k) => VISIT_KIND_LABELS[k] ?? k).join('、');

/**
 * K3 拜访覆盖率: completed visits to customers in scope over customers in scope, against the
 * pro-rata share of the annual 120%; every visit counted, exportable.
 */
export function K3Page() {
  const [params, setParams] = useUrlParams(FILTERS);
  const period = periodFrom(params.from, params.to, 'year');
  const base = { ...period, projectId: params.projectId };
  const kpis = useKpis(base);
  const records = useK3Records(base);
  const attempts = useK3Attempts(base);
  const k3 = kpis.data?.k3;
  const A = T.visitAttempt.columns;
  const attemptColumns: TableColumnsType<VisitAttempt> = [
    { title: A.at, dataIndex: 'at', width: 180, render: formatDateTime },
    { title: A.customer, dataIndex: 'customerName', render: (name: string, r) => <Link to={`/customers/${r.customerId}`}>{name}</Link> },
    { title: A.project, dataIndex: 'projectName' },
    { title: A.kind, dataIndex: 'kind', render: (k: VisitAttempt['kind']) => VISIT_KIND_LABELS[k] },
    { title: A.outcome, dataIndex: 'outcome', render: (o: VisitAttempt['outcome']) => <Tag color="warning">{VISIT_ATTEMPT_OUTCOME_LABELS[o]}</Tag> },
    { title: A.notes, dataIndex: 'notes', ellipsis: true },
    { title: A.actor, dataIndex: 'actorName', width: 120 },
  ];

  const columns: TableColumnsType<K3Record> = [
    { title: T.kpiRecords.customer, dataIndex: 'customerName', render: (name: string, r) => <Link to={`/customers/${r.customerId}`}>{name}</Link> },
    { title: T.kpiRecords.at, dataIndex: 'at', width: 180, render: formatDateTime },
    {
      title: T.kpiRecords.kinds,
      dataIndex: 'kinds',
      render: (kinds: VisitKind[]) => kinds.map((k) => <Tag key={k}>{VISIT_KIND_LABELS[k] ?? k}</Tag>),
    },
  ];

  const onExport = () => {
    downloadXlsx(
      T.kpiRecords.k3File(period.from, period.to),
      T.kpiRecords.k3Sheet,
      [{ title: T.kpiRecords.customer, width: 14 }, { title: T.kpiRecords.at, width: 18 }, { title: T.kpiRecords.kinds, width: 30 }],
      (records.data ?? []).map((r) => [r.customerName, formatDateTime(r.at), kindsText(r.kinds)]),
    );
  };

  return (
    <>
      <KpiPageHeader
        title={T.kpis.names.k3!}
        subtitle={T.kpiRecords.k3Subtitle}
        back={{ from: period.from, to: period.to, projectId: params.projectId }}
        onExport={onExport}
        exportDisabled={!records.data?.length}
      />
      <PeriodFilters
        period={period}
        onPeriod={(p) => setParams({ from: p.from, to: p.to })}
        projectId={params.projectId}
        onProject={(projectId) => setParams({ projectId })}
      />
      {kpis.error ? <QueryError error={kpis.error} onRetry={() => void kpis.refetch()} /> : null}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} lg={12}>
          <RateSummary name={T.kpis.short.k3!} rate={k3?.rate} target={k3?.target ?? 1.2} targetText={k3 ? T.kpis.proRata(percent(k3.target)) : undefined} />
        </Col>
        <Col xs={12} lg={6}>
          <CountCard title={T.kpiRecords.visits} value={k3?.numerator} />
        </Col>
        <Col xs={12} lg={3}>
          <CountCard title={T.kpiRecords.inScope} value={k3?.denominator} />
        </Col>
        <Col xs={12} lg={3}>
          <CountCard title={T.visitAttempt.unsuccessful} value={k3?.unsuccessful} />
        </Col>
      </Row>
      <Card size="small" title={T.kpiRecords.k3Sheet}>
        {records.error ? <QueryError error={records.error} onRetry={() => void records.refetch()} /> : null}
        <Table<K3Record>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={records.data}
          loading={records.isFetching}
          pagination={{ pageSize: 20, showSizeChanger: true, showTotal: T.common.total }}
          locale={{ emptyText: <EmptyState description={T.kpiRecords.k3Empty} /> }}
        />
      </Card>
      <Card size="small" title={T.visitAttempt.listTitle} style={{ marginTop: 16 }}>
        {attempts.error ? <QueryError error={attempts.error} onRetry={() => void attempts.refetch()} /> : null}
        <Table<VisitAttempt>
          rowKey="id"
          size="small"
          columns={attemptColumns}
          dataSource={attempts.data}
          loading={attempts.isFetching}
          pagination={{ pageSize: 20, showTotal: T.common.total }}
          locale={{ emptyText: <EmptyState description={T.visitAttempt.empty} /> }}
        />
      </Card>
    </>
  );
}
