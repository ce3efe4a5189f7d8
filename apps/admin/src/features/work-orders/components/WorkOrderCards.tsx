import { Card, Flex, Typography } from 'antd';
import type { WorkOrder } from '@qiaoliang/shared';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { Deadline } from '../../../components/tickets/Deadline';
import { SeverityTag, TicketTypeTag, WorkOrderStatusTag } from '../../../components/tickets/TicketTags';
import { T } from '../../../lib/texts';

/**
 * The queue on a phone: one card per work order, the whole card a link, with what to do,
 * where, and by when — the table's columns stacked instead of scrolled.
 */
export function WorkOrderCards({ items, finished, loading }: { items: WorkOrder[]; finished: boolean; loading: boolean }) {
  if (!items.length) return loading ? <Card loading size="small" /> : <EmptyState description={T.workOrders.empty} />;
  return (
    <Flex vertical gap={8} role="list" aria-label={T.workOrders.title}>
      {items.map((w) => (
        <Card size="small" key={w.id} role="listitem" styles={{ body: { padding: 12 } }}>
          <Flex justify="space-between" align="center" gap={8} wrap>
            <Link to={`/work-orders/${w.id}`} style={{ fontSize: 16, fontWeight: 600 }}>
              {w.ticketNumber}
            </Link>
            <WorkOrderStatusTag status={w.status} />
          </Flex>
          <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: '6px 0' }}>
            {w.instructions}
          </Typography.Paragraph>
          <Typography.Text type="secondary" style={{ fontSize: 13, display: 'block' }}>
            {[w.projectName, w.locationLabel].filter(Boolean).join(' · ')}
          </Typography.Text>
          <Flex justify="space-between" align="center" gap={8} wrap style={{ marginTop: 6 }}>
            <Flex gap={2} wrap>
              <TicketTypeTag type={w.ticketType} />
              <SeverityTag severity={w.severity} />
            </Flex>
            <Deadline due={w.dueAt} compact metAt={w.completedAt} met={finished && !w.completedAt} />
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}
