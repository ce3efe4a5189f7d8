import { STAFF_ROLES } from '@qiaoliang/shared';
import { accessMatrix, mentions, versionOf } from '../test/access-matrix.js';
import type { TestApp } from '../test/app.js';
import type { World } from '../test/world.js';
import { storeFile } from '../platform/files.js';

/*
 * Access-matrix cases for the operations no module's *.access.test.ts named yet
 * (reliability/access-coverage.test.ts fails while any operation has none). Same rules as
 * every matrix: each role not allowed gets 403; an allowed role is let through in scope (any
 * answer but 401/403/404 and 5xx: a 409 for a ticket in the wrong state still means the role
 * and scope were accepted) and gets 403/404 out of scope; nobody signed in gets 401.
 */

const READ = ['agent', 'supervisor', 'manager', 'executive', 'admin'] as const;
const WORK = ['agent', 'supervisor', 'manager'] as const;
const LEADS = ['supervisor', 'manager'] as const;
const pick = <T>(where: 'in' | 'out', a: T, b: T) => (where === 'in' ? a : b);
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

interface Fixture {
  ticket: string;
  /** Another ticket of the same project (merge target). */
  other: string;
  wo: string;
  /** A callback (its ticket answered on the spot, so resolved). */
  callback: string;
  visit: string;
  woAttachment: string;
}

/** Signing in costs a password hash: one session per user and app. */
const sessions = new WeakMap<TestApp, Map<string, string>>();
async function session(t: TestApp, user: string): Promise<string> {
  let m = sessions.get(t);
  if (!m) sessions.set(t, (m = new Map()));
  if (!m.has(user)) m.set(user, await t.login(user));
  return m.get(user)!;
}

/** Records in project A ('in', owned by agent_a) or B ('out'), made per case key once. */
const made = new Map<string, Fixture>();
async function fixture(t: TestApp, where: 'in' | 'out', key: string): Promise<Fixture> {
  const k = `${where}:${key}`;
  if (made.has(k)) return made.get(k)!;
  const w = t.world;
  const cookie = await session(t, pick(where, 'agent_a', 'agent_b'));
  const register = async (description: string) => {
    const res = await t.as(cookie, {
      method: 'POST', url: '/api/tickets',
      payload: { type: 'complaint', severity: 'routine', channel: 'hotline', projectId: pick(where, w.projectA, w.projectB), customerId: pick(where, w.customerA, w.customerB), description },
    });
    if (res.statusCode !== 201) throw new Error(`fixture ticket: ${res.statusCode} ${res.body}`);
    return res.json() as { id: string; version: number };
  };
  const ticket = await register(`矩阵 ${k}`);
  const other = await register(`矩阵合并目标 ${k}`);
  const d = await t.as(cookie, {
    method: 'POST', url: `/api/tickets/${other.id}/dispatch`, headers: { 'if-match': `"${other.version}"` },
    payload: { departmentId: pick(where, w.deptPropA, w.deptPropB), instructions: '请处理', dueAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString() },
  });
  const wo = d.json().workOrders[0].id as string;
  const answered = await register(`矩阵回访 ${k}`);
  await t.as(cookie, { method: 'POST', url: `/api/tickets/${answered.id}/answer`, headers: { 'if-match': `"${answered.version}"` }, payload: { channel: 'phone', content: '已答复' } });
  const cb = await t.deps.db.selectFrom('callbacks').select('id').where('ticket_id', '=', answered.id).executeTakeFirstOrThrow();
  const v = await t.as(cookie, { method: 'POST', url: '/api/visits', payload: { customerId: pick(where, w.customerA, w.customerB), projectId: pick(where, w.projectA, w.projectB), kinds: ['phone_visit'] } });
  if (v.statusCode !== 201) throw new Error(`fixture visit: ${v.statusCode} ${v.body}`);
  const attId = t.deps.ids.next();
  const stored = storeFile(t.deps.config.dataDir, attId, 'photo.png', PNG);
  await t.deps.db.insertInto('attachments').values({
    id: attId, owner_type: 'work_order', owner_id: wo, project_id: pick(where, w.projectA, w.projectB), filename: stored.filename, content_type: stored.contentType,
    size: stored.size, sha256: stored.sha256, storage_key: stored.storageKey, created_by: t.world.users.handler_a!, created_at: t.clock.now().getTime(),
  }).execute();
  const f = { ticket: ticket.id, other: other.id, wo, callback: cb.id, visit: v.json().id as string, woAttachment: attId };
  made.set(k, f);
  return f;
}

