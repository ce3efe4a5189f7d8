import Type from 'typebox';

/** Entity ids are UUIDv7 strings (ADR 0001). */
export const Id = Type.String({ format: 'uuid', description: 'UUIDv7' });

/** Instants travel as ISO-8601 strings in UTC (ADR 0002). */
export const Instant = Type.String({ format: 'date-time' });

/** A calendar date, YYYY-MM-DD. */
export const DateOnly = Type.String({ format: 'date' });

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
