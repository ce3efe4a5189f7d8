import type { KpiSet } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { Actor } from '../../platform/auth.js';
import { zonedDate } from '../../platform/time.js';
import { K1_TARGET, k1Complaints, k1Report, k1Summary } from './k1.service.js';
import { K2_TARGET, k2Complaints, k2Report, k2Summary } from './k2.service.js';
import { k3Report } from './k3.service.js';
import { archiveRateReport } from './k4.service.js';
import { periodOf, type KpiFilter } from './period.js';
import { rollupDays, sumDays, type KpiCounts } from './rollups.service.js';

/** The filters each KPI honours (see the KpiSet contract): departments handle complaints, not visits or archives. */
export const KPI_FILTERS: KpiSet['filters'] = { k1: ['project', 'department'], k2: ['project', 'department'], k3: ['project'], k4: ['project'] };

/** K1 and K2 of summed rollup counts, in the shape of the raw summaries. */
export function k1k2Of(c: KpiCounts) {
  const k1d = c.k1OnTime + c.k1Late;
  const k2d = c.k2Satisfied + c.k2Dissatisfied;
  return {
    k1: { numerator: c.k1OnTime, denominator: k1d, rate: k1d ? c.k1OnTime / k1d : null, target: K1_TARGET, notDue: c.k1NotDue },
    k2: { numerator: c.k2Satisfied, denominator: k2d, rate: k2d ? c.k2Satisfied / k2d : null, target: K2_TARGET, unreachable: c.k2Unreachable },
  };
}

/**
 * All four KPIs for a period: K1 and K2 from the rollups (exactly the raw computation, see
 * rollups.service.ts), K3 and K4 as computed from their snapshots; the raw reference while the
 * rollup backfill has not finished.
 */
export async function kpiSet(deps: Deps, actor: Actor, f: KpiFilter, days?: Map<string, KpiCounts> | null): Promise<KpiSet> {
  const rolled = days === undefined ? await rollupDays(deps, actor, f, periodOf(deps, f)) : days;
  if (!rolled) return kpiSetReference(deps, actor, f);
  const { k1, k2 } = k1k2Of(sumDays(rolled, f.from, f.to));
  const [k3, k4] = await Promise.all([k3Report(deps, actor, f), k4Of(deps, actor, f)]);
  return { from: f.from, to: f.to, k1, k2, k3, k4, filters: KPI_FILTERS };
}

async function k4Of(deps: Deps, actor: Actor, f: KpiFilter): Promise<KpiSet['k4']> {
  const today = zonedDate(deps.clock.now().getTime(), deps.config.timeZone);
  const k4 = await archiveRateReport(deps, actor, f.to > today ? today : f.to, f.projectId);
  return { numerator: k4.total.numerator, denominator: k4.total.denominator, rate: k4.total.rate, target: k4.total.target };
}

/** All four KPIs for a period, project and department from raw rows: the reference the rollups are checked against. */
export async function kpiSetReference(
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

/** K1 over a period from the rollups (the raw computation while the backfill has not finished). */
export async function k1Rolled(deps: Deps, actor: Actor, f: KpiFilter) {
  const rolled = await rollupDays(deps, actor, f, periodOf(deps, f));
  if (!rolled) return k1Report(deps, actor, f);
  return { from: f.from, to: f.to, ...k1k2Of(sumDays(rolled, f.from, f.to)).k1 };
}
