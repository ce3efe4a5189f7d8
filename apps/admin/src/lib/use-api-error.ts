import { App } from 'antd';
import type { FormInstance } from 'antd';
import { useCallback } from 'react';
import { isApiError } from './api';
import { T } from './texts';

type NamePath = (string | number)[];

function toNamePath(field: string): NamePath {
  return field
    .replace(/^\//, '')
    .split(/[./]/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Puts the server's field errors next to the matching form fields.
 * Returns the errors that match no field of the form.
 */
export function applyFieldErrors(form: FormInstance, errors: { field: string; message: string }[]): string[] {
  const registered = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const unmatched: string[] = [];
  const fields: { name: NamePath; errors: string[] }[] = [];
  for (const e of errors) {
    let path = toNamePath(e.field);
    // `roles.0` belongs to the `roles` field when the form edits the array as a whole.
    while (path.length > 1 && !registered.has(path.join('.'))) path = path.slice(0, -1);
    if (registered.has(path.join('.'))) fields.push({ name: path, errors: [e.message] });
    else unmatched.push(`${e.field}：${e.message}`);
  }
  if (fields.length) form.setFields(fields);
  return unmatched;
}

/**
 * Returns a handler that shows an error in Chinese: field errors beside the fields of the
 * given form, everything else as a message. 401 is left to the session handling.
 */
export function useApiErrorHandler() {
  const { message } = App.useApp();
  return useCallback(
    (err: unknown, form?: FormInstance) => {
      if (!isApiError(err)) {
        void message.error(T.errors.unknown);
        return;
      }
      if (err.status === 401) {
        void message.warning(err.text);
        return;
      }
      if (form && err.fieldErrors.length) {
        const unmatched = applyFieldErrors(form, err.fieldErrors);
        void message.error(unmatched.length ? `${err.text}（${unmatched.join('；')}）` : err.text);
        return;
      }
      void message.error(err.text);
    },
    [message],
  );
}
