import { HistoryOutlined } from '@ant-design/icons';
import { Card, Flex, Spin, Timeline, Typography } from 'antd';
import type { TimelineEntry } from '@qiaoliang/shared';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { LoadMore } from '../../../components/LoadMore';
import { QueryError } from '../../../components/QueryError';
import { formatDateTime } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { useTimeline } from '../api/customers';

/** Colours by what happened: archive work blue, confirmations green, endings grey, tickets orange, calls cyan. */
function colorOf(kind: string): string {
  if (kind === 'customer.archive_confirmed') return 'green';
  if (kind === 'customer.unit_ended' || kind === 'customer.merged') return 'gray';
  if (kind.startsWith('customer.')) return 'blue';
  if (kind.startsWith('ticket.') || kind.startsWith('work_order.')) return 'orange';
  if (kind.startsWith('call')) return 'cyan';
  return 'blue';
}

/** 时间线: everything about the customer, newest first, more on demand. */
export function TimelineCard({ customerId }: { customerId: string }) {
  const list = useTimeline(customerId);
  const { data, error, refetch, isLoading } = list;
  const entries: TimelineEntry[] = data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          <HistoryOutlined />
          {T.customers.timeline}
        </Flex>
      }
    >
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      {isLoading ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : entries.length === 0 ? (
        <EmptyState description={T.timeline.empty} />
      ) : (
        <>
          <Timeline
            style={{ marginTop: 8 }}
            items={entries.map((e) => ({
              key: e.id,
              color: colorOf(e.kind),
              content: (
                <Flex vertical gap={2}>
                  <Flex gap={8} wrap align="baseline">
                    <Typography.Text type="secondary" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {formatDateTime(e.at)}
                    </Typography.Text>
                    <Typography.Text strong>{e.title}</Typography.Text>
                    {e.refType === 'ticket' && e.refId ? <Link to={`/tickets/${e.refId}`}>{T.timeline.openTicket}</Link> : null}
                  </Flex>
                  {e.body ? <Typography.Text>{e.body}</Typography.Text> : null}
                  {e.actorName ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {T.timeline.by(e.actorName)}
                    </Typography.Text>
                  ) : null}
                </Flex>
              ),
            }))}
          />
          <LoadMore list={list} count={entries.length} compact />
        </>
      )}
    </Card>
  );
}
