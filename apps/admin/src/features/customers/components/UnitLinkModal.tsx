import { App, Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import {
  UNIT_RELATION_LABELS,
  UNIT_RELATIONS,
  type Customer,
  type CustomerKind,
  type CustomerUnitCreate,
  type CustomerUnitLink,
  type CustomerUnitUpdate,
  type UnitRelation,
} from '@qiaoliang/shared';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { FormModal } from '../../../components/FormModal';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import { useAddUnitLink, useUpdateUnitLink } from '../api/customers';
import { UnitPicker } from './UnitPicker';

type DateField = 'fromDate' | 'toDate' | 'contractDate' | 'contractedHandoverDate' | 'actualHandoverDate' | 'warrantyStartDate';

interface Values {
  unitId?: string;
  relation: UnitRelation;
  share?: number | null;
  contractNo?: string | null;
  fromDate?: Dayjs | null;
  toDate?: Dayjs | null;
  contractDate?: Dayjs | null;
  contractedHandoverDate?: Dayjs | null;
  actualHandoverDate?: Dayjs | null;
  warrantyStartDate?: Dayjs | null;
}

/** The relation a new link most likely has, from the kind of customer. */
const RELATION_OF_KIND: Record<CustomerKind, UnitRelation> = {
  owner: 'owner',
  prospective_owner: 'prospective_owner',
  co_owner: 'co_owner',
  family: 'family',
  tenant: 'tenant',
  other: 'other',
};

const toDay = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
const fromDay = (s: string | null) => (s ? dayjs(s) : null);

function initialValuesOf(customer: Customer, link: CustomerUnitLink | null): Partial<Values> {
  if (!link) return { relation: RELATION_OF_KIND[customer.kind] };
  return {
    relation: link.relation,
    share: link.share,
    contractNo: link.contractNo,
    fromDate: fromDay(link.fromDate),
    toDate: fromDay(link.toDate),
    contractDate: fromDay(link.contractDate),
    contractedHandoverDate: fromDay(link.contractedHandoverDate),
    actualHandoverDate: fromDay(link.actualHandoverDate),
    warrantyStartDate: fromDay(link.warrantyStartDate),
  };
}

function DateItem({ name, label }: { name: DateField; label: string }) {
  return (
    <Form.Item name={name} label={label}>
      <DatePicker style={{ width: '100%' }} />
    </Form.Item>
  );
}

/**
 * 关联房屋 (unit picker, relation, purchase facts) or 修改房屋关系 (the facts of a link;
 * the end date of an ended one). `focusField` points at the fact an archive gap names.
 */
export function UnitLinkModal({
  customer,
  link,
  open,
  focusField,
  onClose,
}: {
  customer: Customer;
  link: CustomerUnitLink | null;
  open: boolean;
  focusField?: string | null;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const add = useAddUnitLink();
  const update = useUpdateUnitLink();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();

  useEffect(() => {
    if (!open || !focusField) return;
    const timer = setTimeout(() => form.focusField(focusField), 300);
    return () => clearTimeout(timer);
  }, [open, focusField, form]);

  const onFinish = (v: Values) => {
    const onFail = (e: unknown) => onError(e, form);
    const facts = {
      relation: v.relation,
      share: v.share ?? null,
      contractNo: v.contractNo?.trim() ? v.contractNo.trim() : null,
      contractDate: toDay(v.contractDate),
      contractedHandoverDate: toDay(v.contractedHandoverDate),
      actualHandoverDate: toDay(v.actualHandoverDate),
      warrantyStartDate: toDay(v.warrantyStartDate),
    };
    if (!link) {
      const body: CustomerUnitCreate = { unitId: v.unitId!, ...facts, ...(v.fromDate ? { fromDate: toDay(v.fromDate)! } : {}) };
      add.mutate(
        { customerId: customer.id, body },
        {
          onSuccess: () => {
            void message.success(T.unitLinks.added);
            onClose();
          },
          onError: onFail,
        },
      );
      return;
    }
    const body: CustomerUnitUpdate = { ...facts, ...(v.fromDate ? { fromDate: toDay(v.fromDate)! } : {}) };
    if (link.toDate) body.toDate = toDay(v.toDate);
    update.mutate(
      { customerId: customer.id, linkId: link.id, version: link.version, body },
      {
        onSuccess: () => {
          void message.success(T.common.saved);
          onClose();
        },
        onError: onFail,
      },
    );
  };

  return (
    <FormModal<Values>
      open={open}
      title={link ? `${T.unitLinks.edit} · ${link.projectName} ${link.unitLabel}` : T.unitLinks.add}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={add.isPending || update.isPending}
      initialValues={initialValuesOf(customer, link)}
      width={680}
    >
      {link ? null : (
        <Form.Item name="unitId" label={T.unitLinks.unit} rules={[rules.select(T.unitLinks.unit)]}>
          <UnitPicker defaultProjectId={customer.projectId} />
        </Form.Item>
      )}
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="relation" label={T.unitLinks.relation} rules={[rules.select(T.unitLinks.relation)]}>
            <Select options={UNIT_RELATIONS.map((r) => ({ value: r, label: UNIT_RELATION_LABELS[r] }))} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="share" label={T.unitLinks.share}>
            <InputNumber min={0.01} max={100} precision={2} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="fromDate" label={T.unitLinks.fromDate}>
            <DatePicker style={{ width: '100%' }} placeholder={link ? undefined : T.unitLinks.fromDateHint} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="contractNo" label={T.unitLinks.contractNo} rules={[rules.max(60)]}>
            <Input />
          </Form.Item>
        </Col>
        <Col span={12}>
          <DateItem name="contractDate" label={T.unitLinks.contractDate} />
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={8}>
          <DateItem name="contractedHandoverDate" label={T.unitLinks.contractedHandoverDate} />
        </Col>
        <Col span={8}>
          <Form.Item name="actualHandoverDate" label={T.unitLinks.actualHandoverDate}>
            <DatePicker
              style={{ width: '100%' }}
              onChange={(d: Dayjs | null) => {
                // The warranty usually starts on the day of handover.
                if (d && !form.getFieldValue('warrantyStartDate')) form.setFieldValue('warrantyStartDate', d);
              }}
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <DateItem name="warrantyStartDate" label={T.unitLinks.warrantyStartDate} />
        </Col>
      </Row>
      {link?.toDate ? (
        <Row gutter={16}>
          <Col span={8}>
            <DateItem name="toDate" label={T.unitLinks.endDate} />
          </Col>
        </Row>
      ) : null}
    </FormModal>
  );
}
