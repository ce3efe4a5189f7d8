import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely, Selectable } from 'kysely';
import type { Logger } from 'pino';
import type { DB, JobsTable } from '../db/schema.js';
import { isPostgres } from '../db/dialect.js';
import type { Clock } from './clock.js';
import type { Ids } from './ids.js';

/*
 * Durable jobs (architecture.md, "jobs"): a row in the same database as the data, written in
 * the transaction of the command that needs it, so a job exists exactly when its command
 * committed. Runners claim due rows with a lease; PostgreSQL runners in several processes
 * claim with FOR UPDATE SKIP LOCKED, SQLite runs one runner in one process.
 *
 * Delivery is AT LEAST ONCE: a process can stop after a handler's side effect and before the
 * row is marked done, and the job then runs again when its lease expires. Every handler must
 * be idempotent (check state first, insert with a natural or derived key, compare-and-set).
 */

export type JobRow = Selectable<JobsTable>;

/** What enqueueJob and the runner need from Deps. */
export interface JobDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: Ids;
  log: Logger;
}

export interface NewJob {
  kind: string;
  /** Serialized as JSON. Keep it to ids: the handler reads current state from the database. */
  payload: unknown;
  /** When the job becomes due (default now). */
  runAt?: Date | number;
  maxAttempts?: number;
  /**
   * At most one job ever exists per key (the column is unique for the row's lifetime, done
   * jobs included, until the purge removes them): a second enqueue is a no-op. Put a slot or
   * generation in the key when the same thing may legitimately be scheduled again.
   */
  dedupeKey?: string;
}

export const DEFAULT_MAX_ATTEMPTS = 10;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 3_600_000;
const MAX_ERROR_CHARS = 2_000;

/**
 * Delay before the next attempt after `attempts` failed ones: min(2^attempts × 5 s, 1 h).
 * Deterministic (no jitter) so tests and operators can predict it; jobs are spread by their
 * own creation times, and the claim query takes a bounded batch, so there is no thundering herd.
 */
export function backoffMs(attempts: number): number {
  return Math.min(2 ** attempts * BACKOFF_BASE_MS, BACKOFF_MAX_MS);
}

/** Thrown by a handler when retrying cannot help (bad payload, recipient gone): the job goes dead at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/**
 * Error text that may be logged and stored: e-mail addresses and phone-like digit runs are
 * replaced (adapters echo recipients in their errors, and logs must hold no personal data).
 */
