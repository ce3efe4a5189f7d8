import { Card, Tag, Timeline, Typography } from 'antd';
import { REPLY_CHANNEL_LABELS, type Ticket } from '@qiaoliang/shared';
import { EmptyState } from '../../../components/EmptyState';
import { formatDateTime } from '../../../lib/format';
import { T } from '../../../lib/texts';

/** 对客户的答复: what the center told the customer, how, and whether it was substantive (K1). */
export function RepliesCard({ ticket }: { ticket: Ticket }) {
  return (
    <Card size="small" title={`${T.tickets.cardReplies}（${ticket.replies.length}）`}>
      {ticket.replies.length ? (
        <Timeline
          items={ticket.replies.map((r) => ({
            key: r.id,
            color: r.substantive ? 'green' : 'gray',
            content: (
              <>
                <div>
                  <Tag>{REPLY_CHANNEL_LABELS[r.channel] ?? r.channel}</Tag>
                  <Tag color={r.substantive ? 'green' : undefined}>{r.substantive ? T.tickets.substantive : T.tickets.notSubstantive}</Tag>
                </div>
                <Typography.Paragraph style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}>{r.content}</Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {`${formatDateTime(r.at)} · ${r.actorName}`}
                </Typography.Text>
              </>
            ),
          }))}
        />
      ) : (
        <EmptyState description={T.tickets.noReplies} />
      )}
    </Card>
  );
}
