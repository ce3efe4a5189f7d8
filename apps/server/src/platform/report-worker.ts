import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config.js';
import { createDb } from '../db/create-db.js';
import { createLogger, type Deps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import type { Actor } from './auth.js';
import { FixedClock } from './clock.js';
import { uuidV7Ids } from './ids.js';
import { createNotifier } from './notify.js';
import { referenceCache } from './reference-cache.js';
import type { ReportRequest, ReportResponse, ReportWorkerData } from './reports.js';

/*
 * The report worker thread (platform/reports.ts): its own read-only database connection, the
 * report functions of the registry it was given, one request at a time in arrival order.
 */
type Report = (deps: Deps, actor: Actor, args: unknown) => Promise<unknown>;

const data = workerData as ReportWorkerData;
// Buffers arrive as Uint8Arrays.
const config: Config = { ...data.config, fieldKey: Buffer.from(data.config.fieldKey), sessionSecret: Buffer.from(data.config.sessionSecret) };
const { db, dialect } = createDb(config.databaseUrl, { ...(data.searchPath ? { searchPath: data.searchPath } : {}), poolSize: 2, readOnly: true });
const log = createLogger(config);
const registry = (await import(data.registryUrl)) as { REPORTS: Record<string, Report> };
const notifier = createNotifier(config, log);

parentPort!.on('message', (req: ReportRequest | { invalidate: string }) => {
  // Changes to reference data arrive on the same port as requests, so a request never overtakes one.
  if ('invalidate' in req) {
    referenceCache(db).invalidate(req.invalidate);
    return;
  }
  void (async () => {
    let res: ReportResponse;
    try {
      const report = registry.REPORTS[req.name];
      if (!report) throw new Error(`unknown report ${req.name}`);
      const clock = new FixedClock(new Date(req.nowMs));
      const result = await report({ config, db, dialect, clock, ids: uuidV7Ids(clock), log, notifier }, req.actor, req.args);
      res = { id: req.id, ok: true, result };
    } catch (err) {
      res = err instanceof AppError
        ? { id: req.id, ok: false, appError: { status: err.status, code: err.code, detail: err.detail, errors: err.errors, headers: err.headers } }
        : { id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    parentPort!.postMessage(res);
  })();
});
parentPort!.postMessage({ ready: true });
