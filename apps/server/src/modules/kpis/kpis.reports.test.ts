import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportWorker } from '../../platform/reports.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { REPORTS } from './kpis.reports.js';

/*
 * Reports run in the report worker thread (platform/reports.ts). These tests ask through the
 * API and compare with the same report function run on the test's own thread.
 */
describe('reports in the report worker', () => {
  let t: TestApp;
  let sup: string;
  let admin: string;
  const worker = () => reportWorker(t.deps, new URL('./kpis.reports.ts', import.meta.url).href);
  beforeAll(async () => {
    t = await createTestApp();
    sup = await t.login('supervisor_a');
    admin = await t.login('root');
    const leak = (await t.as(sup, { method: 'GET', url: '/api/ticket-categories?type=complaint' })).json().find((c: { name: string }) => c.name === '渗漏');
    for (const title of ['客厅渗水', '卫生间渗漏']) {
      const res = await t.as(sup, {
        method: 'POST', url: '/api/tickets',
        payload: { type: 'complaint', severity: 'routine', channel: 'hotline', title, description: title, projectId: t.world.projectA, customerId: t.world.customerA, categoryId: leak.id },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => t.close());

  it('the dashboard is computed in the worker and equals the same report on this thread', async () => {
    expect(t.deps.config.reportWorker).toBe(true);
    const before = worker().completed;
    const res = await t.as(sup, { method: 'GET', url: '/api/dashboard?from=2026-11-01&to=2026-11-30' });
    expect(res.statusCode, res.body).toBe(200);
    expect(worker().completed).toBe(before + 1);
    const actor = (await import('../../platform/auth.js')).loadActor;
    const me = (await actor(t.deps.db, t.world.users.supervisor_a!, 'test'))!;
    const here = await REPORTS['kpis.dashboard'](t.deps, me, { from: '2026-11-01', to: '2026-11-30' });
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(here)));
    expect(res.json().topIssues[0]).toMatchObject({ count: 2 });
  });

  it('a refusal in the worker is the same problem+json: a project outside the scope is a 404', async () => {
    const res = await t.as(sup, { method: 'GET', url: `/api/kpis?from=2026-11-01&to=2026-11-30&projectId=${t.world.projectB}` });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().detail).toBe('项目不存在或不在您的数据范围内');
  });

  it('a category renamed on the request thread is renamed in the worker at once', async () => {
    const tree = (await t.as(sup, { method: 'GET', url: '/api/ticket-categories?type=complaint' })).json() as { id: string; name: string; version: number }[];
    const leak = tree.find((c) => c.name === '渗漏')!;
    const first = await t.as(sup, { method: 'GET', url: '/api/dashboard?from=2026-11-01&to=2026-11-30' });
    expect(first.json().topIssues[0].category).toMatch(/渗漏$/);
    const renamed = await t.as(admin, { method: 'PATCH', url: `/api/ticket-categories/${leak.id}`, headers: { 'if-match': `"${leak.version}"` }, payload: { name: '渗漏水' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const after = await t.as(sup, { method: 'GET', url: '/api/dashboard?from=2026-11-01&to=2026-11-30' });
    expect(after.json().topIssues[0].category).toMatch(/渗漏水$/);
  });

  it('a worker that dies is replaced on the next report', async () => {
    await worker().close();
    const res = await t.as(sup, { method: 'GET', url: '/api/kpis?from=2026-11-01&to=2026-11-30' });
    expect(res.statusCode, res.body).toBe(200);
  });
});
