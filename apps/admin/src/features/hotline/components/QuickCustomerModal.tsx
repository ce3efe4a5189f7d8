import { Alert, App, Form, Input, Select } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  CUSTOMER_KINDS,
  CUSTOMER_KIND_LABELS,
  UNIT_RELATIONS,
  UNIT_RELATION_LABELS,
  type Customer,
  type CustomerKind,
  type Unit,
  type UnitRelation,
} from '@qiaoliang/shared';
import { useState } from 'react';
import { FormModal } from '../../../components/FormModal';
import { api, type Page } from '../../../lib/api';
import { formatPhone } from '../../../lib/format';
import { useProjectOptions } from '../../../lib/lookups';
import { qk } from '../../../lib/query-keys';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useDebouncedValue } from '../../../lib/use-debounced';
import { rules } from '../../../lib/validation';
import { useQuickCreateCustomer } from '../api/hotline';

interface Values {
  name: string;
  kind: CustomerKind;
  phone: string;
  projectId: string;
  unitId?: string;
  relation?: UnitRelation;
}

function UnitField({ projectId, value, onChange }: { projectId?: string; value?: string; onChange?: (v?: string) => void }) {
  const [text, setText] = useState('');
  const q = useDebouncedValue(text, 250);
  const room = q.match(/([0-9A-Za-z]+)\s*$/)?.[1] ?? q;
  const params = { projectId, q: room.trim() || undefined, page: 1, pageSize: 30 };
  const units = useQuery({
    queryKey: qk.unitList(params),
    queryFn: ({ signal }) => api.get<Page<Unit>>('/api/units', params, signal),
    enabled: !!projectId,
    placeholderData: keepPreviousData,
  });
  const typed = q.replace(/\s/g, '');
  return (
    <Select
      value={value}
      onChange={(v?: string) => onChange?.(v)}
      allowClear
      disabled={!projectId}
      showSearch={{ filterOption: false, onSearch: setText, searchValue: text }}
      placeholder={T.register.unitPlaceholder}
      loading={units.isFetching}
      options={(units.data?.items ?? []).filter((u) => !typed || u.label.includes(typed) || u.roomNumber.includes(typed)).map((u) => ({ value: u.id, label: u.label }))}
      aria-label={T.hotline.unit}
    />
  );
}

/**
 * 新建来电客户: name and number first (the caller is on the line), the home if known; the
 * archive is completed later in the customer's 360 page.
 */
export function QuickCustomerModal({
  open,
  phone,
  projectId,
  onClose,
  onCreated,
}: {
  open: boolean;
  phone: string | null;
  projectId: string | null;
  onClose: () => void;
  onCreated: (c: Customer) => void;
}) {
  const [form] = Form.useForm<Values>();
  const projects = useProjectOptions();
  const create = useQuickCreateCustomer();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const chosenProject = Form.useWatch('projectId', form);
  const unitId = Form.useWatch('unitId', form);

  const onFinish = (v: Values) => {
    create.mutate(
      {
        body: { kind: v.kind, name: v.name.trim(), projectId: v.projectId, phones: [{ phone: v.phone.trim(), isPrimary: true }] },
        unit: v.unitId ? { unitId: v.unitId, relation: v.relation ?? 'owner' } : undefined,
      },
      {
        onSuccess: (c) => {
          void message.success(T.hotline.created(c.name));
          onCreated(c);
          onClose();
        },
        onError: (e) => onError(e, form),
      },
    );
  };

  return (
    <FormModal<Values>
      open={open}
      title={T.hotline.quickCreateTitle}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={create.isPending}
      initialValues={{
        kind: 'owner',
        relation: 'owner',
        phone: phone ? formatPhone(phone) : '',
        projectId: projectId ?? (projects.data?.items.length === 1 ? projects.data.items[0]!.id : undefined),
      }}
    >
      <Alert type="info" showIcon title={T.hotline.quickCreateIntro} style={{ marginBottom: 16 }} />
      <Form.Item name="name" label={T.hotline.name} rules={[rules.required(T.hotline.name), rules.max(50), rules.personName]}>
        <Input autoFocus />
      </Form.Item>
      <Form.Item name="phone" label={T.hotline.phone} rules={[rules.required(T.hotline.phone), rules.max(30), rules.phone]}>
        <Input />
      </Form.Item>
      <Form.Item name="kind" label={T.hotline.kind} rules={[rules.select(T.hotline.kind)]}>
        <Select options={CUSTOMER_KINDS.map((k) => ({ value: k, label: CUSTOMER_KIND_LABELS[k] }))} aria-label={T.hotline.kind} />
      </Form.Item>
      <Form.Item name="projectId" label={T.hotline.project} rules={[rules.select(T.hotline.project)]}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
          onChange={() => form.setFieldValue('unitId', undefined)}
          aria-label={T.hotline.project}
        />
      </Form.Item>
      <Form.Item name="unitId" label={T.hotline.unit}>
        <UnitField projectId={chosenProject} />
      </Form.Item>
      {unitId ? (
        <Form.Item name="relation" label={T.hotline.relation}>
          <Select options={UNIT_RELATIONS.map((r) => ({ value: r, label: UNIT_RELATION_LABELS[r] }))} aria-label={T.hotline.relation} />
        </Form.Item>
      ) : null}
    </FormModal>
  );
}