const cur = { in: {} as Fixture, out: {} as Fixture };
const prepare = (key: string) => async (t: TestApp, where: 'in' | 'out') => {
  cur[where] = await fixture(t, where, key);
};
const ticketV = async (t: TestApp, where: 'in' | 'out') => (await t.deps.db.selectFrom('tickets').select('version').where('id', '=', cur[where].ticket).executeTakeFirstOrThrow()).version;
const woV = async (t: TestApp, where: 'in' | 'out') => (await t.deps.db.selectFrom('work_orders').select('version').where('id', '=', cur[where].wo).executeTakeFirstOrThrow()).version;
const cbV = async (t: TestApp, where: 'in' | 'out') => (await t.deps.db.selectFrom('callbacks').select('version').where('id', '=', cur[where].callback).executeTakeFirstOrThrow()).version;
const visitV = async (t: TestApp, where: 'in' | 'out') => (await t.deps.db.selectFrom('visits').select('version').where('id', '=', cur[where].visit).executeTakeFirstOrThrow()).version;
const tUrl = (suffix: string) => (_w: World, where: 'in' | 'out') => `/api/tickets/${cur[where].ticket}${suffix}`;
const woUrl = (suffix: string) => (_w: World, where: 'in' | 'out') => `/api/work-orders/${cur[where].wo}${suffix}`;
const project = (w: World, where: 'in' | 'out') => pick(where, w.projectA, w.projectB);
const PERIOD = 'from=2026-11-01&to=2026-11-30';

accessMatrix('tickets: workflow commands, exports, attachments', [
  { method: 'POST', path: '/api/tickets/:id/answer', url: tUrl('/answer'), allowed: WORK, prepare: prepare('answer'), version: ticketV, body: () => ({ channel: 'phone', content: '当场答复' }) },
  {
    method: 'POST', path: '/api/tickets/:id/dispatch', url: tUrl('/dispatch'), allowed: WORK, prepare: prepare('dispatch'), version: ticketV,
    body: (w, where) => ({ departmentId: pick(where, w.deptPropA, w.deptPropB), instructions: '请处理', dueAt: '2026-12-30T00:00:00.000Z', lateReason: '业主月底才在家，约定月底上门' }),
  },
  { method: 'POST', path: '/api/tickets/:id/resolve', url: tUrl('/resolve'), allowed: WORK, prepare: prepare('resolve'), version: ticketV, body: () => ({ summary: '已解决' }) },
  { method: 'POST', path: '/api/tickets/:id/resume', url: tUrl('/resume'), allowed: WORK, prepare: prepare('resume'), version: ticketV },
  { method: 'POST', path: '/api/tickets/:id/close', url: tUrl('/close'), allowed: WORK, prepare: prepare('close'), version: ticketV, body: () => ({ reason: '业主确认' }) },
  { method: 'POST', path: '/api/tickets/:id/reopen', url: tUrl('/reopen'), allowed: WORK, prepare: prepare('reopen'), version: ticketV, body: () => ({ reason: '业主不满意' }) },
  { method: 'POST', path: '/api/tickets/:id/cancel', url: tUrl('/cancel'), allowed: WORK, prepare: prepare('cancel'), version: ticketV, body: () => ({ reason: '登记错误' }) },
  { method: 'POST', path: '/api/tickets/:id/merge', url: tUrl('/merge'), allowed: WORK, prepare: prepare('merge'), version: ticketV, body: (_w, where) => ({ intoTicketId: cur[where].other, reason: '重复' }) },
  {
    method: 'POST', path: '/api/tickets/:id/hand-over', url: tUrl('/hand-over'), allowed: WORK, prepare: prepare('handover'), version: ticketV,
    body: (w, where) => ({ toUserId: pick(where, w.users.supervisor_a!, w.users.supervisor_b!), reason: '交接' }),
  },
  { method: 'POST', path: '/api/tickets/:id/severity', url: tUrl('/severity'), allowed: WORK, prepare: prepare('severity'), version: ticketV, body: () => ({ severity: 'major', reason: '业主情绪激动' }) },
  { method: 'POST', path: '/api/tickets/:id/invalidate', url: tUrl('/invalidate'), allowed: LEADS, prepare: prepare('invalidate'), version: ticketV, body: () => ({ reason: 'duplicate', note: '重复投诉' }) },
  { method: 'POST', path: '/api/tickets/:id/revalidate', url: tUrl('/revalidate'), allowed: ['manager'], prepare: prepare('revalidate'), version: ticketV, body: () => ({ note: '复核有效' }) },
  // No file: in scope the handler answers 400 (not multipart); out of scope it never gets that far.
  { method: 'POST', path: '/api/tickets/:id/attachments', url: tUrl('/attachments'), allowed: WORK, prepare: prepare('attach') },
  { method: 'POST', path: '/api/projects/:id/tickets/import', url: (w, where) => `/api/projects/${project(w, where)}/tickets/import?dryRun=true`, allowed: ['supervisor', 'manager', 'admin'] },
  { method: 'POST', path: '/api/tickets/exports', url: () => '/api/tickets/exports', body: (w, where) => ({ view: 'team', projectId: project(w, where) }), allowed: READ },
  { method: 'GET', path: '/api/staff', url: (w, where) => `/api/staff?projectId=${project(w, where)}`, allowed: WORK },
]);

