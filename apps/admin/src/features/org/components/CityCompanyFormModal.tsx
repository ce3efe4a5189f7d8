import { App, Form, Input } from 'antd';
import type { CityCompany, CityCompanyCreate } from '@qiaoliang/shared';
import { FormModal } from '../../../components/FormModal';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import { useCreateCityCompany, useUpdateCityCompany } from '../api/city-companies';

/** Create or edit a city company (名称, 编码). */
export function CityCompanyFormModal({ open, record, onClose }: { open: boolean; record: CityCompany | null; onClose: () => void }) {
  const [form] = Form.useForm<CityCompanyCreate>();
  const create = useCreateCityCompany();
  const update = useUpdateCityCompany();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();

  const onFinish = (values: CityCompanyCreate) => {
    const body = { name: values.name.trim(), code: values.code.trim() };
    const done = { onSuccess: () => { void message.success(record ? T.common.saved : T.common.created); onClose(); }, onError: (e: unknown) => onError(e, form) };
    if (record) update.mutate({ id: record.id, version: record.version, body }, done);
    else create.mutate(body, done);
  };

  return (
    <FormModal<CityCompanyCreate>
      open={open}
      title={record ? T.cityCompanies.edit : T.cityCompanies.create}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={create.isPending || update.isPending}
      initialValues={record ? { name: record.name, code: record.code } : undefined}
    >
      <Form.Item name="name" label={T.cityCompanies.name} rules={[rules.required(T.cityCompanies.name), rules.max(100)]}>
        <Input autoFocus />
      </Form.Item>
      <Form.Item name="code" label={T.cityCompanies.code} rules={[rules.required(T.cityCompanies.code), rules.code, rules.max(40)]}>
        <Input />
      </Form.Item>
    </FormModal>
  );
}