export function safeErrorText(err: unknown): string {
  const raw = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return raw
    .replace(/[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+/g, '<email>')
    .replace(/\+?\d[\d -]{5,}\d/g, '<number>')
    .slice(0, MAX_ERROR_CHARS);
}

/**
 * Adds a job in the caller's transaction (or on the database outside one). Returns the new
 * job's id, or null when a job with the same dedupeKey already exists.
 */
export async function enqueueJob(trx: Kysely<DB>, deps: { clock: Clock; ids: Ids }, job: NewJob): Promise<string | null> {
  const now = deps.clock.now().getTime();
  const runAt = job.runAt === undefined ? now : typeof job.runAt === 'number' ? job.runAt : job.runAt.getTime();
  const id = deps.ids.next();
  const res = await trx
    .insertInto('jobs')
    .values({
      id,
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? null),
      status: 'pending',
      run_at: runAt,
      attempts: 0,
      max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      last_error: null,
      locked_by: null,
      locked_until: null,
      dedupe_key: job.dedupeKey ?? null,
      created_at: now,
      finished_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0 ? id : null;
}

/** What a handler learns about the attempt it runs. */
export interface JobContext {
  jobId: string;
  kind: string;
  /** 1 on the first attempt. */
  attempt: number;
  maxAttempts: number;
  /** The instant the job was claimed. */
  now: Date;
  log: Logger;
}

/** Context of the hook that runs when a job is given up; `trx` also marks the job dead. */
export interface DeadJobContext extends JobContext {
  trx: Kysely<DB>;
  error: string;
}

/** A job kind's code. `run` must be idempotent (see the top of this file). */
export interface JobHandler<P = unknown> {
  run(payload: P, ctx: JobContext): Promise<void>;
  /** Records the give-up where users can see it (e.g. the outbox row turns `failed`). */
  onDead?(payload: P, ctx: DeadJobContext): Promise<void>;
}

export interface JobRunnerOptions {
  /** Idle polling interval; a finished job that left a backlog polls again at once. */
  pollMs?: number;
  /** Jobs run at the same time by this runner. */
  concurrency?: number;
  /** How long a claim holds without a heartbeat before another runner may take the job. */
  leaseMs?: number;
  /** How often the loop looks for jobs of stopped processes. */
  reclaimEveryMs?: number;
  /** Unique per runner; defaults to host, pid and random bits. */
  runnerId?: string;
}

/**
 * Claims and runs due jobs of the kinds registered with it. Start one per process; several
 * processes are safe on PostgreSQL. Tests call runDue() with a fixed clock instead of start().
 */
export class JobRunner {
  readonly id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers of different payload types in one map
  private readonly handlers = new Map<string, JobHandler<any>>();
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly reclaimEveryMs: number;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private running = false;
  private backlog = false;
  private lastReclaimAt = 0;

  constructor(private readonly deps: JobDeps, opts: JobRunnerOptions = {}) {
    this.pollMs = opts.pollMs ?? 500;
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.reclaimEveryMs = opts.reclaimEveryMs ?? 5_000;
    this.id = opts.runnerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  }

  /** Registers the handler of a job kind; the runner only claims kinds it can run. */
  register<P>(kind: string, handler: JobHandler<P>): this {
    if (this.handlers.has(kind)) throw new Error(`job kind ${kind} is registered twice`);
    this.handlers.set(kind, handler);
    return this;
  }

  /** Starts the polling loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.wake(0);
  }

  /** Stops polling and waits for the handlers that are running to finish. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Runs every job due at `now` (after reclaiming the jobs of stopped runners) until none is
   * left, waiting for the handlers; returns how many ran. For tests and one-off maintenance.
   */
  async runDue(now: Date = this.deps.clock.now()): Promise<number> {
    const nowMs = now.getTime();
    await this.reclaimStale(nowMs);
    let total = 0;
    // Bounded, so a handler that enqueues due jobs without end cannot spin forever.
    for (let round = 0; round < 10_000; round++) {
      const jobs = await this.claim(nowMs, this.concurrency);
      if (jobs.length === 0) break;
      await Promise.all(jobs.map((j) => this.track(this.execute(j, nowMs))));
      total += jobs.length;
    }
    return total;
  }

  private wake(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.polling) this.polling = this.poll().finally(() => { this.polling = null; });
    }, delayMs);
    // The HTTP server keeps the process alive; the job loop alone must not.
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      const nowMs = this.deps.clock.now().getTime();
      if (nowMs - this.lastReclaimAt >= this.reclaimEveryMs) {
        this.lastReclaimAt = nowMs;
        await this.reclaimStale(nowMs);
      }
      const free = this.concurrency - this.inFlight.size;
      if (free > 0 && this.running) {
        const jobs = await this.claim(nowMs, free);
        this.backlog = jobs.length === free;
        for (const job of jobs) void this.track(this.execute(job, nowMs));
      }
    } catch (err) {
      // The database may be briefly unavailable; the loop keeps going at the idle interval.
      this.deps.log.error({ runner: this.id, error: safeErrorText(err) }, 'job polling failed');
    } finally {
      this.wake(this.pollMs);
    }
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    return p.finally(() => {
      this.inFlight.delete(p);
      if (this.backlog) this.wake(0);
    });
  }

  /**
   * Atomically moves up to `limit` due pending jobs to running under this runner's lease.
   * PostgreSQL: FOR UPDATE SKIP LOCKED lets concurrent runners take disjoint rows without
   * waiting. The selection is a MATERIALIZED CTE on purpose: as a plain `IN (subquery)` the
   * planner may re-run the subquery once per outer row (a semi-join rescan), which ignores
   * the LIMIT and claims the whole queue in one runner; the two-runner test caught exactly
   * that. SQLite runs the same statement without the locking clause: one connection
   * serializes statements, so it is atomic there.
   */
  private async claim(nowMs: number, limit: number): Promise<JobRow[]> {
    const kinds = [...this.handlers.keys()];
    if (kinds.length === 0 || limit <= 0) return [];
    const db = this.deps.db;
    const pg = isPostgres(db);
    const rows = await db
      .with((cte) => cte('due').materialized(), (qb) => {
        const due = qb
          .selectFrom('jobs')
          .select('id')
          .where('status', '=', 'pending')
          .where('run_at', '<=', nowMs)
          .where('kind', 'in', kinds)
          .orderBy('run_at')
          .orderBy('id')
          .limit(limit);
        return pg ? due.forUpdate().skipLocked() : due;
      })
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running' as const,
        locked_by: this.id,
        locked_until: nowMs + this.leaseMs,
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
      // Redundant under the row locks; cheap insurance should the statement ever change.
      .where('status', '=', 'pending')
      .returningAll()
      .execute();
    return rows.map(normalizeJob).sort((a, b) => a.run_at - b.run_at || (a.id < b.id ? -1 : 1));
  }

  /**
   * Puts back jobs whose runner stopped: its lease expired without a heartbeat, or the runner
   * was a process on this host that no longer exists (a crash or kill -9 before a restart: its
   * jobs need not wait out the lease). The compare-and-set on attempts and on the lease or the
   * holder means only one process reclaims a job, and a runner that is merely slow and renews
   * its lease in the meantime keeps it. A job that has used all its attempts goes dead here,
   * so a job that crashes its process cannot loop forever.
   */
  private async reclaimStale(nowMs: number): Promise<void> {
    const kinds = [...this.handlers.keys()];
    if (kinds.length === 0) return;
    const db = this.deps.db;
    const expired = await db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'running')
      .where('locked_until', '<=', nowMs)
      .where('kind', 'in', kinds)
      .orderBy('locked_until')
      .limit(100)
      .execute();
    const holders = await db.selectFrom('jobs').select('locked_by').distinct()
      .where('status', '=', 'running').where('locked_until', '>', nowMs).where('kind', 'in', kinds).execute();
    const gone = holders.map((h) => h.locked_by).filter((by): by is string => by !== null && runnerProcessGone(by));
    const orphaned = gone.length === 0 ? [] : await db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'running')
      .where('locked_by', 'in', gone)
      .where('locked_until', '>', nowMs)
      .where('kind', 'in', kinds)
      .limit(100)
      .execute();
    const stale = [
      ...expired.map((raw) => ({ job: normalizeJob(raw), why: 'lease expired: the process running the job stopped or stalled', guard: { expiredAt: nowMs } as const })),
      ...orphaned.map((raw) => ({ job: normalizeJob(raw), why: 'the process running the job is gone (crash or kill)', guard: { lockedBy: raw.locked_by! } })),
    ];
    for (const { job, why, guard } of stale) {
      this.deps.log.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, reason: why }, 'reclaiming a job of a stopped runner');
      if (job.attempts >= job.max_attempts) {
        await this.markDead(job, why, nowMs, guard);
        continue;
      }
      // A stop is usually a deploy or restart, not the job's fault: due again at once.
      let put = db
        .updateTable('jobs')
        .set({ status: 'pending', run_at: nowMs, locked_by: null, locked_until: null, last_error: why })
        .where('id', '=', job.id)
        .where('status', '=', 'running')
        .where('attempts', '=', job.attempts);
      put = 'lockedBy' in guard ? put.where('locked_by', '=', guard.lockedBy) : put.where('locked_until', '<=', guard.expiredAt);
      await put.execute();
    }
  }

  private context(job: JobRow, nowMs: number): JobContext {
    return {
      jobId: job.id,
      kind: job.kind,
      attempt: job.attempts,
      maxAttempts: job.max_attempts,
      now: new Date(nowMs),
      log: this.deps.log.child({ jobId: job.id, kind: job.kind }),
    };
  }

  private async execute(job: JobRow, nowMs: number): Promise<void> {
    const handler = this.handlers.get(job.kind);
    // A heartbeat keeps the lease while a slow handler (an SMTP server taking its time) runs.
    const heartbeat = setInterval(() => void this.renewLease(job), Math.max(1_000, Math.floor(this.leaseMs / 3)));
    heartbeat.unref();
    try {
      if (!handler) throw new PermanentJobError(`no handler for job kind ${job.kind}`);
      let payload: unknown;
      try {
        payload = JSON.parse(job.payload);
      } catch {
        throw new PermanentJobError('payload is not valid JSON');
      }
      await handler.run(payload, this.context(job, nowMs));
      await this.deps.db
        .updateTable('jobs')
        .set({ status: 'done', finished_at: this.deps.clock.now().getTime(), locked_by: null, locked_until: null })
        .where('id', '=', job.id)
        .where('status', '=', 'running')
        .where('locked_by', '=', this.id)
        .where('attempts', '=', job.attempts)
        .execute();
    } catch (err) {
      await this.failed(job, err, nowMs).catch((e: unknown) => {
        // The lease will expire and the job will run again: at-least-once still holds.
        this.deps.log.error({ jobId: job.id, kind: job.kind, error: safeErrorText(e) }, 'could not record job failure');
      });
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async renewLease(job: JobRow): Promise<void> {
    try {
      await this.deps.db
        .updateTable('jobs')
        .set({ locked_until: this.deps.clock.now().getTime() + this.leaseMs })
        .where('id', '=', job.id)
        .where('status', '=', 'running')
        .where('locked_by', '=', this.id)
        .where('attempts', '=', job.attempts)
        .execute();
    } catch (err) {
      this.deps.log.warn({ jobId: job.id, error: safeErrorText(err) }, 'job lease renewal failed');
    }
  }

  private async failed(job: JobRow, err: unknown, nowMs: number): Promise<void> {
    const error = safeErrorText(err);
    const permanent = err instanceof PermanentJobError;
    if (permanent || job.attempts >= job.max_attempts) {
      this.deps.log.error({ jobId: job.id, kind: job.kind, attempt: job.attempts, error }, 'job failed for good');
      await this.markDead(job, error, nowMs, { lockedBy: this.id });
      return;
    }
    const failedAt = Math.max(nowMs, this.deps.clock.now().getTime());
    const runAt = failedAt + backoffMs(job.attempts);
    this.deps.log.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, retryAt: new Date(runAt).toISOString(), error }, 'job failed; will retry');
    await this.deps.db
      .updateTable('jobs')
      .set({ status: 'pending', run_at: runAt, last_error: error, locked_by: null, locked_until: null })
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .where('locked_by', '=', this.id)
      .where('attempts', '=', job.attempts)
      .execute();
  }

  /**
   * Marks a job dead and runs its onDead hook in the same transaction, guarded by the claim
   * (status running, same attempt) so only the holder of the job gives it up. If the hook
   * itself fails the job is still marked dead: a failing hook must not keep a job alive.
   */
  private async markDead(
    job: JobRow,
    error: string,
    nowMs: number,
    guard: { lockedBy: string } | { expiredAt: number },
  ): Promise<void> {
    const handler = this.handlers.get(job.kind);
    const update = (db: Kysely<DB>) => {
      let q = db
        .updateTable('jobs')
        .set({ status: 'dead', finished_at: nowMs, last_error: error, locked_by: null, locked_until: null })
        .where('id', '=', job.id)
        .where('status', '=', 'running')
        .where('attempts', '=', job.attempts);
      q = 'lockedBy' in guard ? q.where('locked_by', '=', guard.lockedBy) : q.where('locked_until', '<=', guard.expiredAt);
      return q.executeTakeFirst();
    };
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        const res = await update(trx);
        if (Number(res.numUpdatedRows) === 0 || !handler?.onDead) return;
        await handler.onDead(JSON.parse(job.payload), { ...this.context(job, nowMs), trx, error });
      });
    } catch (hookErr) {
      this.deps.log.error({ jobId: job.id, kind: job.kind, error: safeErrorText(hookErr) }, 'onDead hook failed; marking the job dead without it');
      await update(this.deps.db);
    }
  }
}

