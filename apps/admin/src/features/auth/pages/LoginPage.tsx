import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import type { LoginBody } from '@qiaoliang/shared';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../../../lib/api';
import { useMe } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { rules } from '../../../lib/validation';
import { useLogin } from '../api/login';
import { AuthCard } from '../components/AuthCard';

interface FromState {
  from?: string;
}

/** 登录: username and password; shows the wrong-credentials and the login-delay (429) answers in Chinese. */
export function LoginPage() {
  const [form] = Form.useForm<LoginBody>();
  const login = useLogin();
  const { data: me } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as FromState | null)?.from;
  const target = from && from !== '/login' ? from : '/';

  if (me && !login.isPending) {
    return <Navigate to={me.mustChangePassword ? '/change-password' : target} replace />;
  }

  const onFinish = (values: LoginBody) => {
    login.mutate(values, {
      onSuccess: (user) => navigate(user.mustChangePassword ? '/change-password' : target, { replace: true }),
      onError: () => form.setFieldValue('password', ''),
    });
  };

  const error = login.error;
  // Too many failures: the server asks to wait (429 with the wait in the detail).
  const throttled = isApiError(error, 429);
  // The detail may repeat the title with more: show it once.
  const title = isApiError(error) ? (error.detail?.includes(error.title) ? error.detail : error.title) : T.auth.loginFailed;
  const description = isApiError(error) && error.detail && error.detail !== title ? error.detail : undefined;

  return (
    <AuthCard title={T.auth.loginTitle} subtitle={T.auth.loginSubtitle}>
      {error ? (
        <Alert
          type={throttled ? 'warning' : 'error'}
          showIcon
          title={title}
          description={description}
          style={{ marginBottom: 16 }}
          role="alert"
        />
      ) : null}
      <Form<LoginBody> form={form} layout="vertical" onFinish={onFinish} disabled={login.isPending} requiredMark={false}>
        <Form.Item name="username" label={T.auth.username} rules={[rules.required(T.auth.username)]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
        </Form.Item>
        <Form.Item name="password" label={T.auth.password} rules={[{ required: true, message: T.validation.required(T.auth.password) }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
          {T.auth.login}
        </Button>
      </Form>
    </AuthCard>
  );
}
