import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';
import { recordFigures, scale } from '../test/reliability/scale.js';

/*
 * Idempotency and lost updates. Registrations carry an Idempotency-Key; a fifth of them are
 * sent again, one after the other or several at once, and each key must give exactly one
 * ticket (the crash torture re-sends keys across a kill -9). Editors of one record with
 * If-Match never overwrite each other: every edit survives.
 */

const REGISTRATIONS = scale(300, 10_000);
const BATCH = 16;

let t: TestApp;
let agent: string;
beforeAll(async () => {
  t = await createTestApp();
  agent = await t.login('agent_a');
});
afterAll(async () => t.close());

describe('idempotent registration', () => {
  it(`${REGISTRATIONS} registrations, a fifth re-sent sequentially or concurrently, give one ticket per key`, async () => {
    const prefix = `idem-${Date.now()}`;
    const body = (i: number) => ({ type: 'inquiry', severity: 'routine', channel: 'hotline', projectId: t.world.projectA, description: `幂等测试 ${i}` });
    const send = (i: number) => t.as(agent, { method: 'POST', url: '/api/tickets', headers: { 'idempotency-key': `${prefix}-${i}` }, payload: body(i) });
    const first = new Map<number, string>();
    const problems: string[] = [];
    let sequentialRetries = 0;
    let concurrentRetries = 0;
    for (let start = 0; start < REGISTRATIONS; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, REGISTRATIONS - start) }, (_, j) => start + j);
      await Promise.all(batch.map(async (i) => {
        if (i % 5 === 4) {
          // Concurrent: the same key three times at once (a double click and a client retry).
          const rs = await Promise.all([send(i), send(i), send(i)]);
          concurrentRetries += 2;
          const ids = new Set(rs.map((r) => r.json().id));
          const created = rs.filter((r) => r.statusCode === 201).length;
          if (ids.size !== 1 || created !== 1 || rs.some((r) => r.statusCode !== 200 && r.statusCode !== 201)) {
            problems.push(`key ${i}: ${rs.map((r) => `${r.statusCode} ${r.json().id}`).join(', ')}`);
          }
          first.set(i, rs[0]!.json().id);
          return;
        }
        const r = await send(i);
        if (r.statusCode !== 201) problems.push(`key ${i}: ${r.statusCode} ${r.body.slice(0, 200)}`);
        first.set(i, r.json().id);
        if (i % 5 === 3) {
          // Sequential: the client did not see the answer and sends again.
          const again = await send(i);
          sequentialRetries++;
          if (again.statusCode !== 200 || again.json().id !== r.json().id) problems.push(`re-sent key ${i}: ${again.statusCode} ${again.json().id}`);
        }
      }));
    }
    expect(problems.slice(0, 10)).toEqual([]);
    const rows = await t.deps.db.selectFrom('tickets').select(['id', 'idempotency_key']).where('idempotency_key', 'like', `${prefix}-%`).execute();
    expect(rows.length).toBe(REGISTRATIONS);
    expect(new Set(rows.map((r) => r.idempotency_key)).size).toBe(REGISTRATIONS);
    for (const r of rows) expect(first.get(Number(r.idempotency_key!.slice(prefix.length + 1)))).toBe(r.id);
    // One registration event and one audit row per ticket: the retries wrote nothing.
    const events = await t.deps.db.selectFrom('ticket_events').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'registered').executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(REGISTRATIONS);
    const audits = await t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'ticket.registered').executeTakeFirstOrThrow();
    expect(Number(audits.n)).toBe(REGISTRATIONS);
    recordFigures('idempotency', { registrations: REGISTRATIONS, sequentialRetries, concurrentRetries, ticketsPerKey: 1, duplicates: 0 });
  }, 600_000);
});

describe('no lost updates with If-Match', () => {
  it('concurrent editors of one customer: every edit survives, the losers get 412 and retry', async () => {
    const EDITORS = 8;
    const cookies = await Promise.all(['agent_a', 'supervisor_a', 'manager_a', 'admin_a'].map((u) => t.login(u)));
    const url = `/api/customers/${t.world.customerA}`;
    let conflicts = 0;
    const startVersion = (await t.as(cookies[0]!, { method: 'GET', url })).json().version as number;
    await Promise.all(Array.from({ length: EDITORS }, async (_, e) => {
      const cookie = cookies[e % cookies.length]!;
      for (let attempt = 0; attempt < 100; attempt++) {
        const cur = (await t.as(cookie, { method: 'GET', url })).json() as { version: number; tags: string[] };
        // Everyone reads before anyone writes: the stale writers must be refused.
        await new Promise((r) => setImmediate(r));
        const res = await t.as(cookie, { method: 'PATCH', url, headers: { 'if-match': `"${cur.version}"` }, payload: { tags: [...cur.tags, `编辑${e}`] } });
        if (res.statusCode === 200) return;
        expect(res.statusCode, res.body).toBe(412);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
        conflicts++;
      }
      throw new Error(`editor ${e} never got through`);
    }));
    const final = (await t.as(cookies[0]!, { method: 'GET', url })).json() as { version: number; tags: string[] };
    for (let e = 0; e < EDITORS; e++) expect(final.tags).toContain(`编辑${e}`);
    expect(final.version).toBe(startVersion + EDITORS);
    expect(conflicts).toBeGreaterThan(0);
    recordFigures('lost-updates', { editors: EDITORS, refusedStaleWrites: conflicts, lostUpdates: 0 });
  });

  it('a write without If-Match is refused (428), so no client can overwrite blindly', async () => {
    const res = await t.as(agent, { method: 'PATCH', url: `/api/customers/${t.world.customerA}`, payload: { notes: '盲写' } });
    expect(res.statusCode).toBe(428);
  });
});