/**
 * Whether a runner id made by the default (`host:pid:random`) names a process of this host
 * that has exited. Only this host's process table can be asked, so other hosts' runners, ids
 * of another shape and this very process always answer false and keep their lease. (Two
 * machines given the same host name and one PostgreSQL would at worst run a job twice, which
 * the at-least-once rule above already allows.)
 */
export function runnerProcessGone(runnerId: string): boolean {
  const parts = runnerId.split(':');
  if (parts.length < 3 || !/^[0-9a-f]+$/.test(parts.at(-1)!)) return false;
  const pid = Number(parts.at(-2));
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || parts.slice(0, -2).join(':') !== hostname()) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** PostgreSQL returns bigint columns as numbers through the type parser; be explicit anyway. */
function normalizeJob(row: JobRow): JobRow {
  return {
    ...row,
    run_at: Number(row.run_at),
    attempts: Number(row.attempts),
    max_attempts: Number(row.max_attempts),
    locked_until: row.locked_until === null ? null : Number(row.locked_until),
    created_at: Number(row.created_at),
    finished_at: row.finished_at === null ? null : Number(row.finished_at),
  };
}

/** A periodic job: every `intervalMs` one job of kind `name` is enqueued. */
export interface ScheduleSpec {
  name: string;
  intervalMs: number;
  maxAttempts?: number;
  /**
   * When a schedule is first created, how long after `now` its first run is due (default 0: at
   * once). A long nightly job must not start with every fresh process.
   */
  firstRunAt?: (nowMs: number) => number;
}

