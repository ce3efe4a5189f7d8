import { DeleteOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Col, Divider, Drawer, Flex, Form, Input, Row, Select, Switch, Tag, Typography } from 'antd';
import {
  CONTACT_CHANNEL_LABELS,
  CONTACT_CHANNELS,
  CUSTOMER_KIND_LABELS,
  CUSTOMER_KINDS,
  type ContactChannel,
  type Customer,
  type CustomerCreate,
  type CustomerKind,
  type CustomerUpdate,
} from '@qiaoliang/shared';
import { useEffect, useRef } from 'react';
import { formatPhone } from '../../../lib/format';
import { useProjectOptions } from '../../../lib/lookups';
import { useMe } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import { useCreateCustomer, useUpdateCustomer } from '../api/customers';
import { checkIdNumber } from '../id-number';

interface PhoneValue {
  phone: string;
  label?: string | null;
  isPrimary?: boolean;
}

interface Values {
  kind: CustomerKind;
  name: string;
  projectId?: string | null;
  phones: PhoneValue[];
  idNumber?: string;
  email?: string | null;
  wechatId?: string | null;
  preferredChannel?: ContactChannel | null;
  preferredTime?: string | null;
  address?: string | null;
  tags: string[];
  vip: boolean;
  notes?: string | null;
  preferences?: string | null;
}

const TEXT_FIELDS = ['email', 'wechatId', 'preferredTime', 'address', 'notes', 'preferences'] as const;
const blankToNull = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null);

function initialValuesOf(record: Customer | null, clearPhones: { id: string; phone: string }[] | null): Partial<Values> {
  if (!record) return { kind: 'owner', phones: [{ phone: '', label: null, isPrimary: true }], tags: [], vip: false };
  const clear = new Map((clearPhones ?? []).map((p) => [p.id, p.phone]));
  return {
    kind: record.kind,
    name: record.name,
    projectId: record.projectId,
    phones: record.phones.map((p) => ({ phone: formatPhone(clear.get(p.id) ?? p.phone), label: p.label, isPrimary: p.isPrimary })),
    email: record.email,
    wechatId: record.wechatId,
    preferredChannel: record.preferredChannel,
    preferredTime: record.preferredTime,
    address: record.address,
    tags: record.tags,
    vip: record.vip,
    notes: record.notes,
    preferences: record.preferences,
  };
}

const idNumberRule = {
  validator: (_: unknown, value: unknown) => {
    if (typeof value !== 'string' || !value.trim()) return Promise.resolve();
    const check = checkIdNumber(value);
    if (check === 'ok') return Promise.resolve();
    const text = check === 'length' ? T.customerForm.idNumberInvalidLength : check === 'date' ? T.customerForm.idNumberInvalidDate : T.customerForm.idNumberInvalidCheck;
    return Promise.reject(new Error(text));
  },
};

const uniquePhonesRule = ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
  validator: (_: unknown, value: unknown) => {
    const all = ((getFieldValue('phones') as PhoneValue[] | undefined) ?? []).map((p) => p?.phone?.replace(/\D/g, '')).filter(Boolean);
    const mine = typeof value === 'string' ? value.replace(/\D/g, '') : '';
    return mine && all.filter((p) => p === mine).length > 1 ? Promise.reject(new Error(T.customerForm.phonesDuplicate)) : Promise.resolve();
  },
});

/**
 * 新建客户 / 编辑客户. Registered phones arrive masked: the phone list (saved as a whole) can
 * be edited once the clear numbers were revealed with a reason. `focusField` scrolls to the
 * field an archive gap points at.
 */
