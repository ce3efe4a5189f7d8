import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Skeleton, Typography } from 'antd';
import { CHANNEL_LABELS, TICKET_TYPE_LABELS } from '@qiaoliang/shared';
import type { ReactNode } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { PeriodFilters } from '../../../components/kpis/PeriodFilters';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { periodFrom } from '../../../lib/period';
import { T } from '../../../lib/texts';
import { useUrlParams } from '../../../lib/use-url-params';
import { useDashboard } from '../api/dashboard';
import { Chart, donut, horizontalBars, summaryOf } from '../components/Chart';
import { DepartmentChart } from '../components/DepartmentChart';
import { KpiCards } from '../components/KpiCards';
import { RollupStatusPanel } from '../components/RollupStatusPanel';
import { TrendChart } from '../components/TrendChart';
import { VoiceOfCustomer } from '../components/VoiceOfCustomer';

const FILTERS = ['from', 'to', 'projectId', 'departmentId'] as const;

function Panel({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <Card
      title={<span style={{ fontSize: 18 }}>{title}</span>}
      extra={hint ? <Typography.Text type="secondary">{hint}</Typography.Text> : null}
      style={{ height: '100%' }}
      styles={{ body: { padding: '12px 16px' } }}
    >
      {children}
    </Card>
  );
}

/**
 * 服务指标: the leadership dashboard (M2). The four service goals against target for any
 * period, project and department, their monthly trend, where the tickets come from and go,
 * the customers' voice by complaint category (D9) and the buildings with most tickets. Every
 * KPI opens the records behind it.
 */
export function DashboardPage() {
  const [params, setParams] = useUrlParams(FILTERS);
  const period = periodFrom(params.from, params.to, 'year');
  const filters = { ...period, projectId: params.projectId, departmentId: params.departmentId };
  const { data, error, refetch, isFetching } = useDashboard(filters);

  const projects = data?.byProject.map((r) => ({ label: r.label, count: r.count })) ?? [];
  const types = data?.byType.map((r) => ({ label: TICKET_TYPE_LABELS[r.key] ?? r.key, count: r.count })) ?? [];
  const channels = data?.byChannel.map((r) => ({ label: CHANNEL_LABELS[r.key] ?? r.key, count: r.count })) ?? [];
  const buildings = data?.hotBuildings.map((r) => ({ label: r.label, count: r.count })) ?? [];
  const complaints = data?.byType.find((r) => r.key === 'complaint')?.count ?? 0;
  const empty = <EmptyState description={T.dashboard.empty} />;

  return (
    <>
      <PageHeader
        title={T.dashboard.title}
        extra={
          <Button size="large" icon={<ReloadOutlined />} loading={isFetching} onClick={() => void refetch()}>
            {T.kpiPeriod.refresh}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 15 }}>
          {T.dashboard.subtitle}
          {data ? <Typography.Text strong style={{ marginLeft: 12, fontSize: 15 }}>{T.dashboard.total(data.total)}</Typography.Text> : null}
        </Typography.Paragraph>
      </PageHeader>
      <PeriodFilters
        large
        period={period}
        onPeriod={(p) => setParams({ from: p.from, to: p.to })}
        projectId={params.projectId}
        onProject={(projectId) => setParams({ projectId })}
        departmentId={params.departmentId}
        onDepartment={(departmentId) => setParams({ departmentId })}
      />
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      {!data ? (
        error ? null : <Skeleton active paragraph={{ rows: 12 }} />
      ) : (
        <>
          <KpiCards kpis={data.kpis} filters={filters} />
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} xl={15}>
              <Panel title={T.dashboard.trend}>{data.trend.length ? <TrendChart trend={data.trend} /> : empty}</Panel>
            </Col>
            <Col xs={24} xl={9}>
              <Panel title={T.dashboard.byType}>{types.length ? <Chart option={donut(types)} title={T.dashboard.byType} summary={summaryOf(types)} height={360} /> : empty}</Panel>
            </Col>
          </Row>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} xl={12}>
              <Panel title={T.dashboard.byProject} hint={params.projectId ? undefined : T.dashboard.byProjectHint}>
                {projects.length ? (
                  <Chart
                    option={horizontalBars(projects)}
                    title={T.dashboard.byProject}
                    summary={summaryOf(projects)}
                    height={Math.max(220, projects.length * 48 + 20)}
                    onPick={params.projectId ? undefined : (i) => setParams({ projectId: [...data.byProject].reverse()[i]?.key })}
                  />
                ) : empty}
              </Panel>
            </Col>
            <Col xs={24} xl={12}>
              <Panel title={T.dashboard.byChannel}>
                {channels.length ? <Chart option={horizontalBars(channels, '#13c2c2')} title={T.dashboard.byChannel} summary={summaryOf(channels)} height={Math.max(220, channels.length * 44 + 20)} /> : empty}
              </Panel>
            </Col>
          </Row>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} xl={12}>
              <Panel title={T.dashboard.byDepartment} hint={params.departmentId ? undefined : T.dashboard.byDepartmentHint}>
                {data.byDepartment.length ? <DepartmentChart rows={data.byDepartment} onPick={(departmentId) => setParams({ departmentId })} /> : empty}
              </Panel>
            </Col>
            <Col xs={24} xl={12}>
              <Panel title={T.dashboard.hotBuildings}>
                {buildings.length ? <Chart option={horizontalBars(buildings, '#fa8c16')} title={T.dashboard.hotBuildings} summary={summaryOf(buildings)} height={Math.max(220, buildings.length * 40 + 20)} /> : empty}
              </Panel>
            </Col>
          </Row>
          <VoiceOfCustomer issues={data.topIssues} complaints={complaints} period={period} />
          <RollupStatusPanel />
        </>
      )}
    </>
  );
}
