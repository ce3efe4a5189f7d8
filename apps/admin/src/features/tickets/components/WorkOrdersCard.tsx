import { Alert, Card, Descriptions, Flex, Timeline, Typography } from 'antd';
import type { Ticket, WorkOrder } from '@qiaoliang/shared';
import { EmptyState } from '../../../components/EmptyState';
import { Deadline } from '../../../components/tickets/Deadline';
import { WorkOrderStatusTag } from '../../../components/tickets/TicketTags';
import { formatDateTime, orDash } from '../../../lib/format';
import { T } from '../../../lib/texts';

function WorkOrderItem({ w }: { w: WorkOrder }) {
  const closed = w.status === 'completed' || w.status === 'rejected' || w.status === 'cancelled';
  const progress = w.updates.filter((u) => u.kind === 'progress');
  return (
    <Card
      size="small"
      type="inner"
      title={
        <Flex gap={8} align="center">
          {w.departmentName}
          <WorkOrderStatusTag status={w.status} />
        </Flex>
      }
      extra={<Typography.Text type="secondary">{`${T.workOrders.createdAt} ${formatDateTime(w.createdAt)}`}</Typography.Text>}
      style={{ marginBottom: 12 }}
    >
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2 }}
        items={[
          { key: 'i', label: T.workOrders.instructions, span: 2, children: <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{w.instructions}</Typography.Text> },
          { key: 'd', label: T.workOrders.dueAt, children: <Deadline due={w.dueAt} metAt={w.completedAt} met={closed && !w.completedAt} /> },
          { key: 'a', label: T.workOrders.assignee, children: orDash(w.assigneeName) },
          ...(w.acceptedAt ? [{ key: 'ac', label: T.workOrders.acceptedAt, children: formatDateTime(w.acceptedAt) }] : []),
          ...(w.completedAt ? [{ key: 'co', label: T.workOrders.completedAt, children: formatDateTime(w.completedAt) }] : []),
        ]}
      />
      {progress.length ? (
        <Timeline
          style={{ marginTop: 12 }}
          items={progress.map((u, i) => ({
            key: i,
            content: (
              <>
                <Typography.Text>{u.body}</Typography.Text>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {`${formatDateTime(u.at)} · ${u.actorName}`}
                  </Typography.Text>
                </div>
              </>
            ),
          }))}
        />
      ) : null}
      {w.result ? <Alert type="success" showIcon title={T.workOrders.result} description={<span style={{ whiteSpace: 'pre-wrap' }}>{w.result}</span>} /> : null}
      {w.rejectedReason ? <Alert type="warning" showIcon title={T.workOrders.rejectedReason} description={w.rejectedReason} /> : null}
    </Card>
  );
}

/** 派工单: what each department was asked to do, by when, how far it got and what it found. */
export function WorkOrdersCard({ ticket }: { ticket: Ticket }) {
  return (
    <Card size="small" title={`${T.tickets.cardWorkOrders}（${ticket.workOrders.length}）`}>
      {ticket.workOrders.length ? ticket.workOrders.map((w) => <WorkOrderItem key={w.id} w={w} />) : <EmptyState description={T.tickets.noWorkOrders} />}
    </Card>
  );
}
