import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;
let agent: string;
let buyerId: string;

beforeAll(async () => {
  t = await createTestApp();
  // The world's relations were entered on 27 November; the sale comes later.
  t.clock.set('2026-12-20T02:00:00Z');
  agent = await t.login('agent_a');
  const res = await t.as(agent, { method: 'POST', url: '/api/customers', payload: { kind: 'owner', name: '买方王', phones: [{ phone: '13900009999' }], projectId: t.world.projectA } });
  expect(res.statusCode, res.body).toBe(201);
  buyerId = res.json().id;
});
afterAll(async () => t.close());

const transfer = (payload: object, unitId = t.world.unitA) => t.as(agent, { method: 'POST', url: `/api/units/${unitId}/transfer`, payload });
const k4Members = async (date: string) =>
  ((await t.as(agent, { method: 'GET', url: `/api/kpis/archive-rate/records?date=${date}&projectId=${t.world.projectA}&pageSize=200` })).json().items as { customerId: string }[]).map((r) => r.customerId);
const k3Scope = async (from: string, to: string) => (await t.as(agent, { method: 'GET', url: `/api/kpis?from=${from}&to=${to}&projectId=${t.world.projectA}` })).json().k3.denominator as number;

describe('transfer unit (过户)', () => {
  it('refuses a future date, an unknown unit and a buyer who already owns it', async () => {
    expect((await transfer({ buyerId, date: '2026-12-21' })).statusCode).toBe(400);
    expect((await transfer({ buyerId, date: '2026-12-10' }, '01900000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    const self = await transfer({ buyerId: t.world.customerA, date: '2026-12-10' });
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe('unit.transfer_invalid');
    expect((await transfer({ buyerId, date: '2025-01-01' })).statusCode).toBe(400);
  });

  it("ends the seller's relation and starts the buyer's on the same date; both stay in the unit's history; K3/K4 scope moves exactly at that date", async () => {
    expect(await k4Members('2026-12-09')).toEqual([t.world.customerA]);
    const res = await transfer({ buyerId, date: '2026-12-10', contractNo: 'GH-2026-001' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.ended).toEqual([expect.objectContaining({ customerId: t.world.customerA, fromDate: '2025-01-01', toDate: '2026-12-10', current: false })]);
    expect(body.started).toMatchObject({ customerId: buyerId, relation: 'owner', fromDate: '2026-12-10', toDate: null, current: true, contractNo: 'GH-2026-001' });
    const history = (await t.as(agent, { method: 'GET', url: `/api/units/${t.world.unitA}/history` })).json();
    expect(history.map((h: { customerName: string; fromDate: string; toDate: string | null }) => [h.customerName, h.fromDate, h.toDate])).toEqual([
      ['买方王', '2026-12-10', null], ['甲业主', '2025-01-01', '2026-12-10'],
    ]);
    // K4 at the end of a day: the seller up to the 9th, the buyer from the 10th.
    expect(await k4Members('2026-12-09')).toEqual([t.world.customerA]);
    expect(await k4Members('2026-12-10')).toEqual([buyerId]);
    // K3: scope at the end of the period.
    expect(await k3Scope('2026-12-01', '2026-12-09')).toBe(1);
    expect(await k3Scope('2026-12-01', '2026-12-31')).toBe(1);
    const seller = (await t.as(agent, { method: 'GET', url: `/api/customers/${t.world.customerA}` })).json();
    expect(seller.units).toEqual([expect.objectContaining({ unitId: t.world.unitA, toDate: '2026-12-10', current: false })]);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'unit.transferred').execute();
    expect(audit).toEqual([{ action: 'unit.transferred', entity_id: t.world.unitA }]);
    const timeline = await t.deps.db.selectFrom('timeline_entries').select(['customer_id', 'kind']).where('ref_id', '=', t.world.unitA).where('kind', 'in', ['customer.unit_ended', 'customer.unit_added']).orderBy('customer_id').execute();
    expect(timeline).toHaveLength(2);
    // A later relation blocks a transfer dated before it.
    expect((await transfer({ buyerId: t.world.customerA, date: '2026-12-08' })).statusCode).toBe(409);
  });

  it('visits count for the buyer only from the transfer date on', async () => {
    const v = await t.as(agent, { method: 'POST', url: '/api/visits', payload: { customerId: t.world.customerA, projectId: t.world.projectA, kinds: ['phone_visit'], at: '2026-12-05T02:00:00.000Z' } });
    expect(v.statusCode, v.body).toBe(201);
    // The seller's visit of the 5th counts for a period ending before the transfer, not for December as a whole.
    expect((await t.as(agent, { method: 'GET', url: `/api/kpis?from=2026-12-01&to=2026-12-09&projectId=${t.world.projectA}` })).json().k3.numerator).toBe(1);
    expect((await t.as(agent, { method: 'GET', url: `/api/kpis?from=2026-12-01&to=2026-12-31&projectId=${t.world.projectA}` })).json().k3.numerator).toBe(0);
  });
});
