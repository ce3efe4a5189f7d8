import { App, Form, Input, Select } from 'antd';
import type { Project, ProjectCreate } from '@qiaoliang/shared';
import { FormModal } from '../../../components/FormModal';
import { emptyToNull } from '../../../lib/format';
import { useCityCompanies } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import { useCreateProject, useUpdateProject } from '../api/projects';

type Values = Omit<ProjectCreate, 'address'> & { address?: string | null };

/** Create a project in a city company, or edit its name, code and address. */
export function ProjectFormModal({
  open,
  record,
  onClose,
  onCreated,
}: {
  open: boolean;
  record: Project | null;
  onClose: () => void;
  onCreated?: (p: Project) => void;
}) {
  const [form] = Form.useForm<Values>();
  const cityCompanies = useCityCompanies();
  const create = useCreateProject();
  const update = useUpdateProject();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();

  const onFinish = (values: Values) => {
    const fields = emptyToNull({ name: values.name.trim(), code: values.code.trim(), address: values.address }, ['address']);
    const onFail = (e: unknown) => onError(e, form);
    if (record) {
      update.mutate(
        { id: record.id, version: record.version, body: fields },
        { onSuccess: () => { void message.success(T.common.saved); onClose(); }, onError: onFail },
      );
    } else {
      create.mutate(
        { ...fields, cityCompanyId: values.cityCompanyId },
        { onSuccess: (p) => { void message.success(T.common.created); onClose(); onCreated?.(p); }, onError: onFail },
      );
    }
  };

  return (
    <FormModal<Values>
      open={open}
      title={record ? T.projects.edit : T.projects.create}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={create.isPending || update.isPending}
      initialValues={record ? { cityCompanyId: record.cityCompanyId, name: record.name, code: record.code, address: record.address } : undefined}
    >
      <Form.Item name="cityCompanyId" label={T.projects.cityCompany} rules={[rules.select(T.projects.cityCompany)]}>
        <Select
          disabled={!!record}
          loading={cityCompanies.isLoading}
          options={cityCompanies.data?.map((c) => ({ value: c.id, label: c.name }))}
          showSearch={{ optionFilterProp: 'label' }}
        />
      </Form.Item>
      <Form.Item name="name" label={T.projects.name} rules={[rules.required(T.projects.name), rules.max(100)]}>
        <Input />
      </Form.Item>
      <Form.Item name="code" label={T.projects.code} rules={[rules.required(T.projects.code), rules.code, rules.max(40)]}>
        <Input />
      </Form.Item>
      <Form.Item name="address" label={T.projects.address} rules={[rules.max(2000)]}>
        <Input />
      </Form.Item>
    </FormModal>
  );
}
