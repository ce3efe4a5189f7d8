import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createBackground } from '../../jobs.js';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;
let agent: string;
let handler: string;
const H = 3_600_000;

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.login('agent_a');
  handler = await t.login('handler_a');
});
afterAll(async () => t.close());

async function register(body: Record<string, unknown> = {}, cookie = agent, headers: Record<string, string> = {}) {
  const res = await t.as(cookie, {
    method: 'POST', url: '/api/tickets', headers,
    payload: { type: 'complaint', severity: 'routine', channel: 'hotline', projectId: t.world.projectA, customerId: t.world.customerA, unitId: t.world.unitA, description: '卫生间天花板漏水，已经两天了', ...body },
  });
  expect([200, 201], res.body).toContain(res.statusCode);
  return res.json();
}

const cmd = async (id: string, path: string, version: number, payload?: object, cookie = agent) =>
  t.as(cookie, { method: 'POST', url: `/api/tickets/${id}/${path}`, headers: { 'if-match': `"${version}"` }, ...(payload ? { payload } : {}) });
const wo = async (id: string, path: string, version: number, payload?: object, cookie = handler) =>
  t.as(cookie, { method: 'POST', url: `/api/work-orders/${id}/${path}`, headers: { 'if-match': `"${version}"` }, ...(payload ? { payload } : {}) });

