import { OWNER_RELATIONS } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { Actor } from '../../platform/auth.js';
import { zonedDate } from '../../platform/time.js';
import { listVisitAttempts } from '../callbacks/visits.service.js';
import { snapshotTaken } from '../customers/scope-snapshots.service.js';
import { unsuccessfulVisits, visitCoverage, visitTarget } from './kpis.rules.js';
import { checkProjectScope, periodOf, type KpiFilter } from './period.js';

/** Customers in scope at the end of the period and the visits made to them in it. */
async function k3Data(deps: Deps, actor: Actor, f: KpiFilter) {
  const { fromMs, toMs } = periodOf(deps, f);
  checkProjectScope(actor, f.projectId);
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
export async function k3Report(deps: Deps, actor: Actor, f: KpiFilter) {
  const { inScope, visits, attempts, fromMs, toMs } = await k3Data(deps, actor, f);
  const r = visitCoverage(visits.map((v) => ({ id: v.id, customerId: v.customer_id, at: Number(v.at) })), inScope, fromMs, toMs);
  const unsuccessful = unsuccessfulVisits(attempts.map((a) => ({ id: a.id, customerId: a.customer_id, at: Number(a.at) })), inScope, fromMs, toMs);
  return { numerator: r.numerator, denominator: r.denominator, rate: r.rate, target: visitTarget(f.from, f.to), unsuccessful: unsuccessful.length };
}

/** The unsuccessful visit attempts beside K3 (to customers in scope, in the period and project). */
export async function k3Attempts(deps: Deps, actor: Actor, f: KpiFilter) {
  const { inScope, attempts, fromMs, toMs } = await k3Data(deps, actor, f);
  const ids = new Set(unsuccessfulVisits(attempts.map((a) => ({ id: a.id, customerId: a.customer_id, at: Number(a.at) })), inScope, fromMs, toMs));
  const list = await listVisitAttempts(deps, actor, { projectId: f.projectId, from: fromMs, to: toMs, limit: 500 });
  return list.filter((a) => ids.has(a.id));
}

/** The visits behind K3's numerator. */
export async function k3Records(deps: Deps, actor: Actor, f: KpiFilter) {
  const { visits } = await k3Data(deps, actor, f);
  return visits.map((v) => ({ id: v.id, customerId: v.customer_id, customerName: v.name, at: new Date(Number(v.at)).toISOString(), kinds: JSON.parse(v.kinds) as string[] }))
    .sort((a, b) => b.at.localeCompare(a.at));
}

