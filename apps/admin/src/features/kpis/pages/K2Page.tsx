import { Card, Col, Row, Segmented, Table, Tag, type TableColumnsType } from 'antd';
import { SATISFACTION_LABELS, type K2Group, type K2Record } from '@qiaoliang/shared';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { PeriodFilters } from '../../../components/kpis/PeriodFilters';
import { CountCard, RateSummary } from '../../../components/kpis/RateSummary';
import { SatisfactionTag } from '../../../components/kpis/SatisfactionTag';
import { QueryError } from '../../../components/QueryError';
import { formatDateTime } from '../../../lib/format';
import { nameMap, useProjectOptions } from '../../../lib/lookups';
import { periodFrom } from '../../../lib/period';
import { T } from '../../../lib/texts';
import { useUrlParams } from '../../../lib/use-url-params';
import { downloadXlsx } from '../../../lib/xlsx';
import { useK2Records, useKpis } from '../api/kpis';
import { KpiPageHeader } from '../components/KpiPageHeader';

const FILTERS = ['from', 'to', 'projectId', 'departmentId', 'which'] as const;
const GROUPS: K2Group[] = ['satisfied', 'dissatisfied', 'unreachable'];
/** What the list shows: one group, the rated ones (K2's denominator), or all. */
type ListPick = K2Group | 'rated' | 'all';
const GROUP_COLORS: Record<K2Group, string> = { satisfied: 'success', dissatisfied: 'error', unreachable: 'default' };

/**
 * K2 满意率: valid complaints whose latest callback was satisfied over those rated in the
 * period; the unreachable beside it. Every complaint behind the numbers, exportable.
 */
export function K2Page() {
  const [params, setParams] = useUrlParams(FILTERS);
  const period = periodFrom(params.from, params.to, 'month');
  const which: ListPick = params.which === 'rated' ? 'rated' : (GROUPS.find((g) => g === params.which) ?? 'all');
  const base = { ...period, projectId: params.projectId, departmentId: params.departmentId };
  const kpis = useKpis(base);
  const records = useK2Records({ ...base, which: which === 'rated' || which === 'all' ? undefined : which });
  const rows = which === 'rated' ? records.data?.filter((r) => r.group !== 'unreachable') : records.data;
  const projectNames = nameMap(useProjectOptions().data?.items);
  const k2 = kpis.data?.k2;
  const pick = (p: ListPick) => setParams({ which: p === 'all' ? undefined : p });

  const columns: TableColumnsType<K2Record> = [
    { title: T.kpiRecords.number, dataIndex: 'number', width: 170, render: (n: string, r) => <Link to={`/tickets/${r.id}`}>{n}</Link> },
    { title: T.kpiRecords.ticketTitle, dataIndex: 'title', ellipsis: true },
    { title: T.kpiRecords.project, dataIndex: 'projectId', width: 120, render: (id: string) => projectNames.get(id) ?? '—' },
    { title: T.kpiRecords.group, dataIndex: 'group', width: 110, render: (g: K2Group) => <Tag color={GROUP_COLORS[g]}>{T.kpiRecords.groups[g]}</Tag> },
    { title: T.kpiRecords.satisfaction, dataIndex: 'satisfaction', width: 120, render: (v: number | null) => <SatisfactionTag value={v} /> },
    { title: T.kpiRecords.ratedAt, dataIndex: 'ratedAt', width: 160, render: formatDateTime },
  ];

  const onExport = () => {
    downloadXlsx(
      T.kpiRecords.k2File(period.from, period.to),
      T.kpiRecords.k2Sheet,
      [
        { title: T.kpiRecords.number, width: 18 },
        { title: T.kpiRecords.ticketTitle, width: 40 },
        { title: T.kpiRecords.project, width: 12 },
        { title: T.kpiRecords.group, width: 10 },
        { title: T.kpiRecords.satisfaction, width: 12 },
        { title: T.kpiRecords.ratedAt, width: 18 },
      ],
      (rows ?? []).map((r) => [
        r.number,
        r.title,
        projectNames.get(r.projectId) ?? '',
        T.kpiRecords.groups[r.group],
        r.satisfaction === null ? '' : (SATISFACTION_LABELS[r.satisfaction] ?? r.satisfaction),
        r.ratedAt ? formatDateTime(r.ratedAt) : '',
      ]),
    );
  };

  return (
    <>
      <KpiPageHeader
        title={T.kpis.names.k2!}
        subtitle={T.kpiRecords.k2Subtitle}
        back={{ from: period.from, to: period.to, projectId: params.projectId, departmentId: params.departmentId }}
        onExport={onExport}
        exportDisabled={!rows?.length}
      />
      <PeriodFilters
        period={period}
        onPeriod={(p) => setParams({ from: p.from, to: p.to })}
        projectId={params.projectId}
        onProject={(projectId) => setParams({ projectId })}
        departmentId={params.departmentId}
        onDepartment={(departmentId) => setParams({ departmentId })}
      />
      {kpis.error ? <QueryError error={kpis.error} onRetry={() => void kpis.refetch()} /> : null}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} lg={8}>
          <RateSummary name={T.kpis.short.k2!} rate={k2?.rate} target={k2?.target ?? 1} />
        </Col>
        <Col xs={12} lg={4}>
          <CountCard title={T.kpiRecords.rated} value={k2?.denominator} active={which === 'rated'} onPick={() => pick('rated')} />
        </Col>
        <Col xs={12} lg={4}>
          <CountCard title={T.kpiRecords.satisfied} value={k2?.numerator} active={which === 'satisfied'} onPick={() => pick('satisfied')} />
        </Col>
        <Col xs={12} lg={4}>
          <CountCard title={T.kpiRecords.dissatisfied} value={k2 ? k2.denominator - k2.numerator : undefined} active={which === 'dissatisfied'} onPick={() => pick('dissatisfied')} danger />
        </Col>
        <Col xs={12} lg={4}>
          <CountCard title={T.kpiRecords.unreachable} value={k2?.unreachable} active={which === 'unreachable'} onPick={() => pick('unreachable')} />
        </Col>
      </Row>
      <Card
        size="small"
        title={T.kpiRecords.k2Sheet}
        extra={
          <Segmented<ListPick>
            value={which}
            onChange={pick}
            options={[
              { value: 'all', label: T.kpiRecords.all },
              { value: 'rated', label: T.kpiRecords.rated },
              ...GROUPS.map((g) => ({ value: g, label: T.kpiRecords.groups[g]! })),
            ]}
          />
        }
      >
        {records.error ? <QueryError error={records.error} onRetry={() => void records.refetch()} /> : null}
        <Table<K2Record>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={records.isFetching}
          pagination={{ pageSize: 20, showSizeChanger: true, showTotal: T.common.total }}
          scroll={{ x: 900 }}
          locale={{ emptyText: <EmptyState description={T.kpiRecords.k2Empty} /> }}
        />
      </Card>
    </>
  );
}
