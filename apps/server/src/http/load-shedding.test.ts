import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';

let t: TestApp;
let base: string;
let port: number;

beforeAll(async () => {
  t = await createTestApp({ MAX_IN_FLIGHT: '2' });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(base).port);
});
afterAll(async () => t.close());

/** A request that is in progress and stays so: its headers announce a body that never comes. */
async function stuckRequest(): Promise<Socket> {
  const s = connect(port, '127.0.0.1');
  await new Promise<void>((res, rej) => s.once('connect', res).once('error', rej));
  s.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Requested-With: XMLHttpRequest\r\nContent-Length: 100\r\n\r\n{');
  return s;
}

async function until(cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached in 5 s');
}

describe('load shedding', () => {
  it('over MAX_IN_FLIGHT answers 503 problem+json with Retry-After at once, keeps health up, and admits again when work drains', async () => {
    const ok = await fetch(`${base}/api/auth/me`);
    expect(ok.status).toBe(401);
    const stuck = [await stuckRequest(), await stuckRequest()];
    await until(async () => (await fetch(`${base}/api/auth/me`)).status === 503);

    const shed = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' }, body: JSON.stringify({ username: 'agent_a', password: 'x' }) });
    expect(shed.status).toBe(503);
    expect(shed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(shed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await shed.json()).toMatchObject({ status: 503, code: 'server.overloaded', title: '服务繁忙，请稍后再试' });
    // A turned-away login is not a failed login: nothing was read or written.
    const failures = await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'auth.login_failed').execute();
    expect(failures).toHaveLength(0);

    expect((await fetch(`${base}/api/health`)).status).toBe(200);

    for (const s of stuck) s.destroy();
    await until(async () => (await fetch(`${base}/api/auth/me`)).status === 401);
    // Many requests one after another never count up: each leaves when it is answered.
    for (let i = 0; i < 20; i++) expect((await fetch(`${base}/api/auth/me`)).status).toBe(401);
  });

  it('a late event loop (a CPU-bound server) turns new requests away for a second, then admits them again', async () => {
    const late = await createTestApp({ MAX_EVENT_LOOP_DELAY_MS: '300' });
    const me = async () => (await late.as(null, { method: 'GET', url: '/api/auth/me' })).statusCode;
    try {
      // A busy test machine may itself be late now and then: start from an open gate.
      await until(async () => (await me()) === 401);
      // Hold the event loop as a long synchronous report would.
      const end = Date.now() + 800;
      while (Date.now() < end) { /* busy */ }
      await new Promise((r) => setTimeout(r, 120));
      const shed = await late.as(null, { method: 'GET', url: '/api/auth/me' });
      expect(shed.statusCode).toBe(503);
      expect(shed.headers['retry-after']).toBeDefined();
      expect(shed.json().code).toBe('server.overloaded');
      expect((await late.as(null, { method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      // Admitted again once the loop has kept time for a second.
      await until(async () => (await me()) === 401);
    } finally {
      await late.close();
    }
  });
});
