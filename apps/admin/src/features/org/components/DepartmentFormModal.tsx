import { App, Form, Input, Radio, Select } from 'antd';
import {
  DEPARTMENT_KIND_LABELS,
  DEPARTMENT_KINDS,
  ORG_LEVEL_LABELS,
  ORG_LEVELS,
  type Department,
  type DepartmentCreate,
  type DepartmentKind,
  type OrgLevel,
} from '@qiaoliang/shared';
import { FormModal } from '../../../components/FormModal';
import { useCityCompanies, useProjectOptions } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import { useCreateDepartment, useUpdateDepartment } from '../api/departments';

interface Values {
  name: string;
  kind: DepartmentKind;
  level: OrgLevel;
  cityCompanyId?: string;
  projectId?: string;
}

/**
 * Create a department at a level (集团 / 城市公司 / 项目) and its organization, or edit its
 * name and kind (the level and organization are fixed once created).
 */
export function DepartmentFormModal({
  open,
  record,
  onClose,
  projectId,
}: {
  open: boolean;
  record: Department | null;
  onClose: () => void;
  /** Preset to a project-level department of this project. */
  projectId?: string;
}) {
  const [form] = Form.useForm<Values>();
  const level = Form.useWatch('level', form);
  const cityCompanies = useCityCompanies();
  const projects = useProjectOptions();
  const create = useCreateDepartment();
  const update = useUpdateDepartment();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const editing = !!record;

  const onFinish = (values: Values) => {
    const onFail = (e: unknown) => onError(e, form);
    const onSuccess = () => {
      void message.success(editing ? T.common.saved : T.common.created);
      onClose();
    };
    if (record) {
      update.mutate({ id: record.id, version: record.version, body: { name: values.name.trim(), kind: values.kind } }, { onSuccess, onError: onFail });
      return;
    }
    const body: DepartmentCreate = { name: values.name.trim(), kind: values.kind, level: values.level };
    if (values.level === 'city_company') body.cityCompanyId = values.cityCompanyId ?? null;
    if (values.level === 'project') body.projectId = values.projectId ?? null;
    create.mutate(body, { onSuccess, onError: onFail });
  };

  const initialValues: Partial<Values> = record
    ? {
        name: record.name,
        kind: record.kind,
        level: record.level,
        cityCompanyId: record.cityCompanyId ?? undefined,
        projectId: record.projectId ?? undefined,
      }
    : projectId
      ? { level: 'project', projectId }
      : { level: 'project' };

  return (
    <FormModal<Values>
      open={open}
      title={editing ? T.departments.edit : T.departments.create}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={create.isPending || update.isPending}
      initialValues={initialValues}
    >
      <Form.Item name="name" label={T.departments.name} rules={[rules.required(T.departments.name), rules.max(100)]}>
        <Input />
      </Form.Item>
      <Form.Item name="kind" label={T.departments.kind} rules={[rules.select(T.departments.kind)]}>
        <Select options={DEPARTMENT_KINDS.map((k) => ({ value: k, label: DEPARTMENT_KIND_LABELS[k] }))} />
      </Form.Item>
      <Form.Item
        name="level"
        label={T.departments.level}
        rules={[rules.select(T.departments.level)]}
        extra={editing ? T.departments.levelFixed : undefined}
      >
        <Radio.Group
          disabled={editing || !!projectId}
          optionType="button"
          options={ORG_LEVELS.map((l) => ({ value: l, label: ORG_LEVEL_LABELS[l] }))}
        />
      </Form.Item>
      {level === 'city_company' ? (
        <Form.Item name="cityCompanyId" label={T.departments.cityCompany} rules={[rules.select(T.departments.cityCompany)]}>
          <Select
            disabled={editing}
            showSearch={{ optionFilterProp: 'label' }}
            options={cityCompanies.data?.map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
      ) : null}
      {level === 'project' ? (
        <Form.Item name="projectId" label={T.departments.project} rules={[rules.select(T.departments.project)]}>
          <Select
            disabled={editing || !!projectId}
            showSearch={{ optionFilterProp: 'label' }}
            options={projects.data?.items.map((p) => ({ value: p.id, label: `${p.name}（${p.cityCompanyName}）` }))}
          />
        </Form.Item>
      ) : null}
    </FormModal>
  );
}
