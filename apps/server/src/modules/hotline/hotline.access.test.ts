import { accessMatrix, mentions } from '../../test/access-matrix.js';
import type { TestApp } from '../../test/app.js';
import type { World } from '../../test/world.js';

const READ = ['agent', 'supervisor', 'manager', 'admin'] as const;
const WORK = ['agent', 'supervisor', 'manager'] as const;

/** A call and a call-back task in each scope: agent_a's in project A, agent_b's in project B. */
interface Fixtures {
  callA: string;
  callB: string;
  taskA: string;
  taskB: string;
}
const fixtures = new WeakMap<World, Fixtures>();

/** Inserts the fixtures once per test app (the matrix calls `prepare` before every request). */
async function prepare(t: TestApp): Promise<void> {
  if (fixtures.has(t.world)) return;
  const now = t.clock.now().getTime();
  const f: Fixtures = { callA: t.deps.ids.next(), callB: t.deps.ids.next(), taskA: t.deps.ids.next(), taskB: t.deps.ids.next() };
  for (const [id, agent, customer, project, phone] of [
    [f.callA, t.world.users.agent_a!, t.world.customerA, t.world.projectA, '+8613900000001'],
    [f.callB, t.world.users.agent_b!, t.world.customerB, t.world.projectB, '+8613900000002'],
  ] as const) {
    await t.deps.db.insertInto('calls').values({
      id, call_id: `matrix-${id}`, direction: 'inbound', caller: phone, called: '4008001234', extension: null, agent_id: agent, customer_id: customer, project_id: project,
      status: 'missed', started_at: now, answered_at: null, ended_at: now, duration_s: 0, recording_url: null, version: 1, created_at: now, updated_at: now,
    }).execute();
  }
  for (const [id, call, agent, customer, project] of [
    [f.taskA, f.callA, t.world.users.agent_a!, t.world.customerA, t.world.projectA],
    [f.taskB, f.callB, t.world.users.agent_b!, t.world.customerB, t.world.projectB],
  ] as const) {
    await t.deps.db.insertInto('call_back_tasks').values({
      id, call_id: call, phone: '+8613900000009', customer_id: customer, project_id: project, status: 'open', assigned_to: agent, due_at: now + 3_600_000,
      done_at: null, done_by: null, note: null, version: 1, created_at: now, updated_at: now,
    }).execute();
  }
  fixtures.set(t.world, f);
}

const fx = (w: World) => fixtures.get(w)!;
const pick = <T>(where: 'in' | 'out', a: T, b: T) => (where === 'in' ? a : b);
const call = (w: World, where: 'in' | 'out') => pick(where, fx(w).callA, fx(w).callB);
const task = (w: World, where: 'in' | 'out') => pick(where, fx(w).taskA, fx(w).taskB);
const versionOf = (table: 'calls' | 'call_back_tasks', id: (w: World, where: 'in' | 'out') => string) => async (t: TestApp, where: 'in' | 'out') =>
  (await t.deps.db.selectFrom(table).select('version').where('id', '=', id(t.world, where)).executeTakeFirstOrThrow()).version;

accessMatrix('hotline', [
  { method: 'GET', path: '/api/calls', url: () => '/api/calls?limit=200', prepare, allowed: READ, leaks: (r, w) => mentions(r, fx(w).callB) },
  { method: 'GET', path: '/api/calls?status', url: () => '/api/calls?status=missed', prepare, allowed: READ, leaks: (r, w) => mentions(r, fx(w).callB, w.customerB) },
  { method: 'GET', path: '/api/calls/:id', url: (w, where) => `/api/calls/${call(w, where)}`, prepare, allowed: READ },
  { method: 'GET', path: '/api/calls/:id/screen-pop', url: (w, where) => `/api/calls/${call(w, where)}/screen-pop`, prepare, allowed: READ },
  { method: 'GET', path: '/api/calls/active', url: () => '/api/calls/active', prepare, allowed: READ, leaks: (r, w) => mentions(r, fx(w).callB) },
  {
    method: 'POST', path: '/api/calls/:id/customer', url: (w, where) => `/api/calls/${call(w, where)}/customer`, prepare, allowed: WORK,
    body: (w, where) => ({ customerId: pick(where, w.customerA, w.customerB) }), version: versionOf('calls', call),
  },
  { method: 'GET', path: '/api/call-back-tasks', url: () => '/api/call-back-tasks?view=all&limit=200', prepare, allowed: WORK, leaks: (r, w) => mentions(r, fx(w).taskB, fx(w).callB) },
  { method: 'POST', path: '/api/call-back-tasks/:id/reveal', url: (w, where) => `/api/call-back-tasks/${task(w, where)}/reveal`, prepare, allowed: WORK },
  {
    method: 'POST', path: '/api/call-back-tasks/:id/done', url: (w, where) => `/api/call-back-tasks/${task(w, where)}/done`, prepare, allowed: WORK,
    body: (_w, _where, n) => ({ note: `已回拨 ${n}` }), version: versionOf('call_back_tasks', task),
  },
]);
