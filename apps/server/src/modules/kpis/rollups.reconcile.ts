import type { Deps } from '../../deps.js';
import { systemActor } from '../../platform/auth.js';
import { zonedDate } from '../../platform/time.js';
import { monthsOf } from './dashboard.service.js';
import { k1Report } from './k1.service.js';
import { k2Report } from './k2.service.js';
import { k1k2Of } from './kpis.service.js';
import { periodOf } from './period.js';
import { rollupDays, sumDays } from './rollups.service.js';

const GROUP = systemActor('kpi-reconcile', 'KPI 核对');

/** One difference between the rollup-served K1/K2 and the raw recomputation. */
export interface Drift {
  projectId: string;
  month: string;
  kpi: 'k1' | 'k2';
  expected: Record<string, number>;
  actual: Record<string, number>;
}

/**
 * Compares, for every project and month the rollups cover, K1 and K2 as the rollups serve them
 * with the raw reference computation. Read-only: runs in the report worker; the nightly job
 * records what it returns.
 */
export async function reconcileRollups(deps: Deps, opts: { from?: string; to?: string } = {}): Promise<{ checked: number; drift: Drift[] } | null> {
  const span = await deps.db.selectFrom('kpi_rollups').select((eb) => [eb.fn.min('day').as('lo'), eb.fn.max('day').as('hi')]).executeTakeFirst();
  const today = zonedDate(deps.clock.now().getTime(), deps.config.timeZone);
  const from = opts.from ?? (span?.lo as string | null) ?? today;
  const hi = (span?.hi as string | null) ?? today;
  const to = opts.to ?? (hi > today ? hi : today);
  const projects = await deps.db.selectFrom('projects').select('id').orderBy('id').execute();
  const drift: Drift[] = [];
  let checked = 0;
  for (const m of monthsOf(from, to)) {
    for (const p of projects) {
      const f = { from: m.from, to: m.to, projectId: p.id };
      const days = await rollupDays(deps, GROUP, f, periodOf(deps, f));
      if (!days) return null;
      const rolled = k1k2Of(sumDays(days, f.from, f.to));
      const [k1, k2] = await Promise.all([k1Report(deps, GROUP, f), k2Report(deps, GROUP, f)]);
      const e1 = { numerator: k1.numerator, denominator: k1.denominator, notDue: k1.notDue };
      const a1 = { numerator: rolled.k1.numerator, denominator: rolled.k1.denominator, notDue: rolled.k1.notDue };
      const e2 = { numerator: k2.numerator, denominator: k2.denominator, unreachable: k2.unreachable };
      const a2 = { numerator: rolled.k2.numerator, denominator: rolled.k2.denominator, unreachable: rolled.k2.unreachable };
      if (JSON.stringify(e1) !== JSON.stringify(a1)) drift.push({ projectId: p.id, month: m.month, kpi: 'k1', expected: e1, actual: a1 });
      if (JSON.stringify(e2) !== JSON.stringify(a2)) drift.push({ projectId: p.id, month: m.month, kpi: 'k2', expected: e2, actual: a2 });
      checked += 2;
    }
  }
  return { checked, drift };
}
