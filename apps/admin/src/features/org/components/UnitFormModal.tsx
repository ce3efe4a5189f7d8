import { App, Form, Input, InputNumber } from 'antd';
import type { Unit, UnitCreate } from '@qiaoliang/shared';
import { FormModal } from '../../../components/FormModal';
import { emptyToNull } from '../../../lib/format';
import { bareEntrance } from '../../../lib/org-names';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import { useCreateUnit, useUpdateUnit } from '../api/units';

interface Values {
  entrance: string;
  floor: number;
  roomNumber: string;
  area?: number | null;
  layout?: string | null;
}

/** Create a unit in a building, or edit one (单元, 楼层, 房号, 建筑面积, 户型). */
export function UnitFormModal({
  projectId,
  buildingId,
  buildingName,
  open,
  record,
  onClose,
}: {
  projectId: string;
  buildingId: string;
  buildingName: string;
  open: boolean;
  record: Unit | null;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const create = useCreateUnit(projectId);
  const update = useUpdateUnit(projectId);
  const onError = useApiErrorHandler();
  const { message } = App.useApp();

  const onFinish = (values: Values) => {
    const body: UnitCreate = emptyToNull(
      { entrance: bareEntrance(values.entrance), floor: values.floor, roomNumber: values.roomNumber.trim(), area: values.area ?? null, layout: values.layout },
      ['layout'],
    );
    const onFail = (e: unknown) => onError(e, form);
    const onSuccess = () => {
      void message.success(record ? T.common.saved : T.common.created);
      onClose();
    };
    if (record) update.mutate({ id: record.id, version: record.version, body }, { onSuccess, onError: onFail });
    else create.mutate({ buildingId, body }, { onSuccess, onError: onFail });
  };

  return (
    <FormModal<Values>
      open={open}
      title={`${record ? T.units.edit : T.units.create} · ${buildingName}`}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={create.isPending || update.isPending}
      initialValues={
        record
          ? { entrance: record.entrance, floor: record.floor, roomNumber: record.roomNumber, area: record.area, layout: record.layout }
          : undefined
      }
    >
      <Form.Item name="entrance" label={T.units.entrance} rules={[rules.required(T.units.entrance), rules.max(20)]}>
        <Input placeholder={T.units.entrancePlaceholder} />
      </Form.Item>
      <Form.Item name="floor" label={T.units.floor} rules={[{ required: true, message: T.validation.required(T.units.floor) }]}>
        <InputNumber min={-10} max={200} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="roomNumber" label={T.units.roomNumber} rules={[rules.required(T.units.roomNumber), rules.max(20)]}>
        <Input placeholder={T.units.roomNumberPlaceholder} />
      </Form.Item>
      <Form.Item name="area" label={T.units.area}>
        <InputNumber min={0.01} max={100000} step={0.01} precision={2} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="layout" label={T.units.layout} rules={[rules.max(40)]}>
        <Input placeholder={T.units.layoutPlaceholder} />
      </Form.Item>
    </FormModal>
  );
}