describe('the single window, end to end', () => {
  it('register → dispatch → handler accepts and completes → reply → resolved, with ownership, deadlines and timeline', async () => {
    const ticket = await register();
    expect(ticket).toMatchObject({ status: 'registered', ownerId: t.world.users.agent_a, customerName: '甲业主', locationLabel: '1栋1单元1501', customerPhone: '139****0001' });
    expect(ticket.number).toMatch(/^KS20261127-\d{4}$/);
    // Routine complaint: resolved within 24 hours; K1 judges the resolution.
    expect(Date.parse(ticket.resolutionDue) - Date.parse(ticket.registeredAt)).toBe(24 * H);
    expect(ticket.k1Due).toBe(ticket.resolutionDue);

    const due = new Date(t.clock.now().getTime() + 8 * H).toISOString();
    const dispatched = await cmd(ticket.id, 'dispatch', ticket.version, { departmentId: t.world.deptPropA, instructions: '请上门查看漏水点并维修', dueAt: due });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    const d = dispatched.json();
    expect(d.status).toBe('dispatched');
    expect(d.workOrders).toHaveLength(1);
    expect(d.ownerId).toBe(t.world.users.agent_a);

    const queue = await t.as(handler, { method: 'GET', url: '/api/work-orders' });
    expect(queue.json().items.map((w: { id: string }) => w.id)).toEqual([d.workOrders[0].id]);
    expect(queue.body).not.toContain('13900000001');
    const woId = d.workOrders[0].id;
    const accepted = await wo(woId, 'accept', 1);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect((await t.as(agent, { method: 'GET', url: `/api/tickets/${ticket.id}` })).json().status).toBe('in_progress');
    expect((await wo(woId, 'progress', 2, { body: '已约业主明早上门' })).statusCode).toBe(200);
    const done = await wo(woId, 'complete', 3, { result: '更换楼上卫生间防水层，已闭水试验 48 小时无渗漏' });
    expect(done.statusCode, done.body).toBe(200);

    let now = (await t.as(agent, { method: 'GET', url: `/api/tickets/${ticket.id}` })).json();
    expect(now.status).toBe('result_returned');
    const replied = await cmd(ticket.id, 'reply', now.version, { channel: 'phone', content: '已为您维修完毕，如有问题请随时联系' });
    expect(replied.json().status).toBe('replied');
    const resolved = await cmd(ticket.id, 'resolve', replied.json().version, { summary: '漏水已修复' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    now = resolved.json();
    expect(now.status).toBe('resolved');
    expect(now.events.map((e: { kind: string }) => e.kind)).toEqual([
      'registered', 'dispatched', 'work_order_accept', 'work_order_progress', 'work_order_complete', 'replied', 'resolved',
    ]);
    const timeline = await t.as(agent, { method: 'GET', url: `/api/customers/${t.world.customerA}/timeline` });
    const kinds = timeline.json().items.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['ticket.registered', 'ticket.dispatched', 'ticket.result_returned', 'ticket.replied', 'ticket.resolved']));
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('entity_id', '=', ticket.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['ticket.registered', 'ticket.dispatched', 'ticket.replied', 'ticket.resolved']));
  });

  it('one Idempotency-Key gives one ticket, even when retried', async () => {
    const a = await register({ description: '重复提交测试' }, agent, { 'idempotency-key': 'crm-12345678' });
    const b = await t.as(agent, { method: 'POST', url: '/api/tickets', headers: { 'idempotency-key': 'crm-12345678' }, payload: { type: 'inquiry', severity: 'routine', channel: 'portal', projectId: t.world.projectA, description: '重复提交测试' } });
    expect(b.statusCode).toBe(200);
    expect(b.json().id).toBe(a.id);
    expect(await t.deps.db.selectFrom('tickets').select('id').where('idempotency_key', '=', 'crm-12345678').execute()).toHaveLength(1);
  });

  it('concurrent edits: the second writer with a stale version gets 412', async () => {
    const x = await register({ description: '并发修改测试' });
    const first = await cmd(x.id, 'reply', x.version, { channel: 'phone', content: '已收到，正在处理' });
    expect(first.statusCode).toBe(200);
    const second = await cmd(x.id, 'wait', x.version, { reason: '业主不在家' });
    expect(second.statusCode).toBe(412);
  });

  it('refuses illegal transitions (409), other agents (403), departments outside the project, deadlines in the past', async () => {
    const x = await register({ description: '非法操作测试' });
    expect((await cmd(x.id, 'close', x.version, { reason: '直接关闭' })).statusCode).toBe(409);
    expect((await cmd(x.id, 'resume', x.version)).statusCode).toBe(409);
    const other = await t.login('agent_b');
    expect((await cmd(x.id, 'reply', x.version, { channel: 'phone', content: '越权' }, other)).statusCode).toBe(404);
    const future = new Date(t.clock.now().getTime() + H).toISOString();
    const wrongDept = await cmd(x.id, 'dispatch', x.version, { departmentId: t.world.deptPropB, instructions: '派错部门', dueAt: future });
    expect(wrongDept.statusCode).toBe(400);
    expect(wrongDept.json().code).toBe('work_order.invalid_department');
    const past = await cmd(x.id, 'dispatch', x.version, { departmentId: t.world.deptPropA, instructions: '时限已过', dueAt: new Date(t.clock.now().getTime() - 1000).toISOString() });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0].field).toBe('dueAt');
    const urgent = await t.as(agent, { method: 'POST', url: '/api/tickets', payload: { type: 'complaint', severity: 'urgent', channel: 'hotline', projectId: t.world.projectA, description: '紧急投诉' } });
    expect(urgent.statusCode).toBe(400);
    expect((await t.as(agent, { method: 'GET', url: `/api/tickets/${x.id}` })).json().version).toBe(x.version);
  });

  it('a handler sees only their department’s work and never the ticket or the customer’s phone', async () => {
    const x = await register({ description: '部门隔离测试' });
    const future = new Date(t.clock.now().getTime() + 4 * H).toISOString();
    const d = (await cmd(x.id, 'dispatch', x.version, { departmentId: t.world.deptEngC1, instructions: '请工程部处理', dueAt: future })).json();
    const woId = d.workOrders[0].id;
    expect((await t.as(handler, { method: 'GET', url: `/api/work-orders/${woId}` })).statusCode).toBe(404);
    expect((await t.as(handler, { method: 'GET', url: `/api/tickets/${x.id}` })).statusCode).toBe(403);
    expect((await t.as(handler, { method: 'GET', url: `/api/customers/${t.world.customerA}` })).statusCode).toBe(403);
    expect((await wo(woId, 'accept', 1)).statusCode).toBe(404);
  });

  it('waiting on the customer pauses the clock: deadlines move by the time waited', async () => {
    const x = await register({ description: '暂停计时测试' });
    const waiting = (await cmd(x.id, 'wait', x.version, { reason: '业主出差，下周才能上门' })).json();
    expect(waiting.status).toBe('waiting_customer');
    t.clock.advance(5 * H);
    agent = await t.login('agent_a');
    const resumed = await cmd(x.id, 'resume', waiting.version);
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(resumed.json().status).toBe('registered');
    expect(Date.parse(resumed.json().resolutionDue) - Date.parse(x.resolutionDue)).toBe(5 * H);
    expect(resumed.json().pausedMs).toBe(5 * H);
  });

  it('hands ownership over only with a reason, to staff of the project', async () => {
    const x = await register({ description: '移交测试' });
    const bad = await cmd(x.id, 'hand-over', x.version, { toUserId: t.world.users.agent_b, reason: '换班' });
    expect(bad.statusCode).toBe(400);
    const ok = await cmd(x.id, 'hand-over', x.version, { toUserId: t.world.users.supervisor_a, reason: '客户要求主管跟进' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().ownerId).toBe(t.world.users.supervisor_a);
    expect(ok.json().events.at(-1)).toMatchObject({ kind: 'handed_over' });
    expect((await cmd(x.id, 'reply', ok.json().version, { channel: 'phone', content: '原责任人已不能处理' })).statusCode).toBe(403);
  });
});

