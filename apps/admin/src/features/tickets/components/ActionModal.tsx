import { Alert, App, Button, Checkbox, DatePicker, Flex, Form, Input, Radio, Select } from 'antd';
import {
  REPLY_CHANNELS,
  REPLY_CHANNEL_LABELS,
  SEVERITIES,
  SEVERITY_LABELS,
  type ReplyChannel,
  type Severity,
  type Ticket,
} from '@qiaoliang/shared';
import dayjs, { type Dayjs } from 'dayjs';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { PendingAttachments, uploadAll } from '../../../components/attachments/Attachments';
import { ReplyTemplatePicker } from '../../../components/tickets/ReplyTemplatePicker';
import { FormModal } from '../../../components/FormModal';
import { isApiError } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';
import { formatDateTime } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { UI } from '../../../lib/texts-ui';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import {
  useDispatchDepartments,
  useDispatchSuggestion,
  useHandOverCandidates,
  useTicketCommand,
  useTicketSearch,
  type TicketCommand,
  type TicketCommands,
} from '../api/tickets';

/** Commands that open a form (resume is a confirmation). */
export type FormCommand = Exclude<TicketCommand, 'resume'>;

interface Values {
  channel?: ReplyChannel;
  content?: string;
  substantive?: boolean;
  /** Files sent with a reply (a letter, a photo of the fix): kept on the ticket. */
  files?: File[];
  departmentId?: string;
  instructions?: string;
  dueAt?: Dayjs;
  lateReason?: string;
  summary?: string;
  reason?: string;
  intoTicketId?: string;
  toUserId?: string;
  severity?: Severity;
}

const TITLES: Record<FormCommand, string> = {
  answer: T.actions.answerTitle,
  dispatch: T.actions.dispatch,
  reply: T.actions.reply,
  resolve: T.actions.resolve,
  wait: T.actions.wait,
  close: T.actions.close,
  reopen: T.actions.reopen,
  cancel: T.actions.cancel,
  merge: T.actions.merge,
  'hand-over': T.actions.handOver,
  severity: T.actions.severity,
};

const INTROS: Partial<Record<FormCommand, string>> = {
  answer: T.actions.answerIntro,
  wait: T.actions.waitIntro,
  reopen: T.actions.reopenIntro,
  cancel: T.actions.cancelIntro,
  merge: T.actions.mergeIntro,
  'hand-over': T.actions.handOverIntro,
  severity: T.actions.severityIntro,
};

const REASON_PLACEHOLDERS: Partial<Record<FormCommand, string>> = {
  wait: T.actions.waitReasonPlaceholder,
  close: T.actions.closeReasonPlaceholder,
  reopen: T.actions.reopenReasonPlaceholder,
  cancel: T.actions.cancelReasonPlaceholder,
  merge: T.actions.mergeReasonPlaceholder,
  'hand-over': T.actions.handOverReasonPlaceholder,
  severity: T.actions.severityReasonPlaceholder,
};

const HOUR = 3_600_000;

/** A dispatch deadline that leaves time to answer the customer before the ticket's own. */
function defaultDispatchDue(ticket: Ticket): Dayjs {
  const now = Date.now();
  const due = ticket.dueAt ? dayjs(ticket.dueAt).valueOf() : null;
  const target = due && due > now + 3 * HOUR ? Math.min(due - 2 * HOUR, now + 24 * HOUR) : now + 24 * HOUR;
  return dayjs(target).second(0).millisecond(0);
}

/** The work-order deadline is later than the ticket's own: the customer was promised earlier. */
function isLateForTicket(ticket: Pick<Ticket, 'dueAt'>, due?: Dayjs | null): boolean {
  return Boolean(ticket.dueAt && due && due.valueOf() > dayjs(ticket.dueAt).valueOf());
}

