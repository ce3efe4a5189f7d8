import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';
import { accessMatrixPaths, fillPath, operationsOf, type Operation } from '../test/reliability/openapi.js';
import { recordFigures } from '../test/reliability/scale.js';

/*
 * The access matrix covers the whole API: every /api operation in the OpenAPI document is the
 * subject of some accessMatrix case (endpoint × every role × in and out of scope × no session),
 * and every operation answers 401 to a caller without a session, whatever the request looks
 * like, except the few that are public by design.
 */

/** Operations outside the role matrix, and why. Each is checked below for what it must do instead. */
const NOT_IN_MATRIX: Record<string, string> = {
  'GET /api/health': 'public: load balancers probe it',
  'POST /api/auth/login': 'public: the way in (rate limited)',
  'GET /api/public/surveys/{token}': 'public: the respondent holds a 128-bit link secret',
  'POST /api/public/surveys/{token}/responses': 'public: the respondent holds a 128-bit link secret',
  'POST /api/cti/events': 'signed: the telephony system signs each request (HMAC)',
  'GET /api/events/stream': 'SSE: a stream cannot be injected; platform/events.test.ts runs its role matrix over HTTP',
  'POST /api/portal/auth/code': 'public: the owner portal\'s way in (per-number, per-address and per-minute limits; portal.api.test.ts)',
  'POST /api/portal/auth/login': 'public: the owner portal\'s way in (5 tries per code, address throttle; portal.api.test.ts)',
};
const PUBLIC = new Set([
  'GET /api/health', 'POST /api/auth/login', 'GET /api/public/surveys/{token}', 'POST /api/public/surveys/{token}/responses', 'POST /api/cti/events',
  'POST /api/portal/auth/code', 'POST /api/portal/auth/login',
]);

const uuid = '01900000-0000-7000-8000-000000000000';
const param = (name: string) => ({ date: '2026-12-24', year: '2026', type: 'complaint', severity: 'routine', token: 'x'.repeat(32) } as Record<string, string>)[name] ?? uuid;

/*
 * Security finding 1 (external test): `GET /%61pi/audit` without a session returned the audit
 * log, because access was decided on the raw URL text while the router matched the decoded path.
 * These are the ways to write a path that a router, a proxy or a browser may treat as the same.
 */
