import { OWNER_RELATIONS, type KpiSet } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import { notFound } from '../../http/app-error.js';
import { projectInScope, type Actor } from '../../platform/auth.js';
import { zonedDate } from '../../platform/time.js';
import { archiveRateReport } from '../customers/archive-rate.service.js';
import { k1Complaints, k1Report, k1Summary, periodOf, type K1Filter } from '../tickets/k1.service.js';
import { satisfaction, unsuccessfulVisits, visitCoverage, visitTarget, type K2Complaint } from './kpis.rules.js';
import { listVisitAttempts } from '../callbacks/visits.service.js';
import { snapshotTaken } from '../customers/scope-snapshots.service.js';

/** The filters each KPI honours (see the KpiSet contract): departments handle complaints, not visits or archives. */
export const KPI_FILTERS: KpiSet['filters'] = { k1: ['project', 'department'], k2: ['project', 'department'], k3: ['project'], k4: ['project'] };

/** K2's target: every valid complaint ends with a satisfied customer. */
export const K2_TARGET = 1;

function scopeCheck(actor: Actor, projectId?: string) {
  if (projectId && !projectInScope(actor, projectId)) throw notFound('项目不存在或不在您的数据范围内');
}

/** The valid complaints rated (or found unreachable) in the period, with their latest rating. */
export async function k2Complaints(deps: Deps, actor: Actor, f: K1Filter): Promise<{ list: (K2Complaint & { number: string; title: string; projectId: string })[]; fromMs: number; toMs: number }> {
  const { fromMs, toMs } = periodOf(deps, f);
  scopeCheck(actor, f.projectId);
  let q = deps.db.selectFrom('tickets as t').select(['t.id', 't.number', 't.title', 't.status', 't.valid', 't.project_id'])
    .where('t.type', '=', 'complaint')
    .where((eb) => eb.or([
      eb.exists(eb.selectFrom('ratings as r').select('r.id').whereRef('r.ticket_id', '=', 't.id').where('r.at', '>=', fromMs).where('r.at', '<', toMs)),
      eb.exists(eb.selectFrom('callbacks as cb').select('cb.id').whereRef('cb.ticket_id', '=', 't.id').where('cb.status', '=', 'unreachable').where('cb.completed_at', '>=', fromMs).where('cb.completed_at', '<', toMs)),
    ]));
  if (actor.projectIds !== null) q = q.where('t.project_id', 'in', actor.projectIds.length ? actor.projectIds : ['']);
  if (f.projectId) q = q.where('t.project_id', '=', f.projectId);
  if (f.departmentId) q = q.where('t.id', 'in', deps.db.selectFrom('work_orders').select('ticket_id').where('department_id', '=', f.departmentId));
  const tickets = await q.execute();
  const ids = tickets.map((t) => t.id);
  const latest = new Map<string, { at: number; satisfaction: number }>();
  const unreachable = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const r of await deps.db.selectFrom('ratings').select(['ticket_id', 'at', 'satisfaction']).where('ticket_id', 'in', chunk).orderBy('at').orderBy('id').execute()) {
      latest.set(r.ticket_id, { at: Number(r.at), satisfaction: r.satisfaction });
    }
    for (const c of await deps.db.selectFrom('callbacks').select(['ticket_id', 'completed_at']).where('ticket_id', 'in', chunk).where('status', '=', 'unreachable').execute()) {
      unreachable.set(c.ticket_id, Math.max(unreachable.get(c.ticket_id) ?? 0, Number(c.completed_at)));
    }
  }
  return {
    fromMs, toMs,
    list: tickets.map((t) => {
      const rating = latest.get(t.id) ?? null;
      const un = unreachable.get(t.id) ?? null;
      return {
        id: t.id, number: t.number, title: t.title, projectId: t.project_id, status: t.status, valid: t.valid === 1,
        // A callback completed after an unreachable one supersedes it, and vice versa.
        latestRating: rating && (un === null || rating.at >= un) ? rating : null,
        unreachableAt: un !== null && (!rating || un > rating.at) ? un : null,
      };
    }),
  };
}

