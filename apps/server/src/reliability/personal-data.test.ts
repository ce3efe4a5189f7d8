import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { InjectOptions } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { bootstrapReferenceData } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { LOG_REDACT, type Deps } from '../deps.js';
import { FixedClock } from '../platform/clock.js';
import { uuidV7Ids } from '../platform/ids.js';
import { createNotifier } from '../platform/notify.js';
import { signCtiBody } from '../modules/hotline/cti.signature.js';
import { createTestDb, type TestDb } from '../test/db.js';
import { findPii } from '../test/reliability/pii.js';
import { LONG, recordFigures } from '../test/reliability/scale.js';
import { SERVER_DIR } from '../test/reliability/server.js';
import { seedWorld, TEST_PASSWORD, type World } from '../test/world.js';
import { tempDir } from '../test/temp-dir.js';
import { createBackground } from '../jobs.js';

/*
 * Personal data stays out of logs, every reveal is audited, exports are masked by default.
 * The app runs here with its logger at debug level into memory, through the flows that carry
 * phone and ID numbers (create, search, caller lookup, reveal, export, CTI events, failed
 * logins), and the log is scanned for +86/1[3-9]xxxxxxxxx and 18-digit ID numbers. The long
 * run also scans everything the whole API suite logs at debug level.
 */

const PHONE = '13912345678';
const ID_NUMBER = '440308199901010012';

let db: TestDb;
let app: App;
let deps: Deps;
let world: World;
let logText = '';
const cookies = new Map<string, string>();

beforeAll(async () => {
  db = await createTestDb();
  const dataDir = tempDir('ql-pii-');
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'debug', LOGIN_RATE_LIMIT_PER_MINUTE: '10000', MAX_EVENT_LOOP_DELAY_MS: '600000' });
  const sink = new Writable({ write(chunk, _enc, cb) { logText += String(chunk); cb(); } });
  const log = pino({ level: 'trace', redact: LOG_REDACT }, sink);
  const clock = new FixedClock('2026-11-27T02:00:00Z');
  deps = { config: { ...config, databaseUrl: db.url, dialect: db.dialect }, db: db.db, dialect: db.dialect, clock, ids: uuidV7Ids(clock), log, notifier: createNotifier(config, log) };
  await bootstrapReferenceData(deps);
  world = await seedWorld(deps);
  app = await buildApp(deps);
  await app.ready();
  for (const u of ['agent_a', 'supervisor_a', 'manager_a', 'root']) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'XMLHttpRequest' }, payload: { username: u, password: TEST_PASSWORD } });
    cookies.set(u, String(res.headers['set-cookie']).split(';')[0]!);
  }
});
afterAll(async () => {
  await app.close();
  await db.destroy();
});

const as = (user: string | null, opts: InjectOptions) => app.inject({
  ...opts,
  headers: { ...(opts.headers as Record<string, string>), ...(user ? { cookie: cookies.get(user)! } : {}), ...(opts.method && opts.method !== 'GET' ? { 'x-requested-with': 'XMLHttpRequest' } : {}) },
});

/** Requests an export, runs the job runner, downloads the file as the requester. */
async function exportXlsx(user: string, url: string, payload: object = {}): Promise<Buffer> {
  const req = await as(user, { method: 'POST', url, payload });
  expect(req.statusCode, req.body).toBe(202);
  await createBackground(deps).runner.runDue();
  const file = await as(user, { method: 'GET', url: `/api/exports/${req.json().id}/file` });
  expect(file.statusCode, file.body).toBe(200);
  return file.rawPayload;
}

async function xlsxText(buf: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const cells: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void cells.push(String(c.value ?? '')))));
  return cells.join('\n');
}

