import type { Kysely } from 'kysely';
import type { Deps } from '../../deps.js';
import type { DB } from '../../db/schema.js';
import { fromFlag, toFlag } from '../../db/dialect.js';
import { badRequest, notFound } from '../../http/app-error.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { cachedReference, changeReference, referenceCache } from '../../platform/reference-cache.js';
import { zonedDate } from '../../platform/time.js';
import type { WorkCalendar } from './calendar.rules.js';
import { officialDays } from './official.js';

/**
 * Adds the official holidays and adjusted working days the database does not have yet. Local
 * entries an admin made are never overwritten. Runs at start; idempotent.
 */
export async function syncOfficialCalendar(db: Kysely<DB>, now: number): Promise<number> {
  const days = officialDays();
  let added = 0;
  for (let i = 0; i < days.length; i += 200) {
    const chunk = days.slice(i, i + 200).map((d) => ({ date: d.date, working: toFlag(d.working), name: d.name, source: 'official' as const, updated_at: now, updated_by: null }));
    const res = await db.insertInto('calendar_days').values(chunk).onConflict((oc) => oc.column('date').doNothing()).executeTakeFirst();
    added += Number(res.numInsertedOrUpdatedRows ?? 0);
  }
  referenceCache(db).invalidate('work_calendar');
  return added;
}

/** The working calendar in the business time zone, read once per change (platform/reference-cache.ts). */
export async function loadWorkCalendar(deps: Pick<Deps, 'db' | 'config'>): Promise<WorkCalendar> {
  return cachedReference(deps.db, 'work_calendar', async () => {
    const rows = await deps.db.selectFrom('calendar_days').select(['date', 'working']).execute();
    return { timeZone: deps.config.timeZone, overrides: new Map(rows.map((r) => [r.date, fromFlag(r.working)])) };
  });
}

/** The days of a year that differ from a plain Monday–Friday week, and whether next year is published. */
export async function listCalendar(deps: Deps, year: number) {
  const rows = await deps.db.selectFrom('calendar_days').selectAll().where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).orderBy('date').execute();
  const thisYear = Number(zonedDate(deps.clock.now().getTime(), deps.config.timeZone).slice(0, 4));
  const next = await deps.db.selectFrom('calendar_days').select('date').where('source', '=', 'official').where('date', '>=', `${thisYear + 1}-01-01`).limit(1).executeTakeFirst();
  return {
    year,
    days: rows.map((r) => ({ date: r.date, working: fromFlag(r.working), name: r.name, source: r.source })),
    // The State Council publishes next year's calendar each November/December.
    nextYearMissing: !next,
    nextYear: thisYear + 1,
  };
}

/** Sets a local day off (closure) or working day; it wins over the official calendar. */
export async function setLocalDay(deps: Deps, ctx: AuditContext, date: string, working: boolean, name: string) {
  if (Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw badRequest('日期无效', [{ field: 'date', message: '日期无效' }]);
  const now = deps.clock.now().getTime();
  await changeReference(deps.db, ['work_calendar'], async (trx) => {
    const before = await trx.selectFrom('calendar_days').selectAll().where('date', '=', date).executeTakeFirst();
    await trx.insertInto('calendar_days').values({ date, working: toFlag(working), name, source: 'local', updated_at: now, updated_by: ctx.actorId })
      .onConflict((oc) => oc.column('date').doUpdateSet({ working: toFlag(working), name, source: 'local', updated_at: now, updated_by: ctx.actorId })).execute();
    await appendAudit(trx, deps, ctx, { action: 'calendar.day_set', entityType: 'calendar_day', entityId: date, before: before ?? null, after: { working, name } });
  });
}

/** Removes a local entry: the day follows the official calendar (or the plain week) again. */
export async function clearLocalDay(deps: Deps, ctx: AuditContext, date: string) {
  await changeReference(deps.db, ['work_calendar'], async (trx) => {
    const before = await trx.selectFrom('calendar_days').selectAll().where('date', '=', date).where('source', '=', 'local').executeTakeFirst();
    if (!before) throw notFound('该日期没有本地设置');
    await trx.deleteFrom('calendar_days').where('date', '=', date).execute();
    await appendAudit(trx, deps, ctx, { action: 'calendar.day_cleared', entityType: 'calendar_day', entityId: date, before });
  });
  await syncOfficialCalendar(deps.db, deps.clock.now().getTime());
}
