/**
 * Every job kind of the process, in one place next to app.ts: the durable job handlers each
 * module contributes and the periodic schedules. platform/ knows no module; this file wires them.
 */
import type { Deps } from './deps.js';
import { JobRunner, Scheduler, safeErrorText, type JobRunnerOptions } from './platform/jobs.js';
import { registerOutboxDelivery } from './platform/outbox.js';
import { registerExportJobs } from './platform/exports.js';
import { backfillSearchIndex } from './platform/search.js';
import { cleanupSessions, DAY, HOUR, purgeFinishedJobs } from './platform/background.js';
import { zonedDate, zonedDayStart } from './platform/time.js';
import { registerSlaTimers } from './modules/tickets/sla-timers.js';
import { customersExporter } from './modules/customers/customers.export.js';
import { ticketsExporter } from './modules/tickets/tickets.export.js';
import { kpisExporter } from './modules/kpis/kpis.export.js';
import { surveyResultsExporter } from './modules/surveys/surveys.export.js';
import { CALENDAR_WARNING_JOB, logCalendarStatus, remindMissingCalendar } from './modules/calendar/calendar-warning.js';
import { completeDaySnapshot, SCOPE_SNAPSHOT_JOB } from './modules/customers/scope-snapshots.service.js';
import { customersToIndex } from './modules/customers/customers.service.js';
import { registerRollupJobs } from './modules/kpis/rollups.jobs.js';
import { RECONCILE_JOB, ROLLUP_JOB } from './modules/kpis/rollups.service.js';
import { CALL_TIMEOUT_JOB, closeTimedOutCalls } from './modules/hotline/active-call.service.js';
import { OVERDUE_JOB as HANDOVER_OVERDUE_JOB, warnOverdue } from './modules/handover/handover.service.js';
import { handoverBatchExporter } from './modules/handover/handover.export.js';

/** The runner and scheduler of a process, wired with every job kind; background work and tests share it. */
export function createBackground(deps: Deps, opts: JobRunnerOptions & { tickMs?: number } = {}): { runner: JobRunner; scheduler: Scheduler } {
  const runner = new JobRunner(deps, opts);
  registerOutboxDelivery(runner, deps);
  registerSlaTimers(runner, deps);
  const { cleanupJob } = registerExportJobs(runner, deps, [customersExporter, ticketsExporter, kpisExporter, surveyResultsExporter, handoverBatchExporter]);
  runner.register('sessions.cleanup', {
    run: async (_payload, ctx) => {
      const removed = await cleanupSessions(deps.db, ctx.now.getTime());
      ctx.log.info(removed, 'expired sessions removed');
    },
  });
  runner.register('jobs.purge', {
    run: async (_payload, ctx) => {
      const removed = await purgeFinishedJobs(deps.db, ctx.now.getTime());
      ctx.log.info({ removed }, 'finished jobs purged');
    },
  });

  runner.register(CALENDAR_WARNING_JOB, {
    run: async (_payload, ctx) => {
      const r = await remindMissingCalendar(deps);
      if (r.year !== null) ctx.log.info(r, 'missing working calendar: admins reminded');
    },
  });

  runner.register(SCOPE_SNAPSHOT_JOB, {
    run: async (_payload, ctx) => {
      const r = await completeDaySnapshot(deps);
      if (r) ctx.log.info(r, 'K3/K4 scope snapshot completed');
    },
  });

  runner.register('search.backfill', {
    run: async (_payload, ctx) => {
      // Small batches with a pause between them keep requests flowing; a crash resumes from the saved position.
      const r = await backfillSearchIndex(deps, 'customer', customersToIndex, { batch: 200 });
      if (r.indexed) ctx.log.info(r, 'customer search index backfilled');
    },
  });

  // A rectification past its deadline (one durable job per defect, scheduled at its deadline).
  runner.register(HANDOVER_OVERDUE_JOB, {
    run: async (payload) => warnOverdue(deps, (payload as { defectId: string }).defectId),
  });
  registerRollupJobs(runner, deps);
  runner.register(CALL_TIMEOUT_JOB, {
    run: async () => {
      await closeTimedOutCalls(deps);
    },
  });

  const scheduler = new Scheduler(deps, { tickMs: opts.tickMs });
  scheduler.add({ name: 'sessions.cleanup', intervalMs: HOUR });
  scheduler.add({ name: 'jobs.purge', intervalMs: DAY });
  scheduler.add({ name: cleanupJob, intervalMs: HOUR });
  // Daily; the reminder itself is once a week per admin (issue #20 gap 10).
  scheduler.add({ name: CALENDAR_WARNING_JOB, intervalMs: DAY });
  // Completes yesterday's K3/K4 scope snapshot (writes keep today's current; issue #20 defect 3).
  scheduler.add({ name: SCOPE_SNAPSHOT_JOB, intervalMs: HOUR });
  scheduler.add({ name: 'search.backfill', intervalMs: HOUR });
  // KPI rollups: dirty days recomputed every minute, reconciled with the raw computation nightly (issue #11).
  scheduler.add({ name: ROLLUP_JOB, intervalMs: 60_000 });
  // At 03:00 business time, never at start-up: it recomputes every project's months and
  // would hold the report worker while people start their day.
  scheduler.add({ name: RECONCILE_JOB, intervalMs: DAY, firstRunAt: (nowMs) => nextBusinessHour(nowMs, 3, deps.config.timeZone) });
  // Calls whose hang-up event never arrived (issue #18 defect 1): checked every 5 minutes.
  scheduler.add({ name: CALL_TIMEOUT_JOB, intervalMs: 5 * 60_000 });
  return { runner, scheduler };
}

/** Starts the job runner and scheduler of this process. */
export function startBackgroundWork(deps: Deps): { stop(): Promise<void> } {
  const { runner, scheduler } = createBackground(deps);
  // The scheduler writes its rows on its first tick and retries on its own if the database is
  // not reachable yet; neither loop throws into the process.
  runner.start();
  scheduler.start();
  deps.log.info({ runner: runner.id }, 'background jobs started');
  void logCalendarStatus(deps).catch((err: unknown) => deps.log.error({ error: safeErrorText(err) }, 'checking the working calendar failed'));
  return {
    stop: async () => {
      try {
        await Promise.all([scheduler.stop(), runner.stop()]);
      } catch (err) {
        deps.log.error({ error: safeErrorText(err) }, 'stopping background jobs failed');
      }
    },
  };
}

/** The next instant after `nowMs` that is `hour`:00 in the business time zone. */
export function nextBusinessHour(nowMs: number, hour: number, timeZone: string): number {
  const today = zonedDayStart(zonedDate(nowMs, timeZone), timeZone) + hour * HOUR;
  return today > nowMs ? today : zonedDayStart(zonedDate(nowMs, timeZone), timeZone, 1) + hour * HOUR;
}
