import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Flex, Form, Input, Popconfirm, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import {
  REPLY_TEMPLATE_LIMITS, REPLY_TEMPLATE_VARIABLES, REPLY_TEMPLATE_VARIABLE_HINTS, TICKET_TYPES, TICKET_TYPE_LABELS, type ReplyTemplate, type TicketType,
} from '@qiaoliang/shared';
import { useRef, useState } from 'react';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { ActiveTag } from '../../../components/ActiveTag';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { SearchFilter } from '../../../components/SearchFilter';
import { formatDateTime } from '../../../lib/format';
import { useProjectOptions } from '../../../lib/lookups';
import { useMe } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useUrlParams } from '../../../lib/use-url-params';
import { rules } from '../../../lib/validation';
import { useReplyTemplates } from '../../../lib/reply-templates';
import { useCreateReplyTemplate, useUpdateReplyTemplate } from '../api/reply-templates';

const GROUP = '__group__';

interface Values {
  title: string;
  body: string;
  ticketType?: TicketType;
  reach: string;
}

const typeOptions = [{ value: '', label: T.replyTemplates.anyType }, ...TICKET_TYPES.map((t) => ({ value: t, label: TICKET_TYPE_LABELS[t] }))];

/** Inserts `{变量}` at the caret of the body field. */
function VariableChips({ onInsert }: { onInsert: (name: string) => void }) {
  return (
    <Flex gap={4} wrap align="center" style={{ marginBottom: 8 }}>
      <Typography.Text type="secondary">{T.replyTemplates.bodyHint}</Typography.Text>
      {REPLY_TEMPLATE_VARIABLES.map((v) => (
        <Button key={v} size="small" onClick={() => onInsert(v)} title={REPLY_TEMPLATE_VARIABLE_HINTS[v]}>
          {`{${v}}`}
        </Button>
      ))}
    </Flex>
  );
}

function TemplateModal({ editing, open, onClose }: { editing: ReplyTemplate | null; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const create = useCreateReplyTemplate();
  const update = useUpdateReplyTemplate();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const me = useMe().data;
  const projects = useProjectOptions();
  const groupScope = me?.scopeKind === 'group';
  const bodyRef = useRef<TextAreaRef>(null);

  const insertVariable = (name: string) => {
    const el = bodyRef.current?.resizableTextArea?.textArea;
    const text: string = form.getFieldValue('body') ?? '';
    const at = el ? el.selectionStart : text.length;
    const end = el ? el.selectionEnd : text.length;
    const token = `{${name}}`;
    form.setFieldValue('body', `${text.slice(0, at)}${token}${text.slice(end)}`);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + token.length, at + token.length);
    });
  };

  const onFinish = (v: Values) => {
    const body = { title: v.title.trim(), body: v.body.trim(), ticketType: v.ticketType || null, projectId: v.reach === GROUP ? null : v.reach };
    const done = {
      onSuccess: () => {
        void message.success(editing ? T.common.saved : T.common.created);
        onClose();
      },
      onError: (e: unknown) => onError(e, form),
    };
    if (editing) update.mutate({ id: editing.id, version: editing.version, body }, done);
    else create.mutate(body, done);
  };

  const reachOptions = [
    ...(groupScope || editing?.projectId === null ? [{ value: GROUP, label: T.replyTemplates.groupWide, disabled: !groupScope }] : []),
    ...(projects.data?.items ?? []).map((p) => ({ value: p.id, label: p.name })),
  ];

  return (
    <FormModal<Values>
      open={open}
      title={editing ? T.replyTemplates.edit : T.replyTemplates.create}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={create.isPending || update.isPending}
      width={640}
      initialValues={
        editing
          ? { title: editing.title, body: editing.body, ticketType: editing.ticketType ?? undefined, reach: editing.projectId ?? GROUP }
          : { reach: groupScope ? GROUP : undefined }
      }
    >
      <Form.Item name="title" label={T.replyTemplates.name} rules={[rules.required(T.replyTemplates.name), rules.max(REPLY_TEMPLATE_LIMITS.title)]}>
        <Input autoFocus maxLength={REPLY_TEMPLATE_LIMITS.title} showCount />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item name="reach" label={T.replyTemplates.reach} rules={[rules.select(T.replyTemplates.reach)]} extra={groupScope ? undefined : T.replyTemplates.groupOnlyHint} style={{ flex: 1, minWidth: 220 }}>
          <Select options={reachOptions} showSearch={{ optionFilterProp: 'label' }} aria-label={T.replyTemplates.reach} />
        </Form.Item>
        <Form.Item name="ticketType" label={T.replyTemplates.ticketType} style={{ width: 180 }}>
          <Select options={typeOptions} aria-label={T.replyTemplates.ticketType} placeholder={T.replyTemplates.anyType} />
        </Form.Item>
      </Flex>
      <VariableChips onInsert={insertVariable} />
      <Form.Item name="body" label={T.replyTemplates.body} rules={[rules.required(T.replyTemplates.body), rules.max(REPLY_TEMPLATE_LIMITS.body)]}>
        <Input.TextArea ref={bodyRef} rows={6} maxLength={REPLY_TEMPLATE_LIMITS.body} showCount />
      </Form.Item>
    </FormModal>
  );
}

