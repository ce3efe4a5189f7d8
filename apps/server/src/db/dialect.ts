import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** True when the database (or transaction) runs on PostgreSQL. */
/**
 * A database handle of no particular schema: Kysely's documented type for code that must run on
 * any schema (migrations, backup, the dialect checks). The one explicit `any` of the server.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type AnySchemaDb = Kysely<any>;

export function isPostgres(db: AnySchemaDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Booleans are stored as integers on both dialects. */
export const toFlag = (b: boolean): number => (b ? 1 : 0);
export const fromFlag = (n: number | null | undefined): boolean => n === 1;

/** Postgres reports unique violations as 23505, SQLite as SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Foreign key violations on both dialects. */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** `%q%` with the LIKE wildcards of q escaped (by backslash, declared with ESCAPE on both dialects). */
export const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
/** Substring match usable on both dialects: `column` contains `q` literally. */
export const contains = (column: string, q: string) => sql<boolean>`${sql.ref(column)} like ${likePattern(q)} escape '\\'`;
/** Case-insensitive substring match usable on both dialects. */
export const ilike = (column: string, q: string) => sql<boolean>`lower(${sql.ref(column)}) like lower(${likePattern(q)}) escape '\\'`;

/**
 * Reads the record that won a race, after a unique violation said it exists. On SQLite the
 * winner may still be in its group commit (ADR 0005), invisible to the reader connection:
 * reading inside a transaction sees it, and returns only once it is durable.
 */
export function readWinner<D, T>(db: Kysely<D>, read: (trx: Kysely<D>) => Promise<T>): Promise<T> {
  return db.transaction().execute(read);
}
