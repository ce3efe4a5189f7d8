import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Input, InputNumber, Popconfirm, Table, Tabs, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { TICKET_TYPES, TICKET_TYPE_LABELS, type TicketCategory, type TicketType } from '@qiaoliang/shared';
import { useMemo, useState, type Key } from 'react';
import { ActiveTag } from '../../../components/ActiveTag';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { categoryTree, useTicketCategories, type CategoryNode } from '../../../lib/ticket-lookups';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useUrlParams } from '../../../lib/use-url-params';
import { rules } from '../../../lib/validation';
import { useCreateCategory, useUpdateCategory } from '../api/settings';

interface Row extends TicketCategory {
  children?: Row[];
}

interface Values {
  name: string;
  parentId?: string;
  sort?: number;
}

const toRows = (nodes: CategoryNode[]): Row[] => nodes.map((n) => ({ ...n.category, ...(n.children ? { children: toRows(n.children) } : {}) }));
interface TreeOption {
  value: string;
  title: string;
  children?: TreeOption[];
}
const toTreeSelect = (nodes: CategoryNode[]): TreeOption[] =>
  nodes.map((n) => ({ value: n.value, title: n.label, ...(n.children ? { children: toTreeSelect(n.children) } : {}) }));

function CategoryModal({
  type,
  editing,
  parentId,
  tree,
  open,
  onClose,
}: {
  type: TicketType;
  editing: TicketCategory | null;
  parentId: string | null;
  tree: CategoryNode[];
  open: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const create = useCreateCategory();
  const update = useUpdateCategory();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const onFinish = (v: Values) => {
    const done = {
      onSuccess: () => {
        void message.success(editing ? T.common.saved : T.common.created);
        onClose();
      },
      onError: (e: unknown) => onError(e, form),
    };
    if (editing) update.mutate({ id: editing.id, version: editing.version, body: { name: v.name.trim(), sort: v.sort ?? 0 } }, done);
    else create.mutate({ type, name: v.name.trim(), parentId: v.parentId ?? null, sort: v.sort ?? 0 }, done);
  };
  return (
    <FormModal<Values>
      open={open}
      title={editing ? T.categories.edit : `${T.categories.create} · ${TICKET_TYPE_LABELS[type]}`}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={create.isPending || update.isPending}
      initialValues={editing ? { name: editing.name, sort: editing.sort } : { parentId: parentId ?? undefined, sort: 0 }}
    >
      {editing ? null : (
        <Form.Item name="parentId" label={T.categories.parent}>
          <TreeSelect allowClear treeDefaultExpandAll placeholder={T.categories.root} treeData={toTreeSelect(tree)} aria-label={T.categories.parent} />
        </Form.Item>
      )}
      <Form.Item name="name" label={T.categories.name} rules={[rules.required(T.categories.name), rules.max(40)]}>
        <Input autoFocus />
      </Form.Item>
      <Form.Item name="sort" label={T.categories.sort} extra={T.categories.sortHint}>
        <InputNumber precision={0} style={{ width: 160 }} />
      </Form.Item>
    </FormModal>
  );
}

function TypeCategories({ type }: { type: TicketType }) {
  const { data, error, refetch, isLoading } = useTicketCategories(type);
  const update = useUpdateCategory();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const tree = useMemo(() => categoryTree(data ?? []), [data]);
  const rows = useMemo(() => toRows(tree), [tree]);
  const [modal, setModal] = useState<{ open: boolean; editing: TicketCategory | null; parentId: string | null }>({ open: false, editing: null, parentId: null });
  const [expanded, setExpanded] = useState<readonly Key[] | null>(null);
  const allKeys = useMemo(() => (data ?? []).map((c) => c.id), [data]);

  const toggle = (c: TicketCategory) =>
    update.mutate(
      { id: c.id, version: c.version, body: { active: !c.active } },
      { onSuccess: () => void message.success(T.common.saved), onError: (e) => onError(e) },
    );

  const columns: TableColumnsType<Row> = [
    { title: T.categories.name, dataIndex: 'name', render: (name: string, r) => <Typography.Text delete={!r.active}>{name}</Typography.Text> },
    { title: T.categories.sort, dataIndex: 'sort', width: 80 },
    { title: T.common.status, dataIndex: 'active', width: 90, render: (a: boolean) => <ActiveTag active={a} /> },
    {
      title: T.common.actions,
      key: 'actions',
      width: 240,
      render: (_, r) => (
        <Flex gap={4}>
          <Button size="small" type="link" onClick={() => setModal({ open: true, editing: null, parentId: r.id })}>
            {T.categories.createChild}
          </Button>
          <Button size="small" type="link" aria-label={`${T.common.edit} ${r.name}`} onClick={() => setModal({ open: true, editing: r, parentId: null })}>
            {T.common.edit}
          </Button>
          <Popconfirm
            title={r.active ? T.categories.deactivateConfirm(r.name) : T.categories.activateConfirm(r.name)}
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
      <Flex justify="flex-end" style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ open: true, editing: null, parentId: null })}>
          {T.categories.create}
        </Button>
      </Flex>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<Row>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={isLoading}
        pagination={false}
        expandable={{ expandedRowKeys: expanded ?? allKeys, onExpandedRowsChange: (keys) => setExpanded(keys) }}
        locale={{ emptyText: <EmptyState description={T.categories.empty} /> }}
      />
      <CategoryModal type={type} tree={tree} {...modal} onClose={() => setModal((m) => ({ ...m, open: false }))} />
    </>
  );
}

const KEYS = ['type'] as const;

/** 工单分类: the category tree of each ticket type (group admins edit). */
export function CategoriesPage() {
  const [params, setParams] = useUrlParams(KEYS);
  const type = (TICKET_TYPES as readonly string[]).includes(params.type ?? '') ? (params.type as TicketType) : 'complaint';
  return (
    <>
      <PageHeader title={T.categories.title}>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {T.categories.intro}
        </Typography.Paragraph>
      </PageHeader>
      <Tabs
        activeKey={type}
        onChange={(k) => setParams({ type: k })}
        destroyOnHidden
        items={TICKET_TYPES.map((t) => ({ key: t, label: TICKET_TYPE_LABELS[t], children: <TypeCategories type={t} /> }))}
      />
    </>
  );
}