accessMatrix('work orders and attachments', [
  { method: 'POST', path: '/api/work-orders/:id/reject', url: woUrl('/reject'), allowed: ['handler'], prepare: prepare('woreject'), version: woV, body: () => ({ reason: '不属于本部门' }) },
  { method: 'POST', path: '/api/work-orders/:id/progress', url: woUrl('/progress'), allowed: ['handler'], prepare: prepare('woprogress'), version: woV, body: () => ({ body: '已到现场' }) },
  { method: 'POST', path: '/api/work-orders/:id/complete', url: woUrl('/complete'), allowed: ['handler'], prepare: prepare('wocomplete'), version: woV, body: () => ({ result: '已修复' }) },
  { method: 'POST', path: '/api/work-orders/:id/attachments', url: woUrl('/attachments'), allowed: ['handler'], prepare: prepare('woattach') },
  { method: 'GET', path: '/api/attachments/:id', url: (_w, where) => `/api/attachments/${cur[where].woAttachment}`, allowed: ['handler', ...READ], prepare: prepare('download') },
]);

accessMatrix('callbacks and visits', [
  { method: 'GET', path: '/api/callbacks', url: () => '/api/callbacks?view=team', allowed: READ, prepare: async (t) => void (await fixture(t, 'out', 'cblist')), leaks: (r, w) => mentions(r, w.customerB) },
  { method: 'GET', path: '/api/callbacks/:id', url: (_w, where) => `/api/callbacks/${cur[where].callback}`, allowed: READ, prepare: prepare('cbread') },
  { method: 'POST', path: '/api/callbacks/:id/attempts', url: (_w, where) => `/api/callbacks/${cur[where].callback}/attempts`, allowed: WORK, prepare: prepare('cbattempt'), version: cbV, body: () => ({ note: '无人接听' }) },
  { method: 'POST', path: '/api/callbacks/:id/complete', url: (_w, where) => `/api/callbacks/${cur[where].callback}/complete`, allowed: WORK, prepare: prepare('cbdone'), version: cbV, body: () => ({ satisfaction: 4 }) },
  { method: 'POST', path: '/api/visits', url: () => '/api/visits', allowed: WORK, body: (w, where) => ({ customerId: pick(where, w.customerA, w.customerB), projectId: project(w, where), kinds: ['home_visit'] }) },
  { method: 'GET', path: '/api/visits', url: () => '/api/visits', allowed: READ, prepare: async (t) => void (await fixture(t, 'out', 'visitlist')), leaks: (r, w) => mentions(r, w.customerB) },
  { method: 'GET', path: '/api/visits/:id', url: (_w, where) => `/api/visits/${cur[where].visit}`, allowed: READ, prepare: prepare('visitread') },
  { method: 'POST', path: '/api/visits/:id/kinds', url: (_w, where) => `/api/visits/${cur[where].visit}/kinds`, allowed: WORK, prepare: prepare('visitkinds'), version: visitV, body: () => ({ kinds: ['event_contact'] }) },
  { method: 'GET', path: '/api/visit-plans/:projectId/:year', url: (w, where) => `/api/visit-plans/${project(w, where)}/2026`, allowed: READ },
  {
    method: 'PUT', path: '/api/visit-plans/:projectId/:year', url: (w, where) => `/api/visit-plans/${project(w, where)}/2026`, allowed: LEADS,
    prepare: async (t, where) => {
      const root = await session(t, 'root');
      await t.as(root, { method: 'GET', url: `/api/visit-plans/${project(t.world, where)}/2026` });
    },
    version: async (t, where) => (await t.deps.db.selectFrom('visit_plans').select('version').where('project_id', '=', project(t.world, where)).where('year', '=', 2026).executeTakeFirstOrThrow()).version,
    body: () => ({ vipExtra: 1, complainerExtra: 1, newHandoverExtra: 1, complainerDays: 90 }),
  },
  { method: 'POST', path: '/api/visit-plans/:projectId/:year/generate', url: (w, where) => `/api/visit-plans/${project(w, where)}/2026/generate`, allowed: LEADS },
  { method: 'GET', path: '/api/visit-tasks', url: (w, where) => `/api/visit-tasks?projectId=${project(w, where)}&year=2026`, allowed: READ },
]);

