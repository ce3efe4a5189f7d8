import type { Deps } from '../../deps.js';
import { badRequest, notFound } from '../../http/app-error.js';
import { projectInScope, type Actor } from '../../platform/auth.js';
import { zonedDayStart } from '../../platform/time.js';

/** The filter every KPI takes: a period of calendar dates, a project and a handling department. */
export interface KpiFilter {
  from: string;
  to: string;
  projectId?: string | undefined;
  departmentId?: string | undefined;
}

/**
 * Validates a period (dates in order, at most 5 years apart) and gives its instants:
 * `[start of from, start of the day after to)` in the business time zone.
 */
export function periodOf(deps: Deps, f: { from: string; to: string }): { fromMs: number; toMs: number } {
  if (f.from > f.to) throw badRequest('开始日期不能晚于结束日期', [{ field: 'from', message: '开始日期晚于结束日期' }]);
  const fromMs = zonedDayStart(f.from, deps.config.timeZone);
  const toMs = zonedDayStart(f.to, deps.config.timeZone, 1);
  if (toMs - fromMs > 5 * 366 * 86_400_000) throw badRequest('统计区间不能超过 5 年', [{ field: 'to', message: '区间过长' }]);
  return { fromMs, toMs };
}

/** A project filter outside the caller's scope is a 404, as for any record. */
export function checkProjectScope(actor: Actor, projectId?: string): void {
  if (projectId && !projectInScope(actor, projectId)) throw notFound('项目不存在或不在您的数据范围内');
}
