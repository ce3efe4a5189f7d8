import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

/** Issue #18: registration, dispatch and text-limit defects of the console, at the API. */
let t: TestApp;
let agent: string;

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.login('agent_a');
});
afterAll(async () => t.close());

const base = () => ({ severity: 'routine', channel: 'hotline', projectId: t.world.projectA, customerId: t.world.customerA, unitId: t.world.unitA });
const post = (payload: object) => t.as(agent, { method: 'POST', url: '/api/tickets', payload });
const count = async () => Number((await t.deps.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('defect 2: no default type, an auto-title that does not cut words', () => {
  it('refuses a registration without a type, in Chinese, and registers nothing', async () => {
    const before = await count();
    const res = await post({ ...base(), description: '卫生间天花板漏水' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(res.json())).toMatch(/type/);
    expect(res.json().title).toMatch(/[\u4e00-\u9fff]/);
    expect(await count()).toBe(before);
  });

  it('titles a long description at a punctuation boundary with an ellipsis', async () => {
    const description = '业主反映卫生间天花板漏水，楼上邻居说没有用水，请工程部尽快上门查看并处理防水问题';
    const res = await post({ ...base(), type: 'complaint', description });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().title).toBe('投诉：业主反映卫生间天花板漏水，楼上邻居说没有用水…');
  });
});

describe('defect 3: a work-order deadline past the ticket\'s needs a reason; the department is suggested', () => {
  const H = 3_600_000;
  const dispatch = (id: string, version: number, payload: object) =>
    t.as(agent, { method: 'POST', url: `/api/tickets/${id}/dispatch`, headers: { 'if-match': `"${version}"` }, payload });
  const category = async () => (await t.deps.db.selectFrom('ticket_categories').select('id').where('type', '=', 'complaint').where('parent_id', 'is not', null).orderBy('id').executeTakeFirstOrThrow()).id;

  it('refuses a later deadline without a reason (problem+json, nothing changed) and keeps the reason in the event and the audit row', async () => {
    const ticket = (await post({ ...base(), type: 'complaint', description: '楼道灯坏了一周没人修' })).json();
    const late = new Date(Date.parse(ticket.dueAt) + 48 * H).toISOString();
    const refused = await dispatch(ticket.id, ticket.version, { departmentId: t.world.deptPropA, instructions: '请维修楼道灯', dueAt: late });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'work_order.late_reason_required' });
    expect(refused.json().detail).toContain('请填写延后原因');
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual(['lateReason']);
    const still = (await t.as(agent, { method: 'GET', url: `/api/tickets/${ticket.id}` })).json();
    expect(still).toMatchObject({ status: 'registered', version: ticket.version, workOrders: [] });

    const ok = await dispatch(ticket.id, ticket.version, { departmentId: t.world.deptPropA, instructions: '请维修楼道灯', dueAt: late, lateReason: '灯具需厂家订货，约两天到货' });
    expect(ok.statusCode, ok.body).toBe(200);
    const audit = await t.deps.db.selectFrom('audit_log').select('after_json').where('entity_id', '=', ticket.id).where('action', '=', 'ticket.dispatched').executeTakeFirstOrThrow();
    expect(String(audit.after_json)).toContain('灯具需厂家订货，约两天到货');
  });

  it('accepts a deadline within the ticket\'s without a reason', async () => {
    const ticket = (await post({ ...base(), type: 'complaint', description: '门禁卡失灵' })).json();
    const res = await dispatch(ticket.id, ticket.version, { departmentId: t.world.deptPropA, instructions: '请检查门禁', dueAt: new Date(Date.parse(ticket.dueAt) - H).toISOString() });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('suggests the department tickets of the same category went to', async () => {
    const categoryId = await category();
    const first = (await post({ ...base(), type: 'complaint', categoryId, description: '电梯异响' })).json();
    const none = await t.as(agent, { method: 'GET', url: `/api/tickets/${first.id}/dispatch-suggestion` });
    expect(none.json()).toEqual({ departmentId: null, departmentName: null, basis: null });
    await dispatch(first.id, first.version, { departmentId: t.world.deptPropA, instructions: '请检查电梯', dueAt: new Date(Date.parse(first.dueAt) - H).toISOString() });
    const second = (await post({ ...base(), type: 'complaint', categoryId, description: '电梯又异响' })).json();
    const s = (await t.as(agent, { method: 'GET', url: `/api/tickets/${second.id}/dispatch-suggestion` })).json();
    expect(s.departmentId).toBe(t.world.deptPropA);
    expect(s.basis).toMatch(/近 180 天同分类工单 1 次派往此部门/);
  });
});

describe('defect 5: a long text is refused with a message, never cut', () => {
  it('refuses a 10,000-character description, saying the limit, and registers nothing', async () => {
    const before = await count();
    const res = await post({ ...base(), type: 'complaint', description: '漏'.repeat(10_000) });
    expect(res.statusCode).toBe(400);
    const field = res.json().errors.find((e: { field: string }) => e.field === 'description');
    expect(field.message).toMatch(/5000/);
    expect(await count()).toBe(before);
    // At the limit it is kept whole.
    const ok = await post({ ...base(), type: 'complaint', description: '漏'.repeat(5000) });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().description).toHaveLength(5000);
  });

  it('refuses a reply over 2,000 characters', async () => {
    const ticket = (await post({ ...base(), type: 'inquiry', description: '咨询停车费' })).json();
    const res = await t.as(agent, { method: 'POST', url: `/api/tickets/${ticket.id}/answer`, headers: { 'if-match': `"${ticket.version}"` }, payload: { channel: 'phone', content: '答'.repeat(2001) } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.find((e: { field: string }) => e.field === 'content').message).toMatch(/2000/);
  });
});

describe('defect 7: the handler sees what the work needs', () => {
  it('shows the customer, masked phone, unit, ticket number and the original complaint on the work order', async () => {
    const description = '卫生间天花板漏水，业主工作日晚上7点后在家';
    const ticket = (await post({ ...base(), type: 'complaint', description })).json();
    const d = (await t.as(agent, { method: 'POST', url: `/api/tickets/${ticket.id}/dispatch`, headers: { 'if-match': `"${ticket.version}"` }, payload: { departmentId: t.world.deptPropA, instructions: '请上门查看', dueAt: new Date(Date.parse(ticket.dueAt) - 3_600_000).toISOString() } })).json();
    const handler = await t.login('handler_a');
    const res = await t.as(handler, { method: 'GET', url: `/api/work-orders/${d.workOrders[0].id}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      ticketNumber: ticket.number, customerName: '甲业主', customerPhone: '139****0001', locationLabel: '1栋1单元1501', ticketDescription: description, phoneRevealable: false,
    });
    expect(res.body).not.toContain('13900000001');
    // An agent may reveal it (audited, through the customer's reveal).
    const asAgent = (await t.as(agent, { method: 'GET', url: `/api/work-orders/${d.workOrders[0].id}` })).json();
    expect(asAgent.phoneRevealable).toBe(true);
  });
});
