import { Form, Modal, type FormInstance } from 'antd';
import type { ReactNode } from 'react';
import { T } from '../lib/texts';

export interface FormModalProps<V extends object> {
  open: boolean;
  title: ReactNode;
  form: FormInstance<V>;
  /** Called with the validated values; the modal stays open until the caller closes it. */
  onFinish: (values: V) => void;
  onCancel: () => void;
  submitting: boolean;
  initialValues?: Partial<V>;
  okText?: string;
  width?: number;
  children: ReactNode;
}

/**
 * A modal whose OK button submits the wrapped form, so that Enter in any field submits too.
 * The form is rebuilt on every opening (initial values of the record being edited).
 */
export function FormModal<V extends object>(props: FormModalProps<V>) {
  const { open, title, form, onFinish, onCancel, submitting, initialValues, okText, width, children } = props;
  return (
    <Modal
      open={open}
      title={title}
      width={width ?? 520}
      onCancel={onCancel}
      okText={okText ?? T.common.save}
      cancelText={T.common.cancel}
      okButtonProps={{ htmlType: 'submit', loading: submitting, disabled: submitting }}
      destroyOnHidden
      modalRender={(dom) => (
        <Form<V>
          form={form}
          layout="vertical"
          initialValues={initialValues}
          onFinish={onFinish}
          clearOnDestroy
          disabled={submitting}
          scrollToFirstError
        >
          {dom}
        </Form>
      )}
    >
      {children}
    </Modal>
  );
}
