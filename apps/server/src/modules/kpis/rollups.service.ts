import type { Kysely } from 'kysely';
import type { DB, KpiRollupsTable } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { systemActor, type Actor } from '../../platform/auth.js';
import { zonedDate, zonedDayStart } from '../../platform/time.js';
import { addDays } from '../calendar/calendar.rules.js';
import { complaintsDueIn, toK1, waitingComplaints } from './k1.service.js';
import { k2Complaints } from './k2.service.js';
import { countsForK1, k1DueAt, k1Verdict, satisfaction } from './kpis.rules.js';
import type { KpiFilter } from './period.js';

/*
 * K1/K2 rollups (docs/kpis.md "Rollups"). A bucket is one business day: the K1 and K2 counts of
 * every project × department ('' = all) for the complaints whose K1 deadline, or whose K2
 * rating or unreachable callback, fell on that day — the raw computation (k1/k2 services and the
 * pure rules) restricted to the day. Exact by construction:
 * - triggers mark the instants a write touches (kpi_dirty) in the write's own transaction;
 * - a bucket's row says when time alone changes it (`valid_until`: a not-yet-due deadline);
 * - complaints waiting on the customer (deadline moving with the clock) are never in a bucket;
 * - a read sums clean rows, recomputes dirty or expired days in memory, and adds the waiting ones.
 */

/** The counts of one bucket or of a sum of buckets. */
export interface KpiCounts {
  k1OnTime: number;
  k1Late: number;
  k1NotDue: number;
  k2Satisfied: number;
  k2Dissatisfied: number;
  k2Unreachable: number;
}

const ZERO: KpiCounts = { k1OnTime: 0, k1Late: 0, k1NotDue: 0, k2Satisfied: 0, k2Dissatisfied: 0, k2Unreachable: 0 };
const GROUP = systemActor('kpi-rollups', 'KPI 汇总');
export const BACKFILL_RUN = 'backfill';
export const RECONCILE_RUN = 'reconcile';
export const ROLLUP_JOB = 'kpi.rollups';
export const RECONCILE_JOB = 'kpi.reconcile';

const add = (a: KpiCounts, b: KpiCounts): KpiCounts => ({
  k1OnTime: a.k1OnTime + b.k1OnTime, k1Late: a.k1Late + b.k1Late, k1NotDue: a.k1NotDue + b.k1NotDue,
  k2Satisfied: a.k2Satisfied + b.k2Satisfied, k2Dissatisfied: a.k2Dissatisfied + b.k2Dissatisfied, k2Unreachable: a.k2Unreachable + b.k2Unreachable,
});
const fromRow = (r: Pick<KpiRollupsTable, 'k1_on_time' | 'k1_late' | 'k1_not_due' | 'k2_satisfied' | 'k2_dissatisfied' | 'k2_unreachable'>): KpiCounts => ({
  k1OnTime: Number(r.k1_on_time), k1Late: Number(r.k1_late), k1NotDue: Number(r.k1_not_due),
  k2Satisfied: Number(r.k2_satisfied), k2Dissatisfied: Number(r.k2_dissatisfied), k2Unreachable: Number(r.k2_unreachable),
});

/**
 * One day's bucket rows, computed from raw rows by the reference services and rules: every
 * project and department with a complaint due, rated or found unreachable that day.
 */
