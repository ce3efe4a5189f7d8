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
