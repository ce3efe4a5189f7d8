import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';
import { fillPath, operationsOf, type Operation } from '../test/reliability/openapi.js';

/*
 * Security finding 1 (external test): `GET /%61pi/audit` without a session returned the audit
 * log, because access was decided on the raw URL text while the router matched the decoded
 * path. Access is decided on the matched route; this walks every registered operation with the
 * ways a path can be written differently and still reach (or nearly reach) the same handler.
 */

const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login', 'GET /api/public/surveys/{token}', 'POST /api/public/surveys/{token}/responses', 'POST /api/cti/events']);

/** Every way to write a path that a router, a proxy or a browser may treat as the same one. */
function variants(path: string): { name: string; url: string; mustMatch: boolean }[] {
  const rest = path.slice('/api'.length);
  const encodeAll = (s: string) => [...s].map((c) => (c === '/' ? c : `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('');
  return [
    { name: 'first letter encoded', url: `/%61pi${rest}`, mustMatch: true },
    { name: 'upper-case escape', url: `/%41pi${rest}`.replace('%41', '%61'.toUpperCase()), mustMatch: true },
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

describe('no handler without a session, however its path is written', () => {
  const uuid = '01900000-0000-7000-8000-000000000000';
  const param = (name: string) => ({ date: '2026-12-24', year: '2026', type: 'complaint', severity: 'routine' } as Record<string, string>)[name] ?? uuid;

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
