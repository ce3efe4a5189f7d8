import { Alert, App, Button, Flex, Form, Input } from 'antd';
import { Navigate, useNavigate } from 'react-router';
import { useMe } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules, sameAs } from '../../../lib/validation';
import { useChangePassword } from '../api/change-password';
import { useLogout } from '../api/logout';
import { AuthCard } from '../components/AuthCard';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** 修改密码: forced after the first sign-in or a reset, optional otherwise. */
export function ChangePasswordPage() {
  const [form] = Form.useForm<Values>();
  const { data: me } = useMe();
  const change = useChangePassword();
  const logout = useLogout();
  const navigate = useNavigate();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();

  if (me === null) return <Navigate to="/login" replace />;
  const forced = !!me?.mustChangePassword;

  const onFinish = ({ currentPassword, newPassword }: Values) => {
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          void message.success(T.auth.passwordChanged);
          navigate('/', { replace: true });
        },
        onError: (err) => onError(err, form),
      },
    );
  };

  return (
    <AuthCard title={forced ? T.auth.mustChangeTitle : T.auth.changePassword}>
      {forced ? <Alert type="info" showIcon title={T.auth.mustChangeHint} style={{ marginBottom: 16 }} /> : null}
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} disabled={change.isPending}>
        <Form.Item name="currentPassword" label={T.auth.currentPassword} rules={[{ required: true, message: T.validation.required(T.auth.currentPassword) }]}>
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={T.auth.newPassword}
          extra={T.auth.passwordRule}
          dependencies={['currentPassword']}
          rules={[
            { required: true, message: T.validation.required(T.auth.newPassword) },
            rules.password,
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value !== getFieldValue('currentPassword') ? Promise.resolve() : Promise.reject(new Error(T.validation.passwordSame)),
            }),
          ]}
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
        <Flex gap={8}>
          <Button type="primary" htmlType="submit" loading={change.isPending} style={{ flex: 1 }}>
            {T.common.save}
          </Button>
          {forced ? (
            <Button onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}>
              {T.auth.logout}
            </Button>
          ) : (
            <Button onClick={() => navigate(-1)}>{T.common.back}</Button>
          )}
        </Flex>
      </Form>
    </AuthCard>
  );
}