function variants(path: string): { name: string; url: string; mustMatch: boolean }[] {
  const rest = path.slice('/api'.length);
  const encodeAll = (s: string) => [...s].map((c) => (c === '/' ? c : `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('');
  return [
    { name: 'first letter encoded', url: `/%61pi${rest}`, mustMatch: true },
    { name: 'middle letter encoded', url: `/a%70i${rest}`, mustMatch: true },
    { name: 'every letter encoded', url: encodeAll(path), mustMatch: true },
    { name: 'trailing slash', url: `${path}/`, mustMatch: true },
    { name: 'double slash at start', url: `/${path}`, mustMatch: false },
    { name: 'double slash inside', url: `/api/${rest}`, mustMatch: false },
    { name: 'upper case', url: `/API${rest}`, mustMatch: false },
    { name: 'dot-dot', url: `/x/..${path}`, mustMatch: false },
    { name: 'dot segment', url: `/api/.${rest}`, mustMatch: false },
    { name: 'encoded slash', url: `/api%2F${rest.slice(1)}`, mustMatch: false },
    { name: 'encoded dot-dot', url: `/x/%2e%2e${path}`, mustMatch: false },
  ];
}

let t: TestApp;
let ops: Operation[];
beforeAll(async () => {
  t = await createTestApp();
  ops = operationsOf((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json());
});
afterAll(async () => t.close());

describe('access matrix coverage', () => {
  it('every /api operation in the OpenAPI document has an access-matrix case', () => {
    const declared = accessMatrixPaths(join(import.meta.dirname, '..'));
    const covered = new Set(declared.map((d) => d.key));
    const all = ops.map((o) => `${o.method} ${o.path}`);
    const missing = all.filter((k) => !covered.has(k) && !(k in NOT_IN_MATRIX));
    expect(missing, 'operations no *.access.test.ts case names').toEqual([]);
    // A case naming an operation that no longer exists checks nothing.
    const known = new Set(all);
    expect(declared.filter((d) => !known.has(d.key)).map((d) => `${d.key} (${d.file})`), 'cases for operations that do not exist').toEqual([]);
    for (const k of Object.keys(NOT_IN_MATRIX)) expect(known.has(k), `${k} is listed as outside the matrix but does not exist`).toBe(true);
    recordFigures('access-coverage', { operations: all.length, inMatrix: all.filter((k) => covered.has(k)).length, outsideMatrixByDesign: Object.keys(NOT_IN_MATRIX).length, matrixCases: declared.length });
  });
});

describe('401 without a session, whatever the request', () => {
  // A valid-looking body, an empty one, a wrong one, and none: authentication comes first.
  const bodies: (unknown | undefined)[] = [{}, { unexpected: 1, n: 'x'.repeat(10) }, [], undefined];

  it('every operation but the public ones answers 401 problem+json, before looking at the input', async () => {
    const wrong: string[] = [];
    let calls = 0;
    for (const o of ops) {
      const key = `${o.method} ${o.path}`;
      if (PUBLIC.has(key)) continue;
      for (const body of o.method === 'GET' || o.method === 'DELETE' ? [undefined] : bodies) {
        const url = fillPath(o.path, param) + (o.method === 'GET' ? '?limit=abc&from=nope' : '');
        const res = await t.as(null, { method: o.method as 'GET', url, ...(body !== undefined ? { payload: body as object } : {}) });
        calls++;
        if (res.statusCode !== 401 || !String(res.headers['content-type']).startsWith('application/problem+json')) {
          wrong.push(`${key} ${JSON.stringify(body) ?? '(no body)'} → ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    recordFigures('unauthenticated-401', { operations: ops.length - PUBLIC.size, calls });
  });

  it('the public operations do what they must without a session', async () => {
    expect((await t.as(null, { method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    const login = await t.as(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'agent_a', password: 'wrong-password' } });
    expect(login.statusCode).toBe(401);
    const survey = await t.as(null, { method: 'GET', url: `/api/public/surveys/${'x'.repeat(32)}` });
    expect([400, 404]).toContain(survey.statusCode);
    // The CTI webhook: no signature, a wrong one → 401; the handler never ran.
    const unsigned = await t.as(null, { method: 'POST', url: '/api/cti/events', payload: { callId: 'c1', event: 'ring' } });
    expect(unsigned.statusCode).toBe(401);
    const forged = await t.as(null, { method: 'POST', url: '/api/cti/events', headers: { 'x-qiaoliang-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` }, payload: { callId: 'c1', event: 'ring' } });
    expect(forged.statusCode).toBe(401);
    expect(await t.deps.db.selectFrom('cti_events').selectAll().execute()).toEqual([]);
  });
});

describe('no handler without a session, however its path is written', () => {
  it('the encoded path of finding 1 answers 401 and shows no audit row', async () => {
    const res = await t.as(null, { method: 'GET', url: '/%61pi/audit' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).not.toContain('"items"');
  });

  it('every non-public operation answers 401 to every variant that reaches it, and nothing else gets through', async () => {
    const wrong: string[] = [];
    for (const o of ops) {
      if (PUBLIC.has(`${o.method} ${o.path}`)) continue;
      const path = fillPath(o.path, param);
      for (const v of variants(path)) {
        const res = await t.as(null, { method: o.method as 'GET', url: v.url, ...(o.method === 'GET' || o.method === 'DELETE' ? {} : { payload: {} }) });
        const problem = String(res.headers['content-type']).startsWith('application/problem+json');
        // A variant the router does not match is a 404 (or 400 for a malformed path); one it
        // does match must be refused for the missing session.
        const ok = problem && (v.mustMatch ? res.statusCode === 401 : [400, 401, 404].includes(res.statusCode));
        if (!ok) wrong.push(`${o.method} ${v.url} (${v.name}) → ${res.statusCode} ${res.body.slice(0, 100)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the API description', () => {
  it('is open while developing and needs a session in production (NODE_ENV=production)', async () => {
    expect((await t.as(null, { method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
    const prod = await createTestApp({ NODE_ENV: 'production' });
    try {
      for (const url of ['/api/openapi.json', '/%61pi/openapi.json', '/api/docs', '/api/docs/json']) {
        expect((await prod.as(null, { method: 'GET', url })).statusCode, url).toBe(401);
      }
      const cookie = await prod.login('root');
      expect((await prod.as(cookie, { method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
    } finally {
      await prod.close();
    }
  });
});
