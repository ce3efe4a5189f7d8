import { Button, Card, Empty, Flex, Segmented, Select, Skeleton, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { VISIT_REASON_LABELS, type VisitTask } from '@qiaoliang/shared';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { formatPhone } from '../../../lib/format';
import { useProjectOptions } from '../../../lib/lookups';
import { hasRole, useMe } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { useUrlParams } from '../../../lib/use-url-params';
import { useVisitPlan, useVisits, useVisitTasks, useYearCoverage } from '../api/visits';
import { PlanCard } from '../components/PlanCard';
import { RecordVisitModal, type VisitTarget } from '../components/RecordVisitModal';
import { VisitsTable } from '../components/VisitsTable';

const FILTERS = ['projectId', 'year', 'month', 'status', 'tab'] as const;
const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

/**
 * 拜访: a project's annual visit plan (K3, target 120%) with its rules and generated tasks,
 * the tasks of a month to call or visit (记录拜访), and the visits recorded.
 */
export function VisitsPage() {
  const { data: me } = useMe();
  const mayWrite = hasRole(me, 'agent', 'supervisor', 'manager');
  const [params, setParams] = useUrlParams(FILTERS);
  const projects = useProjectOptions();
  const thisYear = dayjs().year();
  const year = Number(params.year) >= 2000 && Number(params.year) <= 2100 ? Number(params.year) : thisYear;
  const projectId = params.projectId ?? projects.data?.items[0]?.id;
  const projectName = projects.data?.items.find((p) => p.id === projectId)?.name ?? '';
  const monthParam = Number(params.month);
  // This month by default in the current year; the whole year otherwise.
  const month = params.month === 'all' ? undefined : monthParam >= 1 && monthParam <= 12 ? monthParam : year === thisYear ? dayjs().month() + 1 : undefined;
  const status = params.status === 'done' ? 'done' : params.status === 'all' ? undefined : 'open';
  const tab = params.tab === 'visits' ? 'visits' : 'tasks';

  const plan = useVisitPlan(projectId, year);
  const coverage = useYearCoverage(projectId, year);
  const tasks = useVisitTasks({ projectId, year, month, status });
  const visits = useVisits({ projectId, limit: 200 });
  const [target, setTarget] = useState<VisitTarget | null>(null);

  const columns: TableColumnsType<VisitTask> = [
    { title: T.visits.dueDate, dataIndex: 'dueDate', width: 120 },
    { title: T.visits.customer, dataIndex: 'customerName', render: (n: string, r) => <Link to={`/customers/${r.customerId}`}>{n}</Link> },
    { title: T.visits.phone, dataIndex: 'customerPhone', width: 140, render: formatPhone },
    { title: T.visits.reason, dataIndex: 'reason', width: 140, render: (r: string) => <Tag color={r === 'annual' ? undefined : 'purple'}>{VISIT_REASON_LABELS[r] ?? r}</Tag> },
    { title: T.visits.status, dataIndex: 'status', width: 100, render: (s: string) => <Tag color={s === 'done' ? 'success' : 'processing'}>{T.visits.taskStatuses[s] ?? s}</Tag> },
    ...(mayWrite
      ? [{
          title: T.common.actions,
          key: 'actions',
          width: 110,
          render: (_: unknown, r: VisitTask) =>
            r.status === 'open' && projectId ? (
              <Button
                type="primary"
                size="small"
                aria-label={`${T.visits.record} ${r.customerName}`}
                onClick={() => setTarget({ customerId: r.customerId, customerName: r.customerName, projects: [{ id: projectId, name: projectName }], taskId: r.id })}
              >
                {T.visits.record}
              </Button>
            ) : null,
        }]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={T.visits.title}
        extra={
          <>
            <Select
              aria-label={T.visits.project}
              placeholder={T.visits.pickProject}
              showSearch={{ optionFilterProp: 'label' }}
              value={projectId}
              onChange={(v: string) => setParams({ projectId: v })}
              options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
              style={{ width: 180 }}
            />
            <Select
              aria-label={T.visits.year}
              value={year}
              onChange={(v: number) => setParams({ year: v === thisYear ? undefined : v, month: undefined })}
              options={[thisYear + 1, thisYear, thisYear - 1, thisYear - 2].map((y) => ({ value: y, label: T.visits.yearLabel(y) }))}
              style={{ width: 110 }}
            />
          </>
        }
      >
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', maxWidth: 1000 }}>
          {T.visits.subtitle}
        </Typography.Paragraph>
      </PageHeader>
      {!projectId ? (
        projects.isLoading ? <Skeleton active /> : <Empty description={T.visits.pickProject} />
      ) : (
        <>
          {plan.error ? <QueryError error={plan.error} onRetry={() => void plan.refetch()} /> : null}
          {plan.data ? <PlanCard plan={plan.data} projectName={projectName} coverage={coverage.data?.k3} /> : plan.isLoading ? <Skeleton active /> : null}
          <Card size="small">
            <Tabs
              activeKey={tab}
              onChange={(v) => setParams({ tab: v === 'tasks' ? undefined : v })}
              items={[
                {
                  key: 'tasks',
                  label: T.visits.tabTasks,
                  children: (
                    <>
                      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
                        <Segmented<string>
                          aria-label={T.visits.month}
                          value={month ? String(month) : 'all'}
                          onChange={(v) => setParams({ month: v })}
                          options={[{ value: 'all', label: T.visits.allMonths }, ...MONTHS.map((m) => ({ value: String(m), label: T.visits.monthLabel(m) }))]}
                        />
                        <Select
                          aria-label={T.visits.status}
                          value={status ?? 'all'}
                          onChange={(v: string) => setParams({ status: v === 'open' ? undefined : v })}
                          options={[
                            { value: 'open', label: T.visits.taskStatuses.open },
                            { value: 'done', label: T.visits.taskStatuses.done },
                            { value: 'all', label: T.visits.allStatuses },
                          ]}
                          style={{ width: 120 }}
                        />
                        {tasks.data && tasks.data.length >= 500 ? <Typography.Text type="warning">{T.visits.tasksCap}</Typography.Text> : null}
                      </Flex>
                      {tasks.error ? <QueryError error={tasks.error} onRetry={() => void tasks.refetch()} /> : null}
                      <Table<VisitTask>
                        rowKey="id"
                        size="small"
                        columns={columns}
                        dataSource={tasks.data}
                        loading={tasks.isFetching}
                        pagination={{ pageSize: 20, showSizeChanger: true, showTotal: T.common.total }}
                        locale={{ emptyText: <EmptyState description={T.visits.tasksEmpty} /> }}
                      />
                    </>
                  ),
                },
                {
                  key: 'visits',
                  label: T.visits.tabVisits,
                  children: (
                    <>
                      {visits.error ? <QueryError error={visits.error} onRetry={() => void visits.refetch()} /> : null}
                      <Typography.Text type="secondary">{T.visits.latest(200)}</Typography.Text>
                      <VisitsTable visits={visits.data} loading={visits.isFetching} />
                    </>
                  ),
                },
              ]}
            />
          </Card>
        </>
      )}
      <RecordVisitModal target={target} onClose={() => setTarget(null)} />
    </>
  );
}
