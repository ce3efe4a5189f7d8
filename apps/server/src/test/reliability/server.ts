import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { sql, type Kysely } from 'kysely';
import pino from 'pino';
import { bootstrapReferenceData } from '../../bootstrap.js';
import { loadConfig } from '../../config.js';
import { createDb, type Dialect } from '../../db/create-db.js';
import { migrateToLatest } from '../../db/migrate.js';
import type { DB } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { systemClock } from '../../platform/clock.js';
import { uuidV7Ids } from '../../platform/ids.js';
import { createNotifier } from '../../platform/notify.js';
import { removeAfterFile } from '../temp-dir.js';
import { seedWorld, type World } from '../world.js';

/** apps/server, where `src/main.ts` is. */
export const SERVER_DIR = resolve(import.meta.dirname, '../../..');
const REPO_DIR = resolve(SERVER_DIR, '../..');

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** A database of its own for one real-server test: a SQLite file, or a throwaway PostgreSQL database. */
export interface ScratchDb {
  dialect: Dialect;
  url: string;
  /** For the test's own queries (checks); kept open across server restarts. */
  db: Kysely<DB>;
  drop(): Promise<void>;
}

/** The PostgreSQL server of TEST_DATABASE_URL with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createScratchDb(dataDir: string): Promise<ScratchDb> {
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (!pgUrl) {
    const url = `sqlite:${join(dataDir, 'qiaoliang.db')}`;
    const { db, dialect } = createDb(url);
    return { dialect, url, db, drop: async () => db.destroy() };
  }
  const name = `ql_rel_${randomBytes(5).toString('hex')}`;
  const admin = createDb(pgUrl, { poolSize: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin.db);
  await admin.db.destroy();
  const url = withDatabase(pgUrl, name);
  const { db, dialect } = createDb(url, { poolSize: 3 });
  return {
    dialect, url, db,
    drop: async () => {
      await db.destroy();
      const cleanup = createDb(pgUrl, { poolSize: 1 });
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(cleanup.db);
      await cleanup.db.destroy();
    },
  };
}

/** Migrates the scratch database and inserts the standard test world, as the test process. */
export async function seedScratch(dataDir: string, scratch: ScratchDb): Promise<World> {
  await migrateToLatest(scratch.db);
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' });
  const log = pino({ level: 'silent' });
  const deps: Deps = { config, db: scratch.db, dialect: scratch.dialect, clock: systemClock, ids: uuidV7Ids(systemClock), log, notifier: createNotifier(config, log) };
  await bootstrapReferenceData(deps);
  return seedWorld(deps);
}

let bundled: Promise<string> | null = null;

/**
 * The server as one ES module built from the current source (`src/main.ts`, the shared
 * package's source included; npm packages stay imports). CI runs the tests before any build,
 * and a bundle starts about twice as fast as tsx compiling every file at each restart. It is
 * written under apps/server/node_modules so that the packages resolve as from src/.
 */
export function serverBundle(): Promise<string> {
  bundled ??= (async () => {
    const dir = join(SERVER_DIR, 'node_modules/.cache/qiaoliang-reliability');
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, `server-${process.pid}-${randomBytes(3).toString('hex')}.mjs`);
    await build({
      entryPoints: [join(SERVER_DIR, 'src/main.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'error',
      alias: { '@qiaoliang/shared': join(REPO_DIR, 'packages/shared/src/index.ts') },
      plugins: [{
        name: 'npm-packages-external',
        setup(b) {
          // Every bare import but our own workspace package is left to Node.
          b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@qiaoliang/') || args.path.startsWith('/') ? undefined : { path: args.path, external: true }));
        },
      }],
    });
    removeAfterFile(outfile);
    return outfile;
  })();
  return bundled;
}

export interface RealServerOptions {
  dataDir: string;
  databaseUrl: string;
  env?: Record<string, string>;
  /** Where the server's stdout and stderr go (appended across restarts). */
  logFile?: string;
}

/**
 * The real server (`src/main.ts`, bundled by serverBundle() so CI needs no build) as a child
 * process, on its own port. start() resolves with the milliseconds from spawn to a healthy
 * /api/health. With QL_SERVER_ENTRY=dist it runs the built `dist/main.js` instead.
 */
export class RealServer {
  port = 0;
  child: ChildProcess | null = null;
  starts = 0;
  readonly logFile: string;

  constructor(private readonly opts: RealServerOptions) {
    this.logFile = opts.logFile ?? join(opts.dataDir, 'server.log');
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(extraEnv: Record<string, string> = {}): Promise<number> {
    if (this.child) throw new Error('server already running');
    if (!this.port) this.port = await freePort();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? tmpdir(),
      TZ: process.env.TZ ?? 'UTC',
      DATA_DIR: this.opts.dataDir,
      DATABASE_URL: this.opts.databaseUrl,
      PORT: String(this.port),
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      // These tests load the machine on purpose; shedding on a late event loop has its own test.
      MAX_EVENT_LOOP_DELAY_MS: '600000',
      ADMIN_DIST_DIR: join(this.opts.dataDir, 'no-admin-ui'),
      ...this.opts.env,
      ...extraEnv,
    };
    const entry = process.env.QL_SERVER_ENTRY === 'dist' ? join(SERVER_DIR, 'dist/main.js') : await serverBundle();
    const args = ['--enable-source-maps', entry];
    const fd = openSync(this.logFile, 'a');
    const started = Date.now();
    const child = spawn(process.execPath, args, { cwd: SERVER_DIR, env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    this.child = child;
    this.starts++;
    let exited: string | null = null;
    child.once('exit', (code, signal) => {
      exited = `exited with ${code ?? signal}`;
      if (this.child === child) this.child = null;
    });
    for (;;) {
      if (exited) throw new Error(`server ${exited} before it was healthy:\n${this.logTail()}`);
      if (Date.now() - started > 60_000) throw new Error(`server not healthy within 60 s:\n${this.logTail()}`);
      try {
        const res = await fetch(`${this.base}/api/health`, { signal: AbortSignal.timeout(1_000) });
        if (res.status === 200) return Date.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** kill -9: no shutdown code runs, in-flight requests and transactions are cut. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: the graceful shutdown. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await gone;
    this.child = null;
  }

  logTail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

/** A temporary DATA_DIR, removed by the returned function. */
export function tempDataDir(prefix = 'ql-rel-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