export async function computeDay(deps: Deps, day: string): Promise<KpiRollupsTable[]> {
  const now = deps.clock.now().getTime();
  const f = { from: day, to: day };
  const [{ rows: k1Rows, fromMs, toMs }, k2] = await Promise.all([complaintsDueIn(deps, GROUP, f), k2Complaints(deps, GROUP, f)]);
  // Waiting complaints are left out: their deadline moves with the clock (added at read time).
  const k1 = k1Rows.filter((t) => t.paused_at === null && countsForK1(t.status)).map((t) => ({ t, c: toK1(t) })).filter(({ c }) => k1DueAt(c, now) >= fromMs && k1DueAt(c, now) < toMs);
  const k2r = satisfaction(k2.list, fromMs, toMs);
  const k2Group = new Map<string, keyof KpiCounts>();
  for (const id of k2r.satisfied) k2Group.set(id, 'k2Satisfied');
  for (const id of k2r.dissatisfied) k2Group.set(id, 'k2Dissatisfied');
  for (const id of k2r.unreachable) k2Group.set(id, 'k2Unreachable');
  const ids = [...new Set([...k1.map(({ t }) => t.id), ...k2Group.keys()])];
  const departments = new Map<string, Set<string>>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const w of await deps.db.selectFrom('work_orders').select(['ticket_id', 'department_id']).where('ticket_id', 'in', ids.slice(i, i + 500)).execute()) {
      const set = departments.get(w.ticket_id) ?? new Set<string>();
      set.add(w.department_id);
      departments.set(w.ticket_id, set);
    }
  }
  const rows = new Map<string, KpiRollupsTable>();
  const bump = (ticketId: string, projectId: string, key: keyof KpiCounts, validUntil: number | null) => {
    for (const dept of ['', ...(departments.get(ticketId) ?? [])]) {
      const k = `${projectId}\u0000${dept}`;
      const r = rows.get(k) ?? { project_id: projectId, day, department_id: dept, k1_on_time: 0, k1_late: 0, k1_not_due: 0, k2_satisfied: 0, k2_dissatisfied: 0, k2_unreachable: 0, valid_until: null, computed_at: now };
      const col = ({ k1OnTime: 'k1_on_time', k1Late: 'k1_late', k1NotDue: 'k1_not_due', k2Satisfied: 'k2_satisfied', k2Dissatisfied: 'k2_dissatisfied', k2Unreachable: 'k2_unreachable' } as const)[key];
      r[col]++;
      if (validUntil !== null && (r.valid_until === null || validUntil < r.valid_until)) r.valid_until = validUntil;
      rows.set(k, r);
    }
  };
  for (const { t, c } of k1) {
    const v = k1Verdict(c, now);
    // A deadline not yet passed turns the complaint late at that instant unless it is met first (a write, marked).
    bump(t.id, t.project_id, v === 'on_time' ? 'k1OnTime' : v === 'late' ? 'k1Late' : 'k1NotDue', v === 'not_due' ? k1DueAt(c, now) : null);
  }
  for (const c of k2.list) {
    const key = k2Group.get(c.id);
    if (key) bump(c.id, c.projectId, key, null);
  }
  return [...rows.values()];
}

/** Replaces a day's rows with a fresh computation (inside the caller's transaction). */
async function storeDay(deps: Deps, trx: Kysely<DB>, day: string): Promise<void> {
  const rows = await computeDay({ ...deps, db: trx }, day);
  await trx.deleteFrom('kpi_rollups').where('day', '=', day).execute();
  for (let i = 0; i < rows.length; i += 100) await trx.insertInto('kpi_rollups').values(rows.slice(i, i + 100)).execute();
}

const dayOf = (deps: Deps, at: number): string => zonedDate(at, deps.config.timeZone);

/**
 * Brings the rollups up to date: the days of the marked instants and the days whose rows time
 * has overtaken are recomputed, and exactly the marks read are removed (a mark written meanwhile
 * stays for the next run). One transaction per batch.
 */
export async function refreshRollups(deps: Deps, opts: { batch?: number } = {}): Promise<{ days: number; marks: number }> {
  const batch = opts.batch ?? 2_000;
  let days = 0;
  let marks = 0;
  for (;;) {
    const n = await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now().getTime();
      const dirty = await trx.selectFrom('kpi_dirty').select(['seq', 'at']).orderBy('seq').limit(batch).execute();
      const stale = await trx.selectFrom('kpi_rollups').select('day').distinct().where('valid_until', '<=', now).execute();
      const set = new Set([...dirty.map((d) => dayOf(deps, Number(d.at))), ...stale.map((s) => s.day)]);
      for (const day of set) await storeDay(deps, trx, day);
      const seqs = dirty.map((d) => Number(d.seq));
      for (let i = 0; i < seqs.length; i += 500) await trx.deleteFrom('kpi_dirty').where('seq', 'in', seqs.slice(i, i + 500)).execute();
      days += set.size;
      marks += dirty.length;
      return dirty.length;
    });
    if (n < batch) return { days, marks };
  }
}

