import { STAFF_ROLES } from '@qiaoliang/shared';
import { accessMatrix } from '../../test/access-matrix.js';
import type { TestApp } from '../../test/app.js';
import type { World } from '../../test/world.js';

const READ = ['agent', 'supervisor', 'manager', 'executive', 'admin'] as const;
const WORK = ['agent', 'supervisor', 'manager'] as const;
const pick = <T>(where: 'in' | 'out', a: T, b: T) => (where === 'in' ? a : b);

/** Tickets of project A (owned by each role's own user) and B, made on demand and cached per role. */
const made = new Map<string, { id: string; woId: string }>();
async function ticketFor(t: TestApp, where: 'in' | 'out', key: string) {
  const k = `${where}:${key}`;
  if (made.has(k)) return made.get(k)!;
  const owner = pick(where, 'agent_a', 'agent_b');
  const cookie = await t.login(owner);
  const res = await t.as(cookie, {
    method: 'POST', url: '/api/tickets',
    payload: { type: 'complaint', severity: 'routine', channel: 'hotline', projectId: pick(where, t.world.projectA, t.world.projectB), description: `矩阵测试 ${k}` },
  });
  const ticket = res.json();
  const d = await t.as(cookie, {
    method: 'POST', url: `/api/tickets/${ticket.id}/dispatch`, headers: { 'if-match': `"${ticket.version}"` },
    payload: { departmentId: pick(where, t.world.deptPropA, t.world.deptPropB), instructions: '请处理', dueAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString() },
  });
  const entry = { id: ticket.id as string, woId: d.json().workOrders[0].id as string };
  made.set(k, entry);
  return entry;
}

/** The world has no tickets: each case makes its own (per scope) before the call. */
const ids = { ticket: { in: '', out: '' }, wo: { in: '', out: '' } };
const prepare = (key: string) => async (t: TestApp, where: 'in' | 'out') => {
  const e = await ticketFor(t, where, key);
  ids.ticket[where] = e.id;
  ids.wo[where] = e.woId;
};
const ticketVersion = async (t: TestApp, where: 'in' | 'out') =>
  (await t.deps.db.selectFrom('tickets').select('version').where('id', '=', ids.ticket[where]).executeTakeFirstOrThrow()).version;
const woVersion = async (t: TestApp, where: 'in' | 'out') =>
  (await t.deps.db.selectFrom('work_orders').select('version').where('id', '=', ids.wo[where]).executeTakeFirstOrThrow()).version;
const tUrl = (suffix: string) => (_w: World, where: 'in' | 'out') => `/api/tickets/${ids.ticket[where]}${suffix}`;

accessMatrix('single window', [
  {
    method: 'POST', path: '/api/tickets', url: () => '/api/tickets', allowed: WORK,
    body: (w, where, n) => ({ type: 'inquiry', severity: 'routine', channel: 'hotline', projectId: pick(where, w.projectA, w.projectB), description: `咨询 ${n}` }),
  },
  { method: 'GET', path: '/api/tickets', url: () => '/api/tickets?view=team', allowed: READ, leaks: (r, w) => r.body.includes(w.projectB) },
  { method: 'GET', path: '/api/tickets/:id', url: tUrl(''), allowed: READ, prepare: prepare('read') },
  { method: 'GET', path: '/api/tickets/:id/dispatch-suggestion', url: tUrl('/dispatch-suggestion'), allowed: WORK, prepare: prepare('read') },
  {
    method: 'POST', path: '/api/tickets/:id/reply', url: tUrl('/reply'), allowed: WORK, prepare: prepare('reply'), version: ticketVersion,
    body: () => ({ channel: 'phone', content: '已答复客户' }),
  },
  {
    method: 'POST', path: '/api/tickets/:id/wait', url: tUrl('/wait'), allowed: WORK, prepare: prepare('wait'), version: ticketVersion,
    body: () => ({ reason: '业主不在家' }),
  },
  { method: 'GET', path: '/api/work-orders', url: () => '/api/work-orders', allowed: ['handler', ...READ], leaks: (r, w) => r.body.includes(w.deptPropB) },
  { method: 'GET', path: '/api/work-orders/:id', url: (_w, where) => `/api/work-orders/${ids.wo[where]}`, allowed: ['handler', ...READ], prepare: prepare('woread') },
  { method: 'POST', path: '/api/work-orders/:id/accept', url: (_w, where) => `/api/work-orders/${ids.wo[where]}/accept`, allowed: ['handler'], prepare: prepare('woaccept'), version: woVersion },
  { method: 'GET', path: '/api/kpis/k1', url: () => '/api/kpis/k1?from=2026-11-01&to=2026-11-30', allowed: READ, noOutOfScope: true },
  { method: 'GET', path: '/api/kpis/k1?projectId', url: (w, where) => `/api/kpis/k1?from=2026-11-01&to=2026-11-30&projectId=${pick(where, w.projectA, w.projectB)}`, allowed: READ },
  { method: 'GET', path: '/api/kpis/k1/records', url: () => '/api/kpis/k1/records?from=2026-11-01&to=2026-11-30', allowed: READ, leaks: (r, w) => r.body.includes(w.projectB) },
  { method: 'GET', path: '/api/ticket-categories', url: () => '/api/ticket-categories', allowed: STAFF_ROLES, noOutOfScope: true },
  { method: 'GET', path: '/api/sla-policies', url: () => '/api/sla-policies', allowed: STAFF_ROLES, noOutOfScope: true },
  { method: 'GET', path: '/api/calendar', url: () => '/api/calendar?year=2026', allowed: STAFF_ROLES, noOutOfScope: true },
  { method: 'PUT', path: '/api/calendar/days/:date', url: () => '/api/calendar/days/2026-12-24', allowed: ['admin'], userFor: { admin: 'root' }, noOutOfScope: true, body: () => ({ working: false, name: '平安夜调休' }) },
]);
