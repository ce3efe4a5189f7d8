import type { KpiSet } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { Actor } from '../../platform/auth.js';
import { zonedDate } from '../../platform/time.js';
import { k1Complaints, k1Report, k1Summary } from './k1.service.js';
import { k2Complaints, k2Report, k2Summary } from './k2.service.js';
import { k3Report } from './k3.service.js';
import { archiveRateReport } from './k4.service.js';
import type { KpiFilter } from './period.js';

/** The filters each KPI honours (see the KpiSet contract): departments handle complaints, not visits or archives. */
export const KPI_FILTERS: KpiSet['filters'] = { k1: ['project', 'department'], k2: ['project', 'department'], k3: ['project'], k4: ['project'] };

/** All four KPIs for a period, project and department, computed by mission.md's definitions. */
export async function kpiSet(
  deps: Deps, actor: Actor, f: KpiFilter,
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
