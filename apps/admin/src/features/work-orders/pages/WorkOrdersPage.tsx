import { Button, Flex, Grid, Segmented, Table, Typography, type TableColumnsType } from 'antd';
import type { WorkOrder, WorkOrderStatus } from '@qiaoliang/shared';
import { Link, useNavigate } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { Deadline } from '../../../components/tickets/Deadline';
import { SeverityTag, TicketTypeTag, WorkOrderStatusTag } from '../../../components/tickets/TicketTags';
import { formatDateTime } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { useUrlParams } from '../../../lib/use-url-params';
import { useWorkOrders } from '../api/work-orders';
import { WorkOrderCards } from '../components/WorkOrderCards';

const VIEWS: Record<string, WorkOrderStatus[]> = {
  open: ['pending', 'accepted'],
  pending: ['pending'],
  accepted: ['accepted'],
  completed: ['completed'],
  rejected: ['rejected'],
};
const KEYS = ['view'] as const;

/** 派工单: the department's work by deadline; handlers accept, report progress and results. */
export function WorkOrdersPage() {
  const navigate = useNavigate();
  const [params, setParams] = useUrlParams(KEYS);
  const view = params.view && VIEWS[params.view] ? params.view : 'open';
  const query = useWorkOrders(VIEWS[view]!);
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const finished = view === 'completed' || view === 'rejected';
  // On a phone the queue is a list of cards (handlers work on site).
  const phone = Grid.useBreakpoint().md === false;

  const columns: TableColumnsType<WorkOrder> = [
    {
      title: T.workOrders.ticket,
      key: 'ticket',
      width: 170,
      render: (_, w) => (
        <div style={{ lineHeight: 1.4 }}>
          <Link to={`/work-orders/${w.id}`} onClick={(e) => e.stopPropagation()}>
            {w.ticketNumber}
          </Link>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(w.createdAt)}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: `${T.tickets.type} / ${T.tickets.severity}`,
      key: 'tags',
      width: 130,
      render: (_, w) => (
        <Flex gap={2} wrap>
          <TicketTypeTag type={w.ticketType} />
          <SeverityTag severity={w.severity} />
        </Flex>
      ),
    },
    {
      title: T.workOrders.instructions,
      key: 'what',
      render: (_, w) => (
        <div style={{ lineHeight: 1.4, minWidth: 200 }}>
          <Typography.Text ellipsis={{ tooltip: w.instructions }} style={{ maxWidth: 360 }}>
            {w.instructions}
          </Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[w.projectName, w.locationLabel].filter(Boolean).join(' · ')}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    { title: T.workOrders.department, dataIndex: 'departmentName', width: 130 },
    { title: T.tickets.status, dataIndex: 'status', width: 96, render: (s: WorkOrderStatus) => <WorkOrderStatusTag status={s} /> },
    {
      title: T.workOrders.dueAt,
      dataIndex: 'dueAt',
      width: 190,
      render: (d: string, w) => <Deadline due={d} compact metAt={w.completedAt} met={finished && !w.completedAt} />,
    },
    { title: T.workOrders.assignee, dataIndex: 'assigneeName', width: 100, render: (n: string | null) => n ?? '—' },
  ];

  return (
    <>
      <PageHeader title={T.workOrders.title}>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {T.workOrders.intro}
        </Typography.Paragraph>
      </PageHeader>
      <Segmented
        value={view}
        onChange={(v) => setParams({ view: v === 'open' ? undefined : String(v) })}
        options={[
          { value: 'open', label: T.workOrders.open },
          { value: 'pending', label: T.workOrders.pending },
          { value: 'accepted', label: T.workOrders.accepted },
          { value: 'completed', label: T.workOrders.done },
          { value: 'rejected', label: T.workOrders.rejected },
        ]}
        style={{ marginBottom: 16, maxWidth: '100%', overflowX: 'auto' }}
      />
      {query.error ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : null}
      {phone ? (
        <WorkOrderCards items={items} finished={finished} loading={query.isLoading} />
      ) : (
      <Table<WorkOrder>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={query.isLoading}
        pagination={false}
        scroll={{ x: 960 }}
        onRow={(w) => ({ onClick: () => navigate(`/work-orders/${w.id}`), style: { cursor: 'pointer' } })}
        locale={{ emptyText: <EmptyState description={T.workOrders.empty} /> }}
      />
      )}
      {query.hasNextPage ? (
        <Flex justify="center" style={{ marginTop: 12 }}>
          <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
            {T.common.loadMore}
          </Button>
        </Flex>
      ) : null}
    </>
  );
}
