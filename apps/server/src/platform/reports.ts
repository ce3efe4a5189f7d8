import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { sql, type Kysely } from 'kysely';
import type { Config } from '../config.js';
import { isPostgres } from '../db/dialect.js';
import type { DB } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import type { Actor } from './auth.js';
import { safeErrorText } from './jobs.js';
import { referenceCache } from './reference-cache.js';

/*
 * Reports that read a group's history run in a worker thread (architecture rule 15): on SQLite
 * the request thread is the whole server, and a year's dashboard computed there paused every
 * agent's console and the hotline for seconds. The worker has its own read-only connection (WAL
 * lets it read beside the writer; on PostgreSQL a small pool) and runs the same report
 * functions the request thread would — a registry module given by URL, so this platform code
 * imports no module. The answer is the same; only the thread differs. Requests queue in order;
 * a worker that dies fails its requests with a 503 and is replaced on the next one.
 */

/** What the worker is started with. */
export interface ReportWorkerData {
  config: Config;
  searchPath: string | null;
  registryUrl: string;
}
export interface ReportRequest {
  id: number;
  name: string;
  actor: Actor;
  args: unknown;
  nowMs: number;
}
export type ReportResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; appError: { status: number; code: AppError['code']; detail: string | undefined; errors: AppError['errors']; headers: AppError['headers'] } }
  | { id: number; ok: false; message: string };

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** One report worker thread of a database handle. */
export class ReportWorker {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private unsubscribe: (() => void) | null = null;
  /** Reports answered by the worker since it started (for tests and the admin's health view). */
  completed = 0;

  constructor(private readonly deps: Pick<Deps, 'db' | 'config' | 'log'>, private readonly registryUrl: string) {}

  /** Runs a report in the worker; AppErrors thrown there are thrown here unchanged. */
  async run(name: string, actor: Actor, args: unknown, nowMs: number): Promise<unknown> {
    await this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const req: ReportRequest = { id, name, actor, args, nowMs };
      this.worker!.postMessage(req);
    });
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    this.ready = (async () => {
      const searchPath = isPostgres(this.deps.db) ? (await sql<{ s: string }>`select current_schema() as s`.execute(this.deps.db)).rows[0]?.s ?? null : null;
      const data: ReportWorkerData = { config: this.deps.config, searchPath, registryUrl: this.registryUrl };
      const worker = new Worker(workerEntry(), { workerData: data });
      this.worker = worker;
      this.unsubscribe?.();
      this.unsubscribe = referenceCache(this.deps.db).onInvalidate((name) => worker.postMessage({ invalidate: name }));
      await new Promise<void>((resolve, reject) => {
        const onMessage = (m: ReportResponse | { ready: true }) => {
          if ('ready' in m) {
            resolve();
            return;
          }
          const p = this.pending.get(m.id);
          if (!p) return;
          this.pending.delete(m.id);
          this.completed++;
          if (m.ok) p.resolve(m.result);
          else if ('appError' in m) p.reject(new AppError(m.appError.status, m.appError.code, m.appError.detail, m.appError.errors, m.appError.headers));
          else p.reject(new Error(m.message));
        };
        worker.on('message', onMessage);
        worker.once('error', (err) => {
          this.deps.log.error({ error: safeErrorText(err) }, 'report worker failed');
          reject(err);
          this.fail();
        });
        worker.once('exit', () => this.fail());
      });
    })();
    this.ready.catch(() => {
      this.ready = null;
    });
    return this.ready;
  }

  /** Fails what was asked of a worker that is gone; the next request starts a new one. */
  private fail(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.worker = null;
    this.ready = null;
    for (const p of this.pending.values()) p.reject(new AppError(503, 'server.unavailable', '统计服务暂时不可用，请稍后重试', undefined, { 'Retry-After': '2' }));
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) await w.terminate();
  }
}

/**
 * The worker's entry. Built code runs report-worker.js; from sources (tests, `npm run dev`, the
 * benchmarks) a small ESM bootstrap registers tsx in the worker first.
 */
function workerEntry(): URL {
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith('.js')) return new URL('./report-worker.js', here);
  const tsxDir = join(createRequire(import.meta.url).resolve('tsx/package.json'), '..');
  const api = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./report-worker.ts', here).href;
  return new URL(`data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry)});`)}`);
}

const workers = new WeakMap<Kysely<DB>, ReportWorker>();

/** The report worker of a database handle (started on its first report). */
export function reportWorker(deps: Pick<Deps, 'db' | 'config' | 'log'>, registryUrl: string): ReportWorker {
  let w = workers.get(deps.db);
  if (!w) {
    w = new ReportWorker(deps, registryUrl);
    workers.set(deps.db, w);
  }
  return w;
}

/** Stops the report worker of a database handle (app close). */
export async function closeReportWorker(db: Kysely<DB>): Promise<void> {
  const w = workers.get(db);
  workers.delete(db);
  if (w) await w.close();
}
