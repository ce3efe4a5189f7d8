import Type from 'typebox';

/** Entity ids are UUIDv7 strings (ADR 0001). */
export const Id = Type.String({ format: 'uuid', description: 'UUIDv7' });

/**
 * The years a date, instant, year or month of the API may lie in (security finding 8): business
 * dates far outside them are typing mistakes or probes, and the date arithmetic is only checked
 * for them. One range for every route, enforced by the schemas below.
 */
export const DATE_RANGE = { minYear: 2000, maxYear: 2100, min: '2000-01-01', max: '2100-12-31' } as const;
/** YYYY-MM-DD with a year from 2000 to 2100 (format `date` checks the day of the month). */
export const DATE_PATTERN = '^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';
/** The start of an ISO-8601 instant with a year from 2000 to 2100 (format `date-time` checks the rest). */
export const INSTANT_PATTERN = '^(20[0-9]{2}|2100)-';

/** Instants travel as ISO-8601 strings in UTC (ADR 0002), years 2000–2100. */
export const Instant = Type.String({ format: 'date-time', pattern: INSTANT_PATTERN });

/** A calendar date, YYYY-MM-DD, from 2000-01-01 to 2100-12-31. */
export const DateOnly = Type.String({ format: 'date', pattern: DATE_PATTERN });

/** A calendar year, 2000–2100. */
export const Year = Type.Integer({ minimum: DATE_RANGE.minYear, maximum: DATE_RANGE.maxYear });

/** A month of the year, 1–12. */
export const Month = Type.Integer({ minimum: 1, maximum: 12 });

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export type IdParams = Type.Static<typeof IdParams>;

/** Page-number pagination for the admin lists of bounded size. */
export const PageQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
});
export type PageQuery = Type.Static<typeof PageQuery>;

/** A page of items with the total count. */
export function Page<T extends Type.TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });
}

/** Keyset pagination for the lists that grow without bound (audit, tickets). */
export const CursorQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type CursorQuery = Type.Static<typeof CursorQuery>;

export function CursorPage<T extends Type.TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });
}

/** Trimmed, non-empty Chinese-friendly name. */
export const Name = Type.String({ minLength: 1, maxLength: 100 });
export const Code = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
export const OptionalText = Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]);

/**
 * The request header of an update: the version the client read (`"3"`, from the record's
 * `version` or ETag). Missing: 428; stale: 412.
 */
export const IfMatchHeader = Type.Object({
  'if-match': Type.String({ minLength: 1, maxLength: 40, description: '所修改记录的版本号，如 "3"（取自记录的 version 或 ETag）；缺少时 428，已被他人修改时 412' }),
});

/** The RFC 9457 problem+json body of every error response (`code` is stable, `title`/`detail` are Chinese). */
export const ProblemSchema = Type.Object({
  type: Type.String({ description: 'https://qiaoliang.dev/problems/<code>' }),
  title: Type.String(),
  status: Type.Integer({ minimum: 400, maximum: 599 }),
  code: Type.String({ description: '稳定的错误代码，如 ticket.invalid_transition' }),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  requestId: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }, { additionalProperties: false }))),
}, { additionalProperties: false});
export type ProblemSchema = Type.Static<typeof ProblemSchema>;