/** The backfill's progress row (null before it started). */
export async function rollupRun(db: Kysely<DB>, id: string) {
  return (await db.selectFrom('kpi_rollup_runs').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/**
 * Fills the rollups for existing data, one day per transaction with its progress, from the
 * first instant any complaint contributes at to today (deadlines further ahead are marked by
 * their writes). A crash resumes at the saved day; nothing is counted twice (a day is replaced).
 */
export async function backfillRollups(deps: Deps, opts: { maxDays?: number } = {}): Promise<{ days: number; done: boolean }> {
  let run = await rollupRun(deps.db, BACKFILL_RUN);
  const now = deps.clock.now().getTime();
  if (!run) {
    const min = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
    const [t, r, c] = await Promise.all([
      deps.db.selectFrom('tickets').select((eb) => [eb.fn.min('k1_due').as('lo'), eb.fn.max('k1_due').as('hi')]).where('type', '=', 'complaint').executeTakeFirst(),
      deps.db.selectFrom('ratings').select((eb) => eb.fn.min('at').as('lo')).executeTakeFirst(),
      deps.db.selectFrom('callbacks').select((eb) => eb.fn.min('completed_at').as('lo')).executeTakeFirst(),
    ]);
    const starts = [min(t?.lo as number | null), min(r?.lo as number | null), min(c?.lo as number | null)].filter((x): x is number => x !== null);
    const first = starts.length ? dayOf(deps, Math.min(...starts)) : dayOf(deps, now);
    const hi = min(t?.hi as number | null);
    const last = dayOf(deps, Math.max(now, hi ?? now));
    // Marks written before the backfill started are covered by it: every day is computed after them.
    const seq = await deps.db.selectFrom('kpi_dirty').select((eb) => eb.fn.max('seq').as('s')).executeTakeFirst();
    const upTo = Number(seq?.s ?? 0);
    const total = Math.round((zonedDayStart(last, deps.config.timeZone) - zonedDayStart(first, deps.config.timeZone)) / 86_400_000) + 1;
    await deps.db.insertInto('kpi_rollup_runs').values({ id: BACKFILL_RUN, state: 'running', cursor: `${first}|${last}|${upTo}`, done: 0, total, drift: 0, started_at: now, finished_at: null, updated_at: now })
      .onConflict((oc) => oc.column('id').doNothing()).execute();
    run = await rollupRun(deps.db, BACKFILL_RUN);
  }
  let days = 0;
  // An operator may pause the backfill (state 'paused'): reads stay on the raw computation meanwhile.
  while (run && run.state !== 'done' && run.state !== 'paused' && days < (opts.maxDays ?? Number.POSITIVE_INFINITY)) {
    const [day, last, upTo] = run.cursor!.split('|') as [string, string, string];
    const next = addDays(day, 1);
    const finished = next > last;
    await deps.db.transaction().execute(async (trx) => {
      await storeDay(deps, trx, day);
      if (finished) await trx.deleteFrom('kpi_dirty').where('seq', '<=', Number(upTo)).execute();
      const at = deps.clock.now().getTime();
      await trx.updateTable('kpi_rollup_runs').set({ cursor: `${next}|${last}|${upTo}`, done: run!.done + 1, state: finished ? 'done' : 'running', finished_at: finished ? at : null, updated_at: at })
        .where('id', '=', BACKFILL_RUN).execute();
    });
    days++;
    run = await rollupRun(deps.db, BACKFILL_RUN);
  }
  return { days, done: run?.state === 'done' };
}

/**
 * The K1/K2 counts per day of a period from the rollups, exactly as the raw computation gives
 * them; null while the backfill has not finished (the caller computes from raw rows then).
 */
export async function rollupDays(deps: Deps, actor: Actor, f: KpiFilter, bounds: { fromMs: number; toMs: number }): Promise<Map<string, KpiCounts> | null> {
  const run = await rollupRun(deps.db, BACKFILL_RUN);
  if (run?.state !== 'done') return null;
  const now = deps.clock.now().getTime();
  const dept = f.departmentId ?? '';
  const inScope = (projectId: string) => (actor.projectIds === null || actor.projectIds.includes(projectId)) && (!f.projectId || f.projectId === projectId);
  // Days whose rows are not trustworthy right now: marked by a write not yet folded in, or overtaken by time.
  const marked = await deps.db.selectFrom('kpi_dirty').select('at').distinct().where('at', '>=', bounds.fromMs).where('at', '<', bounds.toMs).execute();
  const stale = await deps.db.selectFrom('kpi_rollups').select('day').distinct().where('day', '>=', f.from).where('day', '<=', f.to).where('valid_until', '<=', now).execute();
  const recompute = new Set([...marked.map((m) => dayOf(deps, Number(m.at))), ...stale.map((s) => s.day)]);
  const out = new Map<string, KpiCounts>();
  const put = (day: string, c: KpiCounts) => out.set(day, add(out.get(day) ?? ZERO, c));
  let q = deps.db.selectFrom('kpi_rollups')
    .select((eb) => ['day', eb.fn.sum<number>('k1_on_time').as('k1_on_time'), eb.fn.sum<number>('k1_late').as('k1_late'), eb.fn.sum<number>('k1_not_due').as('k1_not_due'),
      eb.fn.sum<number>('k2_satisfied').as('k2_satisfied'), eb.fn.sum<number>('k2_dissatisfied').as('k2_dissatisfied'), eb.fn.sum<number>('k2_unreachable').as('k2_unreachable')])
    .where('department_id', '=', dept).where('day', '>=', f.from).where('day', '<=', f.to).groupBy('day');
  if (actor.projectIds !== null) q = q.where('project_id', 'in', actor.projectIds.length ? actor.projectIds : ['']);
  if (f.projectId) q = q.where('project_id', '=', f.projectId);
  for (const r of await q.execute()) if (!recompute.has(r.day)) put(r.day, fromRow(r));
  for (const day of recompute) {
    for (const r of await computeDay(deps, day)) if (r.department_id === dept && inScope(r.project_id)) put(day, fromRow(r));
  }
  // Complaints waiting on the customer: judged now, on the day their moving deadline falls.
  for (const c of await waitingComplaints(deps, actor, f)) {
    if (!countsForK1(c.status)) continue;
    const due = k1DueAt(c, now);
    if (due < bounds.fromMs || due >= bounds.toMs) continue;
    const v = k1Verdict(c, now);
    put(dayOf(deps, due), { ...ZERO, [v === 'on_time' ? 'k1OnTime' : v === 'late' ? 'k1Late' : 'k1NotDue']: 1 });
  }
  return out;
}

/** Sums the days of [from, to] (dates) of a rollup map. */
export function sumDays(days: Map<string, KpiCounts>, from: string, to: string): KpiCounts {
  let s = ZERO;
  for (const [day, c] of days) if (day >= from && day <= to) s = add(s, c);
  return s;
}

/** What an admin sees of the rollups: backfill progress, the last reconciliation and its drift. */
export async function rollupStatus(deps: Deps) {
  const [backfill, reconcile, pending, drift] = await Promise.all([
    rollupRun(deps.db, BACKFILL_RUN),
    rollupRun(deps.db, RECONCILE_RUN),
    deps.db.selectFrom('kpi_dirty').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    deps.db.selectFrom('kpi_rollup_drift').selectAll().orderBy('checked_at', 'desc').orderBy('id').limit(50).execute(),
  ]);
  const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
  return {
    backfill: backfill && { state: backfill.state, done: Number(backfill.done), total: Number(backfill.total), startedAt: iso(backfill.started_at), finishedAt: iso(backfill.finished_at) },
    reconcile: reconcile && { checked: Number(reconcile.done), drift: Number(reconcile.drift), finishedAt: iso(reconcile.finished_at) },
    pendingMarks: Number(pending.n),
    drift: drift.map((d) => ({ checkedAt: iso(d.checked_at)!, projectId: d.project_id, month: d.month, kpi: d.kpi, expected: JSON.parse(d.expected) as Record<string, number>, actual: JSON.parse(d.actual) as Record<string, number> })),
  };
}
