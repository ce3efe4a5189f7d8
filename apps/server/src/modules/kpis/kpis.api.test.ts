import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const period = 'from=2026-11-01&to=2026-11-30';

describe('unsuccessful visits', () => {
  it('an unsuccessful visit attempt does not count for K3 and shows beside it', async () => {
    t.clock.set('2026-11-10T02:00:00Z');
    const agent = await t.login('agent_a');
    const before = (await t.as(agent, { method: 'GET', url: `/api/kpis?${period}&projectId=${t.world.projectA}` })).json();
    const bad = await t.as(agent, { method: 'POST', url: '/api/visit-attempts', payload: { customerId: t.world.customerA, projectId: t.world.projectA, kind: 'home_visit', outcome: 'on_holiday' } });
    expect(bad.statusCode).toBe(400);
    const res = await t.as(agent, { method: 'POST', url: '/api/visit-attempts', payload: { customerId: t.world.customerA, projectId: t.world.projectA, kind: 'home_visit', outcome: 'not_at_home', notes: '敲门无人' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ customerId: t.world.customerA, kind: 'home_visit', outcome: 'not_at_home', notes: '敲门无人', actorName: 'agent_a' });
    const phone = await t.as(agent, { method: 'POST', url: '/api/visit-attempts', payload: { customerId: t.world.customerA, projectId: t.world.projectA, kind: 'phone_visit', outcome: 'wrong_number' } });
    expect(phone.statusCode, phone.body).toBe(201);
    const after = (await t.as(agent, { method: 'GET', url: `/api/kpis?${period}&projectId=${t.world.projectA}` })).json();
    expect(after.k3).toMatchObject({ numerator: before.k3.numerator, denominator: before.k3.denominator, unsuccessful: before.k3.unsuccessful + 2 });
    const beside = (await t.as(agent, { method: 'GET', url: `/api/kpis/k3/attempts?${period}&projectId=${t.world.projectA}` })).json();
    expect(beside.map((a: { outcome: string }) => a.outcome).sort()).toEqual(['not_at_home', 'wrong_number']);
    expect((await t.as(agent, { method: 'GET', url: `/api/kpis/k3/records?${period}&projectId=${t.world.projectA}` })).json()).toHaveLength(before.k3.numerator);
    // Another month does not see them.
    expect((await t.as(agent, { method: 'GET', url: `/api/kpis?from=2026-10-01&to=2026-10-31&projectId=${t.world.projectA}` })).json().k3.unsuccessful).toBe(0);
    // Recorded in the archive: audit and the customer's timeline.
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('entity_id', '=', res.json().id).execute();
    expect(audit.map((a) => a.action)).toEqual(['visit_attempt.recorded']);
    const timeline = await t.deps.db.selectFrom('timeline_entries').select(['kind', 'title']).where('ref_id', '=', res.json().id).execute();
    expect(timeline).toEqual([{ kind: 'visit.attempted', title: '上门拜访未成功：不在家' }]);
    expect((await t.as(agent, { method: 'GET', url: `/api/visit-attempts?customerId=${t.world.customerA}` })).json()).toHaveLength(2);
    // Not into another project's customer from project A.
    const out = await t.as(agent, { method: 'POST', url: '/api/visit-attempts', payload: { customerId: t.world.customerB, projectId: t.world.projectB, kind: 'home_visit', outcome: 'refused' } });
    expect([403, 404]).toContain(out.statusCode);
  });
});

describe('K3 and K4 filters', () => {
  it('every dashboard filter applies to K3: a visit counts for the project it was made in', async () => {
    // customerA owns a unit in project A and, from 2025 on, one in project B as well.
    const now = Date.parse('2026-11-01T00:00:00Z');
    await t.deps.db.insertInto('customer_units').values({
      id: t.deps.ids.next(), customer_id: t.world.customerA, unit_id: t.world.unitB, project_id: t.world.projectB, relation: 'owner', share: null, from_date: '2025-06-01', to_date: null,
      contract_no: null, contract_date: null, contracted_handover_date: null, actual_handover_date: null, warranty_start_date: null, version: 1, created_at: now, updated_at: now,
    }).execute();
    t.clock.set('2026-11-20T02:00:00Z');
    const agentB = await t.login('agent_b');
    const res = await t.as(agentB, { method: 'POST', url: '/api/visits', payload: { customerId: t.world.customerA, projectId: t.world.projectB, kinds: ['home_visit'], notes: '乙项目上门' } });
    expect(res.statusCode, res.body).toBe(201);
    const root = await t.login('root');
    const inA = (await t.as(root, { method: 'GET', url: `/api/kpis?${period}&projectId=${t.world.projectA}` })).json();
    const inB = (await t.as(root, { method: 'GET', url: `/api/kpis?${period}&projectId=${t.world.projectB}` })).json();
    const all = (await t.as(root, { method: 'GET', url: `/api/kpis?${period}` })).json();
    expect(inA.k3).toMatchObject({ numerator: 0, denominator: 1 });
    expect(inB.k3).toMatchObject({ numerator: 1, denominator: 2 });
    expect(all.k3).toMatchObject({ numerator: 1, denominator: 2 });
    const recordsA = (await t.as(root, { method: 'GET', url: `/api/kpis/k3/records?${period}&projectId=${t.world.projectA}` })).json();
    expect(recordsA).toEqual([]);
    // A project-A supervisor does not see project B's visit, not even to a customer they share.
    const sup = await t.login('supervisor_a');
    expect((await t.as(sup, { method: 'GET', url: `/api/kpis?${period}` })).json().k3).toMatchObject({ numerator: 0, denominator: 1 });
  });

  it('the department filter is reported as not applying to K3 and K4', async () => {
    const root = await t.login('root');
    const res = (await t.as(root, { method: 'GET', url: `/api/kpis?${period}&departmentId=${t.world.deptPropA}` })).json();
    expect(res.filters).toEqual({ k1: ['project', 'department'], k2: ['project', 'department'], k3: ['project'], k4: ['project'] });
  });
});