describe('personal data', () => {
  let customerId = '';

  it('flows that carry phone and ID numbers leave none of them in the debug log', async () => {
    const created = await as('agent_a', { method: 'POST', url: '/api/customers', payload: { kind: 'owner', projectId: world.projectA, name: '陈静', phones: [{ phone: PHONE }], idNumber: ID_NUMBER } });
    expect(created.statusCode, created.body).toBe(201);
    customerId = created.json().id;
    await as('agent_a', { method: 'GET', url: `/api/customers?q=${PHONE}` });
    await as('agent_a', { method: 'GET', url: `/api/customers?q=${ID_NUMBER}` });
    await as('agent_a', { method: 'GET', url: `/api/customers/lookup?phone=%2B86${PHONE}` });
    await as('agent_a', { method: 'POST', url: `/api/customers/${customerId}/reveal`, payload: { field: 'phones', reason: '客户要求回电' } });
    await as('agent_a', { method: 'POST', url: '/api/customers', payload: { kind: 'owner', projectId: world.projectA, name: '错号', phones: [{ phone: '1391234' }], idNumber: '440308199901010099' } });
    await as(null, { method: 'POST', url: '/api/auth/login', payload: { username: PHONE, password: ID_NUMBER } });
    const cti = JSON.stringify({ callId: `pii-${Date.now()}`, event: 'ringing', occurredAt: deps.clock.now().toISOString(), caller: `+86${PHONE}`, extension: '8001' });
    const sig = signCtiBody(deps.config.ctiSecret, cti, Math.floor(deps.clock.now().getTime() / 1000));
    await app.inject({ method: 'POST', url: '/api/cti/events', headers: { 'content-type': 'application/json', 'x-qiaoliang-signature': sig }, payload: cti });
    await as('agent_a', { method: 'POST', url: '/api/tickets', payload: { type: 'repair', severity: 'routine', channel: 'hotline', projectId: world.projectA, customerId, description: '楼道灯不亮' } });
    await exportXlsx('supervisor_a', '/api/customers/exports', { revealPhones: true, reason: '上报物业公司' });
    expect(logText.length).toBeGreaterThan(1000);
    const hits = findPii(logText);
    expect(hits.slice(0, 5), `${hits.length} personal data patterns in the log`).toEqual([]);
    recordFigures('log-scan-flows', { logBytes: logText.length, lines: logText.split('\n').length, hits: hits.length });
  });

  it('every reveal is in the audit log, with the reason and never the value', async () => {
    const before = await deps.db.selectFrom('audit_log').select('id').where('action', '=', 'customer.revealed').execute();
    // Who may reveal an ID number is a privacy setting: allow supervisors first.
    const privacy = await as('root', { method: 'GET', url: '/api/settings/privacy' });
    const put = await as('root', { method: 'PUT', url: '/api/settings/privacy', headers: { 'if-match': `"${privacy.json().version}"` }, payload: { phoneRevealRoles: ['agent', 'supervisor', 'manager'], idNumberRevealRoles: ['supervisor'], dailyRevealQuota: 50 } });
    expect(put.statusCode, put.body).toBe(200);
    const res = await as('supervisor_a', { method: 'POST', url: `/api/customers/${customerId}/reveal`, payload: { field: 'id_number', reason: '核实身份' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain(ID_NUMBER);
    const after = await deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'customer.revealed').execute();
    expect(after.length).toBe(before.length + 1);
    const row = after.at(-1)!;
    expect(row.entity_id).toBe(customerId);
    expect(row.actor_id).toBe(world.users.supervisor_a);
    expect(row.after_json).toContain('核实身份');
    const all = await deps.db.selectFrom('audit_log').select(['before_json', 'after_json']).execute();
    expect(findPii(all.map((a) => `${a.before_json ?? ''} ${a.after_json ?? ''}`).join('\n'))).toEqual([]);
  });

  it('exports are masked by default; revealing phones needs a reason and is audited', async () => {
    const text = await xlsxText(await exportXlsx('supervisor_a', '/api/customers/exports'));
    expect(text).toContain('陈静');
    expect(findPii(text)).toEqual([]);
    expect(findPii(await xlsxText(await exportXlsx('agent_a', '/api/tickets/exports', { view: 'team' })))).toEqual([]);
    const exports = await deps.db.selectFrom('audit_log').select(['after_json']).where('action', '=', 'customer.exported').execute();
    expect(exports.some((e) => (e.after_json ?? '').includes('上报物业公司'))).toBe(true);
  });

  if (LONG) {
    it('the whole API suite, logging at debug level, logs no phone or ID number', () => {
      const r = spawnSync('npx', ['vitest', 'run', '--exclude', 'src/reliability/**'], {
        cwd: SERVER_DIR, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, timeout: 1_500_000,
        env: { ...process.env, TEST_LOG_LEVEL: 'debug', RELIABILITY: '' },
      });
      // Everything the suite printed: pino's JSON lines and the test runner's own output.
      const text = `${r.stdout}\n${r.stderr}`;
      const logLines = text.split('\n').filter((l) => l.startsWith('{"level"'));
      const hits = findPii(logLines.join('\n'));
      recordFigures('log-scan-api-suite', { logLines: logLines.length, hits: hits.length, allHits: findPii(text).length });
      expect(logLines.length).toBeGreaterThan(1000);
      expect(hits.slice(0, 10)).toEqual([]);
    }, 1_800_000);
  }
});