/** K2 over a period. */
export async function k2Report(deps: Deps, actor: Actor, f: K1Filter) {
  return k2Summary(await k2Complaints(deps, actor, f));
}

/** K2 for [fromMs, toMs) over a list loaded for that period or a longer one (see k1Summary). */
export function k2Summary({ list, fromMs, toMs }: { list: readonly K2Complaint[]; fromMs: number; toMs: number }) {
  const r = satisfaction(list, fromMs, toMs);
  return { numerator: r.numerator, denominator: r.denominator, rate: r.rate, target: K2_TARGET, unreachable: r.unreachable.length };
}

/** The complaints behind K2: each with its rating and whether it counts. */
export async function k2Records(deps: Deps, actor: Actor, f: K1Filter & { which?: 'satisfied' | 'dissatisfied' | 'unreachable' | undefined }) {
  const { list, fromMs, toMs } = await k2Complaints(deps, actor, f);
  const r = satisfaction(list, fromMs, toMs);
  const group = new Map<string, string>();
  for (const id of r.satisfied) group.set(id, 'satisfied');
  for (const id of r.dissatisfied) group.set(id, 'dissatisfied');
  for (const id of r.unreachable) group.set(id, 'unreachable');
  return list
    .filter((c) => group.has(c.id) && (!f.which || group.get(c.id) === f.which))
    .map((c) => ({ id: c.id, number: c.number, title: c.title, projectId: c.projectId, group: group.get(c.id)!, satisfaction: c.latestRating?.satisfaction ?? null, ratedAt: c.latestRating ? new Date(c.latestRating.at).toISOString() : null }));
}

/** Customers in scope at the end of the period and the visits made to them in it. */
async function k3Data(deps: Deps, actor: Actor, f: K1Filter) {
  const { fromMs, toMs } = periodOf(deps, f);
  scopeCheck(actor, f.projectId);
  // A finished period's scope is its end date's snapshot when the daily job took it (issue #20 defect 3).
  const fromSnapshot = f.to < zonedDate(deps.clock.now().getTime(), deps.config.timeZone) && (await snapshotTaken(deps.db, f.to));
  let snap = deps.db.selectFrom('kpi_scope_snapshots as s').select('s.customer_id as customer_id').distinct().where('s.date', '=', f.to);
  if (actor.projectIds !== null) snap = snap.where('s.project_id', 'in', actor.projectIds.length ? actor.projectIds : ['']);
  if (f.projectId) snap = snap.where('s.project_id', '=', f.projectId);
  let owners = deps.db.selectFrom('customer_units as cu').innerJoin('customers as c', 'c.id', 'cu.customer_id').select('cu.customer_id').distinct()
    .where('cu.relation', 'in', [...OWNER_RELATIONS]).where('cu.from_date', '<=', f.to).where((eb) => eb.or([eb('cu.to_date', 'is', null), eb('cu.to_date', '>', f.to)]))
    .where('cu.created_at', '<', toMs).where('c.merged_into_id', 'is', null);
  if (actor.projectIds !== null) owners = owners.where('cu.project_id', 'in', actor.projectIds.length ? actor.projectIds : ['']);
  if (f.projectId) owners = owners.where('cu.project_id', '=', f.projectId);
  if (fromSnapshot) owners = snap as unknown as typeof owners;
  const inScope = new Set((await owners.execute()).map((r) => r.customer_id));
  // A visit counts for the project it was made in: the project filter and the caller's scope apply to it too.
  let visitQ = deps.db.selectFrom('visits as v').innerJoin('customers as c', 'c.id', 'v.customer_id')
    .select(['v.id', 'v.customer_id', 'v.at', 'v.kinds', 'c.name']).where('v.at', '>=', fromMs).where('v.at', '<', toMs)
    .where('v.customer_id', 'in', owners);
  if (actor.projectIds !== null) visitQ = visitQ.where('v.project_id', 'in', actor.projectIds.length ? actor.projectIds : ['']);
  if (f.projectId) visitQ = visitQ.where('v.project_id', '=', f.projectId);
  const visits = await visitQ.execute();
  let attemptQ = deps.db.selectFrom('visit_attempts as a').select(['a.id', 'a.customer_id', 'a.at']).where('a.at', '>=', fromMs).where('a.at', '<', toMs).where('a.customer_id', 'in', owners);
  if (actor.projectIds !== null) attemptQ = attemptQ.where('a.project_id', 'in', actor.projectIds.length ? actor.projectIds : ['']);
  if (f.projectId) attemptQ = attemptQ.where('a.project_id', '=', f.projectId);
  const attempts = await attemptQ.execute();
  return { inScope, visits, attempts, fromMs, toMs };
}

