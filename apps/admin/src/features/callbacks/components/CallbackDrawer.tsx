import { Alert, App, Button, Card, Checkbox, Descriptions, Divider, Drawer, Flex, Form, Input, Radio, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { SATISFACTION_LABELS, TICKET_TYPE_LABELS, VISIT_KIND_LABELS, type Callback, type Ticket, type TicketType, type VisitKind } from '@qiaoliang/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { SATISFACTION_SCALE, SatisfactionTag } from '../../../components/kpis/SatisfactionTag';
import { TicketStatusTag } from '../../../components/tickets/TicketTags';
import { isApiError } from '../../../lib/api';
import { formatDateTime, formatPhone, orDash } from '../../../lib/format';
import { hasRole, useMe } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useCallbackTask, useCallbackTicket, useCompleteCallback, useRecordAttempt } from '../api/callbacks';
import { ValidityCard } from './ValidityCard';

/** Kinds a callback can also be (a callback is always a callback). */
const ALSO_KINDS: VisitKind[] = ['event_contact', 'home_visit'];

type Mode = 'attempt' | 'complete' | null;

/** Brings a form that just opened at the bottom of the drawer into view. */
const scrollIntoView = (el: HTMLDivElement | null) => el?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
interface CompleteValues {
  satisfaction: number;
  comment?: string;
  alsoKinds?: VisitKind[];
}

/** The resolution summary of the ticket's latest 标记解决. */
function resolutionOf(ticket: Ticket): string | null {
  const ev = [...ticket.events].reverse().find((e) => e.kind === 'resolved' || e.kind === 'answered');
  const data = ev?.data as { summary?: string; content?: string } | null | undefined;
  return data?.summary ?? data?.content ?? null;
}

function TicketSummary({ cb, ticket }: { cb: Callback; ticket: Ticket | undefined }) {
  return (
    <Descriptions
      size="small"
      column={1}
      styles={{ label: { width: 110 } }}
      items={[
        {
          key: 'ticket',
          label: T.callbackDrawer.ticket,
          children: (
            <Flex gap={8} wrap align="center">
              <Link to={`/tickets/${cb.ticketId}`}>{cb.ticketNumber}</Link>
              <Tag>{TICKET_TYPE_LABELS[cb.ticketType as TicketType] ?? cb.ticketType}</Tag>
              {ticket ? <TicketStatusTag status={ticket.status} /> : null}
            </Flex>
          ),
        },
        { key: 'title', label: T.callbackDrawer.ticketTitle, children: cb.ticketTitle },
        { key: 'project', label: T.callbackDrawer.project, children: `${cb.projectName}${ticket?.locationLabel ? ` ${ticket.locationLabel}` : ''}` },
        ...(ticket
          ? [
              { key: 'desc', label: T.callbackDrawer.description, children: <Typography.Paragraph ellipsis={{ rows: 3, expandable: true }} style={{ margin: 0 }}>{ticket.description}</Typography.Paragraph> },
              { key: 'resolution', label: T.callbackDrawer.resolution, children: orDash(resolutionOf(ticket)) },
              { key: 'resolvedAt', label: T.callbackDrawer.resolvedAt, children: formatDateTime(ticket.resolvedAt) },
              { key: 'owner', label: T.callbackDrawer.owner, children: ticket.ownerName },
            ]
          : []),
      ]}
    />
  );
}

/**
 * One callback: the script to read, who to call (masked number), what the ticket was about and
 * how it was resolved; 未接通 records a failed attempt, 完成回访 the customer's rating.
 * Dissatisfied reopens and escalates the ticket, which the drawer says plainly.
 */
