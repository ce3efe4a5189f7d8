import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../db/create-db.js';
import type { DB } from '../db/schema.js';
import { createTestDb, type TestDb } from '../test/db.js';
import { FixedClock } from './clock.js';
import { uuidV7Ids } from './ids.js';
import { backoffMs, enqueueJob, ensureSchedule, JobRunner, PermanentJobError, safeErrorText, Scheduler, type JobDeps } from './jobs.js';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const T0 = '2026-11-27T02:00:00Z';

let tdb: TestDb;
let clock: FixedClock;
let deps: JobDeps;
// Silence is the default; TEST_LOG_LEVEL=debug shows the runner's logs.
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(async () => tdb.destroy());
beforeEach(async () => {
  await tdb.db.deleteFrom('jobs').execute();
  await tdb.db.deleteFrom('schedules').execute();
  clock = new FixedClock(T0);
  deps = { db: tdb.db, clock, ids: uuidV7Ids(clock), log };
});

const jobRows = (kind: string) => tdb.db.selectFrom('jobs').selectAll().where('kind', '=', kind).orderBy('created_at').orderBy('id').execute();
const jobOf = (id: string) => tdb.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A second connection pool on the same database (PostgreSQL) or the same handle (SQLite). */
function secondDb(): { db: Kysely<DB>; close(): Promise<void> } {
  if (tdb.dialect !== 'postgres') return { db: tdb.db, close: async () => {} };
  const other = createDb(tdb.url, { searchPath: tdb.searchPath, poolSize: 5 });
  return { db: other.db, close: () => other.db.destroy() };
}

describe('backoff', () => {
  it('doubles from 10 s and stops at one hour', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(backoffMs(10)).toBe(3_600_000);
    expect(backoffMs(30)).toBe(3_600_000);
  });
});

describe('safeErrorText', () => {
  it('removes e-mail addresses and phone numbers from error messages', () => {
    const text = safeErrorText(new Error('550 5.1.1 <wang.fang@example.com>: rejected; sms to +86 138-0013-8000 failed'));
    expect(text).not.toMatch(/wang\.fang|example\.com|138/);
    expect(text).toContain('<email>');
    expect(text).toContain('<number>');
  });
});

describe('enqueueJob', () => {
  it('writes in the caller transaction: a rolled-back command leaves no job', async () => {
    await expect(tdb.db.transaction().execute(async (trx) => {
      await enqueueJob(trx, deps, { kind: 'test.tx', payload: { n: 1 } });
      throw new Error('rollback');
    })).rejects.toThrow('rollback');
    expect(await jobRows('test.tx')).toHaveLength(0);
  });

  it('keeps the first job of a dedupe key and ignores the second', async () => {
    const first = await enqueueJob(tdb.db, deps, { kind: 'test.dedupe', payload: { n: 1 }, dedupeKey: 'k1' });
    const second = await enqueueJob(tdb.db, deps, { kind: 'test.dedupe', payload: { n: 2 }, dedupeKey: 'k1' });
    expect(first).toBeTypeOf('string');
    expect(second).toBeNull();
    const rows = await jobRows('test.dedupe');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.payload)).toEqual({ n: 1 });
  });
});

