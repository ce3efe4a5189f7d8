import { App, Form, Input, InputNumber } from 'antd';
import type { Building, BuildingCreate } from '@qiaoliang/shared';
import { FormModal } from '../../../components/FormModal';
import { bareBuildingName } from '../../../lib/org-names';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import { useCreateBuilding, useUpdateBuilding } from '../api/buildings';

interface Values {
  name: string;
  floors?: number | null;
}

/** Create or edit a building of a project (楼栋名称, 总层数). */
export function BuildingFormModal({
  projectId,
  open,
  record,
  onClose,
  onCreated,
}: {
  projectId: string;
  open: boolean;
  record: Building | null;
  onClose: () => void;
  onCreated?: (b: Building) => void;
}) {
  const [form] = Form.useForm<Values>();
  const create = useCreateBuilding(projectId);
  const update = useUpdateBuilding(projectId);
  const onError = useApiErrorHandler();
  const { message } = App.useApp();

  const onFinish = (values: Values) => {
    const body: BuildingCreate = { name: bareBuildingName(values.name), floors: values.floors ?? null };
    const onFail = (e: unknown) => onError(e, form);
    if (record) {
      update.mutate({ id: record.id, version: record.version, body }, { onSuccess: () => { void message.success(T.common.saved); onClose(); }, onError: onFail });
    } else {
      create.mutate(body, { onSuccess: (b) => { void message.success(T.common.created); onClose(); onCreated?.(b); }, onError: onFail });
    }
  };

  return (
    <FormModal<Values>
      open={open}
      title={record ? T.buildings.edit : T.buildings.create}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={create.isPending || update.isPending}
      initialValues={record ? { name: record.name, floors: record.floors } : undefined}
    >
      <Form.Item name="name" label={T.buildings.name} extra={T.buildings.nameHint} rules={[rules.required(T.buildings.name), rules.max(40)]}>
        <Input placeholder={T.buildings.namePlaceholder} />
      </Form.Item>
      <Form.Item name="floors" label={T.buildings.floors}>
        <InputNumber min={1} max={200} precision={0} style={{ width: '100%' }} />
      </Form.Item>
    </FormModal>
  );
}
