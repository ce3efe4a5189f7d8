import type { Kysely } from 'kysely';
import { OWNER_RELATIONS } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { DB } from '../../db/schema.js';
import { zonedDate, zonedDayStart } from '../../platform/time.js';
import { addDays } from '../calendar/calendar.rules.js';
import { latestArchiveStates } from './customers.repo.js';
import { scopeIn } from '../../platform/auth.js';

/** The scheduled job that completes yesterday's K3/K4 scope snapshot. */
export const SCOPE_SNAPSHOT_JOB = 'kpi.scope_snapshot';

/** One customer in scope at the end of a date: the project of the relation and the archive state then. */
export interface ScopeRow {
  customerId: string;
  projectId: string;
  complete: boolean;
  missing: string;
  touchedAt: number;
}

/**
 * The customers in K3/K4 scope at the end of a date, computed from the relations and archive
 * states: an owner, co-owner or prospective-owner relation held on the date, of a customer not
 * merged away. `asRecorded` counts only relations recorded by then (what the archive knew); a
 * correction of a past date counts every relation, as corrected.
 */
export async function liveScope(db: Kysely<DB>, deps: Pick<Deps, 'config'>, date: string, opts: { customerIds?: string[]; asRecorded: boolean }): Promise<ScopeRow[]> {
  const endOfDay = zonedDayStart(date, deps.config.timeZone, 1) - 1;
  let q = db.selectFrom('customer_units as cu').innerJoin('customers as c', 'c.id', 'cu.customer_id')
    .select(['cu.customer_id', 'cu.project_id']).distinct()
    .where('cu.relation', 'in', [...OWNER_RELATIONS]).where('cu.from_date', '<=', date)
    .where((eb) => eb.or([eb('cu.to_date', 'is', null), eb('cu.to_date', '>', date)]))
    .where('c.merged_into_id', 'is', null);
  if (opts.asRecorded) q = q.where('cu.created_at', '<=', endOfDay);
  if (opts.customerIds) q = q.where('cu.customer_id', 'in', scopeIn(opts.customerIds));
  const rows = await q.execute();
  const ids = [...new Set(rows.map((r) => r.customer_id))];
  const states = new Map<string, { complete: number; missing: string; touched_at: number }>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const [k, v] of await latestArchiveStates(db, ids.slice(i, i + 500), endOfDay)) states.set(k, v);
  }
  return rows.map((r) => {
    const s = states.get(r.customer_id);
    return { customerId: r.customer_id, projectId: r.project_id, complete: s ? s.complete === 1 : false, missing: s ? s.missing : '[]', touchedAt: s ? Number(s.touched_at) : 0 };
  });
}

async function writeRows(trx: Kysely<DB>, date: string, rows: ScopeRow[], now: number) {
  for (let i = 0; i < rows.length; i += 300) {
    await trx.insertInto('kpi_scope_snapshots').values(rows.slice(i, i + 300).map((r) => ({
      date, customer_id: r.customerId, project_id: r.projectId, complete: r.complete ? 1 : 0, missing: r.missing, touched_at: r.touchedAt, taken_at: now,
    }))).execute();
  }
}

/**
 * At every write that can change a customer's scope or archive (inside its transaction): today's
 * snapshot rows of the customer are replaced by its state after the write, so the last write of
 * the day is what the day keeps.
 */
export async function snapshotCustomersToday(trx: Kysely<DB>, deps: Pick<Deps, 'config' | 'clock'>, customerIds: string[]): Promise<void> {
  if (!customerIds.length) return;
  const now = deps.clock.now().getTime();
  const date = zonedDate(now, deps.config.timeZone);
  await trx.deleteFrom('kpi_scope_snapshots').where('date', '=', date).where('customer_id', 'in', customerIds).execute();
  await writeRows(trx, date, await liveScope(trx, deps, date, { customerIds, asRecorded: true }), now);
}

/**
 * The daily job: completes the snapshot of a finished date (default yesterday) with every
 * customer no write of that day already snapshotted, and marks the date as taken. Idempotent.
 */
export async function completeDaySnapshot(deps: Deps, dateIn?: string): Promise<{ date: string; added: number } | null> {
  const now = deps.clock.now().getTime();
  const date = dateIn ?? addDays(zonedDate(now, deps.config.timeZone), -1);
  return deps.db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('kpi_snapshot_days').select('date').where('date', '=', date).executeTakeFirst()) return null;
    const have = new Set((await trx.selectFrom('kpi_scope_snapshots').select(['customer_id', 'project_id']).where('date', '=', date).execute()).map((r) => `${r.customer_id}|${r.project_id}`));
    const written = new Set((await trx.selectFrom('kpi_scope_snapshots').select('customer_id').where('date', '=', date).execute()).map((r) => r.customer_id));
    const rows = (await liveScope(trx, deps, date, { asRecorded: true })).filter((r) => !written.has(r.customerId) && !have.has(`${r.customerId}|${r.projectId}`));
    await writeRows(trx, date, rows, now);
    await trx.insertInto('kpi_snapshot_days').values({ date, taken_at: now }).execute();
    return { date, added: rows.length };
  });
}

/**
 * A back-dated correction (inside its transaction): the taken snapshots of the customers from
 * `fromDate` up to yesterday are computed again from the corrected relations, the only way a
 * past period's K3/K4 changes.
 */
export async function correctSnapshots(trx: Kysely<DB>, deps: Pick<Deps, 'config' | 'clock'>, customerIds: string[], fromDate: string): Promise<number> {
  const now = deps.clock.now().getTime();
  const today = zonedDate(now, deps.config.timeZone);
  const days = (await trx.selectFrom('kpi_snapshot_days').select('date').where('date', '>=', fromDate).where('date', '<', today).orderBy('date').execute()).map((d) => d.date);
  for (const date of days) {
    await trx.deleteFrom('kpi_scope_snapshots').where('date', '=', date).where('customer_id', 'in', customerIds).execute();
    await writeRows(trx, date, await liveScope(trx, deps, date, { customerIds, asRecorded: false }), now);
  }
  return days.length;
}

/** True when a finished date's snapshot was taken, so past-period K3/K4 read it instead of today's relations. */
export async function snapshotTaken(db: Kysely<DB>, date: string): Promise<boolean> {
  return Boolean(await db.selectFrom('kpi_snapshot_days').select('date').where('date', '=', date).executeTakeFirst());
}
