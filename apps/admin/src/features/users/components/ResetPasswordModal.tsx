import { Alert, App, Form, Input } from 'antd';
import type { User } from '@qiaoliang/shared';
import { FormModal } from '../../../components/FormModal';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules, sameAs } from '../../../lib/validation';
import { useResetPassword } from '../api/users';

interface Values {
  newPassword: string;
  confirmPassword: string;
}

/** 重置密码: sets a new password the user must change at the next sign-in. */
export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const reset = useResetPassword();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();

  const onFinish = ({ newPassword }: Values) => {
    if (!user) return;
    reset.mutate(
      { id: user.id, newPassword },
      {
        onSuccess: () => {
          void message.success(T.users.passwordReset);
          onClose();
        },
        onError: (e) => onError(e, form),
      },
    );
  };

  return (
    <FormModal<Values>
      open={!!user}
      title={user ? T.users.resetPasswordTitle(user.displayName) : ''}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={reset.isPending}
      okText={T.users.resetPassword}
    >
      <Alert type="info" showIcon title={T.users.resetPasswordHint} style={{ marginBottom: 16 }} />
      <Form.Item
        name="newPassword"
        label={T.auth.newPassword}
        extra={T.auth.passwordRule}
        rules={[{ required: true, message: T.validation.required(T.auth.newPassword) }, rules.password]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label={T.auth.confirmPassword}
        dependencies={['newPassword']}
        rules={[{ required: true, message: T.validation.required(T.auth.confirmPassword) }, sameAs('newPassword')]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}
