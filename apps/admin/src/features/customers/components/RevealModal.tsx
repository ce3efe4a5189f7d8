import { Alert, App, Button, Flex, Form, Input } from 'antd';
import type { RevealField, RevealResult } from '@qiaoliang/shared';
import { FormModal } from '../../../components/FormModal';
import { isApiError } from '../../../lib/api';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import { useReveal } from '../api/customers';

interface Values {
  reason: string;
}

/**
 * 查看完整号码 / 证件号: asks for the reason (audited), then hands the clear value to the
 * caller, which shows it only while the page is open.
 */
export function RevealModal({
  customerId,
  field,
  onClose,
  onRevealed,
  onForbidden,
}: {
  customerId: string;
  /** The field to reveal; null keeps the dialog closed. */
  field: RevealField | null;
  onClose: () => void;
  onRevealed: (result: RevealResult) => void;
  onForbidden: (field: RevealField) => void;
}) {
  const [form] = Form.useForm<Values>();
  const reveal = useReveal();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const what = field === 'id_number' ? T.reveal.idNumber : T.reveal.phones;

  const onFinish = ({ reason }: Values) => {
    if (!field) return;
    reveal.mutate(
      { id: customerId, field, reason: reason.trim() },
      {
        onSuccess: (result) => {
          onRevealed(result);
          onClose();
        },
        onError: (e) => {
          if (isApiError(e, 403) && e.code === 'customer.reveal_forbidden') {
            void message.error(`${e.text}。${T.reveal.forbidden}`);
            onForbidden(field);
            onClose();
            return;
          }
          onError(e, form);
        },
      },
    );
  };

  return (
    <FormModal<Values>
      open={!!field}
      title={T.reveal.title(what)}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={reveal.isPending}
      okText={T.reveal.ok}
    >
      <Alert type="warning" showIcon title={T.reveal.intro} style={{ marginBottom: 16 }} />
      <Form.Item
        name="reason"
        label={T.reveal.reason}
        rules={[{ required: true, whitespace: true, message: T.validation.required(T.reveal.reason) }, { min: 2, message: T.reveal.reasonMin }, rules.max(200)]}
        extra={
          <Flex gap={4} wrap style={{ marginTop: 8 }}>
            {T.reveal.quick.map((r) => (
              <Button key={r} size="small" onClick={() => form.setFields([{ name: 'reason', value: r, errors: [] }])}>
                {r}
              </Button>
            ))}
          </Flex>
        }
      >
        <Input placeholder={T.reveal.reasonPlaceholder} autoFocus count={{ show: true, max: 200 }} />
      </Form.Item>
    </FormModal>
  );
}
