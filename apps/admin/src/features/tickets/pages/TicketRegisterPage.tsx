import { PhoneOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Cascader, Col, Flex, Form, Input, Radio, Row, Select, Tag, Typography } from 'antd';
import {
  CHANNELS,
  CHANNEL_LABELS,
  SEVERITIES,
  SEVERITY_LABELS,
  TICKET_TYPES,
  TICKET_TYPE_LABELS,
  UNIT_RELATION_LABELS,
  type Channel,
  type CustomerSummary,
  type Severity,
  type TicketCreate,
  type TicketType,
} from '@qiaoliang/shared';
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { PendingAttachments, uploadAll } from '../../../components/attachments/Attachments';
import { PageHeader } from '../../../components/PageHeader';
import { formatPhone } from '../../../lib/format';
import { useProjectOptions } from '../../../lib/lookups';
import { categoryTree, useTicketCategories } from '../../../lib/ticket-lookups';
import { T } from '../../../lib/texts';
import { UI } from '../../../lib/texts-ui';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useDebouncedValue } from '../../../lib/use-debounced';
import { rules } from '../../../lib/validation';
import { useCommonAreas, useCustomer, useCustomerSearch, useRegisterTicket, useUnit, useUnitOptions } from '../api/tickets';

type LocationKind = 'unit' | 'common_area' | 'none';

interface Values {
  customerId?: string;
  type?: TicketType;
  category?: string[];
  severity: Severity;
  channel: Channel;
  projectId?: string;
  locationKind: LocationKind;
  unitId?: string;
  commonAreaId?: string;
  title?: string;
  description: string;
  /** Photos and files, sent once the ticket exists. */
  files?: File[];
}