/**
 * Creates a schedule row, first due at `nowMs`, or updates its interval. When the interval
 * shrank, the next run is pulled in so it is never further away than one new interval.
 */
export async function ensureSchedule(db: Kysely<DB>, name: string, intervalMs: number, nowMs: number, firstRunAt = nowMs): Promise<void> {
  if (!Number.isInteger(intervalMs) || intervalMs <= 0) throw new Error(`schedule ${name}: interval must be a positive integer`);
  await db
    .insertInto('schedules')
    .values({ name, interval_ms: intervalMs, next_run_at: firstRunAt, last_run_at: null })
    .onConflict((oc) => oc.column('name').doUpdateSet({ interval_ms: intervalMs }))
    .execute();
  await db
    .updateTable('schedules')
    .set({ next_run_at: nowMs + intervalMs })
    .where('name', '=', name)
    .where('next_run_at', '>', nowMs + intervalMs)
    .execute();
}

/**
 * Turns due schedule rows into jobs. Several processes may tick at once: each due slot is
 * claimed by compare-and-set on next_run_at, and the job's dedupeKey `${name}:${slot}` makes a
 * doubled enqueue impossible even if two claims ever raced.
 */
export class Scheduler {
  private readonly specs = new Map<string, ScheduleSpec>();
  private ensured = false;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private running = false;