function DispatchFields({ ticket }: { ticket: Ticket }) {
  const departments = useDispatchDepartments(ticket);
  const suggestion = useDispatchSuggestion(ticket);
  const form = Form.useFormInstance<Values>();
  const dueAt = Form.useWatch('dueAt', form);
  const late = isLateForTicket(ticket, dueAt);
  const suggested = suggestion.data?.departmentId && departments.data?.some((d) => d.id === suggestion.data!.departmentId) ? suggestion.data : null;
  // The suggested department is pre-selected; the agent may choose another.
  useEffect(() => {
    if (suggested?.departmentId && !form.getFieldValue('departmentId')) form.setFieldValue('departmentId', suggested.departmentId);
  }, [suggested?.departmentId, form]);
  return (
    <>
      <Form.Item
        name="departmentId"
        label={T.actions.department}
        rules={[rules.select(T.actions.department)]}
        extra={suggested ? T.console.suggested(suggested.departmentName ?? '', suggested.basis ?? '') : ticket.categoryId ? undefined : T.console.noSuggestion}
      >
        <Select
          placeholder={T.actions.departmentPlaceholder}
          loading={departments.isLoading}
          showSearch={{ optionFilterProp: 'label' }}
          options={departments.data?.map((d) => ({ value: d.id, label: d.name }))}
          autoFocus
        />
      </Form.Item>
      <Form.Item name="instructions" label={T.actions.instructions} rules={[rules.required(T.actions.instructions), { min: 2, message: T.validation.required(T.actions.instructions) }, rules.max(2000)]}>
        <Input.TextArea rows={3} placeholder={T.actions.instructionsPlaceholder} count={{ show: true, max: 2000 }} />
      </Form.Item>
      <Form.Item
        label={T.actions.dispatchDue}
        required
        extra={ticket.dueAt ? T.actions.dueBeforeTicket(formatDateTime(ticket.dueAt)) : T.actions.dispatchDueHint}
      >
        <Flex gap={8} wrap align="center">
          <Form.Item
            name="dueAt"
            noStyle
            rules={[
              rules.select(T.actions.dispatchDue),
              { validator: (_, v?: Dayjs) => (!v || v.isAfter(dayjs()) ? Promise.resolve() : Promise.reject(new Error(T.actions.duePast))) },
            ]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" aria-label={T.actions.dispatchDue} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
          </Form.Item>
          {T.actions.duePresets.map((p) => (
            <Button key={p.hours} size="small" onClick={() => form.setFieldValue('dueAt', dayjs().add(p.hours, 'hour').second(0))}>
              {p.label}
            </Button>
          ))}
        </Flex>
      </Form.Item>
      {late ? (
        <>
          <Alert type="warning" showIcon role="alert" title={T.console.lateTitle(formatDateTime(ticket.dueAt!))} description={T.console.lateHint} style={{ marginBottom: 16 }} />
          <Form.Item
            name="lateReason"
            label={T.console.lateReason}
            rules={[{ required: true, whitespace: true, message: T.console.lateReasonRequired }, { min: 2, message: T.console.lateReasonRequired }, rules.max(500)]}
          >
            <Input.TextArea rows={2} placeholder={T.console.lateReasonPlaceholder} count={{ show: true, max: 500 }} />
          </Form.Item>
        </>
      ) : null}
    </>
  );
}

function MergeFields({ ticket }: { ticket: Ticket }) {
  const [q, setQ] = useState('');
  const search = useTicketSearch(ticket.projectId, q);
  const options = (search.data?.items ?? [])
    .filter((t) => t.id !== ticket.id && t.status !== 'cancelled' && t.status !== 'merged')
    .map((t) => ({ value: t.id, label: `${t.number} ${t.title}` }));
  return (
    <Form.Item name="intoTicketId" label={T.actions.mergeInto} rules={[rules.select(T.actions.mergeInto)]}>
      <Select
        showSearch={{ filterOption: false, onSearch: setQ }}
        placeholder={T.actions.mergeIntoPlaceholder}
        loading={search.isFetching}
        options={options}
        autoFocus
      />
    </Form.Item>
  );
}

function HandOverFields({ ticket }: { ticket: Ticket }) {
  const candidates = useHandOverCandidates(ticket.projectId, true);
  const options = (candidates.data ?? []).filter((c) => c.id !== ticket.ownerId).map((c) => ({ value: c.id, label: c.name }));
  return (
    <Form.Item name="toUserId" label={T.actions.handOverTo} rules={[rules.select(T.actions.handOverTo)]} extra={T.actions.handOverLimited}>
      <Select
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={T.actions.handOverPlaceholder}
        loading={candidates.isLoading}
        options={options}
        autoFocus
      />
    </Form.Item>
  );
}

const reasonRules = [rules.required(T.actions.reason), { min: 2, message: T.validation.required(T.actions.reason) }, rules.max(500)];

/** The form of one workflow command on a ticket; the ticket refreshes in place when it succeeds. */
export function ActionModal({ command, ticket, onClose }: { command: FormCommand | null; ticket: Ticket; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const mutation = useTicketCommand();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [sendingFiles, setSendingFiles] = useState(false);
  if (!command) return null;

  const bodyOf = (v: Values): TicketCommands[FormCommand] => {
    const text = (s?: string) => (s ?? '').trim();
    switch (command) {
      case 'answer':
        return { channel: v.channel!, content: text(v.content) };
      case 'reply':
        return { channel: v.channel!, content: text(v.content), substantive: v.substantive ?? true };
      case 'dispatch':
        return {
          departmentId: v.departmentId!,
          instructions: text(v.instructions),
          dueAt: v.dueAt!.toISOString(),
          ...(isLateForTicket(ticket, v.dueAt) ? { lateReason: text(v.lateReason) } : {}),
        };
      case 'resolve':
        return { summary: text(v.summary) };
      case 'merge':
        return { intoTicketId: v.intoTicketId!, reason: text(v.reason) };
      case 'hand-over':
        return { toUserId: v.toUserId!, reason: text(v.reason) };
      case 'severity':
        return { severity: v.severity!, reason: text(v.reason) };
      default:
        return { reason: text(v.reason) };
    }
  };

  const onFinish = (v: Values) => {
    mutation.mutate(
      { ticket, command, body: bodyOf(v) },
      {
        onSuccess: async () => {
          if (command === 'reply' && v.files?.length) {
            setSendingFiles(true);
            await uploadAll(`/api/tickets/${ticket.id}/attachments`, v.files, (m) => void message.error(m));
            void queryClient.invalidateQueries({ queryKey: qk.ticket(ticket.id) });
          }
          void message.success(T.actions.done(TITLES[command]));
          onClose();
        },
        onError: (e) => {
          if (isApiError(e, 409) && e.code === 'ticket.invalid_transition') {
            // The ticket moved on meanwhile: it is refreshed; this form no longer applies.
            void message.warning(/[a-z_]+ \/ [a-z_]+/.test(e.text) ? T.actions.stateChanged : e.text);
            onClose();
            return;
          }
          onError(e, form);
        },
      },
    );
  };

  const initialValues: Values =
    command === 'dispatch'
      ? { dueAt: defaultDispatchDue(ticket) }
      : command === 'answer' || command === 'reply'
        ? { channel: ticket.channel === 'wechat' ? 'wechat' : ticket.channel === 'email' ? 'email' : 'phone', substantive: true }
        : command === 'severity'
          ? { severity: ticket.severity }
          : {};

  const channelFields = (
    <>
      <Form.Item name="channel" label={T.actions.channel} rules={[rules.select(T.actions.channel)]}>
        <Radio.Group optionType="button" options={REPLY_CHANNELS.map((c) => ({ value: c, label: REPLY_CHANNEL_LABELS[c] }))} />
      </Form.Item>
      <Form.Item label={T.replyTemplates.insert}>
        <ReplyTemplatePicker
          ticket={ticket}
          onInsert={(text, title) => {
            const current = ((form.getFieldValue('content') as string | undefined) ?? '').trim();
            form.setFieldValue('content', current ? `${current}\n${text}` : text);
            void form.validateFields(['content']);
            void message.info(T.replyTemplates.inserted(title));
          }}
        />
      </Form.Item>
      <Form.Item name="content" label={T.actions.content} rules={[rules.required(T.actions.content), { min: 2, message: T.validation.required(T.actions.content) }, rules.max(2000)]}>
        <Input.TextArea rows={4} placeholder={T.actions.contentPlaceholder} autoFocus count={{ show: true, max: 2000 }} />
      </Form.Item>
    </>
  );

  return (
    <FormModal<Values>
      open
      title={`${TITLES[command]} · ${ticket.number}`}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={mutation.isPending || sendingFiles}
      initialValues={initialValues}
      okText={T.actions.confirm}
      width={command === 'dispatch' ? 600 : 520}
    >
      {INTROS[command] ? <Alert type="info" showIcon title={INTROS[command]} style={{ marginBottom: 16 }} /> : null}
      {command === 'answer' ? channelFields : null}
      {command === 'reply' ? (
        <>
          {channelFields}
          <Form.Item name="substantive" valuePropName="checked" extra={ticket.type === 'complaint' ? T.actions.substantiveHint : undefined}>
            <Checkbox>{T.actions.substantive}</Checkbox>
          </Form.Item>
          <Form.Item name="files" label={UI.attachments.title} extra={UI.attachments.withReply}>
            <PendingAttachments />
          </Form.Item>
        </>
      ) : null}
      {command === 'dispatch' ? <DispatchFields ticket={ticket} /> : null}
      {command === 'resolve' ? (
        <Form.Item name="summary" label={T.actions.summary} rules={[rules.required(T.actions.summary), { min: 2, message: T.validation.required(T.actions.summary) }, rules.max(2000)]}>
          <Input.TextArea rows={3} placeholder={T.actions.summaryPlaceholder} autoFocus count={{ show: true, max: 2000 }} />
        </Form.Item>
      ) : null}
      {command === 'merge' ? <MergeFields ticket={ticket} /> : null}
      {command === 'hand-over' ? <HandOverFields ticket={ticket} /> : null}
      {command === 'severity' ? (
        <Form.Item name="severity" label={T.actions.newSeverity} rules={[rules.select(T.actions.newSeverity)]}>
          <Radio.Group
            optionType="button"
            options={SEVERITIES.filter((s) => s !== 'urgent' || ticket.type === 'repair').map((s) => ({ value: s, label: SEVERITY_LABELS[s], disabled: s === ticket.severity }))}
          />
        </Form.Item>
      ) : null}
      {['wait', 'close', 'reopen', 'cancel', 'merge', 'hand-over', 'severity'].includes(command) ? (
        <Form.Item name="reason" label={command === 'close' ? T.actions.closeReason : T.actions.reason} rules={reasonRules}>
          <Input.TextArea rows={2} placeholder={REASON_PLACEHOLDERS[command]} count={{ show: true, max: 500 }} autoFocus={command === 'wait' || command === 'close' || command === 'reopen' || command === 'cancel'} />
        </Form.Item>
      ) : null}
    </FormModal>
  );
}
