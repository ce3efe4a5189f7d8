import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { createDb } from '../db/create-db.js';
import type { Deps } from '../deps.js';
import { loadWorkCalendar } from '../modules/calendar/calendar.service.js';
import { listCategories } from '../modules/tickets/categories.service.js';
import { createTestApp, type TestApp } from '../test/app.js';
import { ReferenceCache, referenceCache } from './reference-cache.js';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

describe('ReferenceCache', () => {
  it('loads once, and again only after a change', async () => {
    const cache = new ReferenceCache(false);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('ticket_categories', load)).toBe(1);
    expect(await cache.get('ticket_categories', load)).toBe(1);
    cache.invalidate('ticket_categories');
    expect(await cache.get('ticket_categories', load)).toBe(2);
  });

  it('does not keep what a load read when a change committed while it ran', async () => {
    const cache = new ReferenceCache(false);
    let release!: () => void;
    const slow = new Promise<void>((r) => { release = r; });
    const first = cache.get('sla_policies', async () => { await slow; return 'old'; });
    cache.invalidate('sla_policies');
    release();
    expect(await first).toBe('old');
    expect(await cache.get('sla_policies', async () => 'new')).toBe('new');
  });

  it('reads past the cache while a write is running, and while it is not trusted', async () => {
    const cache = new ReferenceCache(false);
    await cache.get('work_calendar', async () => 'before');
    cache.beginWrite('work_calendar');
    expect(await cache.get('work_calendar', async () => 'during')).toBe('during');
    cache.endWrite('work_calendar');
    expect(await cache.get('work_calendar', async () => 'after')).toBe('after');
    const shared = new ReferenceCache(true);
    let loads = 0;
    await shared.get('work_calendar', async () => ++loads);
    await shared.get('work_calendar', async () => ++loads);
    expect(loads).toBe(2);
  });

  it('forgets a failed load', async () => {
    const cache = new ReferenceCache(false);
    await expect(cache.get('ticket_categories', async () => { throw new Error('down'); })).rejects.toThrow('down');
    expect(await cache.get('ticket_categories', async () => 'up')).toBe('up');
  });
});

describe('cached reference data through the API', () => {
  let t: TestApp;
  let admin: string;
  let agent: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('root');
    agent = await t.login('agent_a');
  });
  afterAll(async () => t.close());

  it('a renamed category shows at once in the tree and on the tickets that carry it', async () => {
    const tree = await t.as(agent, { method: 'GET', url: '/api/ticket-categories?type=complaint' });
    const leak = (tree.json() as { id: string; name: string; path: string; version: number }[]).find((c) => c.name === '渗漏')!;
    const created = await t.as(agent, {
      method: 'POST', url: '/api/tickets',
      payload: { type: 'complaint', severity: 'routine', channel: 'hotline', title: '卧室渗水', description: '卧室顶板渗水', projectId: t.world.projectA, customerId: t.world.customerA, categoryId: leak.id },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().categoryPath).toBe(leak.path);
    const renamed = await t.as(admin, { method: 'PATCH', url: `/api/ticket-categories/${leak.id}`, headers: { 'if-match': `"${leak.version}"` }, payload: { name: '渗漏水' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const detail = await t.as(agent, { method: 'GET', url: `/api/tickets/${created.json().id}` });
    expect(detail.json().categoryPath).toBe(leak.path.replace('渗漏', '渗漏水'));
    const again = await t.as(agent, { method: 'GET', url: '/api/ticket-categories?type=complaint' });
    expect((again.json() as { id: string; name: string }[]).find((c) => c.id === leak.id)?.name).toBe('渗漏水');
  });

  it('a local day off is in the working calendar deadlines are computed with, at once', async () => {
    expect((await loadWorkCalendar(t.deps)).overrides.get('2026-11-30')).toBeUndefined();
    const set = await t.as(admin, { method: 'PUT', url: '/api/calendar/days/2026-11-30', payload: { working: false, name: '园区停电' } });
    expect(set.statusCode, set.body).toBeLessThan(300);
    expect((await loadWorkCalendar(t.deps)).overrides.get('2026-11-30')).toBe(false);
    const cleared = await t.as(admin, { method: 'DELETE', url: '/api/calendar/days/2026-11-30' });
    expect(cleared.statusCode, cleared.body).toBeLessThan(300);
    expect((await loadWorkCalendar(t.deps)).overrides.get('2026-11-30')).toBeUndefined();
  });
});

// Two server processes on one PostgreSQL database: a change made through one is seen by the
// other as soon as NOTIFY arrives, and not served from a stale copy while it cannot hear.
if (onPostgres) {
  describe('reference data between two app instances (PostgreSQL)', () => {
    let t: TestApp;
    let second: App;
    let secondDeps: Deps;
    let admin: string;
    const until = async (cond: () => Promise<boolean> | boolean, ms = 5_000) => {
      const end = Date.now() + ms;
      while (!(await cond())) {
        if (Date.now() > end) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    beforeAll(async () => {
      t = await createTestApp();
      admin = await t.login('root');
      const { db } = createDb(t.tdb.url, { searchPath: t.tdb.searchPath!, poolSize: 3 });
      secondDeps = { ...t.deps, db };
      second = await buildApp(secondDeps);
      await second.ready();
      await until(() => second.events.listening && t.app.events.listening);
    });
    afterAll(async () => {
      await second.close();
      await secondDeps.db.destroy();
      await t.close();
    });

    it('a category renamed through instance A is renamed on instance B', async () => {
      const onB = await listCategories(secondDeps.db, 'repair');
      const lift = onB.find((c) => c.name === '电梯')!;
      expect(referenceCache(secondDeps.db).trusted).toBe(true);
      const res = await t.as(admin, { method: 'PATCH', url: `/api/ticket-categories/${lift.id}`, headers: { 'if-match': `"${lift.version}"` }, payload: { name: '电梯故障' } });
      expect(res.statusCode, res.body).toBe(200);
      await until(async () => (await listCategories(secondDeps.db, 'repair')).some((c) => c.id === lift.id && c.name === '电梯故障'));
    });
  });
}
