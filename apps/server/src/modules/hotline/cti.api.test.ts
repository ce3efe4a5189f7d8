import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScreenPopEvent, ServerEvent } from '@qiaoliang/shared';
import { createTestApp, type TestApp } from '../../test/app.js';
import { eventsOf, openSse, type SseClient } from '../../test/sse.js';
import { verifyAuditChain } from '../../platform/audit.js';
import { JobRunner } from '../../platform/jobs.js';
import { registerOutboxDelivery } from '../../platform/outbox.js';
import { linkCallToTicket } from './calls.service.js';
import { signCtiBody } from './cti.signature.js';
import { setOpenTicketsProvider } from './screen-pop.js';

let t: TestApp;
let base: string;
let cookies: Record<string, string>;
const PHONE_A = '13900000001'; // customer A (project A)
const PHONE_B = '13900000002'; // customer B (project B)
const UNKNOWN = '13711112222';

beforeAll(async () => {
  t = await createTestApp();
  await t.deps.db.updateTable('users').set({ extension: '8001' }).where('id', '=', t.world.users.agent_a!).execute();
  await t.deps.db.updateTable('users').set({ extension: '8002' }).where('id', '=', t.world.users.agent_b!).execute();
  await t.deps.db.updateTable('users').set({ extension: '8003' }).where('id', '=', t.world.users.supervisor_a!).execute();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  cookies = {};
  for (const u of ['agent_a', 'agent_b', 'supervisor_a', 'supervisor_b', 'manager_a', 'root', 'executive_a']) cookies[u] = await t.login(u);
});
afterAll(async () => {
  setOpenTicketsProvider(null);
  await t.close();
});

let seq = 0;
const newCallId = () => `pbx-${++seq}-${Date.now()}`;
const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);

/** Posts a CTI event the way a PBX does: no session, no CSRF header, signed raw bytes. */
function cti(body: unknown, opts: { signature?: string | null; t?: number; raw?: string; secret?: string } = {}): Promise<LightMyRequestResponse> {
  const raw = opts.raw ?? JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const sig = opts.signature === undefined ? signCtiBody(opts.secret ?? t.deps.config.ctiSecret, raw, opts.t ?? nowSeconds()) : opts.signature;
  if (sig !== null) headers['x-qiaoliang-signature'] = sig;
  return t.app.inject({ method: 'POST', url: '/api/cti/events', headers, payload: raw });
}

async function counts() {
  const n = async (table: 'calls' | 'cti_events' | 'call_back_tasks' | 'audit_log' | 'outbox' | 'timeline_entries' | 'server_events') =>
    Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    calls: await n('calls'), events: await n('cti_events'), tasks: await n('call_back_tasks'), audit: await n('audit_log'),
    outbox: await n('outbox'), timeline: await n('timeline_entries'), live: await n('server_events'),
  };
}

const callRow = (callId: string) => t.deps.db.selectFrom('calls').selectAll().where('call_id', '=', callId).executeTakeFirstOrThrow();
const get = (user: string, url: string) => t.as(cookies[user]!, { method: 'GET', url });

