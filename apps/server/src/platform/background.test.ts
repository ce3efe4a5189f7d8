import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import type { Deps } from '../deps.js';
import { createTestDb, type TestDb } from '../test/db.js';
import { seedWorld, type World } from '../test/world.js';
import { cleanupSessions, purgeFinishedJobs } from './background.js';
import { createBackground, startBackgroundWork } from '../jobs.js';
import { FixedClock } from './clock.js';
import { uuidV7Ids } from './ids.js';
import { createNotifier } from './notify.js';
import { enqueueMessage } from './outbox.js';
import { tempDir } from '../test/temp-dir.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let tdb: TestDb;
let world: World;
let clock: FixedClock;
let deps: Deps;

beforeAll(async () => {
  tdb = await createTestDb();
  clock = new FixedClock('2026-11-27T02:00:00Z');
  const config = loadConfig({ DATA_DIR: tempDir('ql-bg-'), LOG_LEVEL: 'silent' });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  deps = { config, db: tdb.db, dialect: tdb.dialect, clock, ids: uuidV7Ids(clock), log, notifier: createNotifier(config, log) };
  world = await seedWorld(deps);
});
afterAll(async () => tdb.destroy());
beforeEach(async () => {
  clock.set('2026-11-27T02:00:00Z');
  for (const t of ['sessions', 'login_failures', 'login_throttles', 'jobs', 'schedules', 'notifications', 'outbox'] as const) await tdb.db.deleteFrom(t).execute();
});

/** Sessions and login failures at known ages relative to now. */
async function seedSessions(now: number) {
  const user = world.users.agent_a!;
  const session = (id: string, expiresAt: number, revokedAt: number | null) => ({
    id, user_id: user, created_at: now - 10 * DAY, last_seen_at: now - 10 * DAY, expires_at: expiresAt, revoked_at: revokedAt, ip: null, user_agent: null,
  });
  await tdb.db.insertInto('sessions').values([
    session('live', now + HOUR, null),
    session('expired-recently', now - HOUR, null),
    session('expired-long-ago', now - DAY - 1, null),
    session('revoked-recently', now + HOUR, now - HOUR),
    session('revoked-long-ago', now + HOUR, now - DAY - 1),
  ]).execute();
  await tdb.db.insertInto('login_failures').values([
    { id: 'f-new', user_id: user, at: now - HOUR, ip: null },
    { id: 'f-old', user_id: user, at: now - DAY - 1, ip: null },
  ]).execute();
  await tdb.db.insertInto('login_throttles').values([
    { key: 'th-new', failures: 7, streak_started_at: now - 2 * HOUR, last_failure_at: now - HOUR },
    { key: 'th-old', failures: 7, streak_started_at: now - 2 * DAY, last_failure_at: now - DAY - 1 },
  ]).execute();
}

describe('sessions.cleanup', () => {
  it('deletes sessions expired or revoked more than a day ago, login failures and throttle streaks older than a day', async () => {
    const now = clock.now().getTime();
    await seedSessions(now);
    expect(await cleanupSessions(tdb.db, now)).toEqual({ sessions: 2, loginFailures: 1, loginThrottles: 1 });
    const left = (await tdb.db.selectFrom('sessions').select('id').orderBy('id').execute()).map((s) => s.id);
    expect(left).toEqual(['expired-recently', 'live', 'revoked-recently']);
    expect((await tdb.db.selectFrom('login_failures').select('id').execute()).map((f) => f.id)).toEqual(['f-new']);
    expect((await tdb.db.selectFrom('login_throttles').select('key').execute()).map((r) => r.key)).toEqual(['th-new']);
    expect(await cleanupSessions(tdb.db, now)).toEqual({ sessions: 0, loginFailures: 0, loginThrottles: 0 });
  });

  it('runs hourly through the scheduler and the job runner', async () => {
    const { runner, scheduler } = createBackground(deps);
    const now = clock.now().getTime();
    await seedSessions(now);
    await scheduler.tick();
    await runner.runDue();
    expect(await tdb.db.selectFrom('sessions').select('id').execute()).toHaveLength(3);
    const cleanupJobs = () => tdb.db.selectFrom('jobs').selectAll().where('kind', '=', 'sessions.cleanup').execute();
    expect((await cleanupJobs()).map((j) => j.status)).toEqual(['done']);
    clock.advance(HOUR - 1);
    // Only calls.close_timed_out (every 5 minutes) and kpi.rollups (every minute) are due before the hour.
    expect(await scheduler.tick()).toBe(2);
    clock.advance(1);
    // sessions.cleanup, exports.cleanup, kpi.scope_snapshot and search.backfill are the hourly schedules (+ the 5-minute and 1-minute ones).
    expect(await scheduler.tick()).toBe(6);
  });
});

