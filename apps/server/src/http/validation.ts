import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fastJson from 'fast-json-stringify';
import type { FastifyInstance } from 'fastify';
import { AppError } from './app-error.js';

const common: Options = { removeAdditional: false, useDefaults: true, allErrors: true, strict: false };

/**
 * Two validators: query strings, params and headers arrive as text and are coerced to the
 * schema's types; bodies are JSON and must already have the right types ("1" is not 1).
 *
 * Validators and response serializers are compiled on a route's first use, not at start: with
 * some 140 routes that compiling was the biggest part of a restart's CPU (Ajv and
 * fast-json-stringify), and a restart must be quick (reliability.md). Every route is called
 * by the API tests and the fuzzing, so a schema that does not compile still fails in CI.
 *
 * Before either runs, a request carrying U+0000 anywhere (a value or a key, in the body, the
 * query or the path) is refused: PostgreSQL text cannot hold it (the insert fails with a 500)
 * while SQLite would store it, and no field of ours has a use for it.
 */
export function registerValidation(app: FastifyInstance): void {
  const coercing = addFormats.default(new Ajv({ ...common, coerceTypes: 'array' }));
  const strict = addFormats.default(new Ajv({ ...common, coerceTypes: false }));
  app.setValidatorCompiler(({ schema, httpPart }) => compiledOnFirstUse(httpPart === 'body' ? strict : coercing, schema));
  app.setSerializerCompiler(({ schema }) => {
    let stringify: ((data: unknown) => string) | undefined;
    return (data: unknown) => (stringify ??= fastJson(schema as Parameters<typeof fastJson>[0]))(data);
  });
  app.addHook('preValidation', async (req) => {
    const field = fieldWithNul(req.params, 'params') ?? fieldWithNul(req.query, 'query') ?? fieldWithNul(req.body, 'body');
    if (field !== null) throw new AppError(400, 'request.invalid', '请检查标出的字段', [{ field, message: '不能包含空字符（\\u0000）' }]);
  });
}

/** Fastify reads `errors` off the function it was given after a failed validation. */
function compiledOnFirstUse(ajv: Ajv, schema: object): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => {
    compiled ??= ajv.compile(schema);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  }) as ValidateFunction;
  validate.errors = null;
  return validate;
}

/**
 * The dotted path (as validation errors name fields) of the first string or key holding
 * U+0000, or null. Iterative: a deeply nested body must not overflow the stack.
 */
export function fieldWithNul(value: unknown, root: string): string | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path || root;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: path ? `${path}.${i}` : String(i) }));
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        const at = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) return at.split('\u0000').join('\\u0000');
        stack.push({ value: item, path: at });
      }
    }
  }
  return null;
}
