import fc from 'fast-check';

/*
 * fast-check arbitraries from the JSON schemas of the OpenAPI document: `valid(schema)` makes
 * values the schema accepts (as far as the keywords below go), `hostile()` makes values a
 * client should never send: wrong types, extremes, injection strings, odd Unicode.
 */

type Schema = Record<string, any>;

const HOSTILE_STRINGS = [
  '', ' ', "' OR 1=1 --", '"; drop table tickets; --', '../../../../etc/passwd', '%00', '\u0000', '<script>alert(1)</script>',
  '${7*7}', '{{7*7}}', '\u202e', '𠜎𠜱𠝹', '😀'.repeat(50), 'a'.repeat(5000), '-1', '1e309', 'NaN', 'null', 'true', '[]', '{}',
  '2026-02-30', '9999-99-99T99:99:99Z', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '__proto__', 'constructor',
];

/** Values of every JSON type, including the nasty ones. */
export function hostile(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(...HOSTILE_STRINGS, null, true, false, 0, -1, 2 ** 53, -(2 ** 63), 1.5, 1e308, [], {}, { __proto__: { admin: true } }),
    fc.string({ maxLength: 40 }),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 4 }),
  );
}

const uuidV7 = fc.uuid({ version: 7 });

function stringFor(s: Schema, pool: readonly string[]): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 60, min + 60);
  switch (s.format) {
    case 'uuid': return pool.length ? fc.oneof(fc.constantFrom(...pool), uuidV7) : uuidV7;
    case 'date': return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'date-time': return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'email': return fc.emailAddress();
    default: break;
  }
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= min && x.length <= (s.maxLength ?? Infinity));
    } catch {
      // a pattern JavaScript cannot read: fall through
    }
  }
  return fc.oneof(
    fc.string({ minLength: min, maxLength: max }),
    fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }),
    fc.constantFrom('物业维修', '楼道灯不亮', '测试'.padEnd(Math.max(min, 2), '字')).filter((x) => x.length >= min && x.length <= (s.maxLength ?? Infinity)),
  );
}

/** Values the schema accepts. `pool` holds ids of existing records, so that many calls reach the handlers. */
export function valid(s: Schema | undefined, pool: readonly string[] = [], depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 6) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum);
  if (s.anyOf || s.oneOf) return fc.oneof(...(s.anyOf ?? s.oneOf).map((x: Schema) => valid(x, pool, depth + 1)));
  if (s.allOf) {
    return fc.tuple(...s.allOf.map((x: Schema) => valid(x, pool, depth + 1))).map((parts) => Object.assign({}, ...parts.filter((p) => p && typeof p === 'object')));
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string': return stringFor(s, pool);
    case 'integer': return fc.integer({ min: s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000), max: s.maximum ?? 100_000 });
    case 'number': return fc.double({ min: s.minimum ?? s.exclusiveMinimum ?? -1000, max: s.maximum ?? 100_000, noNaN: true, noDefaultInfinity: true }).filter((n) => s.exclusiveMinimum === undefined || n > s.exclusiveMinimum);
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array': {
      const min = s.minItems ?? 0;
      const max = Math.min(s.maxItems ?? 5, min + 5);
      const items = valid(s.items, pool, depth + 1);
      return s.uniqueItems ? fc.uniqueArray(items, { minLength: min, maxLength: max, selector: (v) => JSON.stringify(v) }) : fc.array(items, { minLength: min, maxLength: max });
    }
    case 'object':
    default: {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const required = new Set<string>(s.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) record[k] = valid(v, pool, depth + 1);
      if (Object.keys(record).length === 0 && s.additionalProperties && typeof s.additionalProperties === 'object') {
        return fc.dictionary(fc.constantFrom('owner', 'co_owner', 'tenant'), valid(s.additionalProperties, pool, depth + 1), { maxKeys: 2 });
      }
      return fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
    }
  }
}

/** A valid value with one thing broken: a field of the wrong kind, a required one gone, an extra one. */
export function invalid(s: Schema | undefined, pool: readonly string[] = []): fc.Arbitrary<unknown> {
  if (!s) return hostile();
  const base = valid(s, pool);
  const props = Object.keys(s.properties ?? {});
  const broken: fc.Arbitrary<unknown>[] = [hostile(), fc.tuple(base, fc.string({ minLength: 1, maxLength: 10 }), hostile()).map(([v, k, x]) => (v && typeof v === 'object' && !Array.isArray(v) ? { ...v, [`x_${k}`]: x } : x))];
  if (props.length) {
    broken.push(fc.tuple(base, fc.constantFrom(...props), hostile()).map(([v, k, x]) => ({ ...(v as object), [k]: x })));
    broken.push(fc.tuple(base, fc.constantFrom(...props)).map(([v, k]) => {
      const copy = { ...(v as Record<string, unknown>) };
      delete copy[k];
      return copy;
    }));
  }
  return fc.oneof(...broken);
}