export function CallbackDrawer({ id, initial, onClose }: { id: string | null; initial: Callback | null; onClose: () => void }) {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const task = useCallbackTask(id);
  const cb = task.data ?? initial;
  const ticket = useCallbackTicket(cb?.ticketId ?? null);
  const attempt = useRecordAttempt();
  const complete = useCompleteCallback();
  const [mode, setMode] = useState<Mode>(null);
  const [outcome, setOutcome] = useState<{ satisfaction: number } | null>(null);
  const [attemptForm] = Form.useForm<{ note?: string }>();
  const [completeForm] = Form.useForm<CompleteValues>();

  const close = () => {
    setMode(null);
    setOutcome(null);
    attemptForm.resetFields();
    completeForm.resetFields();
    onClose();
  };

  const mayAct = !!cb && !!me && (cb.assigneeId === me.id || hasRole(me, 'supervisor', 'manager'));
  const open = cb?.status === 'open';
  const left = cb ? cb.maxAttempts - cb.attempts : 0;

  const onAttempt = (values: { note?: string }) => {
    if (!cb) return;
    attempt.mutate(
      { cb, note: values.note?.trim() || undefined },
      {
        onSuccess: (next) => {
          attemptForm.resetFields();
          setMode(null);
          if (next.status === 'unreachable') void message.warning(T.callbackDrawer.unreachable);
          else void message.success(T.callbackDrawer.attemptSaved(next.attempts, next.maxAttempts));
        },
        onError: (e) => onError(e, attemptForm),
      },
    );
  };

  const onComplete = (values: CompleteValues) => {
    if (!cb) return;
    complete.mutate(
      { cb, body: { satisfaction: values.satisfaction, comment: values.comment?.trim() || undefined, alsoKinds: values.alsoKinds?.length ? values.alsoKinds : undefined } },
      {
        onSuccess: () => {
          setMode(null);
          setOutcome({ satisfaction: values.satisfaction });
          void ticket.refetch();
          if (values.satisfaction <= 2) void message.warning(T.callbackDrawer.dissatisfiedTitle);
          else void message.success(T.callbackDrawer.satisfiedDone);
        },
        onError: (e) => {
          if (isApiError(e, 409)) void message.error(T.callbackDrawer.ticketNotResolved);
          else onError(e, completeForm);
        },
      },
    );
  };

  const escalated = ticket.data ? (T.escalation.levels[ticket.data.escalationLevel] ?? '') : '';

  return (
    <Drawer
      open={!!id}
      onClose={close}
      size={680}
      title={cb ? T.callbackDrawer.title(cb.ticketNumber) : ''}
      destroyOnHidden
      extra={cb ? <Tag color={cb.status === 'open' ? (cb.overdue ? 'error' : 'processing') : cb.status === 'done' ? 'success' : 'default'}>{cb.status === 'open' && cb.overdue ? T.callbacks.overdue : T.callbacks.statuses[cb.status]}</Tag> : null}
    >
      {!cb ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={16}>
          {outcome ? (
            <div ref={(el) => el?.scrollIntoView({ block: 'start' })}>
            {outcome.satisfaction <= 2 ? (
              <Result
                status="warning"
                title={T.callbackDrawer.dissatisfiedTitle}
                subTitle={T.callbackDrawer.dissatisfiedBody(escalated)}
                extra={
                  <Space>
                    <Link to={`/tickets/${cb.ticketId}`}>
                      <Button type="primary">{T.callbackDrawer.openTicket}</Button>
                    </Link>
                    <Button onClick={close}>{T.callbackDrawer.close}</Button>
                  </Space>
                }
                style={{ padding: '16px 0', background: '#fffbe6', border: '1px solid #ffe58f', borderRadius: 8 }}
              />
            ) : (
              <Result
                status="success"
                title={T.callbackDrawer.satisfiedDone}
                subTitle={T.callbackDrawer.doneWith(SATISFACTION_LABELS[outcome.satisfaction] ?? '')}
                extra={<Button onClick={close}>{T.callbackDrawer.close}</Button>}
                style={{ padding: '16px 0' }}
              />
            )}
            </div>
          ) : null}
          {!outcome && cb.status === 'done' ? (
            <Alert type="success" showIcon title={T.callbackDrawer.doneWith(SATISFACTION_LABELS[cb.satisfaction ?? 0] ?? '')} description={cb.comment ?? undefined} />
          ) : null}
          {!outcome && cb.status === 'unreachable' ? <Alert type="warning" showIcon title={T.callbackDrawer.unreachableInfo} /> : null}

          <Card size="small" title={T.callbackDrawer.script} styles={{ body: { background: '#f0f5ff' } }}>
            <Typography.Paragraph style={{ fontSize: 16, lineHeight: 1.8, margin: 0 }}>{cb.script}</Typography.Paragraph>
          </Card>

          <Descriptions
            size="small"
            column={2}
            bordered
            items={[
              {
                key: 'customer',
                label: T.callbackDrawer.customer,
                children: cb.customerId ? <Link to={`/customers/${cb.customerId}`}>{cb.customerName}</Link> : T.callbacks.anonymous,
              },
              { key: 'phone', label: T.callbackDrawer.phone, children: <Typography.Text strong style={{ fontSize: 16 }}>{formatPhone(cb.customerPhone)}</Typography.Text> },
              { key: 'due', label: T.callbackDrawer.dueAt, children: <Typography.Text type={cb.overdue ? 'danger' : undefined}>{formatDateTime(cb.dueAt)}</Typography.Text> },
              { key: 'attempts', label: T.callbackDrawer.attempts, children: T.callbacks.attemptsOf(cb.attempts, cb.maxAttempts) },
              ...(cb.status === 'done' ? [{ key: 'sat', label: T.callbacks.satisfaction, children: <SatisfactionTag value={cb.satisfaction} /> }, { key: 'at', label: T.callbacks.completedAt, children: formatDateTime(cb.completedAt) }] : []),
            ]}
          />

          <TicketSummary cb={cb} ticket={ticket.data} />
          {ticket.data ? <ValidityCard ticket={ticket.data} /> : null}

          {open && !outcome ? (
            mayAct ? (
              <>
                <Divider style={{ margin: 0 }} />
                <Flex gap={12}>
                  <Button size="large" onClick={() => setMode(mode === 'attempt' ? null : 'attempt')} type={mode === 'attempt' ? 'primary' : 'default'} ghost={mode === 'attempt'}>
                    {T.callbackDrawer.notReached}
                  </Button>
                  <Button size="large" type="primary" onClick={() => setMode(mode === 'complete' ? null : 'complete')}>
                    {T.callbackDrawer.complete}
                  </Button>
                </Flex>
                {mode === 'attempt' ? (
                  <Card size="small" title={T.callbackDrawer.attemptTitle} ref={scrollIntoView}>
                    <Form form={attemptForm} layout="vertical" onFinish={onAttempt} disabled={attempt.isPending}>
                      <Alert type={left <= 1 ? 'warning' : 'info'} showIcon title={left <= 1 ? T.callbackDrawer.lastAttempt : T.callbackDrawer.attemptsLeft(left - 1)} style={{ marginBottom: 12 }} />
                      <Form.Item name="note" label={T.callbackDrawer.attemptNote} rules={[{ max: 500 }]}>
                        <Input.TextArea rows={2} placeholder={T.callbackDrawer.attemptNotePlaceholder} count={{ show: true, max: 500 }} />
                      </Form.Item>
                      <Button htmlType="submit" type="primary" loading={attempt.isPending}>
                        {T.callbackDrawer.submitAttempt}
                      </Button>
                    </Form>
                  </Card>
                ) : null}
                {mode === 'complete' ? (
                  <Card size="small" title={T.callbackDrawer.completeTitle} ref={scrollIntoView}>
                    <Form form={completeForm} layout="vertical" onFinish={onComplete} disabled={complete.isPending}>
                      <Form.Item name="satisfaction" label={T.callbackDrawer.satisfaction} rules={[{ required: true, message: T.callbackDrawer.satisfactionRequired }]}>
                        <Radio.Group
                          optionType="button"
                          buttonStyle="solid"
                          size="large"
                          options={SATISFACTION_SCALE.map((v) => ({ value: v, label: SATISFACTION_LABELS[v] }))}
                        />
                      </Form.Item>
                      <Form.Item name="comment" label={T.callbackDrawer.comment} rules={[{ max: 1000 }]}>
                        <Input.TextArea rows={3} placeholder={T.callbackDrawer.commentPlaceholder} count={{ show: true, max: 1000 }} />
                      </Form.Item>
                      <Form.Item name="alsoKinds" label={T.callbackDrawer.alsoKinds} extra={T.callbackDrawer.alsoKindsHint}>
                        <Checkbox.Group options={ALSO_KINDS.map((k) => ({ value: k, label: VISIT_KIND_LABELS[k] }))} />
                      </Form.Item>
                      <Button htmlType="submit" type="primary" size="large" loading={complete.isPending}>
                        {T.callbackDrawer.submitComplete}
                      </Button>
                    </Form>
                  </Card>
                ) : null}
              </>
            ) : (
              <Alert type="info" showIcon title={T.callbackDrawer.notYours} />
            )
          ) : null}
        </Flex>
      )}
    </Drawer>
  );
}
