import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;
let agent: string;
let sup: string;

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.login('agent_a');
  sup = await t.login('supervisor_a');
});
afterAll(async () => t.close());

/** A complaint of project A registered and resolved by agent_a; returns its ticket and callback. */
async function resolvedComplaint(description = '楼道灯不亮') {
  const r = await t.as(agent, { method: 'POST', url: '/api/tickets', payload: { type: 'complaint', severity: 'routine', channel: 'hotline', projectId: t.world.projectA, customerId: t.world.customerA, description } });
  expect(r.statusCode, r.body).toBe(201);
  const res = await t.as(agent, { method: 'POST', url: `/api/tickets/${r.json().id}/resolve`, headers: { 'if-match': '"1"' }, payload: { summary: '已更换灯泡' } });
  expect(res.statusCode, res.body).toBe(200);
  const list = (await t.as(agent, { method: 'GET', url: '/api/callbacks?view=mine' })).json().items;
  const cb = list.find((c: { ticketId: string }) => c.ticketId === r.json().id);
  return { ticket: res.json(), cb };
}

const ticketStatus = async (id: string) => (await t.as(agent, { method: 'GET', url: `/api/tickets/${id}` })).json();

describe('callbacks after resolution', () => {
  it('creates a callback for the first-contact owner, due in 2 working days, with a script', async () => {
    const { cb } = await resolvedComplaint();
    expect(cb).toMatchObject({ status: 'open', assigneeId: t.world.users.agent_a, attempts: 0, maxAttempts: 3, customerName: '甲业主', customerPhone: '139****0001' });
    // Resolved on Friday 27 Nov 2026, 10:00 Beijing: due Tuesday 1 Dec, 10:00.
    expect(cb.dueAt).toBe('2026-12-01T02:00:00.000Z');
    expect(cb.script).toContain('满意');
  });

  it('satisfied closes the ticket and counts as a visit and a rating', async () => {
    const { ticket, cb } = await resolvedComplaint('satisfied');
    const res = await t.as(agent, { method: 'POST', url: `/api/callbacks/${cb.id}/complete`, headers: { 'if-match': `"${cb.version}"` }, payload: { satisfaction: 5, comment: '师傅很专业' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'done', satisfaction: 5 });
    expect((await ticketStatus(ticket.id)).status).toBe('closed');
    expect(await t.deps.db.selectFrom('ratings').select(['source', 'satisfaction']).where('ticket_id', '=', ticket.id).execute()).toEqual([{ source: 'callback', satisfaction: 5 }]);
    const visits = await t.deps.db.selectFrom('visits').select('kinds').where('source_id', '=', cb.id).execute();
    expect(visits.map((v) => JSON.parse(v.kinds))).toEqual([['callback']]);
  });

  it('dissatisfied reopens the ticket and escalates one level; a second callback follows the next resolution', async () => {
    const { ticket, cb } = await resolvedComplaint('dissatisfied');
    const res = await t.as(sup, { method: 'POST', url: `/api/callbacks/${cb.id}/complete`, headers: { 'if-match': `"${cb.version}"` }, payload: { satisfaction: 2, comment: '问题还在' } });
    expect(res.statusCode, res.body).toBe(200);
    const now = await ticketStatus(ticket.id);
    expect(now).toMatchObject({ status: 'reopened', escalationLevel: 1 });
    expect(now.events.at(-1)).toMatchObject({ kind: 'reopened' });
    const again = await t.as(agent, { method: 'POST', url: `/api/tickets/${ticket.id}/resolve`, headers: { 'if-match': `"${now.version}"` }, payload: { summary: '彻底修好' } });
    expect(again.statusCode, again.body).toBe(200);
    const callbacks = await t.deps.db.selectFrom('callbacks').select('status').where('ticket_id', '=', ticket.id).orderBy('created_at').orderBy('id').execute();
    expect(callbacks.map((c) => c.status)).toEqual(['done', 'open']);
  });

  it('three unanswered calls end as unreachable and close the ticket', async () => {
    const { ticket, cb } = await resolvedComplaint('unreachable');
    let v = cb.version;
    for (let i = 1; i <= 3; i++) {
      const res = await t.as(agent, { method: 'POST', url: `/api/callbacks/${cb.id}/attempts`, headers: { 'if-match': `"${v}"` }, payload: { note: `第${i}次未接通` } });
      expect(res.statusCode, res.body).toBe(200);
      v = res.json().version;
      expect(res.json().status).toBe(i < 3 ? 'open' : 'unreachable');
    }
    expect((await ticketStatus(ticket.id)).status).toBe('closed');
    const more = await t.as(agent, { method: 'POST', url: `/api/callbacks/${cb.id}/attempts`, headers: { 'if-match': `"${v}"` }, payload: {} });
    expect(more.statusCode).toBe(409);
  });

  it('refuses ratings out of range and callbacks on tickets that are no longer resolved', async () => {
    const { ticket, cb } = await resolvedComplaint('bad input');
    for (const satisfaction of [0, 6, 3.5]) {
      const res = await t.as(agent, { method: 'POST', url: `/api/callbacks/${cb.id}/complete`, headers: { 'if-match': `"${cb.version}"` }, payload: { satisfaction } });
      expect(res.statusCode).toBe(400);
    }
    const reopened = await t.as(agent, { method: 'POST', url: `/api/tickets/${ticket.id}/reopen`, headers: { 'if-match': `"${ticket.version}"` }, payload: { reason: '业主来电说还有问题' } });
    expect(reopened.statusCode, reopened.body).toBe(200);
    const res = await t.as(agent, { method: 'POST', url: `/api/callbacks/${cb.id}/complete`, headers: { 'if-match': `"${cb.version}"` }, payload: { satisfaction: 5 } });
    expect(res.statusCode).toBe(409);
    expect(await t.deps.db.selectFrom('ratings').select('id').where('ticket_id', '=', ticket.id).execute()).toHaveLength(0);
  });
});

describe('valid complaints and the KPIs', () => {
  it('K2 ignores invalid complaints, a manager can reverse it; K3 counts a contact once; the KPI endpoint agrees with its records', async () => {
    const a = await resolvedComplaint('k2-a');
    const b = await resolvedComplaint('k2-b');
    await t.as(agent, { method: 'POST', url: `/api/callbacks/${a.cb.id}/complete`, headers: { 'if-match': `"${a.cb.version}"` }, payload: { satisfaction: 4, alsoKinds: ['event_contact'] } });
    await t.as(agent, { method: 'POST', url: `/api/callbacks/${b.cb.id}/complete`, headers: { 'if-match': `"${b.cb.version}"` }, payload: { satisfaction: 1 } });
    const period = 'from=2026-11-01&to=2026-11-30';
    const before = (await t.as(sup, { method: 'GET', url: `/api/kpis?${period}&projectId=${t.world.projectA}` })).json();
    const bTicket = await ticketStatus(b.ticket.id);
    const noReason = await t.as(sup, { method: 'POST', url: `/api/tickets/${b.ticket.id}/invalidate`, headers: { 'if-match': `"${bTicket.version}"` }, payload: { reason: 'malicious' } });
    expect(noReason.statusCode).toBe(400);
    const agentTry = await t.as(agent, { method: 'POST', url: `/api/tickets/${b.ticket.id}/invalidate`, headers: { 'if-match': `"${bTicket.version}"` }, payload: { reason: 'malicious', note: '多次无理取闹' } });
    expect(agentTry.statusCode).toBe(403);
    const inv = await t.as(sup, { method: 'POST', url: `/api/tickets/${b.ticket.id}/invalidate`, headers: { 'if-match': `"${bTicket.version}"` }, payload: { reason: 'unreasonable_answered', note: '诉求超出合同约定，已依合同条款答复' } });
    expect(inv.statusCode, inv.body).toBe(200);
    expect(inv.json().valid).toBe(false);
    const after = (await t.as(sup, { method: 'GET', url: `/api/kpis?${period}&projectId=${t.world.projectA}` })).json();
    expect(after.k2.denominator).toBe(before.k2.denominator - 1);
    expect(after.k2.numerator).toBe(before.k2.numerator);
    // K1 still counts the invalid complaint.
    expect(after.k1.denominator).toBe(before.k1.denominator);
    const records = (await t.as(sup, { method: 'GET', url: `/api/kpis/k2/records?${period}&projectId=${t.world.projectA}` })).json();
    expect(records.filter((r: { group: string }) => r.group === 'satisfied')).toHaveLength(after.k2.numerator);
    expect(records.filter((r: { group: string }) => r.group !== 'unreachable')).toHaveLength(after.k2.denominator);
    expect(records.map((r: { id: string }) => r.id)).not.toContain(b.ticket.id);

    // K3: the callback that was also an event contact is one visit.
    const visits = (await t.as(sup, { method: 'GET', url: `/api/kpis/k3/records?${period}&projectId=${t.world.projectA}` })).json();
    const aVisit = visits.filter((v: { kinds: string[] }) => v.kinds.includes('event_contact'));
    expect(aVisit).toHaveLength(1);
    expect(aVisit[0].kinds).toEqual(['callback', 'event_contact']);
    expect(after.k3.numerator).toBe(visits.length);
    expect(after.k3.denominator).toBe(1);
    expect(after.k3.target).toBeCloseTo((1.2 * 30) / 365, 10);

    const mgr = await t.login('manager_a');
    const v2 = (await ticketStatus(b.ticket.id)).version;
    expect((await t.as(sup, { method: 'POST', url: `/api/tickets/${b.ticket.id}/revalidate`, headers: { 'if-match': `"${v2}"` }, payload: { note: '复核后认定有效' } })).statusCode).toBe(403);
    const back = await t.as(mgr, { method: 'POST', url: `/api/tickets/${b.ticket.id}/revalidate`, headers: { 'if-match': `"${v2}"` }, payload: { note: '复核后认定有效' } });
    expect(back.statusCode, back.body).toBe(200);
    expect((await t.as(sup, { method: 'GET', url: `/api/kpis?${period}&projectId=${t.world.projectA}` })).json().k2.denominator).toBe(before.k2.denominator);
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('entity_id', '=', b.ticket.id).where('action', 'in', ['ticket.invalidated', 'ticket.validated']).orderBy('seq').execute();
    expect(audit.map((x) => x.action)).toEqual(['ticket.invalidated', 'ticket.validated']);
  });

  it('refuses reversed or too-long periods and unknown projects', async () => {
    expect((await t.as(sup, { method: 'GET', url: '/api/kpis?from=2026-12-01&to=2026-11-01' })).statusCode).toBe(400);
    expect((await t.as(sup, { method: 'GET', url: '/api/kpis?from=2019-01-01&to=2026-11-01' })).statusCode).toBe(400);
    expect((await t.as(sup, { method: 'GET', url: `/api/kpis?from=2026-11-01&to=2026-11-30&projectId=${t.world.projectB}` })).statusCode).toBe(404);
    expect((await t.as(sup, { method: 'GET', url: '/api/kpis?from=2026-11-01&to=2026-11-30&projectId=01234567-89ab-7def-8123-456789abcdef' })).statusCode).toBe(404);
  });

  it('the dashboard shows the KPIs, the monthly trend and the breakdowns', async () => {
    const d = await t.as(sup, { method: 'GET', url: '/api/dashboard?from=2026-10-01&to=2026-11-30' });
    expect(d.statusCode, d.body).toBe(200);
    const body = d.json();
    expect(body.trend.map((x: { month: string }) => x.month)).toEqual(['2026-10', '2026-11']);
    expect(body.total).toBeGreaterThan(0);
    expect(body.byProject.map((p: { key: string }) => p.key)).toEqual([t.world.projectA]);
    // The year is loaded once and cut into months: each month equals the KPIs asked for that month alone.
    const whole = (await t.as(sup, { method: 'GET', url: '/api/kpis?from=2026-10-01&to=2026-11-30' })).json();
    expect(body.kpis).toEqual(whole);
    expect(whole.k1.denominator + whole.k2.denominator).toBeGreaterThan(0);
    for (const [month, from, to] of [['2026-10', '2026-10-01', '2026-10-31'], ['2026-11', '2026-11-01', '2026-11-30']]) {
      const k = (await t.as(sup, { method: 'GET', url: `/api/kpis?from=${from}&to=${to}` })).json();
      expect(body.trend.find((x: { month: string }) => x.month === month)).toEqual({ month, k1: k.k1.rate, k2: k.k2.rate, complaints: k.k1.denominator });
    }
  });
});

describe('visits and the visit programme', () => {
  it('records a visit, generates the annual plan with tasks, and a visit closes its task', async () => {
    const plan = await t.as(sup, { method: 'GET', url: `/api/visit-plans/${t.world.projectA}/2026` });
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json()).toMatchObject({ targetRate: 1.2, customersInScope: 1 });
    const gen = await t.as(sup, { method: 'POST', url: `/api/visit-plans/${t.world.projectA}/2026/generate` });
    expect(gen.statusCode, gen.body).toBe(200);
    expect(gen.json().added).toBeGreaterThanOrEqual(1);
    expect((await t.as(sup, { method: 'POST', url: `/api/visit-plans/${t.world.projectA}/2026/generate` })).json().added).toBe(0);
    const tasks = (await t.as(sup, { method: 'GET', url: `/api/visit-tasks?projectId=${t.world.projectA}&year=2026&status=open` })).json();
    const annual = tasks.find((x: { reason: string }) => x.reason === 'annual');
    const v = await t.as(agent, { method: 'POST', url: '/api/visits', payload: { customerId: t.world.customerA, projectId: t.world.projectA, kinds: ['home_visit'], notes: '上门拜访，了解入住情况', satisfaction: 5, taskId: annual.id } });
    expect(v.statusCode, v.body).toBe(201);
    const done = (await t.as(sup, { method: 'GET', url: `/api/visit-tasks?projectId=${t.world.projectA}&year=2026&status=done` })).json();
    expect(done.map((x: { id: string }) => x.id)).toContain(annual.id);
    const future = await t.as(agent, { method: 'POST', url: '/api/visits', payload: { customerId: t.world.customerA, projectId: t.world.projectA, kinds: ['phone_visit'], at: '2030-01-01T00:00:00Z' } });
    expect(future.statusCode).toBe(400);
    const other = await t.as(agent, { method: 'POST', url: '/api/visits', payload: { customerId: t.world.customerB, projectId: t.world.projectB, kinds: ['phone_visit'] } });
    expect(other.statusCode).toBe(403);
  });
});
