import { Card, Timeline, Typography } from 'antd';
import {
  CHANNEL_LABELS,
  REPLY_CHANNEL_LABELS,
  SEVERITY_LABELS,
  SLA_TARGET_LABELS,
  TICKET_STATUS_LABELS,
  type Channel,
  type ReplyChannel,
  type Severity,
  type SlaTarget,
  type Ticket,
  type TicketEvent,
  type TicketStatus,
} from '@qiaoliang/shared';
import { formatDuration } from '../../../components/tickets/Deadline';
import { formatDateTime } from '../../../lib/format';
import { T } from '../../../lib/texts';

type Data = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The details an event carries, in words. */
function detailOf(e: TicketEvent): string {
  const d = (e.data && typeof e.data === 'object' ? e.data : {}) as Data;
  switch (e.kind) {
    case 'registered':
      return [CHANNEL_LABELS[d.channel as Channel], SEVERITY_LABELS[d.severity as Severity]].filter(Boolean).join(' · ');
    case 'dispatched':
      return T.events.dispatchTo(str(d.department), d.dueAt ? formatDateTime(str(d.dueAt)) : '—');
    case 'answered':
    case 'replied':
      return REPLY_CHANNEL_LABELS[d.channel as ReplyChannel] ?? '';
    case 'resumed':
      return typeof d.waitedMs === 'number' ? T.events.waited(formatDuration(d.waitedMs)) : '';
    case 'handed_over':
      return [T.events.handedTo(str(d.toName)), str(d.reason)].filter(Boolean).join('：');
    case 'severity_changed':
      return [T.events.severityChange(SEVERITY_LABELS[d.from as Severity] ?? str(d.from), SEVERITY_LABELS[d.to as Severity] ?? str(d.to)), str(d.reason)]
        .filter(Boolean)
        .join('：');
    case 'escalated':
      return T.events.escalatedTo(str(d.levelName), SLA_TARGET_LABELS[d.target as SlaTarget] ?? '');
    case 'resolved':
      return str(d.summary);
    case 'closed':
      return str(d.note);
    case 'merged':
      return [str(d.into), str(d.reason)].filter(Boolean).join('：');
    default:
      return str(d.reason) || str(d.text);
  }
}

function colorOf(kind: string): string {
  if (kind === 'escalated' || kind === 'reopened' || kind === 'work_order_reject') return 'red';
  if (kind === 'resolved' || kind === 'answered' || kind === 'closed' || kind === 'work_order_complete') return 'green';
  if (kind === 'cancelled' || kind === 'merged') return 'gray';
  return 'blue';
}

/** 处理记录: every step of the ticket, oldest first, who did it and the status it led to. */
export function EventTimeline({ ticket }: { ticket: Ticket }) {
  return (
    <Card size="small" title={T.tickets.cardTimeline}>
      <Timeline
        items={ticket.events.map((e) => {
          const detail = detailOf(e);
          const moved = e.toStatus && e.fromStatus !== e.toStatus;
          return {
            key: e.id,
            color: colorOf(e.kind),
            content: (
              <>
                <Typography.Text strong>{T.events.kinds[e.kind] ?? e.kind}</Typography.Text>
                {moved ? (
                  <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                    {`→ ${TICKET_STATUS_LABELS[e.toStatus as TicketStatus] ?? e.toStatus}`}
                  </Typography.Text>
                ) : null}
                {detail ? <div style={{ whiteSpace: 'pre-wrap' }}>{detail}</div> : null}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {`${formatDateTime(e.at)} · ${e.actorName ?? T.events.system}`}
                  </Typography.Text>
                </div>
              </>
            ),
          };
        })}
      />
    </Card>
  );
}
