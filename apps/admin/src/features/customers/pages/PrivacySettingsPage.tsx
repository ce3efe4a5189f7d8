import { Alert, App, Button, Card, Checkbox, Form, InputNumber, Skeleton, Space } from 'antd';
import { ROLE_LABELS, STAFF_ROLES, type PrivacySettings, type StaffRole } from '@qiaoliang/shared';
import { useEffect } from 'react';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { usePrivacySettings, useSavePrivacySettings } from '../api/archive';

type Values = Omit<PrivacySettings, 'version'>;

const roleOptions = STAFF_ROLES.map((r: StaffRole) => ({ value: r, label: ROLE_LABELS[r] }));

/** 个人信息权限 (admin): who may reveal full phones and ID numbers, and the daily quota. */
export function PrivacySettingsPage() {
  const { data, isLoading, error, refetch } = usePrivacySettings();
  const save = useSavePrivacySettings();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (data) form.setFieldsValue({ phoneRevealRoles: data.phoneRevealRoles, idNumberRevealRoles: data.idNumberRevealRoles, dailyRevealQuota: data.dailyRevealQuota });
  }, [data, form]);

  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (isLoading || !data) return <Skeleton active />;

  const onFinish = (v: Values) =>
    save.mutate(
      { version: data.version, body: { phoneRevealRoles: v.phoneRevealRoles ?? [], idNumberRevealRoles: v.idNumberRevealRoles ?? [], dailyRevealQuota: v.dailyRevealQuota } },
      { onSuccess: () => void message.success(T.privacy.saved), onError: (e) => onError(e, form) },
    );

  return (
    <>
      <PageHeader title={T.privacy.title} />
      <Alert type="info" showIcon title={T.privacy.intro} style={{ marginBottom: 16 }} />
      <Card size="small">
        <Form<Values> form={form} layout="vertical" onFinish={onFinish} disabled={save.isPending} style={{ maxWidth: 720 }}>
          <Form.Item name="phoneRevealRoles" label={T.privacy.phoneRoles}>
            <Checkbox.Group options={roleOptions} />
          </Form.Item>
          <Form.Item name="idNumberRevealRoles" label={T.privacy.idRoles} extra={T.privacy.idRolesHint}>
            <Checkbox.Group options={roleOptions} />
          </Form.Item>
          <Form.Item
            name="dailyRevealQuota"
            label={T.privacy.quota}
            extra={T.privacy.quotaHint}
            rules={[{ required: true, message: T.validation.required(T.privacy.quota) }]}
          >
            <InputNumber min={1} max={10000} precision={0} suffix={T.privacy.quotaUnit} style={{ width: 180 }} />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {T.common.save}
            </Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
