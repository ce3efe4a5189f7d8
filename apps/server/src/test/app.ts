import pino from 'pino';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../app.js';
import { bootstrapReferenceData } from '../bootstrap.js';
import { loadConfig, type Config } from '../config.js';
import { LOG_REDACT, type Deps } from '../deps.js';
import { FixedClock } from '../platform/clock.js';
import { uuidV7Ids } from '../platform/ids.js';
import { createNotifier } from '../platform/notify.js';
import { createTestDb, type TestDb } from './db.js';
import { seedWorld, TEST_PASSWORD, type World } from './world.js';
import { tempDir } from './temp-dir.js';

export interface TestApp {
  app: App;
  deps: Deps;
  clock: FixedClock;
  tdb: TestDb;
  world: World;
  /** Logs in and returns the session cookie header value. */
  login(username: string, password?: string): Promise<string>;
  /** Sends a request as a logged-in user (cookie) with the CSRF header on writes. */
  as(cookie: string | null, opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Boots the real app on a fresh test database with a fixed clock and the standard world. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const tdb = await createTestDb();
  const dataDir = tempDir('ql-test-');
  const config: Config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT_PER_MINUTE: '10000', MAX_EVENT_LOOP_DELAY_MS: '600000', ...env });
  const clock = new FixedClock('2026-11-27T02:00:00Z');
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent', redact: LOG_REDACT });
  const deps: Deps = {
    // The test database is a file or a PostgreSQL schema, which the report worker can open.
    config: { ...config, databaseUrl: tdb.url, dialect: tdb.dialect, reportWorker: env.REPORT_WORKER !== 'false' },
    db: tdb.db,
    dialect: tdb.dialect,
    clock,
    ids: uuidV7Ids(clock),
    log,
    notifier: createNotifier(config, log),
  };
  let app: App;
  let world: World;
  try {
    await bootstrapReferenceData(deps);
    world = await seedWorld(deps);
    app = await buildApp(deps);
    await app.ready();
  } catch (err) {
    // Leave no PostgreSQL schema behind when the app cannot even start.
    await tdb.destroy();
    throw err;
  }

  const as = (cookie: string | null, opts: InjectOptions) => {
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string> | undefined) };
    if (cookie) headers.cookie = cookie;
    if (opts.method && opts.method !== 'GET' && !('x-requested-with' in headers)) headers['x-requested-with'] = 'XMLHttpRequest';
    return app.inject({ ...opts, headers });
  };
  const login = async (username: string, password = TEST_PASSWORD) => {
    const res = await as(null, { method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const setCookie = res.headers['set-cookie'];
    const raw = Array.isArray(setCookie) ? setCookie[0]! : setCookie!;
    return raw.split(';')[0]!;
  };
  return {
    app, deps, clock, tdb, world, login, as,
    close: async () => {
      await app.close();
      await tdb.destroy();
    },
  };
}
