import { STAFF_ROLES, type ScreenPopEvent, type ServerEvent } from '@qiaoliang/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { createDb } from '../db/create-db.js';
import type { Deps } from '../deps.js';
import { signCtiBody } from '../modules/hotline/cti.signature.js';
import { createTestApp, type TestApp } from '../test/app.js';
import { eventsOf, openSse, type SseClient } from '../test/sse.js';
import { eventChannel } from './events.js';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

let t: TestApp;
let base: string;
const cookies: Record<string, string> = {};
const open: SseClient[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  for (const u of ['agent_a', 'agent_b', 'supervisor_a', ...STAFF_ROLES.map((r) => `${r}_a`)]) cookies[u] ??= await t.login(u);
});
afterAll(async () => {
  for (const c of open) c.close();
  await t.close();
});

/** Opens a stream and waits until the hub has subscribed it. */
async function stream(user: string | null, headers: Record<string, string> = {}, url = `${base}/api/events/stream`): Promise<SseClient> {
  const c = await openSse(url, { ...(user ? { cookie: cookies[user]! } : {}), ...headers });
  open.push(c);
  if (c.status === 200) await c.next((f) => f.comments.includes('ready'));
  return c;
}

const notice = (title: string): ServerEvent => ({ type: 'notification', id: null, title, body: '正文', link: null });
const until = async (cond: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('GET /api/events/stream', () => {
  it('401 problem+json without a session, and no stream kept', async () => {
    const c = await stream(null);
    expect(c.status).toBe(401);
    expect(c.headers.get('content-type')).toMatch(/problem\+json/);
    expect(t.app.events.streamCount()).toBe(0);
  });

  it('is an event stream: headers, a retry hint, then the ready comment', async () => {
    const c = await stream('agent_a');
    expect(c.status).toBe(200);
    expect(c.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(c.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(c.headers.get('x-accel-buffering')).toBe('no');
    // The security headers set by hooks still go out on a hijacked reply.
    expect(c.headers.get('x-content-type-options')).toBe('nosniff');
    expect(c.frames[0]).toMatchObject({ retry: 3000, comments: ['ready'] });
    c.close();
  });

  it('SSE access matrix: every staff role gets its own events and never anyone else\'s', async () => {
    const streams = new Map<string, SseClient>();
    for (const role of STAFF_ROLES) streams.set(role, await stream(`${role}_a`));
    for (const role of STAFF_ROLES) await t.app.events.publish(t.world.users[`${role}_a`]!, notice(`给${role}`));
    // An event for a user without a stream goes nowhere.
    await t.app.events.publish(t.world.users.agent_b!, notice('给agent_b'));
    for (const role of STAFF_ROLES) {
      const c = streams.get(role)!;
      const { event } = await c.nextEvent<ServerEvent>();
      expect(event).toMatchObject({ title: `给${role}` });
      await new Promise((r) => setTimeout(r, 20));
      expect(eventsOf<ServerEvent>(c).map((e) => (e as { title: string }).title), role).toEqual([`给${role}`]);
      c.close();
    }
  });

  it('delivers to every tab of the user, each event once, with its id', async () => {
    const tab1 = await stream('agent_a');
    const tab2 = await stream('agent_a');
    const id = await t.app.events.publish(t.world.users.agent_a!, notice('两个标签页'));
    for (const c of [tab1, tab2]) {
      const got = await c.nextEvent<ServerEvent>();
      expect(got.id).toBe(id);
    }
    tab1.close();
    tab2.close();
  });

  it('replays what was missed since Last-Event-ID (header or query), within the replay window', async () => {
    const user = t.world.users.agent_a!;
    const first = (await t.app.events.publish(user, notice('一')))!;
    await t.app.events.publish(user, notice('二'));
    await t.app.events.publish(user, notice('三'));
    const c = await stream('agent_a', { 'last-event-id': first });
    await c.nextEvent<ServerEvent>((e) => (e as { title: string }).title === '三');
    expect(eventsOf<{ title: string }>(c).map((e) => e.title)).toEqual(['二', '三']);
    c.close();
    const q = await stream('agent_a', {}, `${base}/api/events/stream?lastEventId=${first}`);
    await q.nextEvent<ServerEvent>((e) => (e as { title: string }).title === '三');
    q.close();
    // Beyond the window: nothing replayed.
    t.clock.advance(6 * 60_000);
    const late = await stream('agent_a', { 'last-event-id': first });
    await new Promise((r) => setTimeout(r, 50));
    expect(eventsOf(late)).toEqual([]);
    late.close();
    // A forged id is ignored, not an error.
    const forged = await stream('agent_a', { 'last-event-id': "1' or '1'='1" });
    expect(forged.status).toBe(200);
    forged.close();
  });

  it('forgets a stream when the browser goes away (no leaked streams)', async () => {
    // Every stream the tests above opened was closed by its browser.
    await until(() => t.app.events.streamCount() === 0);
    const c = await stream('agent_b');
    expect(t.app.events.streamCount(t.world.users.agent_b!)).toBe(1);
    c.close();
    await until(() => t.app.events.streamCount() === 0);
  });

  it('keeps at most 5 streams per user: the oldest is closed', async () => {
    const tabs: SseClient[] = [];
    for (let i = 0; i < 6; i++) tabs.push(await stream('supervisor_a'));
    await tabs[0]!.ended;
    expect(t.app.events.streamCount(t.world.users.supervisor_a!)).toBe(5);
    for (const c of tabs) c.close();
    await until(() => t.app.events.streamCount(t.world.users.supervisor_a!) === 0);
  });

  it('heartbeats, and closes the stream with session_ended once the session is revoked (logout)', async () => {
    const cookie = await t.login('manager_a');
    const c = await openSse(`${base}/api/events/stream`, { cookie });
    open.push(c);
    await c.next((f) => f.comments.includes('ready'));
    await t.app.events.tick();
    await c.next((f) => f.comments.includes('hb'));
    const out = await t.as(cookie, { method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode).toBe(204);
    await t.app.events.tick();
    const { event } = await c.nextEvent<ServerEvent>();
    expect(event).toEqual({ type: 'session_ended' });
    await c.ended;
    // Reconnecting with the dead cookie is refused.
    const again = await openSse(`${base}/api/events/stream`, { cookie });
    expect(again.status).toBe(401);
  });

  it('closes the streams of a deactivated user at the next heartbeat', async () => {
    const cookie = await t.login('target_a');
    const c = await openSse(`${base}/api/events/stream`, { cookie });
    open.push(c);
    await c.next((f) => f.comments.includes('ready'));
    await t.deps.db.updateTable('users').set({ active: 0 }).where('id', '=', t.world.users.target_a!).execute();
    await t.app.events.tick();
    await c.ended;
    expect(eventsOf(c)).toEqual([{ type: 'session_ended' }]);
  });

  it('purges stored events after the retention period', async () => {
    const start = t.clock.now();
    await t.app.events.publish(t.world.users.agent_a!, notice('旧'));
    t.clock.advance(2 * 3_600_000);
    for (let i = 0; i < 40; i++) await t.app.events.tick();
    const left = await t.deps.db.selectFrom('server_events').select('id').where('created_at', '<', t.clock.now().getTime() - 3_600_000).execute();
    expect(left).toEqual([]);
    // Back in time, so the sessions of the tests below are still alive.
    t.clock.set(start);
  });
});

describe('closing the app', () => {
  it('ends open streams instead of hanging the shutdown', async () => {
    const other = await createTestApp();
    await other.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(other.app.server.address() as { port: number }).port}/api/events/stream`;
    const c = await openSse(url, { cookie: await other.login('agent_a') });
    await c.next((f) => f.comments.includes('ready'));
    const started = Date.now();
    await other.close();
    await c.ended;
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('event channel names', () => {
  it('are per schema and safe to quote', () => {
    expect(eventChannel('public')).toBe('ql_events_public');
    expect(eventChannel('t_0a1B"; drop')).toBe('ql_events_t_0a1b___drop');
    expect(eventChannel('x'.repeat(100)).length).toBe(63);
  });
});

// Several server processes on one PostgreSQL database: a CTI event received by one reaches the
// agent's stream held by another. Defined only with TEST_DATABASE_URL (SQLite is one process).
if (onPostgres) {
  describe('LISTEN/NOTIFY fan-out between two app instances (PostgreSQL)', () => {
    let second: App;
    let secondDeps: Deps;
    let secondBase: string;
    beforeAll(async () => {
      await t.deps.db.updateTable('users').set({ extension: '8001' }).where('id', '=', t.world.users.agent_a!).execute();
      const { db } = createDb(t.tdb.url, { searchPath: t.tdb.searchPath!, poolSize: 3 });
      secondDeps = { ...t.deps, db };
      second = await buildApp(secondDeps);
      await second.listen({ port: 0, host: '127.0.0.1' });
      secondBase = `http://127.0.0.1:${(second.server.address() as { port: number }).port}`;
      await until(() => second.events.listening && t.app.events.listening, 5_000);
    });
    afterAll(async () => {
      await second.close();
      await secondDeps.db.destroy();
    });

    it('a ring received by instance A pops on the agent\'s stream held by instance B, and only there', async () => {
      const onB = await openSse(`${secondBase}/api/events/stream`, { cookie: cookies.agent_a! });
      const otherOnB = await openSse(`${secondBase}/api/events/stream`, { cookie: cookies.agent_b! });
      const onA = await openSse(`${base}/api/events/stream`, { cookie: cookies.agent_a! });
      open.push(onB, otherOnB, onA);
      for (const c of [onB, otherOnB, onA]) await c.next((f) => f.comments.includes('ready'));
      const raw = JSON.stringify({ event: 'ringing', callId: 'fanout-1', caller: '13900000001', extension: '8001' });
      const started = Date.now();
      const res = await t.app.inject({
        method: 'POST', url: '/api/cti/events', payload: raw,
        headers: { 'content-type': 'application/json', 'x-qiaoliang-signature': signCtiBody(t.deps.config.ctiSecret, raw, Math.floor(t.clock.now().getTime() / 1000)) },
      });
      expect(res.statusCode, res.body).toBe(200);
      const pop = await onB.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop', 1_000);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(pop.event.customers.map((c) => c.customer.id)).toEqual([t.world.customerA]);
      // The receiving instance delivers its own streams directly, exactly once.
      const local = await onA.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop');
      expect(local.id).toBe(pop.id);
      await new Promise((r) => setTimeout(r, 200));
      expect(eventsOf(onA)).toHaveLength(1);
      expect(eventsOf(onB)).toHaveLength(1);
      expect(eventsOf(otherOnB)).toEqual([]);
    });

    it('a process whose listener connection dropped catches up after reconnecting', async () => {
      const onB = await openSse(`${secondBase}/api/events/stream`, { cookie: cookies.supervisor_a! });
      open.push(onB);
      await onB.next((f) => f.comments.includes('ready'));
      const channel = eventChannel(t.tdb.searchPath!);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where query like 'LISTEN%' and position(${channel} in query) > 0 and pid <> pg_backend_pid()`.execute(t.deps.db);
      await until(() => !second.events.listening, 2_000);
      await t.app.events.publish(t.world.users.supervisor_a!, notice('断线期间'));
      const { event } = await onB.nextEvent<ServerEvent>((e) => e.type === 'notification', 5_000);
      expect(event).toMatchObject({ title: '断线期间' });
      await until(() => second.events.listening && t.app.events.listening, 5_000);
    });
  });
}
