import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

/** Registers a complaint at a given instant (the clock moves there) as agent_a. */
async function complaintAt(at: string, severity: 'routine' | 'major', projectId = t.world.projectA, who = 'agent_a') {
  t.clock.set(at);
  const cookie = await t.login(who);
  const res = await t.as(cookie, { method: 'POST', url: '/api/tickets', payload: { type: 'complaint', severity, channel: 'hotline', projectId, description: `K1 ${at}` } });
  expect(res.statusCode, res.body).toBe(201);
  return { ticket: res.json() };
}

/** At an instant, as agent_a: reads the ticket's version and runs a command. */
async function act(at: string, id: string, path: string, payload: object) {
  t.clock.set(at);
  const cookie = await t.login('agent_a');
  const version = (await t.as(cookie, { method: 'GET', url: `/api/tickets/${id}` })).json().version;
  const res = await t.as(cookie, { method: 'POST', url: `/api/tickets/${id}/${path}`, headers: { 'if-match': `"${version}"` }, payload });
  expect(res.statusCode, res.body).toBe(200);
}

describe('K1 from ticket data', () => {
  it('counts exactly: on time, late, reopened, cancelled, not yet due, other project', async () => {
    // 1. Routine, resolved after 10 h: on time.
    const a = await complaintAt('2026-11-02T01:00:00Z', 'routine');
    await act('2026-11-02T11:00:00Z', a.ticket.id, 'resolve', { summary: '已解决' });
    // 2. Routine, resolved after 30 h: late.
    const b = await complaintAt('2026-11-03T01:00:00Z', 'routine');
    await act('2026-11-04T07:00:00Z', b.ticket.id, 'resolve', { summary: '已解决' });
    // 3. Major, replied after 70 h: on time although not resolved yet.
    const c = await complaintAt('2026-11-05T01:00:00Z', 'major');
    await act('2026-11-07T23:00:00Z', c.ticket.id, 'reply', { channel: 'phone', content: '已核实情况并给出整改方案' });
    // 4. Routine, resolved in time, reopened after a bad callback, resolved again late: late.
    const d = await complaintAt('2026-11-10T01:00:00Z', 'routine');
    await act('2026-11-10T05:00:00Z', d.ticket.id, 'resolve', { summary: '已解决' });
    await act('2026-11-10T08:00:00Z', d.ticket.id, 'reopen', { reason: '回访不满意' });
    await act('2026-11-11T09:00:00Z', d.ticket.id, 'resolve', { summary: '再次处理' });
    // 5. Cancelled: not counted.
    const e = await complaintAt('2026-11-12T01:00:00Z', 'routine');
    await act('2026-11-12T02:00:00Z', e.ticket.id, 'cancel', { reason: '登记错误' });
    // 6. Unresolved, deadline passed: late.
    await complaintAt('2026-11-13T01:00:00Z', 'routine');
    // 7. Project B: outside agent_a's and a project filter's scope.
    await complaintAt('2026-11-14T01:00:00Z', 'routine', t.world.projectB, 'agent_b');
    // 8. Registered on the last day; not due yet when we ask.
    await complaintAt('2026-11-29T10:00:00Z', 'routine');

    t.clock.set('2026-11-30T00:00:00Z');
    const sup = await t.login('supervisor_a');
    const k1 = await t.as(sup, { method: 'GET', url: '/api/kpis/k1?from=2026-11-01&to=2026-11-30' });
    expect(k1.statusCode, k1.body).toBe(200);
    expect(k1.json()).toMatchObject({ numerator: 2, denominator: 5, rate: 0.4, target: 1, notDue: 1 });
    const records = (await t.as(sup, { method: 'GET', url: '/api/kpis/k1/records?from=2026-11-01&to=2026-11-30' })).json();
    expect(records.filter((x: { verdict: string }) => x.verdict === 'on_time')).toHaveLength(2);
    expect(records.filter((x: { verdict: string }) => x.verdict === 'late')).toHaveLength(3);
    const late = (await t.as(sup, { method: 'GET', url: '/api/kpis/k1/records?from=2026-11-01&to=2026-11-30&verdict=late' })).json();
    expect(late.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([b.ticket.id, d.ticket.id]));
    // The whole group sees project B too.
    const root = await t.login('root');
    expect((await t.as(root, { method: 'GET', url: '/api/kpis/k1?from=2026-11-01&to=2026-11-30' })).json()).toMatchObject({ denominator: 6 });
    expect((await t.as(root, { method: 'GET', url: `/api/kpis/k1?from=2026-11-01&to=2026-11-30&projectId=${t.world.projectB}` })).json()).toMatchObject({ numerator: 0, denominator: 1 });
  });

  it('a reopened complaint is judged by its last resolution', async () => {
    // Resolved on time, rated 1 at its callback, reopened and still open: it stays on time.
    const a = await complaintAt('2026-12-01T01:00:00Z', 'routine');
    await act('2026-12-01T05:00:00Z', a.ticket.id, 'resolve', { summary: '已解决' });
    await act('2026-12-01T08:00:00Z', a.ticket.id, 'reopen', { reason: '回访不满意' });
    // Resolved late, reopened: stays late.
    const b = await complaintAt('2026-12-02T01:00:00Z', 'routine');
    await act('2026-12-03T05:00:00Z', b.ticket.id, 'resolve', { summary: '已解决' });
    await act('2026-12-03T08:00:00Z', b.ticket.id, 'reopen', { reason: '回访不满意' });
    t.clock.set('2026-12-05T00:00:00Z');
    const sup = await t.login('supervisor_a');
    expect((await t.as(sup, { method: 'GET', url: '/api/kpis/k1?from=2026-12-01&to=2026-12-04' })).json()).toMatchObject({ numerator: 1, denominator: 2 });
    const records = (await t.as(sup, { method: 'GET', url: '/api/kpis/k1/records?from=2026-12-01&to=2026-12-04' })).json() as { id: string; verdict: string; metAt: string | null; status: string }[];
    const ra = records.find((r) => r.id === a.ticket.id)!;
    expect(ra).toMatchObject({ status: 'reopened', verdict: 'on_time', metAt: '2026-12-01T05:00:00.000Z' });
    expect(records.find((r) => r.id === b.ticket.id)).toMatchObject({ status: 'reopened', verdict: 'late', metAt: '2026-12-03T05:00:00.000Z' });
  });

  it('waiting on the customer extends the deadline also while waiting: K1 lists, the overdue queue and the escalation timers agree', async () => {
    // Waits from 10 h on and is still waiting at 40 h: never late for the time it has waited.
    const a = await complaintAt('2026-12-10T01:00:00Z', 'routine');
    await act('2026-12-10T11:00:00Z', a.ticket.id, 'wait', { reason: '业主不在家' });
    // Began waiting at 30 h, after its 24 h deadline: late.
    const b = await complaintAt('2026-12-11T01:00:00Z', 'routine');
    await act('2026-12-12T07:00:00Z', b.ticket.id, 'wait', { reason: '业主不在家' });
    t.clock.set('2026-12-13T01:00:00Z');
    // The escalation timers fire now for whatever is due (the job runner of the test app runs them).
    const { runSlaCheck } = await import('../tickets/sla-timers.js');
    await runSlaCheck(t.deps, a.ticket.id);
    const sup = await t.login('supervisor_a');
    const records = (await t.as(sup, { method: 'GET', url: '/api/kpis/k1/records?from=2026-12-10&to=2026-12-12' })).json() as { id: string; verdict: string; dueAt: string }[];
    // Its deadline has moved out of the 10th–12th with the time it has waited.
    expect(records.find((r) => r.id === a.ticket.id)).toBeUndefined();
    const later = (await t.as(sup, { method: 'GET', url: '/api/kpis/k1/records?from=2026-12-10&to=2026-12-31' })).json() as { id: string; verdict: string; dueAt: string }[];
    // b's deadline moves too (01:00 on the 12th + 18 h waited), but it had passed before the wait began: late.
    expect(later.find((r) => r.id === b.ticket.id)).toMatchObject({ verdict: 'late', dueAt: '2026-12-12T19:00:00.000Z' });
    // 01:00 on the 11th + 62 h waited so far = due at 15:00 on the 13th while still waiting at 01:00 on the 13th.
    expect(later.find((r) => r.id === a.ticket.id)).toMatchObject({ verdict: 'not_due', dueAt: '2026-12-13T15:00:00.000Z' });
    const agent = await t.login('agent_a');
    const overdue = (await t.as(agent, { method: 'GET', url: '/api/tickets?view=overdue&limit=200' })).json().items as { id: string; overdue: boolean }[];
    expect(overdue.map((x) => x.id)).not.toContain(a.ticket.id);
    expect(overdue.find((x) => x.id === b.ticket.id)).toMatchObject({ overdue: true });
    const detailA = (await t.as(agent, { method: 'GET', url: `/api/tickets/${a.ticket.id}` })).json();
    expect(detailA).toMatchObject({ overdue: false, escalationLevel: 0 });
    const events = await t.deps.db.selectFrom('ticket_events').select('kind').where('ticket_id', '=', a.ticket.id).where('kind', '=', 'escalated').execute();
    expect(events).toHaveLength(0);
    // Resumed at 02:00 on the 13th: the deadline is the one it had while waiting, an hour on.
    await act('2026-12-13T02:00:00Z', a.ticket.id, 'resume', {});
    expect((await t.as(await t.login('agent_a'), { method: 'GET', url: `/api/tickets/${a.ticket.id}` })).json()).toMatchObject({ k1Due: '2026-12-13T16:00:00.000Z', overdue: false });
  });

  it('refuses reversed and too-long periods', async () => {
    const sup = await t.login('supervisor_a');
    expect((await t.as(sup, { method: 'GET', url: '/api/kpis/k1?from=2026-12-01&to=2026-11-01' })).statusCode).toBe(400);
    expect((await t.as(sup, { method: 'GET', url: '/api/kpis/k1?from=2020-01-01&to=2026-11-01' })).statusCode).toBe(400);
    expect((await t.as(sup, { method: 'GET', url: '/api/kpis/k1?from=2026-13-01&to=2026-11-01' })).statusCode).toBe(400);
  });
});
