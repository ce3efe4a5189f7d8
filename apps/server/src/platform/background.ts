import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

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