describe('SLA timers', () => {
  it('warn at 80%, escalate supervisor → manager → general manager, and keep firing after a restart', async () => {
    const x = await register({ description: '超时升级测试' });
    const reg = Date.parse(x.registeredAt);
    await t.deps.db.updateTable('users').set({ email: 'manager.a@example.com' }).where('id', '=', t.world.users.manager_a!).execute();
    // First process: run due jobs at 80% of 24 h → a warning to the owner.
    const bg1 = createBackground(t.deps);
    t.clock.set(new Date(reg + 19.3 * H));
    await bg1.runner.runDue();
    const warned = await t.deps.db.selectFrom('outbox').select(['recipient', 'subject']).where('subject', 'like', '%即将超时%').where('body', 'like', '%').execute();
    expect(warned.map((w) => w.recipient)).toContain(t.world.users.agent_a);

    // The server restarts: the first runner is gone; a new process boots on the same database.
    await bg1.runner.stop();
    const app2 = await buildApp(t.deps);
    await app2.ready();
    const bg2 = createBackground(t.deps);
    t.clock.set(new Date(reg + 24 * H + 1000));
    await bg2.runner.runDue();
    let now = await t.deps.db.selectFrom('tickets').selectAll().where('id', '=', x.id).executeTakeFirstOrThrow();
    expect(now).toMatchObject({ escalation_level: 1, breached: 1 });
    t.clock.set(new Date(reg + 36 * H + 1000));
    await bg2.runner.runDue();
    t.clock.set(new Date(reg + 48 * H + 1000));
    await bg2.runner.runDue();
    now = await t.deps.db.selectFrom('tickets').selectAll().where('id', '=', x.id).executeTakeFirstOrThrow();
    expect(now.escalation_level).toBe(3);
    const events = await t.deps.db.selectFrom('ticket_events').select('data').where('ticket_id', '=', x.id).where('kind', '=', 'escalated').orderBy('at').execute();
    expect(events.map((e) => JSON.parse(e.data!).levelName)).toEqual(['客服主管', '客服经理', '总经理']);
    const notified = await t.deps.db.selectFrom('outbox').select('recipient').where('subject', 'like', `%${x.number}%`).where('subject', 'like', '%升级%').execute();
    expect(notified.map((n) => n.recipient)).toEqual(expect.arrayContaining([t.world.users.supervisor_a, t.world.users.manager_a, t.world.users.executive_a]));
    expect(notified.map((n) => n.recipient)).not.toContain(t.world.users.supervisor_b);
    const mails = await t.deps.db.selectFrom('outbox').select(['channel', 'recipient']).where('channel', '=', 'email').where('subject', 'like', `%${x.number}%`).execute();
    expect(mails).toEqual([{ channel: 'email', recipient: 'manager.a@example.com' }]);
    // Running again changes nothing: each level is notified once.
    await bg2.runner.runDue();
    expect((await t.deps.db.selectFrom('ticket_events').select('id').where('ticket_id', '=', x.id).where('kind', '=', 'escalated').execute())).toHaveLength(3);
    await app2.close();
    t.clock.set('2026-11-27T02:00:00Z');
    agent = await t.login('agent_a');
  });
});

describe('a failing database is never reported as a bad reference', () => {
  it('registration whose customer or call check fails on the database answers 5xx, not 400 客户不存在, and registers nothing', async () => {
    const { sql } = await import('kysely');
    const before = await t.deps.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const [table, body] of [['customers', { customerId: t.world.customerA }], ['calls', { callId: '0190d5a0-0000-7000-8000-000000000001', customerId: undefined }]] as const) {
      await sql`alter table ${sql.table(table)} rename to ${sql.table(`${table}_gone`)}`.execute(t.deps.db);
      try {
        const res = await t.as(agent, { method: 'POST', url: '/api/tickets', payload: { type: 'inquiry', severity: 'routine', channel: 'hotline', projectId: t.world.projectA, description: '数据库故障时登记', ...body } });
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(500);
        expect(res.json().code).not.toBe('ticket.invalid_reference');
      } finally {
        await sql`alter table ${sql.table(`${table}_gone`)} rename to ${sql.table(table)}`.execute(t.deps.db);
      }
    }
    const after = await t.deps.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
