import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, fingerprintDatabase, type TableFingerprint } from '../cli/backup.js';
import { createTestApp, type TestApp } from '../test/app.js';
import { hostile, invalid, valid } from '../test/reliability/arbitraries.js';
import { fillPath, operationsOf, type Operation } from '../test/reliability/openapi.js';
import { recordFigures, scale } from '../test/reliability/scale.js';

/*
 * Every operation of /api/openapi.json called with generated inputs, valid ones (from the
 * operation's own schemas, with ids of real records so that handlers run) and broken ones
 * (wrong types, missing and extra fields, injection strings, malformed JSON), by every kind of
 * user. Never a 5xx; every 4xx is problem+json with its status; a rejected request leaves
 * every table exactly as it was (row counts and checksums).
 */

const RUNS_PER_OPERATION = scale(3, 30);
const SEED = Number(process.env.FUZZ_SEED) || randomBytes(4).readUInt32BE();
const USERS = ['root', 'agent_a', 'supervisor_a', 'manager_a', 'handler_a', 'executive_a', 'admin_a', 'agent_b', null] as const;
/** An SSE stream never ends: inject cannot call it (platform/events.test.ts covers it over HTTP). */
const SKIP = new Set(['GET /api/events/stream']);

let t: TestApp;
let ops: Operation[];
const cookies = new Map<string, string>();
let pool: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  ops = operationsOf((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()).filter((o) => !SKIP.has(`${o.method} ${o.path}`));
  for (const u of USERS) if (u) cookies.set(u, await t.login(u));
  // Records for the generated ids to hit: tickets in several states, a work order, a callback, a visit, a survey.
  const agent = cookies.get('agent_a')!;
  for (let i = 0; i < 3; i++) {
    const r = await t.as(agent, { method: 'POST', url: '/api/tickets', payload: { type: 'complaint', severity: 'routine', channel: 'hotline', projectId: t.world.projectA, customerId: t.world.customerA, description: `模糊测试 ${i}` } });
    const tk = r.json();
    if (i === 1) await t.as(agent, { method: 'POST', url: `/api/tickets/${tk.id}/dispatch`, headers: { 'if-match': `"${tk.version}"` }, payload: { departmentId: t.world.deptPropA, instructions: '请处理', dueAt: '2026-12-30T00:00:00Z', lateReason: '业主月底才在家，约定月底上门' } });
    if (i === 2) await t.as(agent, { method: 'POST', url: `/api/tickets/${tk.id}/answer`, headers: { 'if-match': `"${tk.version}"` }, payload: { channel: 'phone', content: '已答复' } });
  }
  await t.as(agent, { method: 'POST', url: '/api/visits', payload: { customerId: t.world.customerA, projectId: t.world.projectA, kinds: ['phone_visit'] } });
  await t.as(cookies.get('supervisor_a')!, { method: 'POST', url: '/api/surveys', payload: { projectId: t.world.projectA, title: '满意度调查', questions: [{ id: 'q1', kind: 'rating', text: '总体满意度', required: true }] } });
  const ids: string[] = [];
  for (const table of ['tickets', 'work_orders', 'callbacks', 'visits', 'surveys', 'customers', 'projects', 'buildings', 'units', 'departments', 'users', 'city_companies', 'common_areas', 'customer_units', 'outbox', 'notifications', 'ticket_categories'] as const) {
    try {
      for (const r of await t.deps.db.selectFrom(table as 'tickets').select('id').execute()) ids.push(r.id);
    } catch {
      // a table this version does not have
    }
  }
  pool = ids;
}, 120_000);
afterAll(async () => t.close());

