import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;
let agentA: string;
let agentB: string;
let root: string;
// A valid ID number (checksum X) and its masked form.
const ID = '11010519491231002X';

beforeAll(async () => {
  t = await createTestApp();
  [agentA, agentB, root] = await Promise.all([t.login('agent_a'), t.login('agent_b'), t.login('root')]);
});
afterAll(async () => t.close());

async function newCustomer(cookie: string, body: Record<string, unknown>) {
  const res = await t.as(cookie, { method: 'POST', url: '/api/customers', payload: { kind: 'owner', projectId: t.world.projectA, phones: [], ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function link(cookie: string, customerId: string, body: Record<string, unknown>) {
  const res = await t.as(cookie, { method: 'POST', url: `/api/customers/${customerId}/units`, payload: { relation: 'owner', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('customers', () => {
  let wang: { id: string; version: number };

  it('registers a customer with several phones and an ID number, masked everywhere, encrypted at rest', async () => {
    wang = await newCustomer(agentA, { name: '王芳', phones: [{ phone: '138 0013 8000' }, { phone: '+86 139-1234-5678', label: '家人' }], idNumber: ID.toLowerCase() });
    const c = await t.as(agentA, { method: 'GET', url: `/api/customers/${wang.id}` });
    const body = c.json();
    expect(body.phones.map((p: { phone: string }) => p.phone)).toEqual(['138****8000', '139****5678']);
    expect(body.phones[0].isPrimary).toBe(true);
    expect(body.idNumber).toBe('110***********002X');
    expect(c.body).not.toContain('13800138000');
    expect(c.body).not.toContain(ID);
    const row = await t.deps.db.selectFrom('customers').selectAll().where('id', '=', wang.id).executeTakeFirstOrThrow();
    expect(row.id_number_enc).toMatch(/^v1\./);
    expect(row.id_number_enc).not.toContain(ID);
    const audit = await t.deps.db.selectFrom('audit_log').select('after_json').where('action', '=', 'customer.created').where('entity_id', '=', wang.id).executeTakeFirstOrThrow();
    expect(audit.after_json).not.toContain('13800138000');
    expect(audit.after_json).not.toContain(ID);
    expect(audit.after_json).not.toContain('v1.');
  });

  it('edits phones without revealing them: existing numbers are kept by id', async () => {
    const c = (await t.as(agentA, { method: 'GET', url: `/api/customers/${wang.id}` })).json();
    const keep = c.phones.map((p: { id: string }) => ({ id: p.id }));
    const res = await t.as(agentA, { method: 'PATCH', url: `/api/customers/${wang.id}`, headers: { 'if-match': `"${c.version}"` }, payload: { phones: [...keep, { phone: '13711113333', label: '办公' }] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().phones.map((p: { phone: string }) => p.phone)).toEqual(['138****8000', '139****5678', '137****3333']);
    const foreign = await t.as(agentA, { method: 'PATCH', url: `/api/customers/${wang.id}`, headers: { 'if-match': `"${res.json().version}"` }, payload: { phones: [{ id: '01234567-89ab-7def-8123-456789abcdef' }] } });
    expect(foreign.statusCode).toBe(400);
    wang = res.json();
  });

  it('tells the UI what the user may reveal', async () => {
    expect((await t.as(agentA, { method: 'GET', url: '/api/auth/me' })).json()).toMatchObject({ canRevealPhones: true, canRevealIdNumber: false });
    expect((await t.as(root, { method: 'GET', url: '/api/auth/me' })).json()).toMatchObject({ canRevealPhones: false, canRevealIdNumber: false });
  });

  it('finds the caller by every one of their numbers, in any format', async () => {
    for (const phone of ['13800138000', '+8613800138000', '139 1234 5678']) {
      const res = await t.as(agentA, { method: 'GET', url: `/api/customers/lookup?phone=${encodeURIComponent(phone)}` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().customers.map((c: { id: string }) => c.id)).toEqual([wang.id]);
    }
    const unknown = await t.as(agentA, { method: 'GET', url: '/api/customers/lookup?phone=13900000000' });
    expect(unknown.json().customers).toEqual([]);
    const bad = await t.as(agentA, { method: 'GET', url: '/api/customers/lookup?phone=12345' });
    expect(bad.statusCode).toBe(400);
  });

  it('finds people by last 4 digits, name, pinyin initials and ID number', async () => {
    const q = async (text: string) => (await t.as(agentA, { method: 'GET', url: `/api/customers?q=${encodeURIComponent(text)}` })).json().items.map((c: { id: string }) => c.id);
    expect(await q('8000')).toContain(wang.id);
    expect(await q('5678')).toContain(wang.id);
    expect(await q('王芳')).toContain(wang.id);
    expect(await q('wf')).toContain(wang.id);
    expect(await q(ID)).toEqual([wang.id]);
    expect(await q('1234')).not.toContain(wang.id);
  });

  it('finds owners by unit address the way agents type it', async () => {
    const li = await newCustomer(agentA, { name: '李强', phones: [{ phone: '13700001111' }] });
    await link(agentA, li.id, { unitId: t.world.unitA, fromDate: '2025-01-01' });
    const q = async (text: string) => (await t.as(agentA, { method: 'GET', url: `/api/customers?q=${encodeURIComponent(text)}` })).json().items.map((c: { id: string }) => c.id);
    // The test world's 甲业主 owns the same unit.
    for (const form of ['1栋1单元1501', '甲项目 1-1-1501', '1-1501', '甲项目1栋1501室']) expect((await q(form)).sort(), form).toEqual([li.id, t.world.customerA].sort());
    expect(await q('1栋2单元1501')).toEqual([]);
  });

  it('flags a phone shared by two people instead of refusing it, and refuses a duplicate ID number', async () => {
    const other = await newCustomer(agentA, { name: '王芳的丈夫', kind: 'family', phones: [{ phone: '13800138000' }] });
    expect(other.phones[0].sharedWith).toBe(1);
    const dup = await t.as(agentA, { method: 'POST', url: '/api/customers', payload: { kind: 'owner', projectId: t.world.projectA, name: '假王芳', phones: [], idNumber: ID } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('idNumber');
  });

  it('rejects invalid phones and ID numbers in Chinese, writing nothing', async () => {
    const before = (await t.deps.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const phone = await t.as(agentA, { method: 'POST', url: '/api/customers', payload: { kind: 'owner', projectId: t.world.projectA, name: '甲', phones: [{ phone: '1234' }] } });
    expect(phone.statusCode).toBe(400);
    expect(phone.json()).toMatchObject({ code: 'customer.invalid_phone', errors: [{ field: 'phones.0.phone' }] });
    const id = await t.as(agentA, { method: 'POST', url: '/api/customers', payload: { kind: 'owner', projectId: t.world.projectA, name: '甲', phones: [], idNumber: '110105194912310021' } });
    expect(id.statusCode).toBe(400);
    expect(id.json().code).toBe('customer.invalid_id_number');
    const unit = await t.as(agentA, { method: 'POST', url: `/api/customers/${wang.id}/units`, payload: { unitId: t.world.unitB, relation: 'owner' } });
    expect(unit.statusCode).toBe(400);
    expect(unit.json().code).toBe('customer.unit_invalid');
    expect((await t.deps.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n).toBe(before);
  });

  it('keeps another project’s owners out of reach: search, lookup, detail', async () => {
    const zhao = await newCustomer(agentB, { name: '赵敏', projectId: t.world.projectB, phones: [{ phone: '13600002222' }] });
    await link(agentB, zhao.id, { unitId: t.world.unitB });
    expect((await t.as(agentA, { method: 'GET', url: `/api/customers/${zhao.id}` })).statusCode).toBe(404);
    expect((await t.as(agentA, { method: 'GET', url: '/api/customers/lookup?phone=13600002222' })).json().customers).toEqual([]);
    expect((await t.as(agentA, { method: 'GET', url: '/api/customers?q=赵敏' })).json().total).toBe(0);
    expect((await t.as(agentA, { method: 'GET', url: '/api/customers?q=2222' })).json().total).toBe(0);
    expect((await t.as(agentA, { method: 'POST', url: `/api/customers/${zhao.id}/reveal`, payload: { field: 'phones', reason: '回访' } })).statusCode).toBe(404);
    expect((await t.as(agentB, { method: 'GET', url: '/api/customers?q=2222' })).json().total).toBe(1);
  });
});

describe('personal data reveal', () => {
  let id: string;
  beforeAll(async () => {
    id = (await newCustomer(agentA, { name: '陈静', phones: [{ phone: '13512345678' }], idNumber: '440308199901010012' })).id;
  });

  it('shows an agent the full phones for a reason, and audits who, what and why but never the number', async () => {
    const res = await t.as(agentA, { method: 'POST', url: `/api/customers/${id}/reveal`, payload: { field: 'phones', reason: '客户要求回电' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().phones[0].phone).toBe('+8613512345678');
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'customer.revealed').where('entity_id', '=', id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(t.world.users.agent_a);
    expect(JSON.parse(audit[0]!.after_json!)).toEqual({ field: 'phones', reason: '客户要求回电' });
  });

  it('refuses the ID number to everyone by default, and to roles without the permission', async () => {
    expect((await t.as(agentA, { method: 'POST', url: `/api/customers/${id}/reveal`, payload: { field: 'id_number', reason: '核实身份' } })).statusCode).toBe(403);
    const handler = await t.login('handler_a');
    expect((await t.as(handler, { method: 'POST', url: `/api/customers/${id}/reveal`, payload: { field: 'phones', reason: '上门维修' } })).statusCode).toBe(403);
    const exec = await t.login('executive_a');
    expect((await t.as(exec, { method: 'POST', url: `/api/customers/${id}/reveal`, payload: { field: 'phones', reason: '看看' } })).statusCode).toBe(403);
    expect((await t.as(agentA, { method: 'POST', url: `/api/customers/${id}/reveal`, payload: { field: 'phones' } })).statusCode).toBe(400);
  });

  it('grants the ID number when an admin allows a role, and alerts managers past the daily quota', async () => {
    const put = await t.as(root, { method: 'PUT', url: '/api/settings/privacy', headers: { 'if-match': '"0"' }, payload: { phoneRevealRoles: ['agent', 'supervisor', 'manager'], idNumberRevealRoles: ['supervisor'], dailyRevealQuota: 2 } });
    expect(put.statusCode, put.body).toBe(200);
    const sup = await t.login('supervisor_a');
    const res = await t.as(sup, { method: 'POST', url: `/api/customers/${id}/reveal`, payload: { field: 'id_number', reason: '办理产权' } });
    expect(res.json().idNumber).toBe('440308199901010012');
    // In-app alerts go through the outbox to the managers responsible for project A only.
    const alerts = async () => (await t.deps.db.selectFrom('outbox').select('recipient').where('channel', '=', 'in_app').where('subject', '=', '个人信息查看次数超限').execute()).map((r) => r.recipient);
    expect(await alerts()).toEqual([]);
    await t.as(sup, { method: 'POST', url: `/api/customers/${id}/reveal`, payload: { field: 'phones', reason: '回访' } });
    expect(await alerts()).toEqual([]);
    await t.as(sup, { method: 'POST', url: `/api/customers/${id}/reveal`, payload: { field: 'phones', reason: '回访' } });
    expect(await alerts()).toEqual([t.world.users.manager_a]);
    await t.as(sup, { method: 'POST', url: `/api/customers/${id}/reveal`, payload: { field: 'phones', reason: '回访' } });
    expect(await alerts()).toEqual([t.world.users.manager_a]);
  });
});

describe('dynamic archive (K4)', () => {
  it('shows what is missing, turns complete when filled, and current when confirmed; the rate follows', async () => {
    let cookie = await t.login('admin_c1');
    const rate = async (date?: string) => (await t.as(cookie, { method: 'GET', url: `/api/kpis/archive-rate?projectId=${t.world.projectA2}${date ? `&date=${date}` : ''}` })).json();
    const unitRes = await t.as(root, { method: 'POST', url: `/api/projects/${t.world.projectA2}/buildings`, payload: { name: '5' } });
    const unit = await t.as(root, { method: 'POST', url: `/api/buildings/${unitRes.json().id}/units`, payload: { entrance: '1', floor: 8, roomNumber: '801' } });
    const c = await newCustomer(cookie, { name: '周杰', projectId: t.world.projectA2, phones: [{ phone: '13311112222' }] });
    expect(c.archive.missing).toEqual(['id_number', 'unit', 'contract_no', 'actual_handover_date']);
    expect((await rate()).total).toMatchObject({ numerator: 0, denominator: 0, rate: null });

    const linked = await link(cookie, c.id, { unitId: unit.json().id, fromDate: '2026-01-10', contractNo: 'HT-2026-001' });
    expect(linked.archive.missing).toEqual(['id_number', 'actual_handover_date']);
    expect((await rate()).total).toMatchObject({ numerator: 0, denominator: 1, rate: 0 });

    const patched = await t.as(cookie, { method: 'PATCH', url: `/api/customers/${c.id}`, headers: { 'if-match': `"${linked.version}"` }, payload: { idNumber: '110105194912310039' } });
    expect(patched.statusCode, patched.body).toBe(400);
    const ok = await t.as(cookie, { method: 'PATCH', url: `/api/customers/${c.id}`, headers: { 'if-match': `"${linked.version}"` }, payload: { idNumber: '110105194912310038' } });
    expect(ok.statusCode, ok.body).toBe(200);
    const link0 = ok.json().units[0];
    const handed = await t.as(cookie, { method: 'PATCH', url: `/api/customers/${c.id}/units/${link0.id}`, headers: { 'if-match': `"${link0.version}"` }, payload: { actualHandoverDate: '2026-06-30' } });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json().archive).toMatchObject({ complete: true, current: true, missing: [] });
    expect((await rate()).total).toMatchObject({ numerator: 1, denominator: 1, rate: 1 });
    // Before the relation began, the customer was not in scope.
    expect((await rate('2026-01-09')).total.denominator).toBe(0);

    // A year without contact: the archive is no longer current.
    t.clock.advance(366 * 86_400_000);
    cookie = await t.login('admin_c1');
    expect((await rate()).total).toMatchObject({ numerator: 0, denominator: 1 });
    const fresh = (await t.as(cookie, { method: 'GET', url: `/api/customers/${c.id}` })).json();
    expect(fresh.archive.current).toBe(false);
    const confirmed = await t.as(cookie, { method: 'POST', url: `/api/customers/${c.id}/confirm-archive`, headers: { 'if-match': `"${fresh.version}"` } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().archive.current).toBe(true);
    expect(confirmed.json().archiveConfirmedBy).toBe('admin_c1');
    expect((await rate()).total).toMatchObject({ numerator: 1, denominator: 1 });

    // Sold: the relation ends; from that day on the customer leaves K4's scope, the past keeps its value.
    const now = confirmed.json();
    const sold = await t.as(cookie, { method: 'PATCH', url: `/api/customers/${c.id}/units/${now.units[0].id}`, headers: { 'if-match': `"${now.units[0].version}"` }, payload: { toDate: '2027-09-01' } });
    expect(sold.statusCode, sold.body).toBe(200);
    expect((await rate('2027-08-31')).total.denominator).toBe(1);
    expect((await rate('2027-01-15')).total).toMatchObject({ numerator: 1, denominator: 1 });
    // Relations entered today do not rewrite the past: on 2026-07-01 the archive did not exist yet.
    expect((await rate('2026-07-01')).total).toMatchObject({ numerator: 0, denominator: 0 });
    const records = await t.as(cookie, { method: 'GET', url: `/api/kpis/archive-rate/records?projectId=${t.world.projectA2}&date=2027-01-15` });
    expect(records.json().items).toMatchObject([{ customerId: c.id, inNumerator: true, projectNames: ['甲二项目'] }]);
    t.clock.set('2026-11-27T02:00:00Z');
  });

  it('refuses a future date and a project out of scope', async () => {
    expect((await t.as(agentA, { method: 'GET', url: '/api/kpis/archive-rate?date=2099-01-01' })).statusCode).toBe(400);
    expect((await t.as(agentA, { method: 'GET', url: `/api/kpis/archive-rate?projectId=${t.world.projectB}` })).statusCode).toBe(404);
  });
});

describe('merge', () => {
  it('keeps every phone, unit relation and timeline entry of both, and the duplicate disappears', async () => {
    const cookie = await t.login('supervisor_a');
    const a = await newCustomer(cookie, { name: '刘洋', phones: [{ phone: '13900001111' }] });
    const b = await newCustomer(cookie, { name: '刘洋', phones: [{ phone: '13900001111' }, { phone: '13900002222' }], email: 'liu@example.com' });
    await link(cookie, b.id, { unitId: t.world.unitA, relation: 'co_owner', fromDate: '2025-03-01' });
    const ticket = await t.as(cookie, { method: 'POST', url: '/api/tickets', payload: { type: 'inquiry', severity: 'routine', channel: 'hotline', projectId: t.world.projectA, customerId: b.id, description: '合并前登记的咨询' } });
    expect(ticket.statusCode, ticket.body).toBe(201);
    const res = await t.as(cookie, { method: 'POST', url: `/api/customers/${a.id}/merge`, payload: { sourceId: b.id } });
    expect(res.statusCode, res.body).toBe(200);
    const merged = res.json();
    expect(merged.phones).toHaveLength(2);
    expect(merged.email).toBe('liu@example.com');
    expect(merged.units.map((u: { unitId: string }) => u.unitId)).toEqual([t.world.unitA]);
    expect((await t.as(cookie, { method: 'GET', url: `/api/customers/${b.id}` })).statusCode).toBe(404);
    expect((await t.as(cookie, { method: 'GET', url: `/api/tickets/${ticket.json().id}` })).json().customerId).toBe(a.id);
    const timeline = await t.as(cookie, { method: 'GET', url: `/api/customers/${a.id}/timeline` });
    const kinds = timeline.json().items.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['customer.merged', 'customer.unit_added', 'customer.created']));
    expect(kinds.filter((k: string) => k === 'customer.created')).toHaveLength(2);
    expect(await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'customer.merged').where('entity_id', '=', a.id).execute()).toHaveLength(1);
    const agentMerge = await t.as(agentA, { method: 'POST', url: `/api/customers/${a.id}/merge`, payload: { sourceId: wangId() } });
    expect(agentMerge.statusCode).toBe(403);
  });
});

function wangId(): string {
  return '01234567-89ab-7def-8123-456789abcdef';
}
