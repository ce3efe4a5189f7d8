import type { Kysely, Updateable } from 'kysely';
import type { DB } from './schema.js';
import { staleVersion } from '../http/versioning.js';

/** Tables whose rows carry an `id` and a `version` (optimistic concurrency, `If-Match`). */
export type VersionedTable = { [T in keyof DB]: DB[T] extends { id: unknown; version: unknown } ? T : never }[keyof DB];

/** Which row a compare-and-set expects: its id, the version the client edited and, optionally, the status it must still have. */
export interface VersionedRow {
  id: string;
  version: number;
  status?: string;
}

/**
 * Compare-and-set: applies the patch only while the row still has the version the client
 * edited (and the status, when given), bumping the version and, when `now` is given,
 * `updated_at`. 412 when another writer got there first — the one place this rule lives.
 */
export async function updateVersioned<T extends VersionedTable>(
  trx: Kysely<DB>, table: T, row: VersionedRow, patch: Updateable<DB[T]>, now?: number,
): Promise<void> {
  let q = trx
    .updateTable(table as 'projects')
    .set({ ...patch, version: row.version + 1, ...(now === undefined ? {} : { updated_at: now }) } as never)
    .where('id', '=', row.id)
    .where('version', '=', row.version);
  if (row.status !== undefined) q = q.where('status' as never, '=', row.status as never);
  const res = await q.executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw staleVersion();
}
