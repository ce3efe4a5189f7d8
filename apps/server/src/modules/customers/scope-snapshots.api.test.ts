import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackground } from '../../jobs.js';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const NOV = 'from=2026-11-01&to=2026-11-30';
const kpis = async () => {
  const sup = await t.login('supervisor_a');
  const set = (await t.as(sup, { method: 'GET', url: `/api/kpis?${NOV}&projectId=${t.world.projectA}` })).json();
  const k4 = (await t.as(sup, { method: 'GET', url: `/api/kpis/archive-rate/records?date=2026-11-30&projectId=${t.world.projectA}` })).json();
  return { k3: [set.k3.numerator, set.k3.denominator], k4: [set.k4.numerator, set.k4.denominator], k4Customers: (k4.items as { customerId: string }[]).map((r) => r.customerId) };
};
/** Runs the daily schedule at an instant, as a process's background work would. */
async function dayAt(iso: string) {
  t.clock.set(iso);
  const { runner, scheduler } = createBackground(t.deps);
  await scheduler.tick();
  await runner.runDue();
}
async function linkOf(cookie: string) {
  const c = (await t.as(cookie, { method: 'GET', url: `/api/customers/${t.world.customerA}` })).json();
  return c.units.find((u: { unitId: string }) => u.unitId === t.world.unitA) as { id: string; version: number };
}

describe('K3/K4 of a past period from daily snapshots (issue #20 defect 3)', () => {
  it('a past month\'s K3/K4 is unchanged after later edits and changed by a back-dated correction', async () => {
    // November: a visit to the owner of project A, whose archive is on file.
    t.clock.set('2026-11-28T02:00:00Z');
    const agent = await t.login('agent_a');
    expect((await t.as(agent, { method: 'POST', url: '/api/visits', payload: { customerId: t.world.customerA, projectId: t.world.projectA, kinds: ['phone_visit'] } })).statusCode).toBe(201);
    // The job completes the snapshot of 30 November on 1 December.
    await dayAt('2026-12-01T01:00:00Z');
    const taken = await t.deps.db.selectFrom('kpi_snapshot_days').select('date').execute();
    expect(taken.map((d) => d.date)).toContain('2026-11-30');
    const november = await kpis();
    expect(november.k3).toEqual([1, 1]);
    expect(november.k4Customers).toEqual([t.world.customerA]);

    // 10 December: the relation is ended as of 20 November (not as a correction) and the archive edited.
    t.clock.set('2026-12-10T02:00:00Z');
    const agent2 = await t.login('agent_a');
    const link = await linkOf(agent2);
    const end = await t.as(agent2, { method: 'PATCH', url: `/api/customers/${t.world.customerA}/units/${link.id}`, headers: { 'if-match': `"${link.version}"` }, payload: { toDate: '2026-11-20' } });
    expect(end.statusCode, end.body).toBe(200);
    const c = (await t.as(agent2, { method: 'GET', url: `/api/customers/${t.world.customerA}` })).json();
    expect((await t.as(agent2, { method: 'PATCH', url: `/api/customers/${t.world.customerA}`, headers: { 'if-match': `"${c.version}"` }, payload: { address: '深圳市南山区' } })).statusCode).toBe(200);
    expect(await kpis()).toEqual(november);

    // The same end entered as a correction of that past date changes November.
    const link2 = await linkOf(agent2);
    const fix = await t.as(agent2, { method: 'PATCH', url: `/api/customers/${t.world.customerA}/units/${link2.id}`, headers: { 'if-match': `"${link2.version}"` }, payload: { toDate: '2026-11-20', correction: true } });
    expect(fix.statusCode, fix.body).toBe(200);
    const corrected = await kpis();
    expect(corrected.k3).toEqual([0, 0]);
    expect(corrected.k4Customers).toEqual([]);
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('entity_id', '=', link.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['customer_unit.ended', 'customer_unit.corrected']);
  });
});
