import { accessMatrix, mentions } from '../../test/access-matrix.js';
import type { TestApp } from '../../test/app.js';

const READ = ['agent', 'supervisor', 'manager', 'executive', 'admin'] as const;
const WRITE = ['agent', 'supervisor', 'manager', 'admin'] as const;
const BULK = ['supervisor', 'manager', 'admin'] as const;
const pick = <T>(where: 'in' | 'out', a: T, b: T) => (where === 'in' ? a : b);
const cust = (where: 'in' | 'out') => (w: { customerA: string; customerB: string }) => pick(where, w.customerA, w.customerB);
const version = (t: TestApp, where: 'in' | 'out') =>
  t.deps.db.selectFrom('customers').select('version').where('id', '=', cust(where)(t.world)).executeTakeFirstOrThrow().then((r) => r.version);

accessMatrix('owner archive', [
  { method: 'GET', path: '/api/customers', url: () => '/api/customers?pageSize=200', allowed: READ, leaks: (r, w) => mentions(r, w.customerB) },
  { method: 'GET', path: '/api/customers?q=phone', url: () => '/api/customers?q=0002', allowed: READ, leaks: (r, w) => mentions(r, w.customerB) },
  { method: 'GET', path: '/api/customers/lookup', url: () => '/api/customers/lookup?phone=13900000002', allowed: READ, leaks: (r, w) => mentions(r, w.customerB) },
  { method: 'GET', path: '/api/customers/:id', url: (w, where) => `/api/customers/${cust(where)(w)}`, allowed: READ },
  { method: 'GET', path: '/api/customers/:id/timeline', url: (w, where) => `/api/customers/${cust(where)(w)}/timeline`, allowed: READ },
  { method: 'GET', path: '/api/customers/:id/attachments', url: (w, where) => `/api/customers/${cust(where)(w)}/attachments`, allowed: READ },
  // Without a file the upload is refused (400/415) in scope, and 404 before any parsing out of scope.
  { method: 'POST', path: '/api/customers/:id/attachments', url: (w, where) => `/api/customers/${cust(where)(w)}/attachments`, allowed: WRITE },
  {
    method: 'POST', path: '/api/customers', url: () => '/api/customers', allowed: WRITE,
    body: (w, where, n) => ({ kind: 'owner', name: `客户${n}`, projectId: pick(where, w.projectA, w.projectB), phones: [] }),
  },
  {
    method: 'PATCH', path: '/api/customers/:id', url: (w, where) => `/api/customers/${cust(where)(w)}`, allowed: WRITE,
    body: (_w, _where, n) => ({ notes: `备注${n}` }), version,
  },
  { method: 'POST', path: '/api/customers/:id/confirm-archive', url: (w, where) => `/api/customers/${cust(where)(w)}/confirm-archive`, allowed: WRITE, version },
  {
    method: 'POST', path: '/api/customers/:id/units', url: (w, where) => `/api/customers/${cust(where)(w)}/units`, allowed: WRITE,
    body: (w, where) => ({ unitId: pick(where, w.unitA, w.unitB), relation: 'tenant', fromDate: '2020-01-01' }),
  },
  {
    method: 'PATCH', path: '/api/customers/:id/units/:linkId', url: (w, where) => `/api/customers/${cust(where)(w)}/units/${pick(where, w.linkA, w.linkB)}`, allowed: WRITE,
    body: () => ({ contractNo: 'HT-9' }),
    version: (t, where) => t.deps.db.selectFrom('customer_units').select('version').where('id', '=', pick(where, t.world.linkA, t.world.linkB)).executeTakeFirstOrThrow().then((r) => r.version),
  },
  {
    method: 'POST', path: '/api/customers/:id/reveal', url: (w, where) => `/api/customers/${cust(where)(w)}/reveal`, allowed: ['agent', 'supervisor', 'manager'],
    body: () => ({ field: 'phones', reason: '回访客户' }),
  },
  { method: 'POST', path: '/api/customers/:id/merge', url: (w, where) => `/api/customers/${cust(where)(w)}/merge`, allowed: BULK, body: (w, where) => ({ sourceId: cust(where)(w) }) },
  { method: 'POST', path: '/api/customers/exports', url: () => '/api/customers/exports', allowed: BULK, body: (w, where) => ({ projectId: pick(where, w.projectA, w.projectB) }) },
  {
    method: 'POST', path: '/api/customers/exports?revealPhones', url: () => '/api/customers/exports', allowed: ['supervisor', 'manager'],
    body: (w, where) => ({ projectId: pick(where, w.projectA, w.projectB), revealPhones: true, reason: '交付前通知业主' }),
  },
  { method: 'POST', path: '/api/projects/:id/customers/import', url: (w, where) => `/api/projects/${pick(where, w.projectA, w.projectB)}/customers/import?dryRun=true`, allowed: BULK },
  { method: 'GET', path: '/api/kpis/archive-rate', url: () => '/api/kpis/archive-rate', allowed: READ, leaks: (r, w) => mentions(r, w.projectB) },
  { method: 'GET', path: '/api/kpis/archive-rate?projectId', url: (w, where) => `/api/kpis/archive-rate?projectId=${pick(where, w.projectA, w.projectB)}`, allowed: READ },
  { method: 'GET', path: '/api/kpis/archive-rate/records', url: () => '/api/kpis/archive-rate/records', allowed: READ, leaks: (r, w) => mentions(r, w.customerB) },
  { method: 'GET', path: '/api/settings/archive-rules', url: () => '/api/settings/archive-rules', allowed: ['agent', 'supervisor', 'manager', 'handler', 'executive', 'admin'], noOutOfScope: true },
  { method: 'GET', path: '/api/settings/privacy', url: () => '/api/settings/privacy', allowed: ['admin'], noOutOfScope: true },
]);
