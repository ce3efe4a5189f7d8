import { App, Button, Drawer, Flex, Form, Input, Radio, Select } from 'antd';
import {
  ROLE_LABELS,
  SCOPE_KIND_LABELS,
  SCOPE_KINDS,
  STAFF_ROLES,
  type ScopeKind,
  type StaffRole,
  type User,
  type UserCreate,
  type UserUpdate,
} from '@qiaoliang/shared';
import { useEffect } from 'react';
import { useDepartments } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import { useCreateUser, useUpdateUser } from '../api/users';
import { ScopeIdsSelect } from './ScopeIdsSelect';

interface Values {
  username: string;
  displayName: string;
  password: string;
  phone?: string;
  email?: string;
  roles: StaffRole[];
  scopeKind: ScopeKind;
  scopeIds: string[];
  departmentId?: string | null;
  extension?: string;
}

const blankToNull = (v: string | undefined | null) => (v && v.trim() ? v.trim() : null);

function initialValuesOf(user: User | null): Partial<Values> {
  if (!user) return { roles: [], scopeKind: 'project', scopeIds: [] };
  return {
    displayName: user.displayName,
    // A masked phone (138****5678) cannot be edited: the field starts empty instead.
    phone: user.phone && !user.phone.includes('*') ? user.phone : undefined,
    email: user.email ?? undefined,
    roles: user.roles,
    scopeKind: user.scopeKind,
    scopeIds: user.scopeIds,
    departmentId: user.departmentId,
    extension: user.extension ?? undefined,
  };
}

/** 新建用户 / 编辑用户: identity, roles, data scope, department and extension. */
export function UserFormDrawer({ open, record, onClose }: { open: boolean; record: User | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const scopeKind = Form.useWatch('scopeKind', form) ?? record?.scopeKind ?? 'project';
  const departments = useDepartments();
  const create = useCreateUser();
  const update = useUpdateUser();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const submitting = create.isPending || update.isPending;

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue(initialValuesOf(record));
    }
  }, [open, record, form]);

  const departmentOptions = (departments.data ?? [])
    .filter((d) => d.active || d.id === record?.departmentId)
    .map((d) => ({ value: d.id, label: d.name }));

  const onFinish = (v: Values) => {
    const onFail = (e: unknown) => onError(e, form);
    const onSuccess = () => {
      void message.success(record ? T.common.saved : T.common.created);
      onClose();
    };
    const common = {
      displayName: v.displayName.trim(),
      email: blankToNull(v.email),
      roles: v.roles,
      scopeKind: v.scopeKind,
      scopeIds: v.scopeKind === 'group' ? [] : v.scopeIds,
      departmentId: v.departmentId ?? null,
      extension: blankToNull(v.extension),
    };
    const phone = blankToNull(v.phone);
    if (record) {
      const masked = !!record.phone?.includes('*');
      // An untouched masked phone is left as it is; otherwise the field is the number.
      const body: UserUpdate = masked && !phone ? common : { ...common, phone };
      update.mutate({ id: record.id, version: record.version, body }, { onSuccess, onError: onFail });
    } else {
      const body: UserCreate = { ...common, username: v.username.trim(), password: v.password, phone };
      create.mutate(body, { onSuccess, onError: onFail });
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={record ? `${T.users.edit}：${record.displayName}` : T.users.create}
      size={520}
      destroyOnHidden
      mask={{ closable: !submitting }}
    >
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} disabled={submitting} scrollToFirstError>
        <Form.Item name="username" label={T.users.username} rules={record ? [] : [rules.required(T.users.username), rules.username]}>
          <Input disabled={!!record} placeholder={record?.username} autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={T.users.displayName} rules={[rules.required(T.users.displayName), rules.max(50)]}>
          <Input />
        </Form.Item>
        {record ? null : (
          <Form.Item
            name="password"
            label={T.users.password}
            extra={`${T.auth.passwordRule}。${T.users.passwordHint}`}
            rules={[{ required: true, message: T.validation.required(T.users.password) }, rules.password]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item name="roles" label={T.users.roles} rules={[{ required: true, type: 'array', min: 1, message: T.validation.select(T.users.roles) }]}>
          <Select mode="multiple" options={STAFF_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
        </Form.Item>
        <Form.Item name="scopeKind" label={T.users.scopeKind} rules={[rules.select(T.users.scopeKind)]}>
          <Radio.Group
            optionType="button"
            options={SCOPE_KINDS.map((k) => ({ value: k, label: SCOPE_KIND_LABELS[k] }))}
            onChange={() => form.setFieldValue('scopeIds', [])}
          />
        </Form.Item>
        {scopeKind === 'group' ? (
          <Form.Item label={T.users.scopeIds}>
            <Input disabled value={T.users.scopeGroupHint} />
          </Form.Item>
        ) : (
          <Form.Item
            name="scopeIds"
            label={scopeKind === 'city_company' ? T.users.scopeCityCompanies : T.users.scopeProjects}
            rules={[{ required: true, type: 'array', min: 1, message: T.validation.select(scopeKind === 'city_company' ? T.users.scopeCityCompanies : T.users.scopeProjects) }]}
          >
            <ScopeIdsSelect kind={scopeKind} />
          </Form.Item>
        )}
        <Form.Item name="departmentId" label={T.users.department}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={departmentOptions} loading={departments.isLoading} />
        </Form.Item>
        <Form.Item name="extension" label={T.users.extension} rules={[rules.digits, rules.max(20)]}>
          <Input inputMode="numeric" />
        </Form.Item>
        <Form.Item name="phone" label={T.users.phone} rules={[rules.max(30)]} extra={record?.phone?.includes('*') ? T.users.phoneKeep : undefined}>
          <Input inputMode="tel" placeholder={record?.phone ?? undefined} />
        </Form.Item>
        <Form.Item name="email" label={T.users.email} rules={[rules.email, rules.max(120)]}>
          <Input inputMode="email" />
        </Form.Item>
        <Flex gap={8} justify="end">
          <Button onClick={onClose} disabled={false}>{T.common.cancel}</Button>
          <Button type="primary" htmlType="submit" loading={submitting}>
            {T.common.save}
          </Button>
        </Flex>
      </Form>
    </Drawer>
  );
}
