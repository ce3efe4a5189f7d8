import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, DatePicker, Flex, Progress, Row, Segmented, Select, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { SEVERITY_LABELS, TICKET_STATUS_LABELS, type K1Record, type K1Verdict, type Severity, type TicketStatus } from '@qiaoliang/shared';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { SeverityTag, TicketStatusTag } from '../../../components/tickets/TicketTags';
import { formatDateTime } from '../../../lib/format';
import { nameMap, useDepartments, useProjectOptions } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { useUrlParams } from '../../../lib/use-url-params';
import { downloadXlsx } from '../../../lib/xlsx';
import { useK1, useK1Records } from '../api/k1';

const FILTERS = ['from', 'to', 'projectId', 'departmentId', 'verdict'] as const;
const DATE = 'YYYY-MM-DD';
const VERDICT_COLORS: Record<K1Verdict, string> = { on_time: 'success', late: 'error', not_due: 'default' };

const percent = (rate: number | null) => (rate === null ? T.k1.noData : `${(rate * 100).toFixed(1)}%`);

/** A count that filters the records below by its verdict. */
function CountCard({ title, value, verdict, active, onPick, danger }: { title: string; value: number; verdict: K1Verdict | 'all'; active: boolean; onPick: (v: K1Verdict | 'all') => void; danger?: boolean }) {
  return (
    <Card
      size="small"
      hoverable
      onClick={() => onPick(verdict)}
      style={{ borderColor: active ? '#0958d9' : undefined }}
      role="button"
      aria-label={`${title} ${value}`}
    >
      <Statistic title={title} value={value} styles={{ content: { color: danger && value > 0 ? '#cf1322' : undefined } }} />
    </Card>
  );
}

/**
 * K1 及时率: complaints handled in time over complaints due in the period (routine by
 * resolution, major by the first substantive reply), by project or department, with the
 * complaints behind every number.
 */