export function CustomerFormDrawer({
  open,
  record,
  clearPhones,
  focusField,
  onRequestReveal,
  onClose,
  onCreated,
}: {
  open: boolean;
  record: Customer | null;
  /** The revealed phones of the record (null while masked). */
  clearPhones: { id: string; phone: string }[] | null;
  focusField?: string | null;
  onRequestReveal?: () => void;
  onClose: () => void;
  onCreated?: (c: Customer) => void;
}) {
  const [form] = Form.useForm<Values>();
  const { data: me } = useMe();
  const projects = useProjectOptions();
  const create = useCreateCustomer();
  const update = useUpdateCustomer();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const submitting = create.isPending || update.isPending;
  const phonesEditable = !record || record.phones.length === 0 || clearPhones !== null;
  const projectRequired = me?.scopeKind !== 'group';
  const idNumber = Form.useWatch('idNumber', form);
  const idNumberOk = typeof idNumber === 'string' && idNumber.trim() !== '' && checkIdNumber(idNumber) === 'ok';

  // Filled when the drawer opens; later reveals only fill the phones, keeping other edits.
  const initialized = useRef(false);
  useEffect(() => {
    if (!open) {
      initialized.current = false;
      return;
    }
    if (initialized.current) {
      if (clearPhones) form.setFieldValue('phones', initialValuesOf(record, clearPhones).phones);
      return;
    }
    initialized.current = true;
    form.resetFields();
    form.setFieldsValue(initialValuesOf(record, clearPhones));
    // The drawer slides in first; then the field an archive gap points at gets the focus.
    if (!focusField) return;
    const timer = setTimeout(() => {
      if (focusField === 'phones') {
        const phones = (form.getFieldValue('phones') as PhoneValue[] | undefined) ?? [];
        if (!phones.length) form.setFieldValue('phones', [{ phone: '', label: null, isPrimary: true }]);
        form.scrollToField(['phones', 0, 'phone'], { focus: true, block: 'center' });
      } else {
        form.scrollToField(focusField, { focus: true, block: 'center' });
      }
    }, 350);
    return () => clearTimeout(timer);
  }, [open, record, clearPhones, focusField, form]);

  const setPrimary = (index: number) => {
    const phones = (form.getFieldValue('phones') as PhoneValue[]) ?? [];
    form.setFieldValue('phones', phones.map((p, i) => ({ ...p, isPrimary: i === index })));
  };

  const onFinish = (v: Values) => {
    const onFail = (e: unknown) => onError(e, form);
    const phones = (v.phones ?? [])
      .filter((p) => p?.phone?.trim())
      .map((p) => ({ phone: p.phone.trim(), label: blankToNull(p.label), isPrimary: Boolean(p.isPrimary) }));
    const fields = {
      kind: v.kind,
      name: v.name.trim(),
      projectId: v.projectId ?? null,
      preferredChannel: v.preferredChannel ?? null,
      tags: v.tags ?? [],
      vip: Boolean(v.vip),
      ...Object.fromEntries(TEXT_FIELDS.map((k) => [k, blankToNull(v[k])])),
    };
    const idNumberValue = v.idNumber?.trim() ? v.idNumber.trim().toUpperCase() : undefined;
    if (!record) {
      const body: CustomerCreate = { ...fields, phones, ...(idNumberValue ? { idNumber: idNumberValue } : {}) };
      create.mutate(body, {
        onSuccess: (c) => {
          void message.success(T.customerForm.created);
          onClose();
          onCreated?.(c);
        },
        onError: onFail,
      });
      return;
    }
    // Only what changed: the audit and the timeline then say what was edited.
    const before = initialValuesOf(record, clearPhones) as Record<string, unknown>;
    const body: CustomerUpdate = {};
    for (const [k, value] of Object.entries(fields)) {
      const old = k === 'tags' ? before.tags : (before[k] ?? null);
      if (JSON.stringify(old) !== JSON.stringify(value)) (body as Record<string, unknown>)[k] = value;
    }
    if (idNumberValue) body.idNumber = idNumberValue;
    if (phonesEditable) {
      const oldPhones = (before.phones as PhoneValue[]).map((p) => ({ phone: p.phone, label: p.label ?? null, isPrimary: Boolean(p.isPrimary) }));
      if (JSON.stringify(oldPhones) !== JSON.stringify(phones)) body.phones = phones;
    }
    if (!Object.keys(body).length) {
      onClose();
      return;
    }
    update.mutate(
      { id: record.id, version: record.version, body },
      {
        onSuccess: () => {
          void message.success(T.customerForm.saved);
          onClose();
        },
        onError: onFail,
      },
    );
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={record ? T.customers.editTitle(record.name) : T.customers.create}
      size={600}
      destroyOnHidden
      mask={{ closable: !submitting }}
      footer={
        <Flex gap={8} justify="end">
          <Button onClick={onClose}>{T.common.cancel}</Button>
          <Button type="primary" loading={submitting} onClick={() => form.submit()}>
            {T.common.save}
          </Button>
        </Flex>
      }
    >
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} disabled={submitting} scrollToFirstError>
        {/* Enter in a field saves, as in the other forms. */}
        <input type="submit" hidden />
        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
          {T.customerForm.basics}
        </Divider>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="name" label={T.customers.name} rules={[rules.required(T.customers.name), rules.max(50), rules.personName]}>
              <Input autoFocus={!record} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="kind" label={T.customers.kind} rules={[rules.select(T.customers.kind)]}>
              <Select options={CUSTOMER_KINDS.map((k) => ({ value: k, label: CUSTOMER_KIND_LABELS[k] }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="projectId"
          label={T.customers.project}
          extra={T.customers.projectHint}
          rules={projectRequired ? [rules.select(T.customers.project)] : []}
        >
          <Select
            allowClear={!projectRequired}
            loading={projects.isLoading}
            showSearch={{ optionFilterProp: 'label' }}
            options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
          />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={T.customerForm.idNumber}
          rules={[idNumberRule]}
          validateFirst
          hasFeedback={idNumberOk}
          extra={record?.idNumber ? T.customerForm.idNumberKeep(record.idNumber) : idNumberOk ? T.customerForm.idNumberOk : undefined}
        >
          <Input placeholder={record?.idNumber ?? T.customerForm.idNumberPlaceholder} count={{ show: true, max: 18 }} autoComplete="off" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={16}>
            <Form.Item name="tags" label={T.customers.tags}>
              <Select mode="tags" placeholder={T.customers.tagsPlaceholder} tokenSeparators={[',', '，']} open={false} suffixIcon={null} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="vip" label={T.customerForm.vip} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" plain>
          {T.customerForm.contact}
        </Divider>
        {phonesEditable ? (
          <Form.List name="phones">
            {(fields, { add, remove }) => (
              <Form.Item label={T.customerForm.phones} required={false}>
                {fields.map((field, index) => (
                  <Flex key={field.key} gap={8} align="start">
                    <Form.Item
                      name={[field.name, 'phone']}
                      style={{ flex: 2 }}
                      dependencies={fields.filter((f) => f.key !== field.key).map((f) => ['phones', f.name, 'phone'])}
                      rules={[{ required: true, whitespace: true, message: T.validation.required(T.customerForm.phone) }, rules.max(30), rules.phone, uniquePhonesRule]}
                    >
                      <Input inputMode="tel" placeholder={T.customerForm.phonePlaceholder} aria-label={`${T.customerForm.phone} ${index + 1}`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'label']} style={{ flex: 1 }} rules={[rules.max(20)]}>
                      <Input placeholder={T.customerForm.phoneLabelPlaceholder} aria-label={`${T.customerForm.phoneLabel} ${index + 1}`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'isPrimary']} valuePropName="checked" style={{ whiteSpace: 'nowrap' }}>
                      <Checkbox onChange={(e) => e.target.checked && setPrimary(index)}>{T.customerForm.primary}</Checkbox>
                    </Form.Item>
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label={`${T.customerForm.removePhone} ${index + 1}`}
                      title={T.customerForm.removePhone}
                      onClick={() => remove(field.name)}
                    />
                  </Flex>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ phone: '', label: null, isPrimary: fields.length === 0 })} disabled={fields.length >= 10}>
                  {T.customerForm.addPhone}
                </Button>
              </Form.Item>
            )}
          </Form.List>
        ) : (
          <Form.Item label={T.customerForm.phones}>
            <Flex vertical gap={8}>
              <Flex gap={8} wrap>
                {record?.phones.map((p) => (
                  <Tag key={p.id} style={{ fontSize: 14, padding: '2px 8px' }}>
                    {formatPhone(p.phone)}
                    {p.label ? <Typography.Text type="secondary"> · {p.label}</Typography.Text> : null}
                  </Tag>
                ))}
              </Flex>
              <Alert
                type="info"
                showIcon
                title={T.customerForm.phonesMasked}
                action={
                  onRequestReveal ? (
                    <Button size="small" icon={<EyeOutlined />} onClick={onRequestReveal}>
                      {T.customerForm.phonesRevealToEdit}
                    </Button>
                  ) : undefined
                }
              />
            </Flex>
          </Form.Item>
        )}
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="email" label={T.customers.email} rules={[rules.email, rules.max(120)]}>
              <Input inputMode="email" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="wechatId" label={T.customers.wechatId} rules={[rules.max(60)]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="preferredChannel" label={T.customers.preferredChannel}>
              <Select allowClear options={CONTACT_CHANNELS.map((c) => ({ value: c, label: CONTACT_CHANNEL_LABELS[c] }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="preferredTime" label={T.customers.preferredTime} rules={[rules.max(60)]}>
              <Input placeholder={T.customers.preferredTimePlaceholder} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="address" label={T.customers.address} rules={[rules.max(200)]}>
          <Input />
        </Form.Item>

        <Divider titlePlacement="start" plain>
          {T.customerForm.more}
        </Divider>
        <Form.Item name="preferences" label={T.customers.preferences} rules={[rules.max(1000)]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} placeholder={T.customers.preferencesPlaceholder} />
        </Form.Item>
        <Form.Item name="notes" label={T.customers.notes} rules={[rules.max(2000)]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
