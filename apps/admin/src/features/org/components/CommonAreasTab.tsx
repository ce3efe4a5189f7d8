import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Input, Select, Table, type TableColumnsType } from 'antd';
import type { CommonArea, CommonAreaCreate } from '@qiaoliang/shared';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { QueryError } from '../../../components/QueryError';
import { emptyToNull, formatDateTime, orDash } from '../../../lib/format';
import { nameMap } from '../../../lib/lookups';
import { buildingLabel } from '../../../lib/org-names';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useEditor } from '../../../lib/use-editor';
import { rules } from '../../../lib/validation';
import { useBuildings } from '../api/buildings';
import { useCommonAreas, useCreateCommonArea, useUpdateCommonArea } from '../api/common-areas';

interface Values {
  name: string;
  buildingId?: string | null;
  description?: string | null;
}

function CommonAreaFormModal({ projectId, open, record, onClose }: { projectId: string; open: boolean; record: CommonArea | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const buildings = useBuildings(projectId);
  const create = useCreateCommonArea(projectId);
  const update = useUpdateCommonArea(projectId);
  const onError = useApiErrorHandler();
  const { message } = App.useApp();

  const onFinish = (values: Values) => {
    const onFail = (e: unknown) => onError(e, form);
    const onSuccess = () => {
      void message.success(record ? T.common.saved : T.common.created);
      onClose();
    };
    const common = emptyToNull({ name: values.name.trim(), description: values.description }, ['description']);
    if (record) update.mutate({ id: record.id, version: record.version, body: common }, { onSuccess, onError: onFail });
    else create.mutate({ ...common, buildingId: values.buildingId ?? null } satisfies CommonAreaCreate, { onSuccess, onError: onFail });
  };

  return (
    <FormModal<Values>
      open={open}
      title={record ? T.commonAreas.edit : T.commonAreas.create}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={create.isPending || update.isPending}
      initialValues={record ? { name: record.name, buildingId: record.buildingId, description: record.description } : undefined}
    >
      <Form.Item name="name" label={T.commonAreas.name} rules={[rules.required(T.commonAreas.name), rules.max(100)]}>
        <Input placeholder={T.commonAreas.namePlaceholder} />
      </Form.Item>
      <Form.Item name="buildingId" label={T.commonAreas.building}>
        <Select
          allowClear
          disabled={!!record}
          placeholder={T.commonAreas.wholeProject}
          options={buildings.data?.map((b) => ({ value: b.id, label: buildingLabel(b.name) }))}
        />
      </Form.Item>
      <Form.Item name="description" label={T.commonAreas.description} rules={[rules.max(2000)]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
      </Form.Item>
    </FormModal>
  );
}

/** 公共部位 of a project (lifts, garages, gardens) that repairs and complaints may concern. */
export function CommonAreasTab({ projectId, canEdit }: { projectId: string; canEdit: boolean }) {
  const { data, isLoading, error, refetch } = useCommonAreas(projectId);
  const buildings = useBuildings(projectId);
  const buildingNames = nameMap(buildings.data?.map((b) => ({ id: b.id, name: buildingLabel(b.name) })));
  const editor = useEditor<CommonArea>();

  const columns: TableColumnsType<CommonArea> = [
    { title: T.commonAreas.name, dataIndex: 'name' },
    {
      title: T.commonAreas.building,
      dataIndex: 'buildingId',
      render: (id: string | null) => (id ? (buildingNames.get(id) ?? '…') : T.commonAreas.wholeProject),
    },
    { title: T.commonAreas.description, dataIndex: 'description', render: orDash, ellipsis: true },
    { title: T.common.createdAt, dataIndex: 'createdAt', render: formatDateTime, width: 160 },
  ];
  if (canEdit) {
    columns.push({
      title: T.common.actions,
      key: 'actions',
      width: 80,
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => editor.edit(r)} aria-label={`${T.common.edit} ${r.name}`}>
          {T.common.edit}
        </Button>
      ),
    });
  }

  return (
    <>
      {canEdit ? (
        <Flex justify="end" style={{ marginBottom: 16 }}>
          <Button icon={<PlusOutlined />} onClick={editor.create}>{T.commonAreas.create}</Button>
        </Flex>
      ) : null}
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<CommonArea>
        rowKey="id"
        columns={columns}
        dataSource={data}
        loading={isLoading}
        pagination={false}
        locale={{ emptyText: <EmptyState description={T.commonAreas.empty} /> }}
      />
      <CommonAreaFormModal projectId={projectId} open={editor.open} record={editor.record} onClose={editor.close} />
    </>
  );
}
