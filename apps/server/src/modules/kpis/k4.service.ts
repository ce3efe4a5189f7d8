import { OWNER_RELATIONS, type ArchiveRateRecord, type ArchiveRateReport } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import { fromFlag } from '../../db/dialect.js';
import { badRequest } from '../../http/app-error.js';
import { iso } from '../../http/pagination.js';
import type { Actor } from '../../platform/auth.js';
import { zonedDayStart } from '../../platform/time.js';
import { isArchiveCurrent } from '../customers/customers.rules.js';
import { latestArchiveStates, loadArchiveRules, today } from '../customers/customers.service.js';
import { snapshotTaken } from '../customers/scope-snapshots.service.js';
import { archiveRate } from './kpis.rules.js';
import { checkProjectScope } from './period.js';

/** K4's target: every customer in scope has a complete, current archive. */
export const K4_TARGET = 1;

interface Member {
  customerId: string;
  projectId: string;
  projectName: string;
  name: string;
  complete: boolean;
  current: boolean;
  missing: string[];
  touchedAt: number;
}

/**
 * Customers in scope at the end of a date (a current owner, co-owner or prospective-owner
 * relation to a unit), with their archive state as it was then (from the state history).
 */
async function membersAt(deps: Deps, actor: Actor, date: string, projectId?: string): Promise<Member[]> {
  checkProjectScope(actor, projectId);
  const endOfDay = zonedDayStart(date, deps.config.timeZone, 1) - 1;
  if (date < today(deps) && (await snapshotTaken(deps.db, date))) return snapshotMembers(deps, actor, date, endOfDay, projectId);
  let q = deps.db
    .selectFrom('customer_units as cu')
    .innerJoin('customers as c', 'c.id', 'cu.customer_id')
    .innerJoin('projects as p', 'p.id', 'cu.project_id')
    .select(['cu.customer_id', 'cu.project_id', 'p.name as project_name', 'c.name'])
    .distinct()
    .where('cu.relation', 'in', [...OWNER_RELATIONS])
    .where('cu.from_date', '<=', date)
    // Only what the archive knew by then: entering a relation later does not rewrite the past.
    .where('cu.created_at', '<=', endOfDay)
    .where((eb) => eb.or([eb('cu.to_date', 'is', null), eb('cu.to_date', '>', date)]))
    .where('c.merged_into_id', 'is', null);
  if (projectId) q = q.where('cu.project_id', '=', projectId);
  if (actor.projectIds !== null) q = q.where('cu.project_id', 'in', actor.projectIds.length ? actor.projectIds : ['']);
  const rows = await q.execute();
  const ids = [...new Set(rows.map((r) => r.customer_id))];
  const rules = (await loadArchiveRules(deps.db)).value;
  const states = new Map<string, Awaited<ReturnType<typeof latestArchiveStates>> extends Map<string, infer V> ? V : never>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const [k, v] of await latestArchiveStates(deps.db, ids.slice(i, i + 500), endOfDay)) states.set(k, v);
  }
  return rows.map((r) => {
    const s = states.get(r.customer_id);
    const touchedAt = s ? Number(s.touched_at) : 0;
    return {
      customerId: r.customer_id, projectId: r.project_id, projectName: r.project_name, name: r.name,
      complete: s ? fromFlag(s.complete) : false,
      current: s ? isArchiveCurrent(touchedAt, endOfDay, rules.currencyMonths, deps.config.timeZone) : false,
      missing: s ? (JSON.parse(s.missing) as string[]) : [],
      touchedAt,
    };
  });
}

