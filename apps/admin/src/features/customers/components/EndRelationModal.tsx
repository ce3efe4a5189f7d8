import { Alert, App, Checkbox, DatePicker, Form } from 'antd';
import type { CustomerUnitLink } from '@qiaoliang/shared';
import dayjs, { type Dayjs } from 'dayjs';
import { FormModal } from '../../../components/FormModal';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import { useUpdateUnitLink } from '../api/customers';

interface Values {
  toDate: Dayjs;
  correction?: boolean;
}

/** 结束关系: the unit was sold, the lease ended, or the relation was registered by mistake. */
export function EndRelationModal({ customerId, link, onClose }: { customerId: string; link: CustomerUnitLink | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const update = useUpdateUnitLink();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();

  const onFinish = ({ toDate, correction }: Values) => {
    if (!link) return;
    update.mutate(
      { customerId, linkId: link.id, version: link.version, body: { toDate: toDate.format('YYYY-MM-DD'), ...(correction ? { correction: true } : {}) } },
      {
        onSuccess: () => {
          void message.success(T.unitLinks.endedDone);
          onClose();
        },
        onError: (e) => onError(e, form),
      },
    );
  };

  return (
    <FormModal<Values>
      open={!!link}
      title={link ? T.unitLinks.endTitle(`${link.projectName} ${link.unitLabel}`) : ''}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={update.isPending}
      okText={T.unitLinks.end}
      initialValues={{ toDate: dayjs() }}
    >
      <Alert type="info" showIcon title={T.unitLinks.endIntro} style={{ marginBottom: 16 }} />
      <Form.Item name="toDate" label={T.unitLinks.endDate} rules={[rules.select(T.unitLinks.endDate)]}>
        <DatePicker
          style={{ width: '100%' }}
          disabledDate={(d) => !!link && d.isBefore(dayjs(link.fromDate), 'day')}
          autoFocus
        />
      </Form.Item>
      <Form.Item name="correction" valuePropName="checked" extra={T.correction.hint} style={{ marginBottom: 0 }}>
        <Checkbox>{T.correction.label}</Checkbox>
      </Form.Item>
    </FormModal>
  );
}
