import type { Deps } from '../../deps.js';
import type { Actor } from '../../platform/auth.js';
import { reportWorker } from '../../platform/reports.js';
import { k1Records } from './k1.service.js';
import { dashboard } from './dashboard.service.js';
import { k2Records } from './k2.service.js';
import { k3Records } from './k3.service.js';
import { archiveRateRecords, archiveRateReport } from './k4.service.js';
import { k1Rolled, kpiSet } from './kpis.service.js';
import { reconcileRollups } from './rollups.reconcile.js';

/*
 * The reports that can take seconds over a group's history. They run in the report worker
 * (platform/reports.ts) so that the request thread keeps serving the agents and the hotline
 * while a leader looks at a year; each one only reads.
 */
export const REPORTS = {
  'kpis.set': (deps: Deps, actor: Actor, a: Parameters<typeof kpiSet>[2]) => kpiSet(deps, actor, a),
  'kpis.dashboard': (deps: Deps, actor: Actor, a: Parameters<typeof dashboard>[2]) => dashboard(deps, actor, a),
  'kpis.k1': (deps: Deps, actor: Actor, a: Parameters<typeof k1Rolled>[2]) => k1Rolled(deps, actor, a),
  'kpis.k1_records': (deps: Deps, actor: Actor, a: Parameters<typeof k1Records>[2]) => k1Records(deps, actor, a),
  'kpis.k2_records': (deps: Deps, actor: Actor, a: Parameters<typeof k2Records>[2]) => k2Records(deps, actor, a),
  'kpis.k4': (deps: Deps, actor: Actor, a: { date?: string | undefined; projectId?: string | undefined }) => archiveRateReport(deps, actor, a.date, a.projectId),
  'kpis.k4_records': (deps: Deps, actor: Actor, a: Parameters<typeof archiveRateRecords>[2]) => archiveRateRecords(deps, actor, a),
  'kpis.k3_records': (deps: Deps, actor: Actor, a: Parameters<typeof k3Records>[2]) => k3Records(deps, actor, a),
  'kpis.reconcile': (deps: Deps, _actor: Actor, a: Parameters<typeof reconcileRollups>[1]) => reconcileRollups(deps, a),
} as const;

export type ReportName = keyof typeof REPORTS;
export type ReportArgs<N extends ReportName> = Parameters<(typeof REPORTS)[N]>[2];
export type ReportResult<N extends ReportName> = Awaited<ReturnType<(typeof REPORTS)[N]>>;

/** Runs a report in the report worker, or on this thread where there is none (REPORT_WORKER=false). */
export async function runReport<N extends ReportName>(deps: Deps, name: N, actor: Actor, args: ReportArgs<N>): Promise<ReportResult<N>> {
  const report = REPORTS[name] as (deps: Deps, actor: Actor, args: ReportArgs<N>) => Promise<ReportResult<N>>;
  if (!deps.config.reportWorker) return report(deps, actor, args);
  return reportWorker(deps, import.meta.url).run(name, actor, args, deps.clock.now().getTime()) as Promise<ReportResult<N>>;
}
