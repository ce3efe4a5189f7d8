import { badRequest } from './app-error.js';

/** Page-number paging bounds with defaults. */
export function pageOf(q: { page?: number; pageSize?: number }): { page: number; pageSize: number; offset: number } {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  return { page, pageSize, offset: (page - 1) * pageSize };
}

/** Keyset cursors are opaque base64url JSON of the last row's sort key. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor; a forged or damaged cursor is a 400. */
export function decodeCursor<T extends (string | number)[]>(cursor: string | undefined, arity: number): T | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === arity && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v as T;
  } catch {
    // fall through to the error below
  }
  throw badRequest('分页游标无效', [{ field: 'cursor', message: '无效的分页游标' }]);
}

/** Epoch milliseconds to the ISO instant the API speaks. */
export const iso = (ms: number): string => new Date(Number(ms)).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