/** K3 over a period, with the pro-rata target. */
export async function k3Report(deps: Deps, actor: Actor, f: K1Filter) {
  const { inScope, visits, attempts, fromMs, toMs } = await k3Data(deps, actor, f);
  const r = visitCoverage(visits.map((v) => ({ id: v.id, customerId: v.customer_id, at: Number(v.at) })), inScope, fromMs, toMs);
  const unsuccessful = unsuccessfulVisits(attempts.map((a) => ({ id: a.id, customerId: a.customer_id, at: Number(a.at) })), inScope, fromMs, toMs);
  return { numerator: r.numerator, denominator: r.denominator, rate: r.rate, target: visitTarget(f.from, f.to), unsuccessful: unsuccessful.length };
}

/** The unsuccessful visit attempts beside K3 (to customers in scope, in the period and project). */
export async function k3Attempts(deps: Deps, actor: Actor, f: K1Filter) {
  const { inScope, attempts, fromMs, toMs } = await k3Data(deps, actor, f);
  const ids = new Set(unsuccessfulVisits(attempts.map((a) => ({ id: a.id, customerId: a.customer_id, at: Number(a.at) })), inScope, fromMs, toMs));
  const list = await listVisitAttempts(deps, actor, { projectId: f.projectId, from: fromMs, to: toMs, limit: 500 });
  return list.filter((a) => ids.has(a.id));
}

/** The visits behind K3's numerator. */
export async function k3Records(deps: Deps, actor: Actor, f: K1Filter) {
  const { visits } = await k3Data(deps, actor, f);
  return visits.map((v) => ({ id: v.id, customerId: v.customer_id, customerName: v.name, at: new Date(Number(v.at)).toISOString(), kinds: JSON.parse(v.kinds) as string[] }))
    .sort((a, b) => b.at.localeCompare(a.at));
}

/** All four KPIs for a period, project and department, computed by mission.md's definitions. */
export async function kpiSet(
  deps: Deps, actor: Actor, f: K1Filter,
  loaded?: { k1: Awaited<ReturnType<typeof k1Complaints>>; k2: Awaited<ReturnType<typeof k2Complaints>> },
): Promise<KpiSet> {
  const [k1, k2, k3] = await Promise.all([
    loaded ? k1Summary(deps, f, loaded.k1) : k1Report(deps, actor, f),
    loaded ? k2Summary(loaded.k2) : k2Report(deps, actor, f),
    k3Report(deps, actor, f),
  ]);
  const today = zonedDate(deps.clock.now().getTime(), deps.config.timeZone);
  const k4 = await archiveRateReport(deps, actor, f.to > today ? today : f.to, f.projectId);
  return {
    from: f.from, to: f.to,
    k1: { numerator: k1.numerator, denominator: k1.denominator, rate: k1.rate, target: k1.target, notDue: k1.notDue },
    k2, k3,
    k4: { numerator: k4.total.numerator, denominator: k4.total.denominator, rate: k4.total.rate, target: k4.total.target },
    filters: KPI_FILTERS,
  };
}
