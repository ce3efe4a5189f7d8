import type { FormRule as Rule } from 'antd';
import { personNameProblem, phoneProblem } from '@qiaoliang/shared';
import { T } from './texts';

/** Form rules mirroring the server's contracts, with Chinese messages. */
export const rules = {
  required: (label: string): Rule => ({ required: true, whitespace: true, message: T.validation.required(label) }),
  select: (label: string): Rule => ({ required: true, message: T.validation.select(label) }),
  max: (n: number): Rule => ({ max: n, message: `长度不能超过 ${n} 个字符` }),
  code: { pattern: /^[A-Za-z0-9_-]+$/, message: T.validation.code } satisfies Rule,
  username: { pattern: /^[A-Za-z0-9_.-]{2,32}$/, message: T.validation.username } satisfies Rule,
  password: {
    validator: (_: unknown, value: unknown) =>
      !value || (typeof value === 'string' && value.length >= 10 && /[A-Za-z]/.test(value) && /\d/.test(value))
        ? Promise.resolve()
        : Promise.reject(new Error(T.validation.password)),
  } satisfies Rule,
  email: { type: 'email', message: T.validation.email } satisfies Rule,
  digits: { pattern: /^[0-9]+$/, message: T.validation.digits } satisfies Rule,
  /** The shared phone rule (server and portal alike): a letter is refused, never dropped. */
  phone: {
    validator: (_: unknown, value: unknown) => {
      const problem = typeof value === 'string' && value.trim() ? phoneProblem(value) : null;
      return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
    },
  } satisfies Rule,
  /** The shared name rule: at least one 汉字 or letter, no emoji. */
  personName: {
    validator: (_: unknown, value: unknown) => {
      const problem = typeof value === 'string' && value.trim() ? personNameProblem(value) : null;
      return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
    },
  } satisfies Rule,
};

/** A rule that the field equals another field (password confirmation). */
export function sameAs(field: string): Rule {
  return ({ getFieldValue }) => ({
    validator: (_: unknown, value: unknown) =>
      !value || getFieldValue(field) === value ? Promise.resolve() : Promise.reject(new Error(T.validation.passwordMismatch)),
  });
}