/** A finished date's members from its snapshot: later edits do not change them, a correction does. */
async function snapshotMembers(deps: Deps, actor: Actor, date: string, endOfDay: number, projectId?: string): Promise<Member[]> {
  let q = deps.db.selectFrom('kpi_scope_snapshots as s').innerJoin('customers as c', 'c.id', 's.customer_id').innerJoin('projects as p', 'p.id', 's.project_id')
    .select(['s.customer_id', 's.project_id', 'p.name as project_name', 'c.name', 's.complete', 's.missing', 's.touched_at']).where('s.date', '=', date);
  if (projectId) q = q.where('s.project_id', '=', projectId);
  if (actor.projectIds !== null) q = q.where('s.project_id', 'in', actor.projectIds.length ? actor.projectIds : ['']);
  const rules = (await loadArchiveRules(deps.db)).value;
  return (await q.execute()).map((r) => ({
    customerId: r.customer_id, projectId: r.project_id, projectName: r.project_name, name: r.name, complete: r.complete === 1,
    current: r.touched_at !== null && Number(r.touched_at) > 0 && isArchiveCurrent(Number(r.touched_at), endOfDay, rules.currencyMonths, deps.config.timeZone),
    missing: JSON.parse(r.missing) as string[], touchedAt: Number(r.touched_at),
  }));
}

function checkDate(date: string | undefined, deps: Deps): string {
  const d = date ?? today(deps);
  if (Number.isNaN(Date.parse(`${d}T00:00:00Z`))) throw badRequest('日期无效', [{ field: 'date', message: '日期无效' }]);
  if (d > today(deps)) throw badRequest('不能统计未来日期', [{ field: 'date', message: '不能晚于今天' }]);
  return d;
}

/** K4 at the end of a date: total (distinct customers) and per project. */
export async function archiveRateReport(deps: Deps, actor: Actor, dateIn?: string, projectId?: string): Promise<ArchiveRateReport> {
  const date = checkDate(dateIn, deps);
  const members = await membersAt(deps, actor, date, projectId);
  const distinct = new Map<string, Member>();
  for (const m of members) distinct.set(m.customerId, m);
  const byProject = new Map<string, { name: string; list: Member[] }>();
  for (const m of members) {
    const entry = byProject.get(m.projectId) ?? { name: m.projectName, list: [] };
    entry.list.push(m);
    byProject.set(m.projectId, entry);
  }
  return {
    date,
    total: { ...archiveRate([...distinct.values()]), target: K4_TARGET },
    byProject: [...byProject.entries()].map(([pid, e]) => ({ projectId: pid, projectName: e.name, value: { ...archiveRate(e.list), target: K4_TARGET } }))
      .sort((a, b) => a.projectName.localeCompare(b.projectName, 'zh-CN')),
  };
}

/** The customers behind K4's numbers: all in the denominator, flagged when in the numerator. */
export async function archiveRateRecords(
  deps: Deps, actor: Actor, q: { date?: string; projectId?: string; filter?: 'numerator' | 'denominator' | 'missing'; page?: number; pageSize?: number },
): Promise<{ items: ArchiveRateRecord[]; total: number; page: number; pageSize: number }> {
  const date = checkDate(q.date, deps);
  const members = await membersAt(deps, actor, date, q.projectId);
  const byCustomer = new Map<string, ArchiveRateRecord>();
  for (const m of members) {
    const rec = byCustomer.get(m.customerId);
    if (rec) {
      if (!rec.projectNames.includes(m.projectName)) rec.projectNames.push(m.projectName);
      continue;
    }
    byCustomer.set(m.customerId, {
      customerId: m.customerId, name: m.name, projectNames: [m.projectName], complete: m.complete, current: m.current,
      inNumerator: m.complete && m.current, missing: m.missing, touchedAt: iso(m.touchedAt),
    });
  }
  let list = [...byCustomer.values()];
  if (q.filter === 'numerator') list = list.filter((r) => r.inNumerator);
  if (q.filter === 'missing') list = list.filter((r) => !r.inNumerator);
  list.sort((a, b) => Number(a.inNumerator) - Number(b.inNumerator) || a.name.localeCompare(b.name, 'zh-CN'));
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  return { items: list.slice((page - 1) * pageSize, page * pageSize), total: list.length, page, pageSize };
}