describe('CTI signature (S1 bad input: unsigned events are 401, nothing recorded)', () => {
  const ring = () => ({ event: 'ringing', callId: newCallId(), caller: PHONE_A, called: '4008001234', extension: '8001' });

  it('accepts a correctly signed event without session or CSRF header, keeping unknown PBX fields with the event', async () => {
    const body = { ...ring(), queue: 'hotline-1', vendor: { trunk: 'SIP/cmcc' } };
    const res = await cti(body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ callId: body.callId, event: 'ringing', status: 'ringing' });
    const stored = await t.deps.db.selectFrom('cti_events').selectAll().where('call_id', '=', body.callId).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.payload)).toMatchObject({ queue: 'hotline-1', vendor: { trunk: 'SIP/cmcc' } });
  });

  const refusals: [string, (body: unknown) => Promise<LightMyRequestResponse>][] = [
    ['missing', (b) => cti(b, { signature: null })],
    ['malformed', (b) => cti(b, { signature: 'sha256=deadbeef' })],
    ['wrong secret', (b) => cti(b, { secret: 'x'.repeat(64) })],
    ['tampered body', (b) => cti(b, { signature: signCtiBody(t.deps.config.ctiSecret, JSON.stringify({ ...(b as object), extension: '8002' }), nowSeconds()) })],
    ['expired (6 minutes old)', (b) => cti(b, { t: nowSeconds() - 360 })],
    ['from the future (6 minutes ahead)', (b) => cti(b, { t: nowSeconds() + 360 })],
  ];
  for (const [name, send] of refusals) {
    it(`401 problem+json for a ${name} signature, and nothing recorded`, async () => {
      const before = await counts();
      const res = await send(ring());
      expect(res.statusCode, res.body).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.headers['www-authenticate']).toBe('QiaoliangSignature');
      expect(res.json()).toMatchObject({ code: 'cti.invalid_signature', status: 401 });
      expect(res.json().detail).toBeTruthy();
      expect(await counts()).toEqual(before);
    });
  }

  it('accepts a signature within the 5-minute window and several v1 values (secret rotation)', async () => {
    const body = ring();
    const raw = JSON.stringify(body);
    const ts = nowSeconds() - 290;
    const good = signCtiBody(t.deps.config.ctiSecret, raw, ts).split(',')[1]!;
    const res = await cti(body, { raw, signature: `t=${ts},v1=${'0'.repeat(64)},${good}` });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('checks the signature before the JSON: unsigned garbage is 401, signed garbage 400; neither is recorded', async () => {
    const before = await counts();
    const unsigned = await cti(null, { raw: '{not json', signature: null });
    expect(unsigned.statusCode).toBe(401);
    const signed = await cti(null, { raw: '{not json' });
    expect(signed.statusCode).toBe(400);
    expect(signed.json().code).toBe('request.malformed_json');
    expect(await counts()).toEqual(before);
  });

  it('400 with the field for a signed but invalid event; nothing recorded', async () => {
    const before = await counts();
    for (const body of [
      { event: 'ringing', caller: PHONE_A },
      { event: 'on_hold', callId: newCallId() },
      { event: 'ended', callId: newCallId(), recordingUrl: 'javascript:alert(1)' },
      { event: 'ringing', callId: 'has space', caller: PHONE_A },
      { event: 'ringing', callId: newCallId(), occurredAt: '2030-01-01T00:00:00Z' },
    ]) {
      const res = await cti(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors?.length, res.body).toBeGreaterThan(0);
    }
    expect(await counts()).toEqual(before);
  });

  it('415 for another content type', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/cti/events', headers: { 'content-type': 'text/plain' }, payload: 'ringing' });
    expect(res.statusCode).toBe(415);
  });

  it('keeps the raw-body parser to its own route: other JSON endpoints parse as usual', async () => {
    const res = await t.as(cookies.agent_a!, { method: 'POST', url: '/api/customers', payload: { kind: 'owner', name: '解析测试', projectId: t.world.projectA, phones: [] } });
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe('CTI idempotency (replays are 409, nothing changes)', () => {
  it('409 cti.duplicate_event for the same (callId, event), with nothing changed', async () => {
    const body = { event: 'ringing', callId: newCallId(), caller: PHONE_A, extension: '8001' };
    expect((await cti(body)).statusCode).toBe(200);
    const row = await callRow(body.callId);
    const before = await counts();
    t.clock.advance(1_000);
    const again = await cti({ ...body, extension: '8002' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('cti.duplicate_event');
    expect(await counts()).toEqual(before);
    expect(await callRow(body.callId)).toEqual(row);
  });

  it('a replayed `ended` creates no second call-back task or notification', async () => {
    const callId = newCallId();
    await cti({ event: 'ringing', callId, caller: UNKNOWN, extension: '8001' });
    expect((await cti({ event: 'ended', callId })).statusCode).toBe(200);
    const before = await counts();
    expect((await cti({ event: 'ended', callId })).statusCode).toBe(409);
    expect(await counts()).toEqual(before);
  });

  it('concurrent deliveries of one event: one 200, the rest 409', async () => {
    const body = { event: 'ringing', callId: newCallId(), caller: PHONE_A, extension: '8001' };
    const results = await Promise.all([cti(body), cti(body), cti(body)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    expect((await t.deps.db.selectFrom('calls').select('id').where('call_id', '=', body.callId).execute()).length).toBe(1);
  });
});

describe('screen pop over SSE (S1: the agent whose extension rings, nobody else)', () => {
  let a: SseClient;
  let b: SseClient;
  let sup: SseClient;
  beforeEach(async () => {
    a?.close();
    b?.close();
    sup?.close();
    a = await openSse(`${base}/api/events/stream`, { cookie: cookies.agent_a! });
    b = await openSse(`${base}/api/events/stream`, { cookie: cookies.agent_b! });
    sup = await openSse(`${base}/api/events/stream`, { cookie: cookies.supervisor_a! });
    for (const c of [a, b, sup]) await c.next((f) => f.comments.includes('ready'));
  });
  afterAll(() => {
    a?.close();
    b?.close();
    sup?.close();
  });

  it('pops the known caller with units and last contacts to agent_a within a second; agent_b and the supervisor get nothing', async () => {
    const callId = newCallId();
    const started = Date.now();
    const res = await cti({ event: 'ringing', callId, caller: `+86 ${PHONE_A}`, called: '4008001234', extension: '8001' });
    expect(res.statusCode).toBe(200);
    const { id, event } = await a.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop' && e.call.callId === callId, 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.call).toMatchObject({ status: 'ringing', agentId: t.world.users.agent_a, customerId: t.world.customerA, projectId: t.world.projectA, caller: '139****0001' });
    expect(event.customers).toHaveLength(1);
    expect(event.customers[0]!.customer).toMatchObject({ id: t.world.customerA, name: '甲业主', phone: '139****0001' });
    expect(event.customers[0]!.customer.units[0]).toMatchObject({ unitId: t.world.unitA, unitLabel: expect.any(String) });
    expect(event.customers[0]!.openTickets).toEqual([]);
    expect(Array.isArray(event.customers[0]!.lastContacts)).toBe(true);
    expect(event.callerNumber).toBeNull();
    // Nothing for the others, and no full number anywhere in the pop.
    await new Promise((r) => setTimeout(r, 150));
    expect(eventsOf(b)).toEqual([]);
    expect(eventsOf(sup)).toEqual([]);
    expect(JSON.stringify(event)).not.toContain(PHONE_A);
    const row = await callRow(callId);
    expect(row).toMatchObject({ caller: `+86${PHONE_A}`, status: 'ringing', extension: '8001', agent_id: t.world.users.agent_a, customer_id: t.world.customerA });
  });

  it('pops "unknown caller" with the number for the quick-create form', async () => {
    const callId = newCallId();
    await cti({ event: 'ringing', callId, caller: UNKNOWN, extension: '8001' });
    const { event } = await a.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop' && e.call.callId === callId);
    expect(event.customers).toEqual([]);
    expect(event.callerNumber).toBe(`+86${UNKNOWN}`);
    expect(event.call.customerId).toBeNull();
    expect(event.call.projectId).toBe(t.world.projectA);
  });

  it('never pops a customer outside the agent\'s scope (customer B calling agent_a is an unknown caller)', async () => {
    const callId = newCallId();
    await cti({ event: 'ringing', callId, caller: PHONE_B, extension: '8001' });
    const { event } = await a.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop' && e.call.callId === callId);
    expect(event.customers).toEqual([]);
    expect(JSON.stringify(event)).not.toContain(t.world.customerB);
    expect((await callRow(callId)).customer_id).toBeNull();
  });

  it('pops every customer sharing the number and links none until the agent picks', async () => {
    const created = await t.as(cookies.agent_a!, {
      method: 'POST', url: '/api/customers', payload: { kind: 'family', name: '甲家属', projectId: t.world.projectA, phones: [{ phone: PHONE_A }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const familyId = created.json().id as string;
    const callId = newCallId();
    await cti({ event: 'ringing', callId, caller: PHONE_A, extension: '8001' });
    const { event } = await a.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop' && e.call.callId === callId);
    expect(event.customers.map((c) => c.customer.id).sort()).toEqual([t.world.customerA, familyId].sort());
    const row = await callRow(callId);
    expect(row.customer_id).toBeNull();

    // The agent picks the family member: the call is linked and on their timeline.
    const stale = await t.as(cookies.agent_a!, { method: 'POST', url: `/api/calls/${row.id}/customer`, headers: { 'if-match': '"99"' }, payload: { customerId: familyId } });
    expect(stale.statusCode).toBe(412);
    const linked = await t.as(cookies.agent_a!, { method: 'POST', url: `/api/calls/${row.id}/customer`, headers: { 'if-match': `"${row.version}"` }, payload: { customerId: familyId } });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ customerId: familyId, customerName: '甲家属', version: row.version + 1 });
    const timeline = await t.deps.db.selectFrom('timeline_entries').selectAll().where('customer_id', '=', familyId).where('ref_id', '=', row.id).execute();
    expect(timeline.map((e) => e.kind)).toEqual(['call.linked']);
    // A customer outside the agent's scope cannot be linked.
    const outside = await t.as(cookies.agent_a!, { method: 'POST', url: `/api/calls/${row.id}/customer`, headers: { 'if-match': `"${row.version + 1}"` }, payload: { customerId: t.world.customerB } });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().code).toBe('call.customer_invalid');
    // Keep later tests' lookups of PHONE_A unambiguous.
    await t.deps.db.deleteFrom('customer_phones').where('customer_id', '=', familyId).execute();
  });

  it('answered → ended: duration, recording, timeline entries, call updates to the agent', async () => {
    const callId = newCallId();
    await cti({ event: 'ringing', callId, caller: PHONE_A, extension: '8001' });
    await a.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop' && e.call.callId === callId);
    t.clock.advance(5_000);
    const answered = await cti({ event: 'answered', callId, extension: '8001' });
    expect(answered.json().status).toBe('answered');
    const up1 = await a.nextEvent<ServerEvent>((e) => e.type === 'call_update' && e.call.callId === callId);
    expect(up1.event).toMatchObject({ call: { status: 'answered' } });
    t.clock.advance(205_000);
    const ended = await cti({ event: 'ended', callId, recordingUrl: 'https://pbx.example.com/rec/1.mp3' });
    expect(ended.json().status).toBe('ended');
    const up2 = await a.nextEvent<ServerEvent>((e) => e.type === 'call_update' && e.call.callId === callId && e.call.status === 'ended');
    expect(up2.event).toMatchObject({ call: { durationSeconds: 205, recordingUrl: 'https://pbx.example.com/rec/1.mp3' } });
    const row = await callRow(callId);
    expect(row).toMatchObject({ status: 'ended', duration_s: 205, recording_url: 'https://pbx.example.com/rec/1.mp3' });
    expect(Number(row.answered_at) - Number(row.started_at)).toBe(5_000);
    const timeline = await t.deps.db.selectFrom('timeline_entries').selectAll().where('ref_id', '=', row.id).orderBy('at').execute();
    expect(timeline.map((e) => [e.kind, e.customer_id])).toEqual([['call.answered', t.world.customerA], ['call.ended', t.world.customerA]]);
    expect(timeline[0]!.actor_id).toBe(t.world.users.agent_a);
    expect(timeline[1]!.title).toBe('通话结束，时长 3分25秒');
    expect((await t.deps.db.selectFrom('call_back_tasks').select('id').where('call_id', '=', row.id).execute())).toEqual([]);
    // The last contacts of the next pop show this call.
    const next = newCallId();
    await cti({ event: 'ringing', callId: next, caller: PHONE_A, extension: '8001' });
    const pop = await a.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop' && e.call.callId === next);
    expect(pop.event.customers[0]!.lastContacts.map((c) => c.kind).slice(0, 2)).toEqual(['call.ended', 'call.answered']);
  });

  it('missed call → call-back task for the agent, in-app notification (outbox) and a live notice; timeline entry', async () => {
    const callId = newCallId();
    await cti({ event: 'ringing', callId, caller: PHONE_A, extension: '8001' });
    t.clock.advance(30_000);
    const res = await cti({ event: 'ended', callId });
    expect(res.json().status).toBe('missed');
    const row = await callRow(callId);
    expect(row).toMatchObject({ status: 'missed', duration_s: 0, answered_at: null });
    const task = await t.deps.db.selectFrom('call_back_tasks').selectAll().where('call_id', '=', row.id).executeTakeFirstOrThrow();
    expect(task).toMatchObject({ status: 'open', assigned_to: t.world.users.agent_a, customer_id: t.world.customerA, project_id: t.world.projectA, phone: `+86${PHONE_A}` });
    expect(Number(task.due_at) - t.clock.now().getTime()).toBe(2 * 3_600_000);
    const notice = await a.nextEvent<ServerEvent>((e) => e.type === 'notification');
    expect(notice.event).toMatchObject({ type: 'notification', title: '未接来电，请回拨' });
    expect(JSON.stringify(notice.event)).not.toContain(PHONE_A);
    const outbox = await t.deps.db.selectFrom('outbox').selectAll().where('idempotency_key', '=', `call-back:${task.id}:${t.world.users.agent_a}`).executeTakeFirstOrThrow();
    expect(outbox).toMatchObject({ channel: 'in_app', recipient: t.world.users.agent_a, status: 'pending' });
    const runner = new JobRunner(t.deps);
    registerOutboxDelivery(runner, t.deps);
    await runner.runDue();
    const inbox = await get('agent_a', '/api/notifications');
    expect(inbox.json().items.map((n: { id: string }) => n.id)).toContain(outbox.id);
    expect((notice.event as { id: string }).id).toBe(outbox.id);
    const timeline = await t.deps.db.selectFrom('timeline_entries').select(['kind', 'body']).where('ref_id', '=', row.id).execute();
    expect(timeline).toEqual([{ kind: 'call.missed', body: '已生成回拨任务' }]);
    expect(eventsOf(b)).toEqual([]);
  });

  it('a missed call at an unknown extension goes to the project pool and notifies the project\'s supervisors', async () => {
    const callId = newCallId();
    await cti({ event: 'ringing', callId, caller: PHONE_A, extension: '9999' });
    await cti({ event: 'ended', callId, missed: true });
    const row = await callRow(callId);
    expect(row).toMatchObject({ agent_id: null, customer_id: t.world.customerA, project_id: t.world.projectA, status: 'missed' });
    const task = await t.deps.db.selectFrom('call_back_tasks').selectAll().where('call_id', '=', row.id).executeTakeFirstOrThrow();
    expect(task.assigned_to).toBeNull();
    const recipients = (await t.deps.db.selectFrom('outbox').select('recipient').where('idempotency_key', 'like', `call-back:${task.id}:%`).execute()).map((r) => r.recipient);
    expect(recipients).toContain(t.world.users.supervisor_a);
    expect(recipients).not.toContain(t.world.users.supervisor_b);
    await sup.nextEvent<ServerEvent>((e) => e.type === 'notification');
    // agent_a sees it in the pool; agent_b does not.
    const poolA = await get('agent_a', '/api/call-back-tasks?view=pool');
    expect(poolA.json().items.map((i: { id: string }) => i.id)).toContain(task.id);
    const poolB = await get('agent_b', '/api/call-back-tasks?view=pool');
    expect(poolB.json().items.map((i: { id: string }) => i.id)).not.toContain(task.id);
  });

  it('a withheld number is recorded but makes no call-back task', async () => {
    const callId = newCallId();
    await cti({ event: 'ringing', callId, caller: 'anonymous', extension: '8001' });
    const { event } = await a.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop' && e.call.callId === callId);
    expect(event).toMatchObject({ customers: [], callerNumber: null, call: { caller: 'anonymous' } });
    await cti({ event: 'ended', callId });
    const row = await callRow(callId);
    expect(row.status).toBe('missed');
    expect(await t.deps.db.selectFrom('call_back_tasks').select('id').where('call_id', '=', row.id).execute()).toEqual([]);
  });

  it('answered at another extension (pickup): the call moves to that agent, who gets the pop; the first agent gets an update', async () => {
    const callId = newCallId();
    await cti({ event: 'ringing', callId, caller: PHONE_A, extension: '8001' });
    await a.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop' && e.call.callId === callId);
    await cti({ event: 'answered', callId, extension: '8003' });
    const pop = await sup.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop' && e.call.callId === callId);
    expect(pop.event.call).toMatchObject({ status: 'answered', agentId: t.world.users.supervisor_a, extension: '8003' });
    expect(pop.event.customers.map((c) => c.customer.id)).toEqual([t.world.customerA]);
    const update = await a.nextEvent<ServerEvent>((e) => e.type === 'call_update' && e.call.callId === callId);
    expect(update.event).toMatchObject({ call: { agentId: t.world.users.supervisor_a } });
    expect(eventsOf(b)).toEqual([]);
  });

  it('events out of order: `ended` before `answered` is corrected, and its call-back task cancelled', async () => {
    const callId = newCallId();
    const t0 = t.clock.now().getTime();
    await cti({ event: 'ringing', callId, caller: PHONE_A, extension: '8001', occurredAt: new Date(t0).toISOString() });
    await cti({ event: 'ended', callId, occurredAt: new Date(t0 + 60_000).toISOString() });
    const missed = await callRow(callId);
    expect(missed.status).toBe('missed');
    await cti({ event: 'answered', callId, occurredAt: new Date(t0 + 10_000).toISOString() });
    const row = await callRow(callId);
    expect(row).toMatchObject({ status: 'ended', duration_s: 50 });
    const task = await t.deps.db.selectFrom('call_back_tasks').selectAll().where('call_id', '=', row.id).executeTakeFirstOrThrow();
    expect(task.status).toBe('cancelled');
  });

  it('answered without a ringing event still creates the call and pops', async () => {
    const callId = newCallId();
    await cti({ event: 'answered', callId, caller: PHONE_A, extension: '8001' });
    const pop = await a.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop' && e.call.callId === callId);
    expect(pop.event.call.status).toBe('answered');
    expect((await callRow(callId)).customer_id).toBe(t.world.customerA);
  });

  it('outbound calls: linked by the called number, no pop and no call-back task', async () => {
    const callId = newCallId();
    await cti({ event: 'ringing', callId, direction: 'outbound', caller: '8001', called: PHONE_A, extension: '8001' });
    await cti({ event: 'ended', callId });
    const row = await callRow(callId);
    expect(row).toMatchObject({ direction: 'outbound', customer_id: t.world.customerA, status: 'missed' });
    expect(await t.deps.db.selectFrom('call_back_tasks').select('id').where('call_id', '=', row.id).execute()).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    expect(eventsOf<ServerEvent>(a).some((e) => e.type === 'screen_pop' && e.call.callId === callId)).toBe(false);
  });

  it('shows the open tickets the registered provider returns, and survives a failing provider', async () => {
    setOpenTicketsProvider(async (_deps, actor, customerId) => [{
      id: 'ticket-1', number: 'KS20261127-0001', type: 'complaint', severity: 'routine', status: 'registered', title: `给 ${actor.username} 看的 ${customerId === t.world.customerA ? 'A' : '?'}`,
      createdAt: '2026-11-27T01:00:00.000Z', dueAt: null,
    }]);
    const c1 = newCallId();
    await cti({ event: 'ringing', callId: c1, caller: PHONE_A, extension: '8001' });
    const pop = await a.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop' && e.call.callId === c1);
    expect(pop.event.customers[0]!.openTickets).toEqual([expect.objectContaining({ number: 'KS20261127-0001', title: '给 agent_a 看的 A' })]);
    setOpenTicketsProvider(async () => {
      throw new Error('tickets down');
    });
    const c2 = newCallId();
    await cti({ event: 'ringing', callId: c2, caller: PHONE_A, extension: '8001' });
    const pop2 = await a.nextEvent<ScreenPopEvent>((e) => e.type === 'screen_pop' && e.call.callId === c2);
    expect(pop2.event.customers[0]!.openTickets).toEqual([]);
    setOpenTicketsProvider(null);
  });
});

describe('calls and call-back tasks', () => {
  let mine: string;
  beforeAll(async () => {
    const callId = newCallId();
    await cti({ event: 'ringing', callId, caller: PHONE_A, extension: '8001' });
    await cti({ event: 'ended', callId });
    mine = (await callRow(callId)).id;
    const other = newCallId();
    await cti({ event: 'ringing', callId: other, caller: PHONE_B, extension: '8002' });
  });

  it('an agent lists only their own calls; a supervisor their projects\'; newest first with keyset paging', async () => {
    const agentA = (await get('agent_a', '/api/calls?limit=200')).json().items as { agentId: string; projectId: string; startedAt: string; caller: string }[];
    expect(agentA.length).toBeGreaterThan(3);
    expect(agentA.every((c) => c.agentId === t.world.users.agent_a)).toBe(true);
    expect(agentA.every((c) => !c.caller.includes(PHONE_A))).toBe(true);
    const supB = (await get('supervisor_b', '/api/calls?limit=200')).json().items as { projectId: string }[];
    expect(supB.length).toBeGreaterThan(0);
    expect(supB.every((c) => c.projectId === t.world.projectB)).toBe(true);
    const all = (await get('root', '/api/calls?limit=200')).json().items as { id: string; startedAt: string }[];
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: LightMyRequestResponse = await get('root', `/api/calls?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...res.json().items.map((c: { id: string }) => c.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.map((c) => c.id));
    const starts = all.map((c) => Date.parse(c.startedAt));
    expect([...starts].sort((x, y) => y - x)).toEqual(starts);
    expect((await get('root', '/api/calls?status=missed')).json().items.every((c: { status: string }) => c.status === 'missed')).toBe(true);
    expect((await get('root', '/api/calls?cursor=broken')).statusCode).toBe(400);
  });

  it('GET /api/calls/:id: detail with the call-back task; another agent\'s call is 404', async () => {
    const res = await get('agent_a', `/api/calls/${mine}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(`"${res.json().version}"`);
    expect(res.json()).toMatchObject({ id: mine, status: 'missed', ticketIds: [], callBackTask: { status: 'open', phone: '139****0001' } });
    expect((await get('agent_b', `/api/calls/${mine}`)).statusCode).toBe(404);
    expect((await get('supervisor_b', `/api/calls/${mine}`)).statusCode).toBe(404);
    expect((await get('supervisor_a', `/api/calls/${mine}`)).statusCode).toBe(200);
  });

  it('linkCallToTicket links idempotently and shows on the call; an unknown call is a 400', async () => {
    await t.deps.db.transaction().execute(async (trx) => {
      await linkCallToTicket(trx, t.deps, mine, 'ticket-abc');
      await linkCallToTicket(trx, t.deps, mine, 'ticket-abc');
    });
    expect((await get('agent_a', `/api/calls/${mine}`)).json().ticketIds).toEqual(['ticket-abc']);
    await expect(t.deps.db.transaction().execute((trx) => linkCallToTicket(trx, t.deps, '01234567-89ab-7def-8123-456789abcdef', 't'))).rejects.toMatchObject({ status: 400 });
  });

  it('a ticket registered from the call (callId = the call record id) is linked to it; an unknown call id registers nothing', async () => {
    const callId = newCallId();
    await cti({ event: 'ringing', callId, caller: PHONE_A, extension: '8001' });
    await cti({ event: 'answered', callId });
    const call = await callRow(callId);
    const ticket = (extra: object) => t.as(cookies.agent_a!, {
      method: 'POST', url: '/api/tickets',
      payload: { type: 'complaint', severity: 'routine', channel: 'hotline', projectId: t.world.projectA, customerId: t.world.customerA, description: '来电投诉：电梯故障', ...extra },
    });
    const res = await ticket({ callId: call.id });
    expect(res.statusCode, res.body).toBe(201);
    expect((await get('agent_a', `/api/calls/${call.id}`)).json().ticketIds).toEqual([res.json().id]);
    const before = await t.deps.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const bad = await ticket({ callId: '01234567-89ab-7def-8123-456789abcdef' });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().errors).toEqual([{ field: 'callId', message: '来电记录无效' }]);
    const after = await t.deps.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('call-back: list mine, reveal the number (audited), complete with If-Match (428/412), then 409', async () => {
    const list = (await get('agent_a', '/api/call-back-tasks?view=mine')).json().items as { id: string; callRecordId: string; version: number; overdue: boolean }[];
    const task = list.find((i) => i.callRecordId === mine)!;
    expect(task).toBeTruthy();
    expect(task.overdue).toBe(false);
    expect((await get('agent_b', '/api/call-back-tasks?view=all')).json().items.map((i: { id: string }) => i.id)).not.toContain(task.id);
    const reveal = await t.as(cookies.agent_a!, { method: 'POST', url: `/api/call-back-tasks/${task.id}/reveal` });
    expect(reveal.json()).toEqual({ phone: `+86${PHONE_A}` });
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'call_back.phone_revealed').where('entity_id', '=', task.id).executeTakeFirstOrThrow();
    expect(audit.after_json).not.toContain(PHONE_A);
    expect((await t.as(cookies.agent_b!, { method: 'POST', url: `/api/call-back-tasks/${task.id}/reveal` })).statusCode).toBe(404);

    const url = `/api/call-back-tasks/${task.id}/done`;
    expect((await t.as(cookies.agent_a!, { method: 'POST', url, payload: { note: '已回拨' } })).statusCode).toBe(428);
    expect((await t.as(cookies.agent_a!, { method: 'POST', url, headers: { 'if-match': `"${task.version + 5}"` }, payload: { note: '已回拨' } })).statusCode).toBe(412);
    expect((await t.as(cookies.agent_b!, { method: 'POST', url, headers: { 'if-match': `"${task.version}"` }, payload: { note: '已回拨' } })).statusCode).toBe(404);
    const done = await t.as(cookies.agent_a!, { method: 'POST', url, headers: { 'if-match': `"${task.version}"` }, payload: { note: '已回拨，客户咨询交付时间' } });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', doneBy: t.world.users.agent_a, note: '已回拨，客户咨询交付时间', version: task.version + 1 });
    const again = await t.as(cookies.agent_a!, { method: 'POST', url, headers: { 'if-match': `"${task.version + 1}"` }, payload: { note: '再次' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('call_back.not_open');
    const entry = await t.deps.db.selectFrom('timeline_entries').selectAll().where('kind', '=', 'call.called_back').where('ref_id', '=', mine).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ customer_id: t.world.customerA, actor_id: t.world.users.agent_a });
    expect((await get('agent_a', '/api/call-back-tasks?status=done')).json().items.map((i: { id: string }) => i.id)).toContain(task.id);
  });

  it('an agent takes a pool task by completing it', async () => {
    const callId = newCallId();
    await cti({ event: 'ringing', callId, caller: UNKNOWN, extension: '7777' });
    await cti({ event: 'ended', callId });
    const row = await callRow(callId);
    // No agent, unknown caller: no project either, so only group-wide staff see it.
    expect(row.project_id).toBeNull();
    const poolTask = await t.deps.db.selectFrom('call_back_tasks').selectAll().where('call_id', '=', row.id).executeTakeFirstOrThrow();
    for (const u of ['agent_a', 'supervisor_a']) expect((await get(u, '/api/call-back-tasks')).json().items.map((i: { id: string }) => i.id), u).not.toContain(poolTask.id);
    // Move it into project A's pool, as when the agent's project is known.
    await t.deps.db.updateTable('call_back_tasks').set({ project_id: t.world.projectA }).where('id', '=', poolTask.id).execute();
    const done = await t.as(cookies.agent_a!, { method: 'POST', url: `/api/call-back-tasks/${poolTask.id}/done`, headers: { 'if-match': `"${poolTask.version}"` }, payload: { note: '无人接听' } });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ assignedTo: t.world.users.agent_a, status: 'done' });
  });

  it('every write is audited, without full phone numbers, and the chain verifies', async () => {
    const rows = await t.deps.db.selectFrom('audit_log').select(['action', 'after_json', 'before_json']).where('action', 'like', 'call%').execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['call.ringing', 'call.answered', 'call.ended', 'call.customer_linked', 'call_back.created', 'call_back.cancelled', 'call_back.done', 'call_back.phone_revealed']) expect(actions).toContain(a);
    for (const r of rows) {
      for (const p of [PHONE_A, PHONE_B, UNKNOWN]) {
        expect(r.after_json ?? '').not.toContain(p);
        expect(r.before_json ?? '').not.toContain(p);
      }
    }
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });
});
