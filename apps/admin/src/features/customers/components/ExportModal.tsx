import { Alert, App, Checkbox, Form, Input } from 'antd';
import { FormModal } from '../../../components/FormModal';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import type { CustomerFilters } from '../api/customers';
import { EXPORT_REASON_MIN_LENGTH, useExportCustomers } from '../api/export';
import { rules } from '../../../lib/validation';

interface Values {
  revealPhones: boolean;
  reason?: string;
}

/** 导出: the customers the current search finds, masked unless full phones are asked for with a reason. */
export function ExportModal({ open, filters, total, onClose}: { open: boolean; filters: CustomerFilters; total: number; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const reveal = Form.useWatch('revealPhones', form);
  const run = useExportCustomers();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();

  const onFinish = (v: Values) => {
    run.mutate(
      { ...filters, ...(v.revealPhones ? { revealPhones: true, reason: v.reason?.trim() } : {}) },
      {
        onSuccess: (job) => {
          void message.success(job.status === 'awaiting_approval' ? T.exportJobs.requestedAwaiting : T.exportJobs.requested);
          onClose();
        },
        onError: (e) => onError(e, form),
      },
    );
  };

  return (
    <FormModal<Values>
      open={open}
      title={T.customerExport.title}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={run.isPending}
      okText={T.customerExport.ok}
      initialValues={{ revealPhones: false }}
    >
      <Alert type="info" showIcon title={T.customerExport.intro(total)} style={{ marginBottom: 16 }} />
      <Form.Item name="revealPhones" valuePropName="checked" extra={reveal ? T.exportJobs.awaiting : undefined}>
        <Checkbox>{T.customerExport.revealPhones}</Checkbox>
      </Form.Item>
      {reveal ? (
        <Form.Item
          name="reason"
          label={T.customerExport.reason}
          rules={[{ required: true, whitespace: true, message: T.exportJobs.reasonMin }, { min: EXPORT_REASON_MIN_LENGTH, message: T.exportJobs.reasonMin }, rules.max(200)]}
          extra={T.exportJobs.reasonHint}
        >
          <Input placeholder={T.customerExport.reasonPlaceholder} autoFocus count={{ show: true, max: 200 }} />
        </Form.Item>
      ) : null}
    </FormModal>
  );
}