export function K1Page() {
  const [params, setParams] = useUrlParams(FILTERS);
  const from = params.from ?? dayjs().startOf('month').format(DATE);
  const to = params.to ?? dayjs().endOf('month').format(DATE);
  const verdict = (['on_time', 'late', 'not_due'] as const).find((v) => v === params.verdict);
  const projects = useProjectOptions();
  const departments = useDepartments();
  const base = { from, to, projectId: params.projectId, departmentId: params.departmentId };
  const report = useK1(base);
  const records = useK1Records({ ...base, verdict });
  const projectNames = nameMap(projects.data?.items);
  const r = report.data;
  const late = r ? r.denominator - r.numerator : 0;
  const reached = r?.rate !== null && r?.rate !== undefined && r.rate >= r.target;

  const setRange = (range: [Dayjs, Dayjs] | null) => {
    if (!range) return setParams({ from: undefined, to: undefined });
    setParams({ from: range[0].format(DATE), to: range[1].format(DATE) });
  };
  const pick = (v: K1Verdict | 'all') => setParams({ verdict: v === 'all' ? undefined : v });

  const columns: TableColumnsType<K1Record> = [
    { title: T.k1.number, dataIndex: 'number', width: 170, render: (n: string, x) => <Link to={`/tickets/${x.id}`}>{n}</Link> },
    { title: T.k1.titleLabel, dataIndex: 'title', ellipsis: true },
    { title: T.tickets.project, dataIndex: 'projectId', width: 110, render: (id: string) => projectNames.get(id) ?? '—' },
    { title: T.k1.severity, dataIndex: 'severity', width: 80, render: (s: Severity) => <SeverityTag severity={s} /> },
    { title: T.k1.status, dataIndex: 'status', width: 96, render: (s: TicketStatus) => <TicketStatusTag status={s} /> },
    { title: T.k1.dueAt, dataIndex: 'dueAt', width: 150, render: formatDateTime },
    { title: T.k1.metAt, dataIndex: 'metAt', width: 150, render: formatDateTime },
    { title: T.k1.verdict, dataIndex: 'verdict', width: 90, render: (v: K1Verdict) => <Tag color={VERDICT_COLORS[v]}>{T.k1.verdicts[v]}</Tag> },
    { title: T.k1.valid, dataIndex: 'valid', width: 90, render: (v: boolean) => (v ? '' : <Tag>{T.k1.invalid}</Tag>) },
  ];

  const onExport = () => {
    const rows = (records.data ?? []).map((x) => [
      x.number,
      x.title,
      projectNames.get(x.projectId) ?? '',
      SEVERITY_LABELS[x.severity as Severity] ?? x.severity,
      TICKET_STATUS_LABELS[x.status as TicketStatus] ?? x.status,
      formatDateTime(x.dueAt),
      x.metAt ? formatDateTime(x.metAt) : '',
      T.k1.verdicts[x.verdict],
      x.valid ? '' : T.k1.invalid,
    ]);
    downloadXlsx(
      T.k1.exportFile(from, to),
      T.k1.records,
      [
        { title: T.k1.number, width: 18 },
        { title: T.k1.titleLabel, width: 40 },
        { title: T.tickets.project, width: 12 },
        { title: T.k1.severity, width: 8 },
        { title: T.k1.status, width: 10 },
        { title: T.k1.dueAt, width: 17 },
        { title: T.k1.metAt, width: 17 },
        { title: T.k1.verdict, width: 8 },
        { title: T.k1.valid, width: 10 },
      ],
      rows,
    );
  };

  return (
    <>
      <PageHeader title={T.k1.title}>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', maxWidth: 960 }}>
          {T.k1.subtitle}
        </Typography.Paragraph>
      </PageHeader>
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker
          aria-label={T.k1.period}
          value={[dayjs(from), dayjs(to)]}
          allowClear={false}
          onChange={(v) => setRange(v && v[0] && v[1] ? [v[0], v[1]] : null)}
          presets={[
            { label: T.k1.thisMonth, value: [dayjs().startOf('month'), dayjs().endOf('month')] },
            { label: T.k1.lastMonth, value: [dayjs().subtract(1, 'month').startOf('month'), dayjs().subtract(1, 'month').endOf('month')] },
            { label: T.k1.thisQuarter, value: [dayjs().month(Math.floor(dayjs().month() / 3) * 3).startOf('month'), dayjs().month(Math.floor(dayjs().month() / 3) * 3 + 2).endOf('month')] },
            { label: T.k1.thisYear, value: [dayjs().startOf('year'), dayjs().endOf('year')] },
          ]}
        />
        <Select
          placeholder={T.k1.allProjects}
          aria-label={T.k1.project}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={params.projectId}
          onChange={(v?: string) => setParams({ projectId: v })}
          options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
          style={{ width: 180 }}
        />
        <Select
          placeholder={T.k1.allDepartments}
          aria-label={T.k1.department}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={params.departmentId}
          onChange={(v?: string) => setParams({ departmentId: v })}
          options={departments.data?.map((d) => ({ value: d.id, label: d.name }))}
          style={{ width: 200 }}
        />
      </Flex>
      {report.error ? <QueryError error={report.error} onRetry={() => void report.refetch()} /> : null}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} lg={8}>
          <Card size="small" style={{ height: '100%' }}>
            <Flex align="center" gap={24}>
              <Progress
                type="dashboard"
                aria-label={T.kpis.names.k1}
                percent={r?.rate === null || !r ? 0 : Math.round(r.rate * 1000) / 10}
                format={() => percent(r?.rate ?? null)}
                status={reached ? 'success' : r && r.rate !== null ? 'exception' : 'normal'}
                size={140}
              />
              <Flex vertical gap={4}>
                <Typography.Text type="secondary">{T.k1.rate}</Typography.Text>
                <Typography.Text>{`${T.k1.target} ${percent(r?.target ?? 1)}`}</Typography.Text>
                {r && r.rate !== null ? (
                  reached ? (
                    <Tag color="success">{T.k1.onTarget}</Tag>
                  ) : (
                    <Tag color="error">{T.k1.gap((r.target - r.rate) * 100)}</Tag>
                  )
                ) : null}
              </Flex>
            </Flex>
          </Card>
        </Col>
        <Col xs={12} lg={4}>
          <CountCard title={T.k1.denominator} value={r?.denominator ?? 0} verdict="all" active={!verdict} onPick={pick} />
        </Col>
        <Col xs={12} lg={4}>
          <CountCard title={T.k1.numerator} value={r?.numerator ?? 0} verdict="on_time" active={verdict === 'on_time'} onPick={pick} />
        </Col>
        <Col xs={12} lg={4}>
          <CountCard title={T.k1.late} value={late} verdict="late" active={verdict === 'late'} onPick={pick} danger />
        </Col>
        <Col xs={12} lg={4}>
          <CountCard title={T.k1.notDue} value={r?.notDue ?? 0} verdict="not_due" active={verdict === 'not_due'} onPick={pick} />
        </Col>
      </Row>
      <Card
        size="small"
        title={T.k1.records}
        extra={
          <Flex gap={12} align="center">
            <Segmented
              value={verdict ?? 'all'}
              onChange={(v) => pick(v as K1Verdict | 'all')}
              options={[
                { value: 'all', label: T.k1.all },
                { value: 'on_time', label: T.k1.verdicts.on_time },
                { value: 'late', label: T.k1.verdicts.late },
                { value: 'not_due', label: T.k1.verdicts.not_due },
              ]}
            />
            <Button icon={<DownloadOutlined />} onClick={onExport} disabled={!records.data?.length}>
              {T.k1.export}
            </Button>
          </Flex>
        }
      >
        {records.error ? <QueryError error={records.error} onRetry={() => void records.refetch()} /> : null}
        <Table<K1Record>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={records.data}
          loading={records.isFetching}
          pagination={{ pageSize: 20, showSizeChanger: true, showTotal: T.common.total }}
          scroll={{ x: 1000 }}
          locale={{ emptyText: <EmptyState description={T.k1.empty} /> }}
        />
      </Card>
    </>
  );
}