  constructor(private readonly deps: JobDeps, private readonly opts: { tickMs?: number } = {}) {}

  /** Declares a periodic job; its handler must be registered with the JobRunner under the same name. */
  add(spec: ScheduleSpec): this {
    this.specs.set(spec.name, spec);
    this.ensured = false;
    return this;
  }

  /** Writes the schedule rows (idempotent; run by the first tick). */
  async ensure(nowMs: number = this.deps.clock.now().getTime()): Promise<void> {
    for (const s of this.specs.values()) await ensureSchedule(this.deps.db, s.name, s.intervalMs, nowMs, s.firstRunAt?.(nowMs) ?? nowMs);
    this.ensured = true;
  }

  /**
   * Enqueues one job for each declared schedule that is due at `now`; returns how many. Slots
   * missed while no process ran collapse into one run: a cleanup need not run ten times.
   */
  async tick(now: Date = this.deps.clock.now()): Promise<number> {
    const nowMs = now.getTime();
    if (!this.ensured) await this.ensure(nowMs);
    const names = [...this.specs.keys()];
    if (names.length === 0) return 0;
    const due = await this.deps.db
      .selectFrom('schedules')
      .selectAll()
      .where('name', 'in', names)
      .where('next_run_at', '<=', nowMs)
      .execute();
    let enqueued = 0;
    for (const row of due) {
      const spec = this.specs.get(row.name);
      if (!spec) continue;
      const slot = Number(row.next_run_at);
      const interval = Number(row.interval_ms);
      const next = slot + (Math.floor((nowMs - slot) / interval) + 1) * interval;
      const won = await this.deps.db.transaction().execute(async (trx) => {
        const res = await trx
          .updateTable('schedules')
          .set({ next_run_at: next, last_run_at: nowMs })
          .where('name', '=', row.name)
          .where('next_run_at', '=', slot)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) return false;
        const id = await enqueueJob(trx, this.deps, {
          kind: row.name,
          payload: { slot },
          runAt: nowMs,
          maxAttempts: spec.maxAttempts ?? 3,
          dedupeKey: `${row.name}:${slot}`,
        });
        return id !== null;
      });
      if (won) enqueued++;
    }
    return enqueued;
  }

  /** Starts ticking every tickMs (default 1 s). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops ticking and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ticking = this.tick()
        .then(() => undefined)
        .catch((err: unknown) => {
          this.deps.log.error({ error: safeErrorText(err) }, 'scheduler tick failed');
        })
        .finally(() => {
          this.ticking = null;
          this.schedule(this.opts.tickMs ?? 1_000);
        });
    }, delayMs);
    this.timer.unref();
  }
}
