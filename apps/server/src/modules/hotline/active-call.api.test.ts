import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActiveCall, Call, ScreenPopEvent } from '@qiaoliang/shared';
import { createTestApp, type TestApp } from '../../test/app.js';
import { createBackground } from '../../jobs.js';
import { signCtiBody } from './cti.signature.js';
import { CALL_TIMEOUT_JOB, closeTimedOutCalls } from './active-call.service.js';

/** Issue #18 defect 1: the active call is server state; calls without an end event time out. */
let t: TestApp;
let agentA: string;
let agentB: string;
let seq = 0;
const PHONE_A = '13900000001';

beforeAll(async () => {
  t = await createTestApp();
  await t.deps.db.updateTable('users').set({ extension: '8101' }).where('id', '=', t.world.users.agent_a!).execute();
  agentA = await t.login('agent_a');
  agentB = await t.login('agent_b');
});
afterAll(async () => t.close());

function cti(body: Record<string, unknown>) {
  const raw = JSON.stringify(body);
  const sig = signCtiBody(t.deps.config.ctiSecret, raw, Math.floor(t.clock.now().getTime() / 1000));
  return t.app.inject({ method: 'POST', url: '/api/cti/events', headers: { 'content-type': 'application/json', 'x-qiaoliang-signature': sig }, payload: raw });
}
const get = (cookie: string, url: string) => t.as(cookie, { method: 'GET', url });

describe('the active call survives a reload (GET /api/calls/active)', () => {
  it('returns the live call with its pop while it rings and talks, and nothing once it ended', async () => {
    const callId = `pbx-active-${++seq}`;
    expect((await get(agentA, '/api/calls/active')).json<ActiveCall>().pop).toBeNull();
    expect((await cti({ event: 'ringing', callId, caller: PHONE_A, called: '4008001234', extension: '8101' })).statusCode).toBe(200);

    const ringing = (await get(agentA, '/api/calls/active')).json<ActiveCall>();
    expect(ringing.pop?.call).toMatchObject({ callId, status: 'ringing' });
    expect(ringing.pop?.customers.map((c) => c.customer.name)).toEqual(['甲业主']);

    await cti({ event: 'answered', callId, extension: '8101' });
    expect((await get(agentA, '/api/calls/active')).json<ActiveCall>().pop?.call.status).toBe('answered');
    // Another agent never sees it as theirs.
    expect((await get(agentB, '/api/calls/active')).json<ActiveCall>().pop).toBeNull();

    await cti({ event: 'ended', callId, extension: '8101' });
    expect((await get(agentA, '/api/calls/active')).json<ActiveCall>().pop).toBeNull();
  });

  it('rebuilds the pop of a call from 最近通话 (GET /api/calls/:id/screen-pop), 404 outside scope', async () => {
    const callId = `pbx-active-${++seq}`;
    const { id } = (await cti({ event: 'ringing', callId, caller: PHONE_A, called: '4008001234', extension: '8101' })).json<{ id: string }>();
    const res = await get(agentA, `/api/calls/${id}/screen-pop`);
    expect(res.statusCode, res.body).toBe(200);
    const pop = res.json<ScreenPopEvent>();
    expect(pop.call.id).toBe(id);
    expect(pop.customers[0]?.customer.name).toBe('甲业主');
    expect((await get(agentB, `/api/calls/${id}/screen-pop`)).statusCode).toBe(404);
    await cti({ event: 'ended', callId, extension: '8101' });
  });
});

describe('calls without an end event are closed by the timeout (CALL_TIMEOUT_MINUTES)', () => {
  it('closes an answered call as ended and a ringing one as missed, recorded as timed out and audited; a fresh call stays', async () => {
    const talking = `pbx-timeout-${++seq}`;
    const ringing = `pbx-timeout-${++seq}`;
    await cti({ event: 'ringing', callId: talking, caller: PHONE_A, called: '4008001234', extension: '8101' });
    await cti({ event: 'answered', callId: talking, extension: '8101' });
    await cti({ event: 'ringing', callId: ringing, caller: '13711113333', called: '4008001234', extension: '8101' });
    t.clock.advance(t.deps.config.callTimeoutMinutes * 60_000 + 1000);
    agentA = await t.login('agent_a'); // the session idled out meanwhile
    const fresh = `pbx-timeout-${++seq}`;
    await cti({ event: 'ringing', callId: fresh, caller: PHONE_A, called: '4008001234', extension: '8101' });

    // Past the timeout the old calls are no longer "active" even before the job ran.
    expect((await get(agentA, '/api/calls/active')).json<ActiveCall>().pop?.call.callId).toBe(fresh);

    // Through the scheduler and the job runner, as in production.
    const { runner, scheduler } = createBackground(t.deps);
    await scheduler.tick();
    await runner.runDue();
    expect(await t.deps.db.selectFrom('jobs').select('status').where('kind', '=', CALL_TIMEOUT_JOB).executeTakeFirst()).toMatchObject({ status: 'done' });

    const rows = await t.deps.db.selectFrom('calls').selectAll().where('call_id', 'in', [talking, ringing, fresh]).execute();
    const by = Object.fromEntries(rows.map((r) => [r.call_id, r]));
    expect(by[talking]).toMatchObject({ status: 'ended', end_reason: 'timeout', duration_s: null });
    expect(by[ringing]).toMatchObject({ status: 'missed', end_reason: 'timeout' });
    expect(by[fresh]).toMatchObject({ status: 'ringing', end_reason: null });
    const list = (await get(agentA, '/api/calls?limit=10')).json<{ items: Call[] }>().items;
    expect(list.find((c) => c.callId === talking)?.endReason).toBe('timeout');
    const audits = await t.deps.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'call.closed_by_timeout').execute();
    expect(audits.map((a) => a.entity_id).sort()).toEqual([by[talking]!.id, by[ringing]!.id].sort());
    // The missed one has its call-back task like any missed call.
    expect(await t.deps.db.selectFrom('call_back_tasks').select('id').where('call_id', '=', by[ringing]!.id).executeTakeFirst()).toBeTruthy();
    // Idempotent.
    expect((await closeTimedOutCalls(t.deps)).closed).toBe(0);
  });
});
