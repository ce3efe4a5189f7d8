import { sql } from 'kysely';
import type { Deps } from '../../deps.js';
import type { Actor } from '../../platform/auth.js';
import { addDays, isoDate } from '../calendar/calendar.rules.js';
import { categoryPaths } from '../tickets/categories.service.js';
import { k1Complaints, k1Summary } from './k1.service.js';
import { periodOf, type KpiFilter } from './period.js';
import { k2Complaints, k2Summary } from './k2.service.js';
import { k1k2Of, kpiSet, kpiSetReference } from './kpis.service.js';
import { rollupDays, sumDays } from './rollups.service.js';

/** The months [YYYY-MM-01, last day] that a period touches. */
export function monthsOf(from: string, to: string): { month: string; from: string; to: string }[] {
  const out: { month: string; from: string; to: string }[] = [];
  // Months are counted as numbers, not compared as text: '10000-01-01' sorts before '9999-12-31'.
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [endY, endM] = to.split('-').map(Number) as [number, number];
  while (y * 12 + m <= endY * 12 + endM) {
    const start = isoDate(y, m, 1);
    const last = addDays(m === 12 ? isoDate(y + 1, 1, 1) : isoDate(y, m + 1, 1), -1);
    out.push({ month: start.slice(0, 7), from: start < from ? from : start, to: last > to ? to : last });
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return out;
}

/**
 * The leadership dashboard: the four KPIs against target, K1/K2 by month, tickets by project,
 * type, category, channel and department, the top complaint categories with examples (D9) and
 * the buildings with the most tickets. Every number has a list behind it in the KPI endpoints.
 */
export async function dashboard(deps: Deps, actor: Actor, f: KpiFilter) {
  const { fromMs, toMs } = periodOf(deps, f);
  // K1/K2 per day from the rollups; each month is a sum of its days (raw rows while the backfill runs).
  const days = await rollupDays(deps, actor, f, { fromMs, toMs });
  let kpis;
  let trend;
  if (days) {
    kpis = await kpiSet(deps, actor, f, days);
    trend = monthsOf(f.from, f.to).map((m) => {
      const { k1, k2 } = k1k2Of(sumDays(days, m.from, m.to));
      return { month: m.month, k1: k1.rate, k2: k2.rate, complaints: k1.denominator };
    });
  } else {
    // The year's complaints are loaded once; each month is the same rules over its bounds.
    const [k1List, k2List] = await Promise.all([k1Complaints(deps, actor, f), k2Complaints(deps, actor, f)]);
    kpis = await kpiSetReference(deps, actor, f, { k1: k1List, k2: k2List });
    trend = monthsOf(f.from, f.to).map((m) => {
      const bounds = periodOf(deps, m);
      const k1 = k1Summary(deps, m, { list: k1List.list, ...bounds });
      const k2 = k2Summary({ list: k2List.list, ...bounds });
      return { month: m.month, k1: k1.rate, k2: k2.rate, complaints: k1.denominator };
    });
  }
  let base = deps.db.selectFrom('tickets as t').where('t.registered_at', '>=', fromMs).where('t.registered_at', '<', toMs).where('t.status', 'not in', ['cancelled', 'merged']);
  if (actor.projectIds !== null) base = base.where('t.project_id', 'in', actor.projectIds.length ? actor.projectIds : ['']);
  if (f.projectId) base = base.where('t.project_id', '=', f.projectId);
  if (f.departmentId) base = base.where('t.id', 'in', deps.db.selectFrom('work_orders').select('ticket_id').where('department_id', '=', f.departmentId));
  const count = sql<number>`count(*)`;
  const [byProject, byType, byChannel, byCategory, byBuilding, byDepartment, total] = await Promise.all([
    base.innerJoin('projects as p', 'p.id', 't.project_id').select(['p.id as key', 'p.name as label', count.as('n')]).groupBy(['p.id', 'p.name']).orderBy('n', 'desc').execute(),
    base.select(['t.type as key', count.as('n')]).groupBy('t.type').orderBy('n', 'desc').execute(),
    base.select(['t.channel as key', count.as('n')]).groupBy('t.channel').orderBy('n', 'desc').execute(),
    base.where('t.type', '=', 'complaint').where('t.category_id', 'is not', null).select(['t.category_id as key', count.as('n')]).groupBy('t.category_id').orderBy('n', 'desc').limit(10).execute(),
    base.innerJoin('units as u', 'u.id', 't.unit_id').innerJoin('buildings as b', 'b.id', 'u.building_id').innerJoin('projects as p', 'p.id', 't.project_id')
      .select(['b.id as key', 'b.name as building', 'p.name as project', count.as('n')]).groupBy(['b.id', 'b.name', 'p.name']).orderBy('n', 'desc').limit(10).execute(),
    base.innerJoin('work_orders as w', 'w.ticket_id', 't.id').innerJoin('departments as d', 'd.id', 'w.department_id')
      .select(['d.id as key', 'd.name as label', count.as('n'), sql<number>`sum(case when w.completed_at is not null and w.completed_at > w.due_at then 1 else 0 end)`.as('late')])
      .groupBy(['d.id', 'd.name']).orderBy('n', 'desc').execute(),
    base.select(count.as('n')).executeTakeFirstOrThrow(),
  ]);
  const paths = await categoryPaths(deps.db);
  const topIssues = [];
  for (const c of byCategory) {
    const examples = await base.where('t.category_id', '=', c.key).select(['t.id', 't.number', 't.title']).orderBy('t.registered_at', 'desc').limit(3).execute();
    topIssues.push({ categoryId: c.key, category: `投诉 › ${paths.get(c.key!) ?? ''}`, count: Number(c.n), examples });
  }
  return {
    kpis,
    trend,
    total: Number(total.n),
    byProject: byProject.map((r) => ({ key: r.key, label: r.label, count: Number(r.n) })),
    byType: byType.map((r) => ({ key: r.key, count: Number(r.n) })),
    byChannel: byChannel.map((r) => ({ key: r.key, count: Number(r.n) })),
    byDepartment: byDepartment.map((r) => ({ key: r.key, label: r.label, count: Number(r.n), late: Number(r.late) })),
    topIssues,
    hotBuildings: byBuilding.map((r) => ({ key: r.key, label: `${r.project} ${/^\d+$/.test(r.building) ? `${r.building}栋` : r.building}`, count: Number(r.n) })),
  };
}
