import type { Deps } from '../../deps.js';
import type { Actor } from '../../platform/auth.js';
import { satisfaction, type K2Complaint } from './kpis.rules.js';
import { checkProjectScope, periodOf, type KpiFilter } from './period.js';

/** K2's target: every valid complaint ends with a satisfied customer. */
export const K2_TARGET = 1;

/** The valid complaints rated (or found unreachable) in the period, with their latest rating. */
export async function k2Complaints(deps: Deps, actor: Actor, f: KpiFilter): Promise<{ list: (K2Complaint & { number: string; title: string; projectId: string })[]; fromMs: number; toMs: number }> {
  const { fromMs, toMs } = periodOf(deps, f);
  checkProjectScope(actor, f.projectId);
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
export async function k2Report(deps: Deps, actor: Actor, f: KpiFilter) {
  return k2Summary(await k2Complaints(deps, actor, f));
}

/** K2 for [fromMs, toMs) over a list loaded for that period or a longer one (see k1Summary). */
export function k2Summary({ list, fromMs, toMs }: { list: readonly K2Complaint[]; fromMs: number; toMs: number }) {
  const r = satisfaction(list, fromMs, toMs);
  return { numerator: r.numerator, denominator: r.denominator, rate: r.rate, target: K2_TARGET, unreachable: r.unreachable.length };
}

/** The complaints behind K2: each with its rating and whether it counts. */
export async function k2Records(deps: Deps, actor: Actor, f: KpiFilter & { which?: 'satisfied' | 'dissatisfied' | 'unreachable' | undefined }) {
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

