import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { staleVersion } from '../http/versioning.js';
import { appendAudit, type AuditContext } from './audit.js';
import type { Clock } from './clock.js';
import type { Ids } from './ids.js';

/** A stored setting with its version (for If-Match). */
export interface Setting<T> {
  value: T;
  version: number;
}

/** Reads a setting, falling back to the default (version 0) when it was never saved. */
export async function getSetting<T>(db: Kysely<DB>, key: string, fallback: T): Promise<Setting<T>> {
  const row = await db.selectFrom('settings').select(['value', 'version']).where('key', '=', key).executeTakeFirst();
  if (!row) return { value: fallback, version: 0 };
  return { value: { ...fallback, ...(JSON.parse(row.value) as T) }, version: row.version };
}

/** Saves a setting when the caller saw the current version; audited. */
export async function putSetting<T>(
  trx: Kysely<DB>, deps: { clock: Clock; ids: Ids }, ctx: AuditContext, key: string, value: T, expectedVersion: number,
): Promise<Setting<T>> {
  const now = deps.clock.now().getTime();
  const before = await trx.selectFrom('settings').select(['value', 'version']).where('key', '=', key).executeTakeFirst();
  const current = before?.version ?? 0;
  if (current !== expectedVersion) throw staleVersion();
  const json = JSON.stringify(value);
  if (before) {
    const res = await trx.updateTable('settings').set({ value: json, version: current + 1, updated_at: now, updated_by: ctx.actorId })
      .where('key', '=', key).where('version', '=', current).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw staleVersion();
  } else {
    await trx.insertInto('settings').values({ key, value: json, version: 1, updated_at: now, updated_by: ctx.actorId }).execute();
  }
  await appendAudit(trx, deps, ctx, { action: 'settings.updated', entityType: 'settings', entityId: key, before: before ? JSON.parse(before.value) : null, after: value });
  return { value, version: current + 1 };
}