interface Case {
  user: (typeof USERS)[number];
  kind: 'valid' | 'invalid' | 'malformed';
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

/** Any value as text, even an object whose own `toString` is not a function. */
const text = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

function caseArb(o: Operation): fc.Arbitrary<Case> {
  const pathParams = (o.op.parameters ?? []).filter((p) => p.in === 'path');
  const queryParams = (o.op.parameters ?? []).filter((p) => p.in === 'query');
  const bodySchema = o.op.requestBody?.content?.['application/json']?.schema;
  const params = (bad: boolean) => fc.record(Object.fromEntries(pathParams.map((p) => [p.name, bad
    ? fc.oneof(valid(p.schema, pool), hostile()).map(text)
    : valid(p.schema, pool).map(text)])));
  const query = (bad: boolean) => fc.record(
    Object.fromEntries(queryParams.map((p) => [p.name, bad ? fc.oneof(valid(p.schema, pool), hostile()) : valid(p.schema, pool)])),
    { requiredKeys: bad ? [] : queryParams.filter((p) => p.required).map((p) => p.name) },
  );
  const user = fc.constantFrom(...USERS);
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ user, kind: fc.constant('valid' as const), params: params(false), query: query(false), body: bodySchema ? valid(bodySchema, pool) : fc.constant(undefined) }) },
    { weight: 2, arbitrary: fc.record({ user, kind: fc.constant('invalid' as const), params: params(true), query: query(true), body: bodySchema ? invalid(bodySchema, pool) : hostile() }) },
    { weight: 1, arbitrary: fc.record({ user, kind: fc.constant('malformed' as const), params: params(false), query: query(false), body: fc.constantFrom('{"a":', '\u0000', 'null', '[1,2', '{"__proto__":{"x":1}}', 'x'.repeat(3000)) }) },
  );
}

function queryString(q: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v];
    for (const x of values) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(text(x))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

