/**
 * `npm run bench [-- --full] [--db sqlite|postgres] [--processes N] [--reuse] [--only a,b]`
 *
 * Seeds the benchmark dataset (bench-small, or bench with --full) into a fresh data directory
 * (SQLite) or a database of its own (PostgreSQL, created and dropped here), starts the real
 * server (one process on SQLite, two on PostgreSQL unless --processes says otherwise) and a bare floor server on the same
 * database, logs in with the seeded demo accounts, runs every scenario against the floor and
 * then the product (warm-up, then measure; autocannon, pipelining 1), writes
 * bench/results/<date>-<db>-<mode>.json and .md, and stops everything it started.
 * Loopback only; every loop is bounded in time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { OPEN_STATUSES } from '@qiaoliang/shared';
import { createDb } from '../../apps/server/src/db/create-db.js';
import { encodeCursor } from '../../apps/server/src/http/pagination.js';
import { Random } from '../../apps/server/src/seed/random.js';
import { run, sequential, type Stats, type Target } from './load.js';
import { markdown, type Result, type ScenarioResult } from './report.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BENCH = join(ROOT, 'bench');
const { values: args } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    db: { type: 'string', default: 'sqlite' },
    reuse: { type: 'boolean', default: false },
    only: { type: 'string' },
    warmup: { type: 'string' },
    duration: { type: 'string' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
    keep: { type: 'boolean', default: false },
    processes: { type: 'string' },
  },
});
const dbKind = args.db === 'postgres' || args.db === 'pg' ? 'postgres' : 'sqlite';
const mode = args.full ? 'full' : 'quick';
const scale = args.full ? 'bench' : 'bench-small';
const warmupS = Number(args.warmup ?? (args.full ? 5 : 3));
const measureS = Number(args.duration ?? (args.full ? 20 : 10));
// SQLite has one writer: one process. PostgreSQL scales out with processes (2 unless told).
const processes = dbKind === 'sqlite' ? 1 : Number(args.processes ?? 2);
if (!Number.isInteger(processes) || processes < 1 || processes > 16) throw new Error('--processes must be 1–16');
if (dbKind === 'sqlite' && args.processes && args.processes !== '1') throw new Error('--processes applies to PostgreSQL only (SQLite runs one process)');
const only = args.only ? new Set(args.only.split(',')) : null;
const dataDir = join(BENCH, '.data', `${dbKind}-${scale}`);
const pgDbName = `ql_bench_${scale.replace('-', '_')}`;
const databaseUrl = dbKind === 'sqlite' ? `sqlite:${join(dataDir, 'qiaoliang.db')}` : `${args['pg-url']}/${pgDbName}`;
const children: ChildProcess[] = [];
const log = (s: string) => process.stdout.write(`${s}\n`);

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

function start(name: string, argv: string[], env: Record<string, string>, quiet = false): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...argv], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const out = (chunk: Buffer) => {
    if (quiet) return;
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(`  [${name}] ${line}`);
  };
  child.stdout!.on('data', out);
  // Errors under overload repeat by the thousand: show the first few, count the rest.
  let shown = 0;
  let hidden = 0;
  child.stderr!.on('data', (c: Buffer) => {
    if (shown++ < 5) log(`  [${name}!] ${c.toString().trim().slice(0, 300)}`);
    else hidden++;
  });
  child.once('exit', () => hidden && log(`  [${name}!] … ${hidden} more error output chunks not shown`));
  return child;
}

async function waitFor(url: string, seconds = 120): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up in ${seconds} s`);
}

async function stopAll(): Promise<void> {
  await Promise.all(children.map((c) => new Promise<void>((res) => {
    if (c.exitCode !== null || c.signalCode !== null) return res();
    const t = setTimeout(() => { c.kill('SIGKILL'); res(); }, 15_000);
    c.once('exit', () => { clearTimeout(t); res(); });
    c.kill('SIGTERM');
  })));
  children.length = 0;
}

async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `${args['pg-url']}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Seeds unless --reuse finds the same dataset already there. */
async function prepareData(): Promise<{ counts: Record<string, number>; seedSeconds: number | null; reused: boolean }> {
  const marker = join(dataDir, 'seeded.json');
  const dbExists = dbKind === 'sqlite' ? existsSync(join(dataDir, 'qiaoliang.db'))
    : await pgAdmin(async (c) => (await c.query('select 1 from pg_database where datname = $1', [pgDbName])).rowCount === 1);
  if (args.reuse && existsSync(marker) && dbExists) {
    const m = JSON.parse(readFileSync(marker, 'utf8')) as { counts: Record<string, number>; seedSeconds: number };
    log(`Reusing the seeded ${dbKind} ${scale} dataset in ${dbKind === 'sqlite' ? dataDir : pgDbName}`);
    return { counts: m.counts, seedSeconds: m.seedSeconds, reused: true };
  }
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  if (dbKind === 'postgres') {
    await pgAdmin(async (c) => {
      await c.query(`drop database if exists ${pgDbName} with (force)`);
      await c.query(`create database ${pgDbName}`);
    });
  }
  log(`Seeding ${scale} into ${dbKind === 'sqlite' ? dataDir : pgDbName} …`);
  const t0 = Date.now();
  let counts: Record<string, number> = {};
  const child = start('seed', ['apps/server/src/cli/seed.ts', '--scale', scale], { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' });
  child.stdout!.on('data', (c: Buffer) => {
    const m = /Bench data loaded: (\{.*\})/.exec(c.toString());
    if (m) counts = JSON.parse(m[1]!) as Record<string, number>;
  });
  const code = await new Promise<number | null>((res) => child.once('exit', res));
  children.splice(children.indexOf(child), 1);
  if (code !== 0) throw new Error(`seed failed (${code})`);
  const seedSeconds = Math.round((Date.now() - t0) / 100) / 10;
  writeFileSync(marker, JSON.stringify({ scale, counts, seedSeconds }, null, 2));
  return { counts, seedSeconds, reused: false };
}

async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' }, body: JSON.stringify({ username, password: 'demo1234' }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

const rotate = <T>(items: T[]) => {
  let i = 0;
  if (!items.length) throw new Error('empty fixture list');
  return () => items[i++ % items.length]!;
};

async function main(): Promise<void> {
  const startedAt = new Date();
  const data = await prepareData();
  const fx = createDb(databaseUrl, { poolSize: 2 });
  const db = fx.db;
  const appPorts: number[] = [];
  for (let i = 0; i < processes; i++) appPorts.push(await freePort());
  const floorPort = await freePort();
  const serverEnv = {
    DATA_DIR: dataDir, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT_PER_MINUTE: '100000', ADMIN_DIST_DIR: '', NODE_ENV: 'production',
  };
  const result: Result = {
    date: startedAt.toISOString(), db: dbKind, mode, scale, processes: appPorts.length, warmupS, measureS, reused: data.reused, seedSeconds: data.seedSeconds, counts: data.counts,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '?', memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, db: '', loadBefore: loadavg().map((x) => Math.round(x * 10) / 10) },
    scenarios: [], notes: [],
  };
  try {
    result.machine.db = dbKind === 'sqlite' ? `SQLite ${(await sql<{ v: string }>`select sqlite_version() as v`.execute(db)).rows[0]!.v} (WAL, synchronous=FULL)`
      : `PostgreSQL ${(await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)).rows[0]!.v}`;
  } catch {
    result.machine.db = dbKind;
  }
  try {
    // ---------- fixtures, straight from the database ----------
    const r = new Random(7);
    const sample = <T>(rows: T[], n: number) => {
      const out: T[] = [];
      for (let i = 0; i < n && rows.length; i++) out.push(rows[r.int(0, rows.length - 1)]!);
      return out;
    };
    const scope = (await db.selectFrom('projects').select(['id', 'code']).where('code', 'in', ['GLF', 'YHY']).execute()).map((p) => p.id);
    const ticketIds = sample((await db.selectFrom('tickets').select('id').where('project_id', 'in', scope).execute()).map((t) => t.id), 3000);
    const phones = sample((await db.selectFrom('customer_phones as ph').innerJoin('customers as c', 'c.id', 'ph.customer_id').select('ph.phone').where('c.project_id', 'in', scope).execute()).map((p) => p.phone), 3000);
    // Registrations go to another project (P03, its agent agent_p031) so that the queues the
    // read scenarios measure (the demo agent's GLF and YHY) keep the seeded size run after run.
    const writeProject = (await db.selectFrom('projects').select('id').where('code', '=', 'P03').executeTakeFirstOrThrow()).id;
    const links = sample(await db.selectFrom('customer_units').select(['customer_id', 'unit_id', 'project_id']).where('project_id', '=', writeProject).where('relation', 'in', ['owner', 'prospective_owner']).execute(), 2000);
    const cats = await db.selectFrom('ticket_categories as c').select(['c.id', 'c.type', 'c.name']).where((eb) => eb.not(eb.exists(eb.selectFrom('ticket_categories as k').select('k.id').whereRef('k.parent_id', '=', 'c.id')))).execute();
    const repairCats = cats.filter((c) => c.type === 'repair');
    const complaintCats = cats.filter((c) => c.type === 'complaint');
    const due = sql<number>`coalesce(k1_due, resolution_due, first_response_due, registered_at)`;
    const teamCursors = (rows: { d: number; id: string }[]) => {
      const out: (string | null)[] = [null];
      for (let i = 49; i < rows.length - 1; i += 50) out.push(encodeCursor([Number(rows[i]!.d), rows[i]!.id]));
      return out;
    };
    const agentTeam = teamCursors(await db.selectFrom('tickets').select([due.as('d'), 'id']).where('project_id', 'in', scope).where('status', 'in', [...OPEN_STATUSES]).orderBy(due).orderBy('id').execute());
    const leaderTeam = teamCursors(await db.selectFrom('tickets').select([due.as('d'), 'id']).where('status', 'in', [...OPEN_STATUSES]).orderBy(due).orderBy('id').execute());
    const allRows = await db.selectFrom('tickets').select(['registered_at', 'id']).where('project_id', 'in', scope).orderBy('registered_at', 'desc').orderBy('id', 'desc').execute();
    const deepPages = [1, 10, 100, 300, 600, 1000, 3000, 10000].filter((p) => p * 50 < allRows.length);
    const allCursors = deepPages.map((p) => (p === 1 ? null : encodeCursor([Number(allRows[(p - 1) * 50 - 1]!.registered_at), allRows[(p - 1) * 50 - 1]!.id])));
    const floorBefore = sample(allRows.map((t) => Number(t.registered_at)), 2000);
    log(`Fixtures: ${ticketIds.length} tickets, ${phones.length} phones, agent queue ${agentTeam.length} pages, leader queue ${leaderTeam.length} pages, all-view pages ${deepPages.join('/')}`);

    // ---------- servers ----------
    for (const [i, port] of appPorts.entries()) start(`app${i + 1}`, ['apps/server/src/main.ts'], { ...serverEnv, PORT: String(port) });
    start('floor', ['bench/src/floor.ts'], { DATABASE_URL: databaseUrl, PORT: String(floorPort) });
    const apps = appPorts.map((p) => `http://127.0.0.1:${p}`);
    const floorUrl = `http://127.0.0.1:${floorPort}`;
    await Promise.all([...apps.map((u) => waitFor(`${u}/api/health`, 300)), waitFor(`${floorUrl}/floor/health`)]);
    const cookie = { agent: await login(apps[0]!, 'agent'), writer: await login(apps[0]!, 'agent_p031'), admin: await login(apps[0]!, 'admin'), executive: await login(apps[0]!, 'executive') };
    const h = (c: string, write = false) => ({ cookie: c, ...(write ? { 'x-requested-with': 'XMLHttpRequest' } : {}) });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const yearAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);

    // ---------- labelled search set: recall against the database ----------
    // Words from the agent's own customers: the most frequent surname, two-character and three-character names.
    const names = (await db.selectFrom('customers').select('name').where('project_id', 'in', scope).execute()).map((c) => c.name);
    const top = (list: string[], n: number) => {
      const f = new Map<string, number>();
      for (const x of list) f.set(x, (f.get(x) ?? 0) + 1);
      return [...f].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([x]) => x);
    };
    const customerWords = [...top(names.map((x) => x[0]!), 2), ...top(names.filter((x) => x.length === 2), 2), ...top(names.filter((x) => x.length === 3), 2), ...top(names.map((x) => x.slice(1)).filter((x) => x.length === 2), 1)];
    const ticketWords = ['漏', '漏水', '物业费', '电梯经常停在半层'];
    const recall: ScenarioResult['recall'] = [];
    for (const q of customerWords) {
      const truth = await db.selectFrom('customers as c').select((eb) => eb.fn.countAll<number>().as('n')).where('c.merged_into_id', 'is', null).where('c.name', 'like', `%${q}%`)
        .where((eb) => eb.or([eb('c.project_id', 'in', scope), eb.exists(eb.selectFrom('customer_units as cu').select('cu.id').whereRef('cu.customer_id', '=', 'c.id').where('cu.project_id', 'in', scope))]))
        .executeTakeFirstOrThrow();
      const res = (await (await fetch(`${apps[0]}/api/customers?q=${encodeURIComponent(q)}&pageSize=20`, { headers: h(cookie.agent) })).json()) as { total: number };
      recall.push({ kind: 'customer name', q, expected: Number(truth.n), found: Math.min(Number(res.total), Number(truth.n)), returned: Number(res.total) });
    }
    for (const q of ticketWords) {
      const truth = new Set((await db.selectFrom('tickets').select('id').where('project_id', 'in', scope).where((eb) => eb.or([eb('title', 'like', `%${q}%`), eb('description', 'like', `%${q}%`)])).execute()).map((t) => t.id));
      const found = new Set<string>();
      let cursor: string | null = null;
      for (let page = 0; page < 60; page++) {
        const res = (await (await fetch(`${apps[0]}/api/tickets?view=all&limit=200&q=${encodeURIComponent(q)}${cursor ? `&cursor=${cursor}` : ''}`, { headers: h(cookie.agent) })).json()) as { items: { id: string }[]; nextCursor: string | null };
        for (const it of res.items) found.add(it.id);
        cursor = res.nextCursor;
        if (!cursor) break;
      }
      const hit = [...truth].filter((id) => found.has(id)).length;
      recall.push({ kind: 'ticket text', q, expected: truth.size, found: hit, returned: found.size, ...(cursor ? { truncated: true } : {}) });
    }

    // ---------- scenarios ----------
    const registration = (() => {
      let i = 0;
      return () => {
        const l = links[i % links.length]!;
        const repair = i % 3 !== 0;
        const cat = repair ? repairCats[i % repairCats.length]! : complaintCats[i % complaintCats.length]!;
        i++;
        return {
          path: '/api/tickets',
          body: JSON.stringify({
            type: repair ? 'repair' : 'complaint', severity: 'routine', channel: 'hotline', projectId: l.project_id, customerId: l.customer_id, unitId: l.unit_id, categoryId: cat.id,
            description: repair ? `卫生间天花板漏水，楼上邻居说没有用水（压测 ${i}）` : `楼道垃圾两天没人清理，业主很不满意（压测 ${i}）`,
          }),
        };
      };
    })();
    const floorInsert = () => ({ path: '/floor/insert', body: JSON.stringify({ description: '卫生间天花板漏水，楼上邻居说没有用水' }) });
    const floorRead = (() => { const n = rotate(ticketIds); return () => ({ path: `/floor/ticket/${n()}` }); })();
    const floorPage = (() => { const n = rotate(floorBefore); return () => ({ path: `/floor/page?before=${n()}` }); })();
    const floorPhone = (() => { const n = rotate(phones); return () => ({ path: `/floor/phone?phone=${encodeURIComponent(n())}` }); })();
    const queue = (cursors: (string | null)[], view: string) => { const n = rotate(cursors); return () => { const c = n(); return { path: `/api/tickets?view=${view}&limit=50${c ? `&cursor=${c}` : ''}` }; }; };
    const detail = (() => { const n = rotate(ticketIds); return () => ({ path: `/api/tickets/${n()}` }); })();
    const mixed = (() => { const q = queue(agentTeam, 'team'); let i = 0; return () => (i++ % 2 ? q() : detail()); })();

    interface Scenario {
      name: string;
      title: string;
      app: Omit<Target, 'urls'> & { urls?: string[] };
      floor: Omit<Target, 'urls'>;
      /** Extra load running at the same time (flood night): reported beside. */
      alongside?: { app: Omit<Target, 'urls'>; floor: Omit<Target, 'urls'>; label: string };
      measureS?: number;
      /** Reports taking seconds: one at a time, this many samples (after one warm-up request). */
      samples?: number;
    }
    const reportSamples = args.full ? 5 : 8;
    const scenarios: Scenario[] = [
      { name: 'detail', title: 'Ticket detail (GET /api/tickets/:id), 16 connections', app: { connections: 16, headers: h(cookie.agent), next: detail }, floor: { connections: 16, next: floorRead } },
      { name: 'queue-agent', title: `Agent queue, view=team (2 projects, ${agentTeam.length} pages), 16 connections`, app: { connections: 16, headers: h(cookie.agent), next: queue(agentTeam, 'team') }, floor: { connections: 16, next: floorPage } },
      { name: 'queue-leader-deep', title: `Team queue across all projects (admin, every page of ${leaderTeam.length}), 16 connections`, app: { connections: 16, headers: h(cookie.admin), next: queue(leaderTeam, 'team') }, floor: { connections: 16, next: floorPage } },
      { name: 'queue-all-deep', title: `All tickets of the agent's projects, keyset pages ${deepPages.join('/')}, 16 connections`, app: { connections: 16, headers: h(cookie.agent), next: queue(allCursors, 'all') }, floor: { connections: 16, next: floorPage } },
      { name: 'lookup', title: 'Caller lookup by phone (GET /api/customers/lookup), 16 connections', app: { connections: 16, headers: h(cookie.agent), next: (() => { const n = rotate(phones); return () => ({ path: `/api/customers/lookup?phone=${encodeURIComponent(n())}` }); })() }, floor: { connections: 16, next: floorPhone } },
      { name: 'search-customers', title: `Customer search by name (GET /api/customers?q=${customerWords.join('|')}), 8 connections`, app: { connections: 8, headers: h(cookie.agent), next: (() => { const n = rotate(customerWords); return () => ({ path: `/api/customers?q=${encodeURIComponent(n())}&pageSize=20` }); })() }, floor: { connections: 8, next: floorPage } },
      { name: 'search-tickets', title: `Ticket text via the queue filter (GET /api/tickets?view=all&q=${ticketWords.join('|')}), 8 connections`, app: { connections: 8, headers: h(cookie.agent), next: (() => { const n = rotate(ticketWords); return () => ({ path: `/api/tickets?view=all&limit=50&q=${encodeURIComponent(n())}` }); })() }, floor: { connections: 8, next: floorPage } },
      { name: 'kpis', samples: reportSamples, title: `KPIs K1–K4 for a year (GET /api/kpis?from=${yearAgo}&to=${today}, executive, group scope), one at a time × ${reportSamples}`, app: { connections: 1, headers: h(cookie.executive), next: () => ({ path: `/api/kpis?from=${yearAgo}&to=${today}` }) }, floor: { connections: 1, next: floorPage } },
      { name: 'dashboard', samples: reportSamples, title: `Leadership dashboard for a year (GET /api/dashboard), one at a time × ${reportSamples}`, app: { connections: 1, headers: h(cookie.executive), next: () => ({ path: `/api/dashboard?from=${yearAgo}&to=${today}` }) }, floor: { connections: 1, next: floorPage } },
      { name: 'register', title: 'Ticket registration (POST /api/tickets), 64 connections', app: { connections: 64, method: 'POST', headers: h(cookie.writer, true), next: registration }, floor: { connections: 64, method: 'POST', next: floorInsert } },
      {
        name: 'flood', title: 'Flood night: 64 connections registering while 16 agents read queues and details',
        app: { connections: 64, method: 'POST', headers: h(cookie.writer, true), next: registration }, floor: { connections: 64, method: 'POST', next: floorInsert },
        alongside: { label: 'agents reading', app: { connections: 16, headers: h(cookie.agent), next: mixed }, floor: { connections: 16, next: floorPage } },
      },
      // Issue 11: a leader's year-long reports must not slow the agents (the report worker).
      { name: 'agents', title: '16 agents reading queues and details (the baseline of "leader")', app: { connections: 16, headers: h(cookie.agent), next: mixed }, floor: { connections: 16, next: floorPage } },
      {
        name: 'leader', title: `16 agents reading while a leader opens the year's dashboard and KPIs back to back (GET /api/dashboard, /api/kpis ${yearAgo}–${today})`,
        app: { connections: 16, headers: h(cookie.agent), next: mixed }, floor: { connections: 16, next: floorPage },
        alongside: {
          label: 'leader: dashboard / KPIs',
          app: { connections: 1, headers: h(cookie.executive), next: (() => { let i = 0; return () => ({ path: `/api/${i++ % 2 ? 'kpis' : 'dashboard'}?from=${yearAgo}&to=${today}` }); })() },
          floor: { connections: 1, next: floorPage },
        },
      },
      { name: 'overload', title: 'Over capacity: 512 connections registering (expect quick 503 + Retry-After, not hanging)', app: { connections: 512, method: 'POST', headers: h(cookie.writer, true), next: registration }, floor: { connections: 512, method: 'POST', next: floorInsert } },
    ];
    for (const s of scenarios) {
      if (only && !only.has(s.name)) continue;
      log(`\n▶ ${s.title}`);
      const measureOne = async (side: 'floor' | 'app'): Promise<Stats[]> => {
        const urls = side === 'app' ? apps : [floorUrl];
        if (s.samples) {
          const t = s[side];
          await sequential(urls[0]!, t.headers ?? {}, t.next, 1, 300);
          return [await sequential(urls[0]!, t.headers ?? {}, t.next, s.samples, args.full ? 600 : 300)];
        }
        const targets = [{ ...s[side], urls }, ...(s.alongside ? [{ ...s.alongside[side], urls }] : [])];
        await run(targets, warmupS);
        return run(targets, s.measureS ?? measureS);
      };
      const floor = await measureOne('floor');
      const app = await measureOne('app');
      const entry: ScenarioResult = { name: s.name, title: s.title, floor: floor[0]!, app: app[0]!, ...(s.alongside ? { alongside: { label: s.alongside.label, floor: floor[1]!, app: app[1]! } } : {}) };
      if (s.name === 'search-customers' || s.name === 'search-tickets') entry.recall = recall.filter((x) => (s.name === 'search-customers' ? x.kind === 'customer name' : x.kind === 'ticket text'));
      result.scenarios.push(entry);
      const fmt = (x: Stats) => `${x.rps} req/s p50 ${x.p50} p95 ${x.p95} p99 ${x.p99} ms, non-2xx ${JSON.stringify(x.statuses)} errors ${x.errors} timeouts ${x.timeouts}`;
      entry.load1 = Math.round(loadavg()[0]! * 10) / 10;
      log(`  floor: ${fmt(floor[0]!)}\n  app:   ${fmt(app[0]!)}${s.alongside ? `\n  ${s.alongside.label}: floor ${fmt(floor[1]!)}\n  ${s.alongside.label}: app ${fmt(app[1]!)}` : ''}`);
    }
    // A 503 must say when to come back: one request while the server is saturated shows the header.
    const overload = result.scenarios.find((x) => x.name === 'overload');
    if (overload) result.notes.push(`overload: ${overload.app.statuses['503'] ? '503 answers seen' : 'no 503 answers: the server queues every request (no load shedding)'}`);
    result.finishedAt = new Date().toISOString();
    result.machine.loadAfter = loadavg().map((x) => Math.round(x * 10) / 10);
  } finally {
    await stopAll();
    await db.destroy();
    if (dbKind === 'postgres' && !args.keep && !args.reuse) await pgAdmin((c) => c.query(`drop database if exists ${pgDbName} with (force)`));
  }
  // Flatness of the dashboard: compare with the latest quick run (100k tickets) on the same database.
  const resultsDir = join(BENCH, 'results');
  mkdirSync(resultsDir, { recursive: true });
  if (mode === 'full') {
    const quick = readdirSync(resultsDir).filter((f) => f.endsWith(`-${dbKind}-quick.json`)).sort().pop();
    if (quick) result.baseline = { file: quick, scenarios: (JSON.parse(readFileSync(join(resultsDir, quick), 'utf8')) as Result).scenarios };
  }
  if (dbKind === 'postgres') {
    const lite = readdirSync(resultsDir).filter((f) => f.endsWith(`-sqlite-${mode}.json`)).sort().pop();
    if (lite) result.sqliteBaseline = { file: lite, scenarios: (JSON.parse(readFileSync(join(resultsDir, lite), 'utf8')) as Result).scenarios };
  }
  const stamp = result.date.slice(0, 16).replace(/[:T]/g, '-');
  const base = join(resultsDir, `${stamp}-${dbKind}-${mode}${dbKind === 'postgres' && processes !== 2 ? `-p${processes}` : ''}`);
  writeFileSync(`${base}.json`, JSON.stringify(result, null, 2));
  writeFileSync(`${base}.md`, markdown(result));
  log(`\n${markdown(result)}\nWritten ${base}.json and .md`);
}

const onSignal = () => void stopAll().then(() => process.exit(130));
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
main().catch(async (err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  await stopAll();
  process.exit(1);
});
