import { App, Form, InputNumber, Space, Typography } from 'antd';
import type { VisitPlan, VisitPlanRules } from '@qiaoliang/shared';
import { FormModal } from '../../../components/FormModal';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useUpdateVisitRules } from '../api/visits';

function Extra({ name, label }: { name: keyof VisitPlanRules; label: string }) {
  return (
    <Form.Item label={label} required>
      <Space>
        <Form.Item name={name} noStyle rules={[{ required: true, message: T.validation.required(label) }]}>
          <InputNumber min={0} max={4} precision={0} aria-label={label} style={{ width: 90 }} />
        </Form.Item>
        <span>{T.visits.times}</span>
      </Space>
    </Form.Item>
  );
}

/** 拜访规则: extra visits a year for VIPs, recent complainers and newly handed-over owners. */
export function RulesModal({ plan, open, onClose }: { plan: VisitPlan; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<VisitPlanRules>();
  const update = useUpdateVisitRules();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  return (
    <FormModal<VisitPlanRules>
      open={open}
      title={T.visits.rulesTitle}
      form={form}
      initialValues={plan.rules}
      submitting={update.isPending}
      onCancel={onClose}
      onFinish={(rules) =>
        update.mutate(
          { plan, rules },
          {
            onSuccess: () => {
              void message.success(T.visits.rulesSaved);
              onClose();
            },
            onError: (e) => onError(e, form),
          },
        )
      }
    >
      <Typography.Paragraph type="secondary">{T.visits.rulesHint}</Typography.Paragraph>
      <Extra name="vipExtra" label={T.visits.vipExtra} />
      <Extra name="complainerExtra" label={T.visits.complainerExtra} />
      <Form.Item label={T.visits.complainerDays} required>
        <Space>
          <Form.Item name="complainerDays" noStyle rules={[{ required: true, message: T.validation.required(T.visits.complainerDays) }]}>
            <InputNumber min={7} max={365} precision={0} aria-label={T.visits.complainerDays} style={{ width: 90 }} />
          </Form.Item>
          <span>{T.visits.days}</span>
        </Space>
      </Form.Item>
      <Extra name="newHandoverExtra" label={T.visits.newHandoverExtra} />
    </FormModal>
  );
}
