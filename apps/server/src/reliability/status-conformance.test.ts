import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';
import { fillPath, operationsOf, type Operation } from '../test/reliability/openapi.js';
import { recordFigures } from '../test/reliability/scale.js';

/*
 * Status-code conformance (security finding 9): the outside test's fuzzer found the OpenAPI
 * document listed only successes. Here every operation gets a few bad requests — no session,
 * each role (most of them the wrong one), an empty or unexpected body, malformed JSON, the wrong
 * content type, no If-Match — and every answer must be a status the document lists for that
 * operation, with a body matching the document's Problem schema when it is an error.
 */

const USERS = ['root', 'agent_a', 'supervisor_a', 'manager_a', 'handler_a', 'executive_a', 'admin_a', 'admin_c1'] as const;
/** An SSE stream never ends for a signed-in caller: inject cannot wait for it (platform/events.test.ts covers it). */
const STREAMS = new Set(['GET /api/events/stream']);

const uuid = '01900000-0000-7000-8000-000000000000';
const param = (name: string) => ({ date: '2026-12-24', year: '2026', type: 'complaint', severity: 'routine', token: 'x'.repeat(22) } as Record<string, string>)[name] ?? uuid;

let t: TestApp;
let doc: any;
let ops: Operation[];
const cookies = new Map<string, string>();

beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.as(null, { method: 'GET', url: '/api/openapi.json' })).json();
  ops = operationsOf(doc);
  for (const u of USERS) cookies.set(u, await t.login(u));
}, 60_000);
afterAll(async () => t.close());

interface Probe {
  who: string;
  what: string;
  headers?: Record<string, string>;
  payload?: string;
}

function probesFor(o: Operation): Probe[] {
  const write = o.method !== 'GET' && o.method !== 'DELETE';
  const json = { 'content-type': 'application/json' };
  const probes: Probe[] = [{ who: 'nobody', what: 'no session' }];
  for (const u of USERS) {
    if (STREAMS.has(`${o.method} ${o.path}`)) continue;
    probes.push({ who: u, what: 'no body, no If-Match' });
    if (write) {
      probes.push({ who: u, what: 'empty object', headers: json, payload: '{}' });
      probes.push({ who: u, what: 'unexpected field, stale If-Match', headers: { ...json, 'if-match': '"999"' }, payload: '{"unexpected":1}' });
    }
  }
  if (write) {
    probes.push({ who: 'root', what: 'malformed JSON', headers: json, payload: '{"a":' });
    probes.push({ who: 'root', what: 'text/plain', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    probes.push({ who: 'nobody', what: 'no CSRF header', headers: { ...json, 'x-requested-with': '' }, payload: '{}' });
  }
  return probes;
}

describe('status-code conformance against the OpenAPI document (security finding 9)', () => {
  it('every answer to a bad request is a status its operation documents, and every error body matches Problem', async () => {
    const validProblem = new Ajv({ strict: false }).compile(doc.components.schemas.Problem);
    const wrong: string[] = [];
    let calls = 0;
    for (const o of ops) {
      const documented = new Set(Object.keys((o.op as any).responses));
      for (const p of probesFor(o)) {
        const url = fillPath(o.path, param) + (o.method === 'GET' ? '?limit=abc&from=nope' : '');
        const headers = { ...(p.headers ?? {}) };
        const cookie = p.who === 'nobody' ? null : cookies.get(p.who)!;
        const res = await t.as(cookie, { method: o.method as 'GET', url, headers, ...(p.payload !== undefined ? { payload: p.payload } : {}) });
        calls++;
        const where = `${o.method} ${o.path} as ${p.who} (${p.what})`;
        if (!documented.has(String(res.statusCode))) wrong.push(`${where} → ${res.statusCode} not documented (${[...documented].join(', ')}): ${res.body.slice(0, 120)}`);
        if (res.statusCode >= 400) {
          const problem = String(res.headers['content-type']).startsWith('application/problem+json');
          if (!problem || !validProblem(res.json()) || res.json().status !== res.statusCode) {
            wrong.push(`${where} → ${res.statusCode} body is not a Problem: ${JSON.stringify(validProblem.errors)} ${res.body.slice(0, 120)}`);
          }
        }
        // A generated call that ended a session (logout): sign in again.
        if (res.statusCode === 204 && o.path === '/api/auth/logout' && cookie) cookies.set(p.who, await t.login(p.who));
      }
    }
    recordFigures('status-conformance', { operations: ops.length, calls, nonConforming: wrong.length });
    expect(wrong.slice(0, 40), `${wrong.length} answers outside the contract`).toEqual([]);
  }, 300_000);
});

describe('what the HTTP parser refuses is problem+json too', () => {
  /** Sends a raw request to the listening app and returns status, content type and body. */
  const send = (port: number, path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('a 20 KB URL and an oversized header get 431 problem+json, not Fastify\'s own body', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const validProblem = new Ajv({ strict: false }).compile(doc.components.schemas.Problem);
    for (const [path, headers] of [[`/api/tickets?q=${'a'.repeat(20_000)}`, {}], ['/api/health', { 'x-padding': 'b'.repeat(20_000) }]] as const) {
      const res = await send(port, path, headers);
      expect(res.status).toBe(431);
      expect(res.type).toMatch(/^application\/problem\+json/);
      const body = JSON.parse(res.body);
      expect(validProblem(body)).toBe(true);
      expect(body).toMatchObject({ status: 431, code: 'request.headers_too_large' });
    }
    // A long path parameter is the router's 414, problem+json as well.
    const long = await t.as(cookies.get('root')!, { method: 'GET', url: `/api/projects/${'a'.repeat(500)}` });
    expect(long.statusCode).toBe(414);
    expect(validProblem(long.json())).toBe(true);
    expect((await send(port, '/api/health')).status).toBe(200);
  });
});
