import type { K1Report } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import { isoOrNull } from '../../http/pagination.js';
import type { Actor } from '../../platform/auth.js';
import { countsForK1, k1DueAt, k1MetAt, k1Verdict, timeliness, type K1Complaint, type K1Verdict } from './kpis.rules.js';
import { checkProjectScope, periodOf, type KpiFilter } from './period.js';

/** K1's target: every complaint handled in time. */
export const K1_TARGET = 1;

/** The complaints whose K1 deadline may fall in the period (waiting ones whose deadline still moves included), as rows. */
export async function complaintsDueIn(deps: Deps, actor: Actor, f: KpiFilter) {
  const { fromMs, toMs } = periodOf(deps, f);
  checkProjectScope(actor, f.projectId);
  let q = deps.db.selectFrom('tickets as t')
    .select(['t.id', 't.number', 't.title', 't.severity', 't.status', 't.k1_due', 't.first_replied_at', 't.resolved_at', 't.paused_at', 't.project_id', 't.valid', 't.registered_at'])
    .where('t.type', '=', 'complaint').where('t.k1_due', '<', toMs)
    // A waiting complaint's deadline moves on while it waits: the rules place it by the deadline known now.
    .where((eb) => eb.or([eb('t.k1_due', '>=', fromMs), eb('t.paused_at', 'is not', null)]));
  if (actor.projectIds !== null) q = q.where('t.project_id', 'in', actor.projectIds.length ? actor.projectIds : ['']);
  if (f.projectId) q = q.where('t.project_id', '=', f.projectId);
  if (f.departmentId) q = q.where('t.id', 'in', deps.db.selectFrom('work_orders').select('ticket_id').where('department_id', '=', f.departmentId));
  const rows = await q.execute();
  return { rows, fromMs, toMs };
}

/**
 * The complaints waiting on the customer whose deadline may fall in the period. Their deadline
 * moves with the clock while they wait, so the rollups leave them out and every read adds them
 * from here (docs/kpis.md "Rollups").
 */
export async function waitingComplaints(deps: Deps, actor: Actor, f: KpiFilter) {
  const { toMs } = periodOf(deps, f);
  let q = deps.db.selectFrom('tickets as t')
    .select(['t.id', 't.severity', 't.status', 't.k1_due', 't.first_replied_at', 't.resolved_at', 't.paused_at'])
    .where('t.type', '=', 'complaint').where('t.paused_at', 'is not', null).where('t.k1_due', '<', toMs);
  if (actor.projectIds !== null) q = q.where('t.project_id', 'in', actor.projectIds.length ? actor.projectIds : ['']);
  if (f.projectId) q = q.where('t.project_id', '=', f.projectId);
  if (f.departmentId) q = q.where('t.id', 'in', deps.db.selectFrom('work_orders').select('ticket_id').where('department_id', '=', f.departmentId));
  return (await q.execute()).map(toK1);
}

/** K1 = on-time complaints / complaints whose deadline fell in the period (and has passed). */
export async function k1Report(deps: Deps, actor: Actor, f: KpiFilter): Promise<K1Report> {
  return k1Summary(deps, f, await k1Complaints(deps, actor, f));
}

/** The complaints K1 looks at for a period (deadline in it), as the rules need them. */
export async function k1Complaints(deps: Deps, actor: Actor, f: KpiFilter): Promise<{ list: K1Complaint[]; fromMs: number; toMs: number }> {
  const { rows, fromMs, toMs } = await complaintsDueIn(deps, actor, f);
  return { list: rows.map(toK1), fromMs, toMs };
}

/**
 * K1 for [fromMs, toMs) over a list loaded for that period or a longer one: the rules keep only
 * the deadlines inside, so one load serves a year and each of its months exactly.
 */
export function k1Summary(deps: Deps, period: { from: string; to: string }, data: { list: readonly K1Complaint[]; fromMs: number; toMs: number }): K1Report {
  const r = timeliness(data.list, data.fromMs, data.toMs, deps.clock.now().getTime());
  return { from: period.from, to: period.to, numerator: r.numerator, denominator: r.denominator, rate: r.rate, target: K1_TARGET, notDue: r.notDue.length };
}

export const toK1 = (t: { id: string; severity: string; status: string; k1_due: number | null; first_replied_at: number | null; resolved_at: number | null; paused_at: number | null }): K1Complaint => ({
  id: t.id, severity: t.severity, status: t.status, dueAt: Number(t.k1_due), firstRepliedAt: t.first_replied_at === null ? null : Number(t.first_replied_at),
  resolvedAt: t.resolved_at === null ? null : Number(t.resolved_at), waitingSince: t.paused_at === null ? null : Number(t.paused_at),
});

/** The complaints behind K1, each with its verdict (on time, late, not yet due). */
export async function k1Records(deps: Deps, actor: Actor, f: KpiFilter & { verdict?: K1Verdict | undefined }) {
  const { rows, fromMs, toMs } = await complaintsDueIn(deps, actor, f);
  const now = deps.clock.now().getTime();
  const out = rows
    .filter((t) => countsForK1(t.status))
    .map((t) => ({ t, due: k1DueAt(toK1(t), now) }))
    .filter(({ due }) => due >= fromMs && due < toMs)
    .map(({ t, due }) => ({
      id: t.id, number: t.number, title: t.title, severity: t.severity, status: t.status, projectId: t.project_id, valid: t.valid === 1,
      dueAt: new Date(due).toISOString(),
      metAt: isoOrNull(k1MetAt(toK1(t))),
      verdict: k1Verdict(toK1(t), now),
    }))
    .filter((x) => !f.verdict || x.verdict === f.verdict)
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return out;
}
