import { Alert, Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { SLA_TARGET_LABELS, type Ticket } from '@qiaoliang/shared';
import type { ReactNode } from 'react';
import { Deadline, formatDuration } from '../../../components/tickets/Deadline';
import { EscalationTag } from '../../../components/tickets/TicketTags';
import { T } from '../../../lib/texts';
import { FINISHED_STATUSES } from '../rules';

/**
 * 时限: each deadline of the ticket's policy with what is left or how late it is, whether it
 * was met, the K1 one marked, the pause while waiting on the customer, the escalation level.
 */
export function SlaCard({ ticket }: { ticket: Ticket }) {
  const finished = FINISHED_STATUSES.includes(ticket.status);
  const paused = ticket.status === 'waiting_customer';
  const resolved = ticket.status === 'resolved' || ticket.status === 'closed';
  const k1Target = ticket.type === 'complaint' ? (ticket.severity === 'major' ? 'reply' : 'resolution') : null;
  const k1Tag = (target: 'reply' | 'resolution') =>
    k1Target === target ? (
      <Tag color="purple" style={{ marginInlineStart: 8 }}>
        K1
      </Tag>
    ) : null;

  const rows: { key: string; label: ReactNode; due: string | null; metAt: string | null }[] = [
    { key: 'first', label: T.sla.firstResponse, due: ticket.firstResponseDue, metAt: ticket.firstRespondedAt },
    { key: 'reply', label: <>{T.sla.reply}{k1Tag('reply')}</>, due: ticket.replyDue, metAt: ticket.firstRepliedAt },
    { key: 'resolution', label: <>{T.sla.resolution}{k1Tag('resolution')}</>, due: ticket.resolutionDue, metAt: resolved ? ticket.resolvedAt : null },
  ].filter((r) => r.due);

  return (
    <Card size="small" title={T.tickets.cardSla} extra={<Typography.Text type="secondary">{`${T.tickets.policy} ${T.tickets.policyVersion(ticket.slaPolicyVersion)}`}</Typography.Text>}>
      {paused ? <Alert type="warning" showIcon title={T.sla.pausedNow} style={{ marginBottom: 12 }} /> : null}
      <Descriptions
        column={1}
        size="small"
        items={[
          ...rows.map((r) => ({
            key: r.key,
            label: r.label,
            children: <Deadline due={r.due} metAt={r.metAt} met={!r.metAt && finished} paused={paused} />,
          })),
          ...(ticket.escalationLevel
            ? [{ key: 'esc', label: T.sla.escalation, children: (
                  <Flex gap={6} align="center">
                    <EscalationTag level={ticket.escalationLevel} />
                    {T.escalation.levels[ticket.escalationLevel]}
                  </Flex>
                ) }]
            : []),
        ]}
      />
      {k1Target ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {T.sla.k1Hint(SLA_TARGET_LABELS[k1Target])}
        </Typography.Text>
      ) : null}
      {ticket.pausedMs > 0 ? (
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {T.sla.pausedTotal(formatDuration(ticket.pausedMs))}
          </Typography.Text>
        </div>
      ) : null}
    </Card>
  );
}