describe('fuzzing every OpenAPI operation', () => {
  it(`never 5xx, always problem+json for 4xx, nothing written by a rejected request (${RUNS_PER_OPERATION} cases per operation, seed ${SEED})`, async () => {
    const failures: string[] = [];
    let baseline: Record<string, TableFingerprint> = await fingerprintDatabase(t.deps.db);
    let calls = 0;
    let rejected = 0;
    let accepted = 0;
    for (const [i, o] of ops.entries()) {
      const cases = fc.sample(caseArb(o), { numRuns: RUNS_PER_OPERATION, seed: SEED + i });
      for (const c of cases) {
        const url = fillPath(o.path, (n) => c.params[n] ?? '') + queryString(c.query);
        const headers: Record<string, string> = { 'if-match': '"1"' };
        let payload: string | undefined;
        if (c.body !== undefined && o.method !== 'GET' && o.method !== 'DELETE') {
          payload = c.kind === 'malformed' ? String(c.body) : JSON.stringify(c.body);
          headers['content-type'] = 'application/json';
        }
        const res = await t.as(c.user ? cookies.get(c.user)! : null, { method: o.method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
        calls++;
        const where = `${o.method} ${url} as ${c.user ?? 'nobody'} (${c.kind}) body ${(payload ?? '').slice(0, 200)}`;
        if (res.statusCode >= 500) failures.push(`${res.statusCode} for ${where}: ${res.body.slice(0, 200)}`);
        if (res.statusCode >= 400) {
          rejected++;
          const ct = String(res.headers['content-type'] ?? '');
          if (!ct.startsWith('application/problem+json')) failures.push(`${res.statusCode} without problem+json (${ct}) for ${where}`);
          else if (res.json().status !== res.statusCode || typeof res.json().code !== 'string') failures.push(`problem body does not match status for ${where}: ${res.body.slice(0, 200)}`);
          // A failed login is recorded on purpose (login throttle, audit); everything else must leave no trace.
          if (o.path !== '/api/auth/login') {
            const now = await fingerprintDatabase(t.deps.db);
            const changed = diffFingerprints(baseline, now);
            if (changed.length) {
              failures.push(`rejected ${res.statusCode} changed ${changed.join(', ')}: ${where}`);
              baseline = now;
            }
          } else baseline = await fingerprintDatabase(t.deps.db);
        } else {
          accepted++;
          baseline = await fingerprintDatabase(t.deps.db);
        }
        // A password changed or a session ended by a generated call: sign in again.
        if (res.statusCode === 204 && (o.path === '/api/auth/logout' || o.path === '/api/auth/password' || o.path.includes('reset-password'))) {
          for (const u of USERS) if (u) cookies.set(u, await t.login(u).catch(() => cookies.get(u)!));
          // Those sign-ins are the harness's own writes.
          baseline = await fingerprintDatabase(t.deps.db);
        }
      }
    }
    recordFigures('fuzz', { operations: ops.length, requests: calls, accepted, rejected, seed: SEED, serverErrors: failures.filter((f) => /^5\d\d/.test(f)).length, rejectedThatWrote: failures.filter((f) => f.startsWith('rejected')).length });
    expect(failures.slice(0, 25), `${failures.length} failures (seed ${SEED}, FUZZ_SEED=${SEED} replays)`).toEqual([]);
  }, 1_800_000);
});

describe('findings kept as regression tests', () => {
  it('an integer beyond the column range is refused with 400, not a PostgreSQL 500 (ticket category sort)', async () => {
    const root = await t.login('root');
    const cat = await t.deps.db.selectFrom('ticket_categories').select(['id', 'version']).limit(1).executeTakeFirstOrThrow();
    const res = await t.as(root, { method: 'PATCH', url: `/api/ticket-categories/${cat.id}`, headers: { 'if-match': `"${cat.version}"` }, payload: { sort: 2 ** 40 } });
    expect(res.statusCode, res.body).toBe(400);
  });

  it('a visit plan of a project that does not exist is a 404, not a foreign-key 500', async () => {
    const res = await t.as(await t.login('root'), { method: 'GET', url: '/api/visit-plans/01900000-0000-7000-8000-000000000000/2026' });
    expect(res.statusCode, res.body).toBe(404);
  });

  it('a NUL character anywhere in a request is a 400 naming the field, not a PostgreSQL 500 (login found it)', async () => {
    const agent = await t.login('agent_a');
    const before = await fingerprintDatabase(t.deps.db);
    const login = await t.as(null, { method: 'POST', url: '/api/auth/login', payload: { username: '\u0000', password: '𝁵' } });
    expect(login.statusCode, login.body).toBe(400);
    expect(login.headers['content-type']).toMatch(/problem\+json/);
    expect(login.json().errors).toEqual([{ field: 'username', message: expect.stringContaining('空字符') }]);
    const nested = await t.as(agent, { method: 'POST', url: '/api/tickets', payload: { type: 'complaint', severity: 'routine', channel: 'hotline', projectId: t.world.projectA, customerId: t.world.customerA, description: 'a\u0000b' } });
    expect(nested.statusCode, nested.body).toBe(400);
    expect(nested.json().errors[0].field).toBe('description');
    const query = await t.as(agent, { method: 'GET', url: '/api/tickets?q=%00' });
    expect(query.statusCode, query.body).toBe(400);
    expect(query.json().errors[0].field).toBe('q');
    const key = await t.as(agent, { method: 'POST', url: '/api/tickets', payload: { type: 'complaint', ['x\u0000']: 1 } });
    expect(key.statusCode, key.body).toBe(400);
    expect(diffFingerprints(before, await fingerprintDatabase(t.deps.db))).toEqual([]);
  });

  it('a path parameter over the router limit is a problem+json 414', async () => {
    const res = await t.as(await t.login('root'), { method: 'GET', url: `/api/projects/${'a'.repeat(500)}` });
    expect(res.statusCode).toBe(414);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});

describe('findings kept as regression tests (search filters)', () => {
  it('customers with a stale archive can be listed on both databases (PostgreSQL has no scalar max())', async () => {
    const res = await t.as(await t.login('root'), { method: 'GET', url: '/api/customers?archive=stale' });
    expect(res.statusCode, res.body).toBe(200);
  });
});