/** A random key for Idempotency-Key (crypto.randomUUID needs a secure context; this does not). */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `ui-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function customerLabel(c: Pick<CustomerSummary, 'name' | 'phone' | 'units'>): string {
  const units = c.units.map((u) => `${u.projectName}${u.unitLabel}`).join('、');
  return [c.name, formatPhone(c.phone), units].filter((x) => x && x !== '—').join(' · ');
}

/** The customer: searched by phone tail, name or address; a pre-filled one is shown by name. */
function CustomerSelect({ value, onChange, preset }: { value?: string; onChange?: (v?: string) => void; preset?: { id: string; label: string } }) {
  const [text, setText] = useState('');
  const q = useDebouncedValue(text, 250);
  const search = useCustomerSearch(q);
  const options = useMemo(() => {
    const found = (search.data?.items ?? []).map((c) => ({ value: c.id, label: customerLabel(c) }));
    if (preset && !found.some((o) => o.value === preset.id)) found.unshift({ value: preset.id, label: preset.label });
    return found;
  }, [search.data, preset]);
  return (
    <Select
      value={value}
      onChange={(v?: string) => onChange?.(v)}
      allowClear
      showSearch={{ filterOption: false, onSearch: setText, searchValue: text }}
      placeholder={T.register.customerPlaceholder}
      notFoundContent={q.trim().length >= 2 && !search.isFetching ? T.register.customerNone : null}
      loading={search.isFetching}
      options={options}
      aria-label={T.register.customer}
    />
  );
}

/** A unit of the project, searched by room number (3栋2单元1501 is narrowed by its label). */
function UnitSelect({ projectId, value, onChange, preset }: { projectId?: string; value?: string; onChange?: (v?: string) => void; preset?: { id: string; label: string } }) {
  const [text, setText] = useState('');
  const q = useDebouncedValue(text, 250);
  const room = q.match(/([0-9A-Za-z]+)\s*$/)?.[1] ?? q;
  const units = useUnitOptions(projectId, room);
  const options = useMemo(() => {
    const typed = q.replace(/\s/g, '');
    const found = (units.data?.items ?? []).filter((u) => !typed || u.label.includes(typed) || u.roomNumber.includes(typed)).map((u) => ({ value: u.id, label: u.label }));
    if (preset && !found.some((o) => o.value === preset.id)) found.unshift({ value: preset.id, label: preset.label });
    return found;
  }, [units.data, q, preset]);
  return (
    <Select
      value={value}
      onChange={(v?: string) => onChange?.(v)}
      allowClear
      disabled={!projectId}
      showSearch={{ filterOption: false, onSearch: setText, searchValue: text }}
      placeholder={T.register.unitPlaceholder}
      loading={units.isFetching}
      options={options}
      aria-label={T.register.unit}
    />
  );
}

/**
 * 登记工单: who (found by phone tail, name or address), what (type, category, severity), where
 * (the customer's unit, another unit or a common area) and the customer's words. Pre-filled
 * from the hotline console; the registering user becomes the first-contact owner (S2).
 */
export function TicketRegisterPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [sendingFiles, setSendingFiles] = useState(false);
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const [form] = Form.useForm<Values>();
  const [idempotencyKey] = useState(randomKey);
  const register = useRegisterTicket();
  const projects = useProjectOptions();

  const callId = params.get('callId') ?? undefined;
  const caller = params.get('caller') ?? undefined;
  const presetCustomerId = params.get('customerId') ?? undefined;
  const presetUnitId = params.get('unitId') ?? undefined;
  // No default type: a careless default inflated the complaint count and K1/K2 (issue #18 defect 2).
  const presetType = (TICKET_TYPES as readonly string[]).includes(params.get('type') ?? '') ? (params.get('type') as TicketType) : undefined;
  const presetChannel = (CHANNELS as readonly string[]).includes(params.get('channel') ?? '') ? (params.get('channel') as Channel) : 'hotline';

  const customerId = Form.useWatch('customerId', form);
  const type = Form.useWatch('type', form) ?? presetType;
  const projectId = Form.useWatch('projectId', form);
  const locationKind = Form.useWatch('locationKind', form) ?? 'unit';
  const unitId = Form.useWatch('unitId', form);

  const customer = useCustomer(customerId);
  const presetCustomer = useCustomer(presetCustomerId);
  const presetUnit = useUnit(presetUnitId);
  const categories = useTicketCategories(type);
  const commonAreas = useCommonAreas(locationKind === 'common_area' ? projectId : undefined);
  const tree = useMemo(() => categoryTree(categories.data ?? [], true), [categories.data]);
  const currentUnits = (customer.data?.units ?? []).filter((u) => u.current);

  // Only one project in scope: it is the project.
  const onlyProject = projects.data?.items.length === 1 ? projects.data.items[0]!.id : undefined;
  useEffect(() => {
    if (onlyProject && !form.getFieldValue('projectId')) form.setFieldValue('projectId', onlyProject);
  }, [onlyProject, form]);

  // A pre-filled unit decides the project.
  useEffect(() => {
    if (presetUnit.data && form.getFieldValue('unitId') === presetUnit.data.id) form.setFieldValue('projectId', presetUnit.data.projectId);
  }, [presetUnit.data, form]);

  // A chosen customer with one home: that home is where the matter is, unless the agent chose otherwise.
  useEffect(() => {
    if (!customer.data || form.getFieldValue('unitId') || form.getFieldValue('commonAreaId')) return;
    const homes = customer.data.units.filter((u) => u.current);
    if (homes.length === 1) form.setFieldsValue({ locationKind: 'unit', unitId: homes[0]!.unitId, projectId: homes[0]!.projectId });
    else if (!form.getFieldValue('projectId') && customer.data.projectId) form.setFieldValue('projectId', customer.data.projectId);
  }, [customer.data, form]);

  const chooseHome = (link: { unitId: string; projectId: string }) => form.setFieldsValue({ locationKind: 'unit', unitId: link.unitId, projectId: link.projectId, commonAreaId: undefined });

  const onFinish = (v: Values) => {
    const body: TicketCreate = {
      type: v.type!,
      categoryId: v.category?.length ? v.category[v.category.length - 1]! : null,
      severity: v.severity,
      channel: v.channel,
      projectId: v.projectId!,
      customerId: v.customerId ?? null,
      unitId: v.locationKind === 'unit' ? (v.unitId ?? null) : null,
      commonAreaId: v.locationKind === 'common_area' ? (v.commonAreaId ?? null) : null,
      description: v.description.trim(),
      callId: callId ?? null,
    };
    if (v.title?.trim()) body.title = v.title.trim();
    register.mutate(
      { body, idempotencyKey },
      {
        onSuccess: async (t) => {
          if (v.files?.length) {
            setSendingFiles(true);
            await uploadAll(`/api/tickets/${t.id}/attachments`, v.files, (m) => void message.error(m));
          }
          void message.success(T.register.created(t.number));
          navigate(`/tickets/${t.id}`, { replace: true });
        },
        onError: (e) => onError(e, form),
      },
    );
  };

  // Enter in a text area makes a new line; Ctrl/⌘ + Enter registers.
  const submitOnCtrlEnter = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.submit();
    }
  };

  const presetCustomerOption = presetCustomer.data
    ? {
        id: presetCustomer.data.id,
        label: customerLabel({
          name: presetCustomer.data.name,
          phone: presetCustomer.data.phones.find((p) => p.isPrimary)?.phone ?? presetCustomer.data.phones[0]?.phone ?? null,
          units: presetCustomer.data.units.filter((u) => u.current).map((u) => ({ unitId: u.unitId, projectName: u.projectName, unitLabel: u.unitLabel, relation: u.relation })),
        }),
      }
    : undefined;
  const presetUnitOption = presetUnit.data ? { id: presetUnit.data.id, label: presetUnit.data.label } : undefined;
  const customerUnitOption = currentUnits.find((u) => u.unitId === unitId);

  return (
    <>
      <PageHeader title={T.register.title} />
      {callId ? (
        <Alert
          type="info"
          showIcon
          icon={<PhoneOutlined />}
          title={T.register.fromCall(caller ?? '')}
          description={T.register.fromCallHint}
          style={{ marginBottom: 16, maxWidth: 960 }}
        />
      ) : null}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        disabled={register.isPending}
        scrollToFirstError
        initialValues={{
          type: presetType,
          severity: 'routine',
          channel: presetChannel,
          customerId: presetCustomerId,
          unitId: presetUnitId,
          locationKind: 'unit',
        }}
        style={{ maxWidth: 960 }}
      >
        <Card size="small" style={{ marginBottom: 16 }}>
          <Form.Item name="customerId" label={T.register.customer} extra={T.register.customerHint}>
            <CustomerSelect preset={presetCustomerOption} />
          </Form.Item>
          {currentUnits.length ? (
            <Flex gap={8} wrap align="center" style={{ marginTop: -8, marginBottom: 16 }}>
              <Typography.Text type="secondary">{T.register.customerUnits}</Typography.Text>
              {currentUnits.map((u) => (
                <Tag.CheckableTag key={u.id} checked={locationKind === 'unit' && unitId === u.unitId} onChange={() => chooseHome(u)}>
                  {`${u.projectName} ${u.unitLabel}（${UNIT_RELATION_LABELS[u.relation]}）`}
                </Tag.CheckableTag>
              ))}
            </Flex>
          ) : null}
          <Row gutter={16}>
            <Col xs={24} md={14}>
              <Form.Item name="type" label={T.register.type} rules={[{ required: true, message: T.console.typeRequired }]} extra={type ? undefined : T.console.typeHint}>
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  options={TICKET_TYPES.map((t) => ({ value: t, label: TICKET_TYPE_LABELS[t] }))}
                  onChange={(e) => {
                    form.setFieldValue('category', undefined);
                    if (e.target.value !== 'repair' && form.getFieldValue('severity') === 'urgent') form.setFieldValue('severity', 'routine');
                  }}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item name="severity" label={T.register.severity} rules={[rules.select(T.register.severity)]} extra={type === 'repair' ? T.register.urgentHint : undefined}>
                <Radio.Group
                  optionType="button"
                  options={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s], disabled: s === 'urgent' && type !== 'repair' }))}
                />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={14}>
              <Form.Item name="category" label={T.register.category}>
                <Cascader
                  options={tree}
                  changeOnSelect
                  displayRender={(labels: string[]) => labels.join(' › ')}
                  showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input)) }}
                  placeholder={T.register.categoryPlaceholder}
                  loading={categories.isLoading}
                  aria-label={T.register.category}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item name="channel" label={T.register.channel} rules={[rules.select(T.register.channel)]}>
                <Select options={CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] }))} aria-label={T.register.channel} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="description"
            label={T.register.description}
            rules={[rules.required(T.register.description), { min: 2, message: T.validation.required(T.register.description) }, rules.max(5000)]}
            extra={T.register.submitHint}
          >
            <Input.TextArea
              rows={4}
              placeholder={T.register.descriptionPlaceholder}
              onKeyDown={submitOnCtrlEnter}
              count={{ show: true, max: 5000 }}
              // From the hotline the customer is known: the agent types what they say.
              autoFocus={!!presetCustomerId}
            />
          </Form.Item>
          <Form.Item name="title" label={T.register.titleLabel} rules={[rules.max(100)]}>
            <Input placeholder={T.register.titlePlaceholder} />
          </Form.Item>
          <Form.Item name="files" label={UI.attachments.title} style={{ marginBottom: 0 }}>
            <PendingAttachments />
          </Form.Item>
        </Card>

        <Card size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="projectId" label={T.register.project} rules={[rules.select(T.register.project)]}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={projects.isLoading}
                  options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
                  onChange={() => form.setFieldsValue({ unitId: undefined, commonAreaId: undefined })}
                  aria-label={T.register.project}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item name="locationKind" label={T.register.locationKind}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'unit', label: T.register.locationUnit },
                    { value: 'common_area', label: T.register.locationCommonArea },
                    { value: 'none', label: T.register.locationNone },
                  ]}
                />
              </Form.Item>
            </Col>
          </Row>
          {locationKind === 'unit' ? (
            <Form.Item name="unitId" label={T.register.unit}>
              <UnitSelect
                projectId={projectId}
                preset={customerUnitOption ? { id: customerUnitOption.unitId, label: customerUnitOption.unitLabel } : presetUnitOption}
              />
            </Form.Item>
          ) : null}
          {locationKind === 'common_area' ? (
            <Form.Item name="commonAreaId" label={T.register.commonArea} rules={[rules.select(T.register.commonArea)]}>
              <Select
                disabled={!projectId}
                placeholder={T.register.commonAreaPlaceholder}
                loading={commonAreas.isLoading}
                notFoundContent={T.register.commonAreaEmpty}
                showSearch={{ optionFilterProp: 'label' }}
                options={commonAreas.data?.map((c) => ({ value: c.id, label: c.name }))}
                aria-label={T.register.commonArea}
              />
            </Form.Item>
          ) : null}
        </Card>

        <Flex gap={12} align="center">
          <Button type="primary" htmlType="submit" size="large" loading={register.isPending || sendingFiles}>
            {T.register.submit}
          </Button>
          <Button size="large" onClick={() => navigate(-1)} disabled={register.isPending}>
            {T.common.cancel}
          </Button>
          <Typography.Text type="secondary">{T.register.ownerHint}</Typography.Text>
        </Flex>
      </Form>
    </>
  );
}