accessMatrix('KPIs and the dashboard', [
  { method: 'GET', path: '/api/kpis', url: () => `/api/kpis?${PERIOD}`, allowed: READ, noOutOfScope: true },
  { method: 'GET', path: '/api/kpis?projectId', url: (w, where) => `/api/kpis?${PERIOD}&projectId=${project(w, where)}`, allowed: READ },
  { method: 'GET', path: '/api/kpis/k2/records', url: (w, where) => `/api/kpis/k2/records?${PERIOD}&projectId=${project(w, where)}`, allowed: READ },
  { method: 'GET', path: '/api/kpis/k3/records', url: (w, where) => `/api/kpis/k3/records?${PERIOD}&projectId=${project(w, where)}`, allowed: READ },
  { method: 'GET', path: '/api/dashboard', url: (w, where) => `/api/dashboard?${PERIOD}&projectId=${project(w, where)}`, allowed: READ },
  {
    method: 'POST', path: '/api/kpis/exports', url: () => '/api/kpis/exports', allowed: READ,
    body: (w, where) => ({ ...Object.fromEntries(new URLSearchParams(PERIOD)), list: 'k1', projectId: project(w, where) }),
  },
]);

accessMatrix('group settings and administration', [
  { method: 'POST', path: '/api/ticket-categories', url: () => '/api/ticket-categories', allowed: ['admin'], userFor: { admin: 'root' }, noOutOfScope: true, body: (_w, _where, n) => ({ type: 'repair', name: `矩阵分类${n}` }) },
  {
    method: 'PATCH', path: '/api/ticket-categories/:id', allowed: ['admin'], userFor: { admin: 'root' }, noOutOfScope: true,
    prepare: async (t) => {
      cat.id = (await t.deps.db.selectFrom('ticket_categories').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;
    },
    url: () => `/api/ticket-categories/${cat.id}`,
    version: async (t) => (await t.deps.db.selectFrom('ticket_categories').select('version').where('id', '=', cat.id).executeTakeFirstOrThrow()).version,
    body: (_w, _where, n) => ({ sort: n }),
  },
  { method: 'GET', path: '/api/sla-policies/:type/:severity/versions', url: () => '/api/sla-policies/complaint/routine/versions', allowed: STAFF_ROLES, noOutOfScope: true },
  {
    method: 'PUT', path: '/api/sla-policies/:type/:severity', url: () => '/api/sla-policies/suggestion/routine', allowed: ['admin'], userFor: { admin: 'root' }, noOutOfScope: true,
    version: async (t) => Number((await t.deps.db.selectFrom('sla_policies').select((eb) => eb.fn.max('version_no').as('v')).where('type', '=', 'suggestion').where('severity', '=', 'routine').executeTakeFirst())?.v ?? 0),
    body: () => ({ firstResponse: { value: 4, unit: 'hours' }, reply: null, resolution: { value: 5, unit: 'working_days' }, warnAt: 0.8, escalateAfter: [0, 24, 72] }),
  },
  {
    method: 'PUT', path: '/api/settings/archive-rules', url: () => '/api/settings/archive-rules', allowed: ['admin'], userFor: { admin: 'root' }, noOutOfScope: true,
    version: async (t) => (await t.deps.db.selectFrom('settings').select('version').where('key', '=', 'customers.archive_rules').executeTakeFirst())?.version ?? 0,
    body: () => ({ requiredFields: { owner: ['name', 'phone'] }, currencyMonths: 12 }),
  },
  {
    method: 'PUT', path: '/api/settings/privacy', url: () => '/api/settings/privacy', allowed: ['admin'], userFor: { admin: 'root' }, noOutOfScope: true,
    version: async (t) => (await t.deps.db.selectFrom('settings').select('version').where('key', '=', 'customers.privacy').executeTakeFirst())?.version ?? 0,
    body: () => ({ phoneRevealRoles: ['agent', 'supervisor', 'manager'], idNumberRevealRoles: ['supervisor', 'manager'], dailyRevealQuota: 50 }),
  },
  {
    method: 'DELETE', path: '/api/calendar/days/:date', url: () => '/api/calendar/days/2026-12-25', allowed: ['admin'], userFor: { admin: 'root' }, noOutOfScope: true,
    prepare: async (t) => {
      await t.as(await session(t, 'root'), { method: 'PUT', url: '/api/calendar/days/2026-12-25', payload: { working: false, name: '矩阵调休' } });
    },
  },
  {
    method: 'POST', path: '/api/users/:id/activate', url: (w, where) => `/api/users/${pick(where, w.users.target_a!, w.users.target_b!)}/activate`, allowed: ['admin'],
    version: (t, where) => versionOf(t, 'users', pick(where, t.world.users.target_a!, t.world.users.target_b!)),
  },
  {
    method: 'POST', path: '/api/outbox/:id/retry', url: () => `/api/outbox/${failed.id}/retry`, allowed: ['admin'], userFor: { admin: 'root' }, noOutOfScope: true,
    prepare: async (t) => {
      failed.id = t.deps.ids.next();
      await t.deps.db.insertInto('outbox').values({
        id: failed.id, channel: 'email', recipient: 'owner@example.com', subject: '通知', body: '正文', link: null, idempotency_key: `matrix:${failed.id}`,
        status: 'failed', attempts: 10, last_error: 'SMTP 550', created_at: t.clock.now().getTime(), delivered_at: null,
      }).execute();
    },
  },
]);
const cat = { id: '' };
const failed = { id: '' };

/*
 * A user's own session and notifications: any signed-in role, no scope. Notifications belong
 * to a person, not a role, so the mark-read case acts as agent_a on agent_a's notice (out of
 * scope: agent_b's). The password and logout cases end sessions, so they come last and log
 * out the `_b` users, whom this matrix signs in for nothing else.
 */
const notice = { in: '', out: '' };
accessMatrix('own session and notifications', [
  { method: 'GET', path: '/api/auth/me', url: () => '/api/auth/me', allowed: STAFF_ROLES, noOutOfScope: true },
  { method: 'GET', path: '/api/notifications', url: () => '/api/notifications', allowed: STAFF_ROLES, noOutOfScope: true },
  {
    method: 'POST', path: '/api/notifications/:id/read', url: (_w, where) => `/api/notifications/${notice[where]}/read`, allowed: STAFF_ROLES,
    userFor: Object.fromEntries(STAFF_ROLES.map((r) => [r, 'agent_a'])),
    prepare: async (t, where) => {
      const id = t.deps.ids.next();
      await t.deps.db.insertInto('notifications').values({ id, user_id: t.world.users[pick(where, 'agent_a', 'agent_b')]!, title: '通知', body: '正文', link: null, read_at: null, created_at: t.clock.now().getTime() }).execute();
      notice[where] = id;
    },
  },
  {
    method: 'POST', path: '/api/auth/password', url: () => '/api/auth/password', allowed: STAFF_ROLES, noOutOfScope: true,
    userFor: Object.fromEntries(STAFF_ROLES.map((r) => [r, `${r}_b`])),
    body: () => ({ currentPassword: 'test1234', newPassword: 'Changed-4471-pq' }),
  },
  {
    method: 'POST', path: '/api/auth/logout', url: () => '/api/auth/logout', allowed: STAFF_ROLES, noOutOfScope: true,
    userFor: Object.fromEntries(STAFF_ROLES.map((r) => [r, `${r}_b`])),
  },
]);
