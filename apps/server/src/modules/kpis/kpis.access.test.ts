import { accessMatrix, mentions } from '../../test/access-matrix.js';
import type { TestApp } from '../../test/app.js';
import type { World } from '../../test/world.js';

/* Access-matrix cases for the KPI-truth operations of issue #20 (unsuccessful visits, unit transfer). */

const READ = ['agent', 'supervisor', 'manager', 'executive', 'admin'] as const;
const WORK = ['agent', 'supervisor', 'manager'] as const;
const pick = <T>(where: 'in' | 'out', a: T, b: T) => (where === 'in' ? a : b);
const project = (w: World, where: 'in' | 'out') => pick(where, w.projectA, w.projectB);
const customer = (w: World, where: 'in' | 'out') => pick(where, w.customerA, w.customerB);
const PERIOD = 'from=2026-11-01&to=2026-11-30';

/** An unsuccessful attempt in project B, so that a list leaking it is seen. */
async function attemptOutOfScope(t: TestApp) {
  const cookie = await t.login('agent_b');
  await t.as(cookie, { method: 'POST', url: '/api/visit-attempts', payload: { customerId: t.world.customerB, projectId: t.world.projectB, kind: 'home_visit', outcome: 'not_at_home' } });
}

accessMatrix('unsuccessful visits', [
  {
    method: 'POST', path: '/api/visit-attempts', url: () => '/api/visit-attempts', allowed: WORK,
    body: (w, where) => ({ customerId: customer(w, where), projectId: project(w, where), kind: 'home_visit', outcome: 'refused' }),
  },
  { method: 'GET', path: '/api/visit-attempts', url: () => '/api/visit-attempts', allowed: READ, prepare: attemptOutOfScope, leaks: (r, w) => mentions(r, w.customerB) },
  { method: 'GET', path: '/api/kpis/k3/attempts', url: (w, where) => `/api/kpis/k3/attempts?${PERIOD}&projectId=${project(w, where)}`, allowed: READ },
]);

accessMatrix('KPI rollups', [
  { method: 'GET', path: '/api/kpis/rollups', url: () => '/api/kpis/rollups', allowed: ['admin'], noOutOfScope: true },
]);

/** A buyer in each project (made once per app) and a fresh unit with an owner to sell, per call. */
const buyers = new WeakMap<TestApp, Record<'in' | 'out', string>>();
const sale = { unit: '', buyer: '' };
async function prepareSale(t: TestApp, where: 'in' | 'out') {
  const w = t.world;
  let b = buyers.get(t);
  if (!b) {
    const make = async (who: string, projectId: string) => (await t.as(await t.login(who), { method: 'POST', url: '/api/customers', payload: { kind: 'owner', name: '矩阵买方', projectId, phones: [] } })).json().id as string;
    b = { in: await make('agent_a', w.projectA), out: await make('agent_b', w.projectB) };
    buyers.set(t, b);
  }
  const root = await t.login('root');
  const room = String(1000 + Math.floor(Math.random() * 8999));
  const unit = await t.as(root, { method: 'POST', url: `/api/buildings/${pick(where, w.buildingA, w.buildingB)}/units`, payload: { entrance: '1', floor: 10, roomNumber: room } });
  sale.unit = unit.json().id;
  sale.buyer = b[where];
  const now = t.clock.now().getTime();
  await t.deps.db.insertInto('customer_units').values({
    id: t.deps.ids.next(), customer_id: customer(w, where), unit_id: sale.unit, project_id: project(w, where), relation: 'owner', share: null, from_date: '2025-01-01', to_date: null,
    contract_no: null, contract_date: null, contracted_handover_date: null, actual_handover_date: null, warranty_start_date: null, version: 1, created_at: now, updated_at: now,
  }).execute();
}

accessMatrix('unit transfer', [
  {
    method: 'POST', path: '/api/units/:id/transfer', url: () => `/api/units/${sale.unit}/transfer`, allowed: ['agent', 'supervisor', 'manager', 'admin'], prepare: prepareSale,
    body: () => ({ buyerId: sale.buyer, date: '2026-11-20' }),
  },
  { method: 'GET', path: '/api/units/:id/history', url: (w, where) => `/api/units/${pick(where, w.unitA, w.unitB)}/history`, allowed: READ },
]);
