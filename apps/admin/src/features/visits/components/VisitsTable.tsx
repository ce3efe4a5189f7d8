import { App, Button, Form, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { VISIT_KIND_LABELS, type Visit, type VisitKind } from '@qiaoliang/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { SatisfactionTag } from '../../../components/kpis/SatisfactionTag';
import { formatDateTime, orDash } from '../../../lib/format';
import { hasRole, useMe } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useAddVisitKinds } from '../api/visits';

const ALL_KINDS: VisitKind[] = ['callback', 'phone_visit', 'home_visit', 'event_contact'];

/** Adds kinds to a recorded contact (it stays one visit for K3). */
function AddKindsModal({ visit, onClose }: { visit: Visit | null; onClose: () => void }) {
  const [form] = Form.useForm<{ kinds: VisitKind[] }>();
  const add = useAddVisitKinds();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const options = ALL_KINDS.filter((k) => k !== 'callback' && !visit?.kinds.includes(k));
  return (
    <FormModal<{ kinds: VisitKind[] }>
      open={!!visit}
      title={T.visits.addKindsTitle}
      form={form}
      submitting={add.isPending}
      onCancel={onClose}
      onFinish={(v) =>
        visit &&
        add.mutate(
          { visit, kinds: v.kinds },
          {
            onSuccess: () => {
              void message.success(T.visits.kindsSaved);
              onClose();
            },
            onError: (e) => onError(e, form),
          },
        )
      }
    >
      <Typography.Paragraph type="secondary">{T.visits.addKindsHint}</Typography.Paragraph>
      <Form.Item name="kinds" label={T.visits.kinds} rules={[{ required: true, type: 'array', min: 1, message: T.visitRecord.kindsRequired }]}>
        <Select mode="multiple" options={options.map((k) => ({ value: k, label: VISIT_KIND_LABELS[k] }))} />
      </Form.Item>
    </FormModal>
  );
}

/** Recorded visits, newest first; the center's staff may add kinds to a contact. */
export function VisitsTable({ visits, loading, showCustomer = true, showProject = false, pageSize = 20 }: {
  visits: Visit[] | undefined;
  loading: boolean;
  showCustomer?: boolean;
  showProject?: boolean;
  pageSize?: number;
}) {
  const { data: me } = useMe();
  const mayWrite = hasRole(me, 'agent', 'supervisor', 'manager');
  const [editing, setEditing] = useState<Visit | null>(null);
  const columns: TableColumnsType<Visit> = [
    { title: T.visits.at, dataIndex: 'at', width: 150, render: formatDateTime },
    ...(showCustomer ? [{ title: T.visits.customer, dataIndex: 'customerName', width: 110, render: (n: string, r: Visit) => <Link to={`/customers/${r.customerId}`}>{n}</Link> }] : []),
    ...(showProject ? [{ title: T.visits.project, dataIndex: 'projectName', width: 100 }] : []),
    { title: T.visits.kinds, dataIndex: 'kinds', width: 200, render: (kinds: VisitKind[]) => kinds.map((k) => <Tag key={k} color={k === 'callback' ? 'blue' : undefined}>{VISIT_KIND_LABELS[k] ?? k}</Tag>) },
    { title: T.visits.satisfaction, dataIndex: 'satisfaction', width: 110, render: (v: number | null) => <SatisfactionTag value={v} /> },
    { title: T.visits.notes, dataIndex: 'notes', ellipsis: true, render: orDash },
    { title: T.visits.actor, dataIndex: 'actorName', width: 90 },
    ...(mayWrite
      ? [{
          title: T.common.actions,
          key: 'actions',
          width: 100,
          render: (_: unknown, r: Visit) =>
            ALL_KINDS.some((k) => k !== 'callback' && !r.kinds.includes(k)) ? (
              <Button type="link" size="small" onClick={() => setEditing(r)}>{T.visits.addKinds}</Button>
            ) : null,
        }]
      : []),
  ];
  return (
    <>
      <Table<Visit>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={visits}
        loading={loading}
        pagination={{ pageSize, showTotal: T.common.total, hideOnSinglePage: true }}
        scroll={{ x: 800 }}
        locale={{ emptyText: <EmptyState description={T.visits.visitsEmpty} /> }}
      />
      <AddKindsModal visit={editing} onClose={() => setEditing(null)} />
    </>
  );
}
