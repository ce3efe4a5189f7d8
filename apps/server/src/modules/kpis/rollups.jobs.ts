import type { Deps } from '../../deps.js';
import type { JobRunner } from '../../platform/jobs.js';
import { systemActor } from '../../platform/auth.js';
import { runReport } from './kpis.reports.js';
import { backfillRollups, RECONCILE_JOB, RECONCILE_RUN, refreshRollups, ROLLUP_JOB } from './rollups.service.js';

/**
 * The rollup jobs: `kpi.rollups` (every minute) backfills existing data day by day until done,
 * then folds the marked and time-overtaken days in; `kpi.reconcile` (nightly) compares the
 * rollup-served K1/K2 with the raw recomputation for every project and month in the report
 * worker and records any drift (table and log; shown to admins).
 */
export function registerRollupJobs(runner: JobRunner, deps: Deps): void {
  runner.register(ROLLUP_JOB, {
    run: async (_payload, ctx) => {
      const b = await backfillRollups(deps, { maxDays: 60 });
      if (b.days) ctx.log.info(b, 'KPI rollups backfilled');
      if (!b.done) return;
      const r = await refreshRollups(deps);
      if (r.days) ctx.log.debug(r, 'KPI rollups refreshed');
    },
  });
  runner.register(RECONCILE_JOB, {
    run: async (_payload, ctx) => {
      await refreshRollups(deps);
      const started = deps.clock.now().getTime();
      const r = await runReport(deps, 'kpis.reconcile', systemActor('kpi-reconcile', 'KPI 核对'), {});
      if (!r) return;
      const at = deps.clock.now().getTime();
      await deps.db.transaction().execute(async (trx) => {
        for (const d of r.drift) {
          await trx.insertInto('kpi_rollup_drift').values({ id: deps.ids.next(), checked_at: at, project_id: d.projectId, month: d.month, kpi: d.kpi, expected: JSON.stringify(d.expected), actual: JSON.stringify(d.actual) }).execute();
        }
        const row = { state: 'done', cursor: null, done: r.checked, total: r.checked, drift: r.drift.length, started_at: started, finished_at: at, updated_at: at };
        await trx.insertInto('kpi_rollup_runs').values({ id: RECONCILE_RUN, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
      });
      if (r.drift.length) ctx.log.error({ drift: r.drift.slice(0, 20), count: r.drift.length }, 'KPI rollups drift from the raw computation');
      else ctx.log.info({ checked: r.checked }, 'KPI rollups reconciled: no drift');
    },
  });
}
