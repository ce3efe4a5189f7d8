import { App, Button, Card, Descriptions, Flex, Form, Input, Select, Tag, Typography } from 'antd';
import { INVALID_REASONS, INVALID_REASON_LABELS, type InvalidReason, type Ticket } from '@qiaoliang/shared';
import { useState } from 'react';
import { FormModal } from '../../../components/FormModal';
import { formatDateTime } from '../../../lib/format';
import { hasRole, useMe } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useInvalidateComplaint, useRevalidateComplaint } from '../api/validity';

interface Decision {
  reason: InvalidReason | null;
  note: string | null;
  by: string | null;
  at: string;
}

/** The latest 认定无效 of the ticket, from its events (reason, explanation, who, when). */
function latestInvalidation(ticket: Ticket): Decision | null {
  const ev = [...ticket.events].reverse().find((e) => e.kind === 'invalidated');
  if (!ev) return null;
  const data = (ev.data ?? {}) as { reason?: InvalidReason | null; note?: string | null };
  return { reason: data.reason ?? null, note: data.note ?? null, by: ev.actorName, at: ev.at };
}

/**
 * 有效性认定 of a complaint: valid complaints count for K2; a supervisor or manager may mark it
 * invalid with a reason code and an explanation, a manager may reverse it. Renders nothing
 * for other ticket types. Mount it on the ticket detail page (right column).
 */
export function ValidityCard({ ticket }: { ticket: Ticket }) {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const invalidate = useInvalidateComplaint();
  const revalidate = useRevalidateComplaint();
  const [open, setOpen] = useState<'invalidate' | 'revalidate' | null>(null);
  const [invalidForm] = Form.useForm<{ reason: InvalidReason; note: string }>();
  const [validForm] = Form.useForm<{ note: string }>();
  if (ticket.type !== 'complaint') return null;

  const decision = ticket.valid ? null : latestInvalidation(ticket);
  const mayInvalidate = ticket.valid && hasRole(me, 'supervisor', 'manager');
  const mayRevalidate = !ticket.valid && hasRole(me, 'manager');
  const noteRules = [
    { required: true, whitespace: true, message: T.validation.required(T.validity.note) },
    { min: 2, message: T.validity.noteMin },
    { max: 1000 },
  ];

  return (
    <Card
      size="small"
      title={T.validity.title}
      extra={
        mayInvalidate ? (
          <Button size="small" danger onClick={() => setOpen('invalidate')}>{T.validity.invalidate}</Button>
        ) : mayRevalidate ? (
          <Button size="small" onClick={() => setOpen('revalidate')}>{T.validity.revalidate}</Button>
        ) : null
      }
    >
      <Flex vertical gap={8}>
        <span>
          {ticket.valid ? <Tag color="success">{T.validity.valid}</Tag> : <Tag color="default">{T.validity.invalid}</Tag>}
        </span>
        <Typography.Text type="secondary">{ticket.valid ? T.validity.validHint : T.validity.invalidHint}</Typography.Text>
        {decision ? (
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'reason', label: T.validity.reason, children: decision.reason ? INVALID_REASON_LABELS[decision.reason] : '—' },
              { key: 'note', label: T.validity.note, children: decision.note ?? '—' },
              { key: 'by', label: T.validity.by, children: decision.by ?? '—' },
              { key: 'at', label: T.validity.at, children: formatDateTime(decision.at) },
            ]}
          />
        ) : null}
      </Flex>

      <FormModal<{ reason: InvalidReason; note: string }>
        open={open === 'invalidate'}
        title={T.validity.invalidateTitle}
        form={invalidForm}
        okText={T.validity.invalidate}
        submitting={invalidate.isPending}
        onCancel={() => setOpen(null)}
        onFinish={(v) =>
          invalidate.mutate(
            { ticket, body: { reason: v.reason, note: v.note.trim() } },
            {
              onSuccess: () => {
                setOpen(null);
                void message.success(T.validity.invalidated);
              },
              onError: (e) => onError(e, invalidForm),
            },
          )
        }
      >
        <Typography.Paragraph type="secondary">{T.validity.invalidateHint}</Typography.Paragraph>
        <Form.Item name="reason" label={T.validity.reason} rules={[{ required: true, message: T.validation.select(T.validity.reason) }]}>
          <Select options={INVALID_REASONS.map((r) => ({ value: r, label: INVALID_REASON_LABELS[r] }))} />
        </Form.Item>
        <Form.Item name="note" label={T.validity.note} rules={noteRules}>
          <Input.TextArea rows={3} count={{ show: true, max: 1000 }} placeholder={T.validity.notePlaceholder} />
        </Form.Item>
      </FormModal>

      <FormModal<{ note: string }>
        open={open === 'revalidate'}
        title={T.validity.revalidateTitle}
        form={validForm}
        okText={T.validity.revalidate}
        submitting={revalidate.isPending}
        onCancel={() => setOpen(null)}
        onFinish={(v) =>
          revalidate.mutate(
            { ticket, note: v.note.trim() },
            {
              onSuccess: () => {
                setOpen(null);
                void message.success(T.validity.revalidated);
              },
              onError: (e) => onError(e, validForm),
            },
          )
        }
      >
        <Form.Item name="note" label={T.validity.note} rules={noteRules}>
          <Input.TextArea rows={3} count={{ show: true, max: 1000 }} placeholder={T.validity.revalidateNotePlaceholder} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