describe('jobs.purge', () => {
  it('deletes jobs done more than a week ago and keeps dead and recent ones', async () => {
    const now = clock.now().getTime();
    const job = (id: string, status: 'done' | 'dead' | 'pending', finishedAt: number | null) => ({
      id, kind: 'x', payload: '{}', status, run_at: now - 30 * DAY, attempts: 1, max_attempts: 3, last_error: null, locked_by: null, locked_until: null,
      dedupe_key: null, created_at: now - 30 * DAY, finished_at: finishedAt,
    });
    await tdb.db.insertInto('jobs').values([
      job('done-old', 'done', now - 8 * DAY), job('done-new', 'done', now - DAY), job('dead-old', 'dead', now - 20 * DAY), job('pending', 'pending', null),
    ]).execute();
    expect(await purgeFinishedJobs(tdb.db, now)).toBe(1);
    expect((await tdb.db.selectFrom('jobs').select('id').orderBy('id').execute()).map((j) => j.id)).toEqual(['dead-old', 'done-new', 'pending']);
  });
});

describe('startBackgroundWork', () => {
  it('ticks the schedules and delivers the outbox on its own, and stops cleanly', async () => {
    await seedSessions(clock.now().getTime());
    const { id } = await enqueueMessage(tdb.db, deps, { channel: 'in_app', recipient: world.users.agent_a!, body: '后台投递', idempotencyKey: 'bg-1' });
    const bg = startBackgroundWork(deps);
    try {
      await waitFor(async () => {
        const [msg, cleanup] = await Promise.all([
          tdb.db.selectFrom('outbox').select('status').where('id', '=', id).executeTakeFirst(),
          tdb.db.selectFrom('jobs').select('status').where('kind', '=', 'sessions.cleanup').executeTakeFirst(),
        ]);
        return msg?.status === 'delivered' && cleanup?.status === 'done';
      });
    } finally {
      await bg.stop();
    }
    expect(await tdb.db.selectFrom('sessions').select('id').execute()).toHaveLength(3);
    const schedules = (await tdb.db.selectFrom('schedules').select('name').orderBy('name').execute()).map((s) => s.name);
    expect(schedules).toEqual(['calendar.missing_warning', 'calls.close_timed_out', 'exports.cleanup', 'jobs.purge', 'kpi.reconcile', 'kpi.rollups', 'kpi.scope_snapshot', 'search.backfill', 'sessions.cleanup']);
  });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the nightly KPI reconciliation', () => {
  it('is first due at 03:00 business time, never at start-up', async () => {
    const { nextBusinessHour } = await import('../jobs.js');
    // 2026-12-03 18:00 in Shanghai (10:00 UTC) → 2026-12-04 03:00 Shanghai (2026-12-03 19:00 UTC).
    expect(new Date(nextBusinessHour(Date.parse('2026-12-03T10:00:00Z'), 3, 'Asia/Shanghai')).toISOString()).toBe('2026-12-03T19:00:00.000Z');
    // 01:00 in Shanghai → 03:00 the same day.
    expect(new Date(nextBusinessHour(Date.parse('2026-12-03T17:00:00Z'), 3, 'Asia/Shanghai')).toISOString()).toBe('2026-12-03T19:00:00.000Z');
    await tdb.db.deleteFrom('schedules').execute();
    const { scheduler } = createBackground(deps);
    // The fixed clock is 2026-11-27 10:00 in Shanghai: the first run is at 03:00 the next day.
    await scheduler.ensure(clock.now().getTime());
    const row = await tdb.db.selectFrom('schedules').select('next_run_at').where('name', '=', 'kpi.reconcile').executeTakeFirstOrThrow();
    expect(new Date(Number(row.next_run_at)).toISOString()).toBe('2026-11-27T19:00:00.000Z');
    const rollups = await tdb.db.selectFrom('schedules').select('next_run_at').where('name', '=', 'kpi.rollups').executeTakeFirstOrThrow();
    expect(Number(rollups.next_run_at)).toBe(clock.now().getTime());
  });
});
