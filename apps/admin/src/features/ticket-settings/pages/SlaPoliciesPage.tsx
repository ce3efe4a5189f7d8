import { Alert, App, Button, Card, Checkbox, Drawer, Flex, Form, InputNumber, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import {
  SEVERITY_LABELS,
  SLA_UNITS,
  TICKET_TYPE_LABELS,
  type SlaPolicy,
  type SlaUnit,
} from '@qiaoliang/shared';
import { useState } from 'react';
import { FormModal } from '../../../components/FormModal';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { SeverityTag, TicketTypeTag } from '../../../components/tickets/TicketTags';
import { formatDateTime } from '../../../lib/format';
import { useIsAdmin } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { usePublishPolicy, useSlaPolicies, useSlaPolicyVersions } from '../api/settings';

type Spec = SlaPolicy['spec'];
type TargetKey = 'firstResponse' | 'reply' | 'resolution';
const TARGETS: TargetKey[] = ['firstResponse', 'reply', 'resolution'];

/** 24 小时 / 3 个工作日 / 不考核. */
function targetText(t: Spec[TargetKey]): string {
  return t ? `${t.value} ${T.slaPolicies.unitShort[t.unit] ?? t.unit}` : T.slaPolicies.notSet;
}

interface TargetValues {
  on: boolean;
  value?: number;
  unit: SlaUnit;
}

interface Values {
  firstResponse: TargetValues;
  reply: TargetValues;
  resolution: TargetValues;
  warnAt: number;
  escalate: [number, number, number];
}

function toValues(spec: Spec): Values {
  const t = (x: Spec[TargetKey]): TargetValues => (x ? { on: true, value: x.value, unit: x.unit } : { on: false, unit: 'calendar_hours' });
  return {
    firstResponse: t(spec.firstResponse),
    reply: t(spec.reply),
    resolution: t(spec.resolution),
    warnAt: Math.round(spec.warnAt * 100),
    escalate: spec.escalateAfter.map((s) => Math.round(s * 100)) as [number, number, number],
  };
}

function toSpec(v: Values): Spec {
  const t = (x: TargetValues) => (x.on && x.value ? { value: x.value, unit: x.unit } : null);
  return {
    firstResponse: t(v.firstResponse),
    reply: t(v.reply),
    resolution: t(v.resolution),
    warnAt: v.warnAt / 100,
    escalateAfter: v.escalate.map((n) => n / 100) as [number, number, number],
  };
}

function TargetRow({ name, label }: { name: TargetKey; label: string }) {
  const on = Form.useWatch([name, 'on']) as boolean | undefined;
  return (
    <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
      <Form.Item name={[name, 'on']} valuePropName="checked" noStyle>
        <Checkbox style={{ width: 110 }}>{label}</Checkbox>
      </Form.Item>
      <Form.Item
        name={[name, 'value']}
        noStyle
        rules={on ? [{ required: true, message: T.validation.required(T.slaPolicies.value) }] : []}
      >
        <InputNumber min={0.5} max={10000} step={1} disabled={!on} aria-label={`${label}${T.slaPolicies.value}`} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name={[name, 'unit']} noStyle>
        <Select
          disabled={!on}
          aria-label={`${label}${T.slaPolicies.unit}`}
          options={SLA_UNITS.map((u) => ({ value: u, label: T.slaPolicies.units[u] }))}
          style={{ width: 120 }}
        />
      </Form.Item>
    </Flex>
  );
}

function PolicyModal({ policy, onClose }: { policy: SlaPolicy; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const publish = usePublishPolicy();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const onFinish = (v: Values) => {
    if (!v.firstResponse.on && !v.reply.on && !v.resolution.on) {
      void message.error(T.slaPolicies.atLeastOne);
      return;
    }
    if (!(v.escalate[0] <= v.escalate[1] && v.escalate[1] <= v.escalate[2])) {
      form.setFields([{ name: 'escalate', errors: [T.slaPolicies.increasing] }]);
      return;
    }
    publish.mutate(
      { policy, spec: toSpec(v) },
      {
        onSuccess: (p) => {
          void message.success(T.slaPolicies.published(p.versionNo));
          onClose();
        },
        onError: (e) => onError(e, form),
      },
    );
  };
  return (
    <FormModal<Values>
      open
      title={T.slaPolicies.editTitle(TICKET_TYPE_LABELS[policy.type], SEVERITY_LABELS[policy.severity])}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={publish.isPending}
      initialValues={toValues(policy.spec)}
      okText={T.slaPolicies.publish}
      width={560}
    >
      {policy.type === 'complaint' ? <Alert type="info" showIcon title={T.slaPolicies.k1Note} style={{ marginBottom: 16 }} /> : null}
      <TargetRow name="firstResponse" label={T.slaPolicies.firstResponse} />
      <TargetRow name="reply" label={T.slaPolicies.reply} />
      <TargetRow name="resolution" label={T.slaPolicies.resolution} />
      <Form.Item name="warnAt" label={T.slaPolicies.warnAtLabel} extra={T.slaPolicies.warnAtHint} rules={[{ required: true, message: T.validation.required(T.slaPolicies.warnAt) }]}>
        <InputNumber min={10} max={99} precision={0} suffix="%" style={{ width: 120 }} />
      </Form.Item>
      <Form.Item label={T.slaPolicies.escalateLabel} extra={T.slaPolicies.escalateHint} name="escalate" rules={[{ required: true, type: 'array' }]}>
        <EscalateInputs />
      </Form.Item>
    </FormModal>
  );
}

/** Three percentages, one per level of the ladder. */
function EscalateInputs({ value, onChange }: { value?: number[]; onChange?: (v: number[]) => void }) {
  const v = value ?? [0, 50, 100];
  return (
    <Flex gap={8} wrap>
      {T.slaPolicies.levels.map((label, i) => (
        <InputNumber
          key={label}
          min={0}
          max={10000}
          precision={0}
          suffix="%"
          prefix={label}
          aria-label={label}
          value={v[i]}
          onChange={(n) => onChange?.(v.map((x, j) => (j === i ? (n ?? 0) : x)))}
          style={{ width: 160 }}
        />
      ))}
    </Flex>
  );
}

function HistoryDrawer({ policy, onClose }: { policy: SlaPolicy | null; onClose: () => void }) {
  const versions = useSlaPolicyVersions(policy?.type ?? 'complaint', policy?.severity ?? 'routine', !!policy);
  const columns: TableColumnsType<SlaPolicy> = [
    { title: T.slaPolicies.version, dataIndex: 'versionNo', width: 70, render: (n: number, r) => (r.versionNo === policy?.versionNo ? <Tag color="blue">{`${n} · ${T.slaPolicies.current}`}</Tag> : n) },
    { title: T.slaPolicies.firstResponse, key: 'f', render: (_, r) => targetText(r.spec.firstResponse) },
    { title: T.slaPolicies.reply, key: 'r', render: (_, r) => targetText(r.spec.reply) },
    { title: T.slaPolicies.resolution, key: 's', render: (_, r) => targetText(r.spec.resolution) },
    { title: T.slaPolicies.warnAt, key: 'w', render: (_, r) => T.slaPolicies.percent(r.spec.warnAt) },
    { title: T.slaPolicies.escalateAfter, key: 'e', render: (_, r) => T.slaPolicies.ladder(r.spec.escalateAfter) },
    { title: T.slaPolicies.publishedAt, dataIndex: 'createdAt', render: formatDateTime, width: 150 },
  ];
  return (
    <Drawer
      open={!!policy}
      onClose={onClose}
      size={860}
      title={policy ? T.slaPolicies.historyTitle(TICKET_TYPE_LABELS[policy.type], SEVERITY_LABELS[policy.severity]) : ''}
    >
      {versions.error ? <QueryError error={versions.error} onRetry={() => void versions.refetch()} /> : null}
      <Table<SlaPolicy> rowKey="id" size="small" columns={columns} dataSource={versions.data} loading={versions.isLoading} pagination={false} />
    </Drawer>
  );
}

/** 时限政策: the targets per type × severity; an edit publishes a new version, tickets keep theirs. */
export function SlaPoliciesPage() {
  const isAdmin = useIsAdmin();
  const { data, error, refetch, isLoading } = useSlaPolicies();
  const [editing, setEditing] = useState<SlaPolicy | null>(null);
  const [history, setHistory] = useState<SlaPolicy | null>(null);
  // 紧急 exists only for repairs.
  const rows = (data ?? []).filter((p) => p.severity !== 'urgent' || p.type === 'repair');

  const columns: TableColumnsType<SlaPolicy> = [
    { title: T.slaPolicies.type, dataIndex: 'type', width: 90, render: (t: SlaPolicy['type']) => <TicketTypeTag type={t} /> },
    { title: T.slaPolicies.severity, dataIndex: 'severity', width: 90, render: (s: SlaPolicy['severity']) => <SeverityTag severity={s} /> },
    ...TARGETS.map((k) => ({
      title: T.slaPolicies[k],
      key: k,
      render: (_: unknown, r: SlaPolicy) => <Typography.Text type={r.spec[k] ? undefined : 'secondary'}>{targetText(r.spec[k])}</Typography.Text>,
    })),
    { title: T.slaPolicies.warnAt, key: 'warn', width: 80, render: (_, r) => T.slaPolicies.percent(r.spec.warnAt) },
    { title: T.slaPolicies.escalateAfter, key: 'esc', width: 140, render: (_, r) => T.slaPolicies.ladder(r.spec.escalateAfter) },
    { title: T.slaPolicies.version, dataIndex: 'versionNo', width: 70 },
    { title: T.slaPolicies.publishedAt, dataIndex: 'createdAt', width: 150, render: formatDateTime },
    {
      title: T.common.actions,
      key: 'actions',
      width: 150,
      render: (_, r) => (
        <Flex gap={4}>
          {isAdmin ? (
            <Button
              size="small"
              type="link"
              aria-label={`${T.slaPolicies.edit} ${TICKET_TYPE_LABELS[r.type]}${SEVERITY_LABELS[r.severity]}`}
              onClick={() => setEditing(r)}
            >
              {T.slaPolicies.edit}
            </Button>
          ) : null}
          <Button size="small" type="link" onClick={() => setHistory(r)}>
            {T.slaPolicies.history}
          </Button>
        </Flex>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={T.slaPolicies.title}>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {T.slaPolicies.intro}
        </Typography.Paragraph>
      </PageHeader>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Typography.Text>{T.slaPolicies.k1Note}</Typography.Text>
      </Card>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<SlaPolicy> rowKey="id" size="middle" columns={columns} dataSource={rows} loading={isLoading} pagination={false} scroll={{ x: 1100 }} />
      {editing ? <PolicyModal policy={editing} onClose={() => setEditing(null)} /> : null}
      <HistoryDrawer policy={history} onClose={() => setHistory(null)} />
    </>
  );
}