describe('JobRunner', () => {
  it('runs a due job exactly once and marks it done', async () => {
    const seen: unknown[] = [];
    const runner = new JobRunner(deps).register<{ n: number }>('test.once', { run: async (p, ctx) => { seen.push({ p, attempt: ctx.attempt }); } });
    const id = (await enqueueJob(tdb.db, deps, { kind: 'test.once', payload: { n: 7 } }))!;
    expect(await runner.runDue()).toBe(1);
    expect(await runner.runDue()).toBe(0);
    expect(seen).toEqual([{ p: { n: 7 }, attempt: 1 }]);
    const row = await jobOf(id);
    expect(row).toMatchObject({ status: 'done', attempts: 1, locked_by: null, locked_until: null });
    expect(Number(row.finished_at)).toBe(new Date(T0).getTime());
  });

  it('does not run a job before its run_at', async () => {
    let runs = 0;
    const runner = new JobRunner(deps).register('test.later', { run: async () => { runs++; } });
    await enqueueJob(tdb.db, deps, { kind: 'test.later', payload: null, runAt: clock.now().getTime() + 60_000 });
    expect(await runner.runDue()).toBe(0);
    clock.advance(60_000);
    expect(await runner.runDue()).toBe(1);
    expect(runs).toBe(1);
  });

  it('leaves kinds it has no handler for to other runners (rolling deploys)', async () => {
    const runner = new JobRunner(deps).register('test.known', { run: async () => {} });
    const id = (await enqueueJob(tdb.db, deps, { kind: 'test.unknown', payload: null }))!;
    expect(await runner.runDue()).toBe(0);
    expect((await jobOf(id)).status).toBe('pending');
  });

  it('retries a failing job with exponential backoff, then gives up as dead and calls onDead once', async () => {
    const attempts: number[] = [];
    const dead: string[] = [];
    const runner = new JobRunner(deps).register('test.fail', {
      run: async (_p, ctx) => {
        attempts.push(ctx.attempt);
        throw new Error(`boom ${ctx.attempt}`);
      },
      onDead: async (_p, ctx) => { dead.push(ctx.error); },
    });
    const id = (await enqueueJob(tdb.db, deps, { kind: 'test.fail', payload: {}, maxAttempts: 3 }))!;
    const t0 = clock.now().getTime();

    await runner.runDue();
    let row = await jobOf(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'boom 1', locked_by: null });
    expect(Number(row.run_at)).toBe(t0 + 10_000);

    clock.advance(9_999);
    expect(await runner.runDue()).toBe(0);
    clock.advance(1);
    await runner.runDue();
    row = await jobOf(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 2, last_error: 'boom 2' });
    expect(Number(row.run_at)).toBe(t0 + 10_000 + 20_000);

    clock.advance(20_000);
    await runner.runDue();
    row = await jobOf(id);
    expect(row).toMatchObject({ status: 'dead', attempts: 3, last_error: 'boom 3', locked_by: null });
    expect(Number(row.finished_at)).toBe(clock.now().getTime());
    expect(attempts).toEqual([1, 2, 3]);
    expect(dead).toEqual(['boom 3']);

    clock.advance(3_600_000);
    expect(await runner.runDue()).toBe(0);
  });

  it('gives up at once on a PermanentJobError', async () => {
    const runner = new JobRunner(deps).register('test.permanent', { run: async () => { throw new PermanentJobError('recipient gone'); } });
    const id = (await enqueueJob(tdb.db, deps, { kind: 'test.permanent', payload: {} }))!;
    await runner.runDue();
    expect(await jobOf(id)).toMatchObject({ status: 'dead', attempts: 1, last_error: 'PermanentJobError: recipient gone' });
  });

  it('reclaims a job whose process stopped once its lease has expired', async () => {
    const runs: number[] = [];
    const runner = new JobRunner(deps, { leaseMs: 60_000 }).register('test.crash', { run: async (_p, ctx) => { runs.push(ctx.attempt); } });
    const id = (await enqueueJob(tdb.db, deps, { kind: 'test.crash', payload: {} }))!;
    // What a process that claimed the job and then died leaves behind.
    const t0 = clock.now().getTime();
    await tdb.db.updateTable('jobs').set({ status: 'running', attempts: 1, locked_by: 'crashed-host:123', locked_until: t0 + 60_000 }).where('id', '=', id).execute();

    clock.advance(59_999);
    expect(await runner.runDue()).toBe(0);
    expect((await jobOf(id)).status).toBe('running');

    clock.advance(1);
    expect(await runner.runDue()).toBe(1);
    expect(runs).toEqual([2]);
    expect(await jobOf(id)).toMatchObject({ status: 'done', attempts: 2, last_error: expect.stringContaining('lease expired') });
  });

  it('reclaims at once the jobs of a runner on this host whose process is gone, without waiting for the lease', async () => {
    const runs: string[] = [];
    const runner = new JobRunner(deps, { leaseMs: 60_000 }).register('test.crash', { run: async (p: { name: string }) => { runs.push(p.name); } });
    const exited = spawnSync(process.execPath, ['-e', '']).pid!;
    const alive = process.ppid;
    const lease = clock.now().getTime() + 60_000;
    const held = async (name: string, lockedBy: string) => {
      const id = (await enqueueJob(tdb.db, deps, { kind: 'test.crash', payload: { name } }))!;
      await tdb.db.updateTable('jobs').set({ status: 'running', attempts: 1, locked_by: lockedBy, locked_until: lease }).where('id', '=', id).execute();
      return id;
    };
    const killed = await held('killed', `${hostname()}:${exited}:0badc0de`);
    const living = await held('living', `${hostname()}:${alive}:0badc0de`);
    const elsewhere = await held('elsewhere', `another-host:${exited}:0badc0de`);
    const custom = await held('custom', 'worker-7');

    expect(await runner.runDue()).toBe(1);
    expect(runs).toEqual(['killed']);
    expect(await jobOf(killed)).toMatchObject({ status: 'done', attempts: 2, last_error: expect.stringContaining('process') });
    // A live process, another machine's runner or a runner id we cannot read keep their lease.
    for (const id of [living, elsewhere, custom]) expect((await jobOf(id)).status).toBe('running');
    clock.advance(60_000);
    expect(await runner.runDue()).toBe(3);
  });

  it('marks a reclaimed job dead when it has used all its attempts (a job that kills its process cannot loop)', async () => {
    let runs = 0;
    const dead: string[] = [];
    const runner = new JobRunner(deps).register('test.poison', { run: async () => { runs++; }, onDead: async (_p, ctx) => { dead.push(ctx.error); } });
    const id = (await enqueueJob(tdb.db, deps, { kind: 'test.poison', payload: {}, maxAttempts: 2 }))!;
    await tdb.db.updateTable('jobs').set({ status: 'running', attempts: 2, locked_by: 'crashed', locked_until: clock.now().getTime() - 1 }).where('id', '=', id).execute();
    await runner.runDue();
    expect(runs).toBe(0);
    expect(await jobOf(id)).toMatchObject({ status: 'dead', attempts: 2 });
    expect(dead).toHaveLength(1);
  });

  it('keeps the lease of a slow handler alive with a heartbeat, so no other runner takes the job', async () => {
    let release!: () => void;
    const latch = new Promise<void>((r) => { release = r; });
    let runsA = 0;
    let runsB = 0;
    const a = new JobRunner(deps, { leaseMs: 3_000 }).register('test.slow', { run: async () => { runsA++; await latch; } });
    const b = new JobRunner(deps, { leaseMs: 3_000 }).register('test.slow', { run: async () => { runsB++; } });
    const id = (await enqueueJob(tdb.db, deps, { kind: 'test.slow', payload: {} }))!;
    const doneA = a.runDue();
    await waitFor(async () => (await jobOf(id)).status === 'running');
    clock.advance(2_000);
    // The heartbeat runs every leaseMs/3 (1 s) and renews the lease from the current clock.
    await waitFor(async () => Number((await jobOf(id)).locked_until) === clock.now().getTime() + 3_000);
    clock.advance(2_000); // past the first lease, inside the renewed one
    expect(await b.runDue()).toBe(0);
    release();
    await doneA;
    expect({ runsA, runsB }).toEqual({ runsA: 1, runsB: 0 });
    expect(await jobOf(id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('polls on its own once started, and stop() waits for the handlers that are running', async () => {
    let finished = 0;
    let started!: () => void;
    const startedP = new Promise<void>((r) => { started = r; });
    const runner = new JobRunner(deps, { pollMs: 10 }).register('test.loop', {
      run: async () => {
        started();
        await new Promise((r) => setTimeout(r, 100));
        finished++;
      },
    });
    runner.start();
    const id = (await enqueueJob(tdb.db, deps, { kind: 'test.loop', payload: {} }))!;
    await startedP;
    await runner.stop();
    expect(finished).toBe(1);
    expect((await jobOf(id)).status).toBe('done');
    // Stopped: a new job stays pending.
    const later = (await enqueueJob(tdb.db, deps, { kind: 'test.loop', payload: {} }))!;
    await new Promise((r) => setTimeout(r, 50));
    expect((await jobOf(later)).status).toBe('pending');
  });

  // Several processes exist only on PostgreSQL (SQLite runs one runner): this test is defined
  // there only, so the SQLite run reports no skipped test.
  if (onPostgres) it('two runners on two pools never run the same job twice (FOR UPDATE SKIP LOCKED)', async () => {
    const other = secondDb();
    try {
      const counts = new Map<number, number>();
      const byRunner = { a: 0, b: 0 };
      const inFlight = { a: 0, b: 0 };
      const maxInFlight = { a: 0, b: 0 };
      const handler = (who: 'a' | 'b') => ({
        run: async (p: { n: number }) => {
          counts.set(p.n, (counts.get(p.n) ?? 0) + 1);
          byRunner[who]++;
          maxInFlight[who] = Math.max(maxInFlight[who], ++inFlight[who]);
          await new Promise((r) => setTimeout(r, Math.random() * 3));
          inFlight[who]--;
        },
      });
      const a = new JobRunner(deps, { concurrency: 8 }).register('test.race', handler('a'));
      const b = new JobRunner({ ...deps, db: other.db }, { concurrency: 8 }).register('test.race', handler('b'));
      await tdb.db.transaction().execute(async (trx) => {
        for (let n = 0; n < 200; n++) await enqueueJob(trx, deps, { kind: 'test.race', payload: { n } });
      });
      const [ranA, ranB] = await Promise.all([a.runDue(), b.runDue()]);
      expect(ranA + ranB).toBe(200);
      expect(counts.size).toBe(200);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      expect(byRunner.a).toBeGreaterThan(0);
      expect(byRunner.b).toBeGreaterThan(0);
      // A claim takes at most `concurrency` jobs (a plan that ignores the LIMIT would not).
      expect(Math.max(maxInFlight.a, maxInFlight.b)).toBeLessThanOrEqual(8);
      const left = await tdb.db.selectFrom('jobs').select('id').where('kind', '=', 'test.race').where('status', '!=', 'done').execute();
      expect(left).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});

describe('Scheduler', () => {
  const HOUR = 3_600_000;

  it('enqueues one job per slot even with two schedulers ticking at once', async () => {
    const other = secondDb();
    try {
      const s1 = new Scheduler(deps).add({ name: 'test.periodic', intervalMs: HOUR });
      const s2 = new Scheduler({ ...deps, db: other.db }).add({ name: 'test.periodic', intervalMs: HOUR });
      const t0 = clock.now().getTime();
      await Promise.all([s1.ensure(), s2.ensure()]);

      const tickBoth = async () => (await Promise.all([s1.tick(), s2.tick()])).reduce((x, y) => x + y, 0);
      expect(await tickBoth()).toBe(1);
      expect(await tickBoth()).toBe(0);
      clock.advance(HOUR - 1);
      expect(await tickBoth()).toBe(0);
      clock.advance(1);
      expect(await tickBoth()).toBe(1);

      // Three and a half slots missed (no process ran): one catch-up run, back on the grid.
      clock.advance(3.5 * HOUR);
      expect(await tickBoth()).toBe(1);
      const jobs = await jobRows('test.periodic');
      expect(jobs.map((j) => j.dedupe_key)).toEqual([`test.periodic:${t0}`, `test.periodic:${t0 + HOUR}`, `test.periodic:${t0 + 2 * HOUR}`]);
      const row = await tdb.db.selectFrom('schedules').selectAll().where('name', '=', 'test.periodic').executeTakeFirstOrThrow();
      expect(Number(row.next_run_at)).toBe(t0 + 5 * HOUR);
      expect(Number(row.last_run_at)).toBe(clock.now().getTime());
    } finally {
      await other.close();
    }
  });

  it('twenty schedulers on two pools ticking at once still enqueue once per slot', async () => {
    const other = secondDb();
    try {
      const schedulers = Array.from({ length: 20 }, (_, i) => new Scheduler({ ...deps, db: i % 2 ? other.db : tdb.db }).add({ name: 'test.storm', intervalMs: 60_000 }));
      await schedulers[0]!.ensure();
      for (const s of schedulers) await s.ensure();
      for (let slot = 0; slot < 3; slot++) {
        const n = (await Promise.all(schedulers.map((s) => s.tick()))).reduce((x, y) => x + y, 0);
        expect(n).toBe(1);
        clock.advance(60_000);
      }
      expect(await jobRows('test.storm')).toHaveLength(3);
    } finally {
      await other.close();
    }
  });

  it('the enqueued jobs run through a JobRunner registered under the schedule name', async () => {
    const slots: number[] = [];
    const scheduler = new Scheduler(deps).add({ name: 'test.hourly', intervalMs: HOUR });
    const runner = new JobRunner(deps).register<{ slot: number }>('test.hourly', { run: async (p) => { slots.push(p.slot); } });
    await scheduler.tick();
    await runner.runDue();
    clock.advance(HOUR);
    await scheduler.tick();
    await runner.runDue();
    const t0 = new Date(T0).getTime();
    expect(slots).toEqual([t0, t0 + HOUR]);
  });

  it('ensureSchedule updates the interval and pulls the next run in when the interval shrinks', async () => {
    const t0 = clock.now().getTime();
    await ensureSchedule(tdb.db, 'test.resize', 24 * HOUR, t0);
    await tdb.db.updateTable('schedules').set({ next_run_at: t0 + 24 * HOUR }).where('name', '=', 'test.resize').execute();
    await ensureSchedule(tdb.db, 'test.resize', HOUR, t0);
    const row = await tdb.db.selectFrom('schedules').selectAll().where('name', '=', 'test.resize').executeTakeFirstOrThrow();
    expect(Number(row.interval_ms)).toBe(HOUR);
    expect(Number(row.next_run_at)).toBe(t0 + HOUR);
  });
});

/** Polls a condition in real time (for the heartbeat, which runs on a real timer). */
async function waitFor(cond: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