const KEYS = ['q', 'projectId', 'ticketType', 'inactive', 'page', 'pageSize'] as const;

/** 回复模板: the team's wording for answers and replies (supervisors, managers, admins). */
export function ReplyTemplatesPage() {
  const [params, setParams] = useUrlParams(KEYS);
  const page = Number(params.page ?? 1);
  const pageSize = Number(params.pageSize ?? 20);
  const query = {
    page, pageSize, q: params.q || undefined, projectId: params.projectId || undefined,
    ticketType: (params.ticketType || undefined) as TicketType | undefined, includeInactive: params.inactive === '1' || undefined,
  };
  const { data, error, refetch, isFetching } = useReplyTemplates(query);
  const projects = useProjectOptions();
  const update = useUpdateReplyTemplate();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const [modal, setModal] = useState<{ open: boolean; editing: ReplyTemplate | null }>({ open: false, editing: null });
  const filtered = Boolean(query.q || query.projectId || query.ticketType);

  const toggle = (r: ReplyTemplate) =>
    update.mutate({ id: r.id, version: r.version, body: { active: !r.active } }, { onSuccess: () => void message.success(T.common.saved), onError: (e) => onError(e) });

  const columns: TableColumnsType<ReplyTemplate> = [
    { title: T.replyTemplates.name, dataIndex: 'title', width: 180, render: (v: string, r) => <Typography.Text delete={!r.active}>{v}</Typography.Text> },
    { title: T.replyTemplates.body, dataIndex: 'body', ellipsis: true, render: (v: string) => <span title={v}>{v}</span> },
    { title: T.replyTemplates.ticketType, dataIndex: 'ticketType', width: 110, render: (v: TicketType | null) => (v ? TICKET_TYPE_LABELS[v] : T.replyTemplates.anyType) },
    { title: T.replyTemplates.reach, dataIndex: 'projectName', width: 150, render: (v: string | null) => (v ?? <Tag color="blue">{T.replyTemplates.groupWide}</Tag>) },
    { title: T.common.status, dataIndex: 'active', width: 90, render: (a: boolean) => <ActiveTag active={a} /> },
    { title: T.replyTemplates.updated, dataIndex: 'updatedAt', width: 170, render: (v: string, r) => `${formatDateTime(v)}${r.updatedByName ? ` · ${r.updatedByName}` : ''}` },
    {
      title: T.common.actions,
      key: 'actions',
      width: 140,
      render: (_, r) => (
        <Flex gap={4}>
          <Button size="small" type="link" aria-label={`${T.common.edit} ${r.title}`} onClick={() => setModal({ open: true, editing: r })}>
            {T.common.edit}
          </Button>
          <Popconfirm
            title={r.active ? T.replyTemplates.archiveConfirm(r.title) : T.replyTemplates.restoreConfirm(r.title)}
            okText={T.common.confirm}
            cancelText={T.common.cancel}
            onConfirm={() => toggle(r)}
          >
            <Button size="small" type="link" danger={r.active}>
              {r.active ? T.common.deactivate : T.common.activate}
            </Button>
          </Popconfirm>
        </Flex>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={T.replyTemplates.title}>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {T.replyTemplates.intro}
        </Typography.Paragraph>
      </PageHeader>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <SearchFilter label={T.replyTemplates.searchPlaceholder} value={params.q} onSearch={(q) => setParams({ q })} />
        <Select
          allowClear
          placeholder={T.replyTemplates.project}
          aria-label={T.replyTemplates.project}
          style={{ width: 180 }}
          value={params.projectId}
          onChange={(v?: string) => setParams({ projectId: v })}
          options={(projects.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          showSearch={{ optionFilterProp: 'label' }}
        />
        <Select
          allowClear
          placeholder={T.replyTemplates.ticketType}
          aria-label={T.replyTemplates.ticketType}
          style={{ width: 140 }}
          value={params.ticketType}
          onChange={(v?: string) => setParams({ ticketType: v })}
          options={typeOptions.filter((o) => o.value)}
        />
        <Checkbox checked={params.inactive === '1'} onChange={(e) => setParams({ inactive: e.target.checked ? '1' : undefined })}>
          {T.replyTemplates.showInactive}
        </Checkbox>
        <Button type="primary" icon={<PlusOutlined />} style={{ marginLeft: 'auto' }} onClick={() => setModal({ open: true, editing: null })}>
          {T.replyTemplates.create}
        </Button>
      </Flex>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<ReplyTemplate>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        scroll={{ x: 960 }}
        pagination={{
          current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (n) => T.common.total(n),
          onChange: (p, s) => setParams({ page: p, pageSize: s }),
        }}
        locale={{ emptyText: <EmptyState description={filtered ? T.replyTemplates.emptyFiltered : T.replyTemplates.empty} /> }}
      />
      {modal.open ? <TemplateModal {...modal} onClose={() => setModal({ open: false, editing: null })} /> : null}
    </>
  );
}
