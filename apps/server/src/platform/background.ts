import type { Kysely } from 'kysely';
import { OVERDUE_JOB, warnOverdue } from '../modules/handover/handover.service.js';
import { handoverBatchExporter } from '../modules/handover/handover.export.js';
import type { DB } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { JobRunner, Scheduler, safeErrorText, type JobRunnerOptions } from './jobs.js';
import { registerOutboxDelivery } from './outbox.js';
import { registerSlaTimers } from '../modules/tickets/sla-timers.js';
import { registerExportJobs } from './exports.js';
import { customersExporter } from '../modules/customers/customers.export.js';
import { ticketsExporter } from '../modules/tickets/tickets.export.js';
import { kpisExporter } from '../modules/kpis/kpis.export.js';
import { surveyResultsExporter } from '../modules/surveys/surveys.export.js';
import { CALENDAR_WARNING_JOB, logCalendarStatus, remindMissingCalendar } from '../modules/calendar/calendar-warning.js';
import { completeDaySnapshot, SCOPE_SNAPSHOT_JOB } from '../modules/customers/scope-snapshots.service.js';
import { customersToIndex } from '../modules/customers/customers.service.js';
import { backfillSearchIndex } from './search.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Sessions and login failures are kept this long past their end, for support questions. */
export const SESSION_RETENTION_MS = DAY;
/** Finished jobs are kept this long for troubleshooting; dead jobs are kept until handled. */
export const DONE_JOB_RETENTION_MS = 7 * DAY;

/**
 * Deletes sessions that expired or were revoked more than a day ago, login failures older than
 * a day (no longer written) and login-throttle streaks whose last failure is more than a day old
 * (a streak is forgotten after an hour, so they no longer count). Idempotent.
 */
export async function cleanupSessions(db: Kysely<DB>, nowMs: number): Promise<{ sessions: number; loginFailures: number; loginThrottles: number }> {
  const cutoff = nowMs - SESSION_RETENTION_MS;
  const s = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb.and([eb('revoked_at', 'is not', null), eb('revoked_at', '<', cutoff)])]))
    .executeTakeFirst();
  const f = await db.deleteFrom('login_failures').where('at', '<', cutoff).executeTakeFirst();
  const th = await db.deleteFrom('login_throttles').where('last_failure_at', '<', cutoff).executeTakeFirst();
  return { sessions: Number(s.numDeletedRows), loginFailures: Number(f.numDeletedRows), loginThrottles: Number(th.numDeletedRows) };
}

/** Deletes jobs finished successfully more than a week ago; the job table would grow without end. */
export async function purgeFinishedJobs(db: Kysely<DB>, nowMs: number): Promise<number> {
  const res = await db
    .deleteFrom('jobs')
    .where('status', '=', 'done')
    .where('finished_at', '<', nowMs - DONE_JOB_RETENTION_MS)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

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
  runner.register(OVERDUE_JOB, {
    run: async (payload) => warnOverdue(deps, (payload as { defectId: string }).defectId),
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

  const scheduler = new Scheduler(deps, { tickMs: opts.tickMs });
  scheduler.add({ name: 'sessions.cleanup', intervalMs: HOUR });
  scheduler.add({ name: 'jobs.purge', intervalMs: DAY });
  scheduler.add({ name: cleanupJob, intervalMs: HOUR });
  // Daily; the reminder itself is once a week per admin (issue #20 gap 10).
  scheduler.add({ name: CALENDAR_WARNING_JOB, intervalMs: DAY });
  // Completes yesterday's K3/K4 scope snapshot (writes keep today's current; issue #20 defect 3).
  scheduler.add({ name: SCOPE_SNAPSHOT_JOB, intervalMs: HOUR });
  scheduler.add({ name: 'search.backfill', intervalMs: HOUR });
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
