import { App, DatePicker, Form, Input, Radio, Select } from 'antd';
import {
  SATISFACTION_LABELS, VISIT_ATTEMPT_KINDS, VISIT_ATTEMPT_OUTCOME_LABELS, VISIT_ATTEMPT_OUTCOMES, VISIT_KIND_LABELS, type VisitAttemptCreate, type VisitKind,
} from '@qiaoliang/shared';
import dayjs, { type Dayjs } from 'dayjs';
import { FormModal } from '../../../components/FormModal';
import { SATISFACTION_SCALE } from '../../../components/kpis/SatisfactionTag';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useCreateVisit, useCreateVisitAttempt } from '../api/visits';

/** Kinds recorded by hand (callbacks are recorded by the callback itself). */
export const MANUAL_KINDS: VisitKind[] = ['phone_visit', 'home_visit', 'event_contact'];

interface Values {
  projectId: string;
  result: 'reached' | 'unsuccessful';
  kinds: VisitKind[];
  attemptKind: VisitAttemptCreate['kind'];
  outcome: VisitAttemptCreate['outcome'];
  at: Dayjs;
  notes?: string;
  satisfaction?: number;
}

export interface VisitTarget {
  customerId: string;
  customerName: string;
  /** The projects the visit may count for (the customer's current homes). */
  projects: { id: string; name: string }[];
  taskId?: string | undefined;
}

/**
 * 记录拜访: how the customer was contacted (one contact may be several kinds and counts once),
 * when, notes and the optional satisfaction. From a visit task, the task is done.
 */
export function RecordVisitModal({ target, onClose }: { target: VisitTarget | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const create = useCreateVisit();
  const attempt = useCreateVisitAttempt();
  const result = Form.useWatch('result', form) ?? 'reached';
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const single = target?.projects.length === 1 ? target.projects[0]!.id : undefined;

  const onFinish = (v: Values) => {
    if (!target) return;
    if (v.result === 'unsuccessful') {
      attempt.mutate(
        { customerId: target.customerId, projectId: v.projectId, kind: v.attemptKind, outcome: v.outcome, at: v.at.toISOString(), notes: v.notes?.trim() || undefined, taskId: target.taskId },
        {
          onSuccess: () => {
            void message.success(T.visitAttempt.saved);
            onClose();
          },
          onError: (e) => onError(e, form),
        },
      );
      return;
    }
    create.mutate(
      {
        customerId: target.customerId,
        projectId: v.projectId,
        kinds: v.kinds,
        at: v.at.toISOString(),
        notes: v.notes?.trim() || undefined,
        satisfaction: v.satisfaction,
        taskId: target.taskId,
      },
      {
        onSuccess: () => {
          void message.success(T.visitRecord.saved);
          onClose();
        },
        onError: (e) => onError(e, form),
      },
    );
  };

  return (
    <FormModal<Values>
      open={!!target}
      title={target ? T.visitRecord.titleFor(target.customerName) : T.visitRecord.title}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={create.isPending || attempt.isPending}
      initialValues={{ projectId: single, result: 'reached', kinds: ['phone_visit'], attemptKind: 'home_visit', at: dayjs() }}
      width={560}
    >
      <Form.Item name="projectId" label={T.visitRecord.project} rules={[{ required: true, message: T.validation.select(T.visitRecord.project) }]}>
        <Select options={target?.projects.map((p) => ({ value: p.id, label: p.name }))} disabled={!!single} />
      </Form.Item>
      <Form.Item name="result" label={T.visitAttempt.result} extra={result === 'unsuccessful' ? T.visitAttempt.unsuccessfulHint : undefined}>
        <Radio.Group optionType="button" options={[{ value: 'reached', label: T.visitAttempt.reached }, { value: 'unsuccessful', label: T.visitAttempt.unsuccessful }]} />
      </Form.Item>
      {result === 'unsuccessful' ? (
        <>
          <Form.Item name="attemptKind" label={T.visitAttempt.kind} rules={[{ required: true, message: T.validation.select(T.visitAttempt.kind) }]}>
            <Radio.Group options={VISIT_ATTEMPT_KINDS.map((k) => ({ value: k, label: VISIT_KIND_LABELS[k] }))} />
          </Form.Item>
          <Form.Item name="outcome" label={T.visitAttempt.outcome} rules={[{ required: true, message: T.validation.select(T.visitAttempt.outcome) }]}>
            <Select options={VISIT_ATTEMPT_OUTCOMES.map((o) => ({ value: o, label: VISIT_ATTEMPT_OUTCOME_LABELS[o] }))} />
          </Form.Item>
        </>
      ) : (
        <Form.Item name="kinds" label={T.visitRecord.kinds} rules={[{ required: true, type: 'array', min: 1, message: T.visitRecord.kindsRequired }]}>
          <Select mode="multiple" options={MANUAL_KINDS.map((k) => ({ value: k, label: VISIT_KIND_LABELS[k] }))} />
        </Form.Item>
      )}
      <Form.Item
        name="at"
        label={T.visitRecord.at}
        rules={[
          { required: true, message: T.validation.select(T.visitRecord.at) },
          { validator: (_, v: Dayjs | undefined) => (v && v.isAfter(dayjs().add(1, 'minute')) ? Promise.reject(new Error(T.visitRecord.atFuture)) : Promise.resolve()) },
        ]}
      >
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isAfter(dayjs(), 'day')} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="notes" label={T.visitRecord.notes} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={3} count={{ show: true, max: 2000 }} placeholder={T.visitRecord.notesPlaceholder} />
      </Form.Item>
      {result === 'unsuccessful' ? null : (
        <Form.Item name="satisfaction" label={T.visitRecord.satisfaction}>
          <Radio.Group optionType="button" options={SATISFACTION_SCALE.map((s) => ({ value: s, label: SATISFACTION_LABELS[s] }))} />
        </Form.Item>
      )}
    </FormModal>
  );
}
