import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const period = 'from=2026-11-01&to=2026-11-30';

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
