import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { sealPhone } from '../customers/customer-phones.repo.js';

let t: TestApp;
/** Staff sign in when they act: the tests move the clock by hours, past the staff idle limit. */
const staff = (username: string) => t.login(username);
let addr = 0;
/** Each sign-in comes from its own address unless a test is about the address limit. */
const from = (opts: InjectOptions, ip = `10.9.${Math.floor(++addr / 250)}.${addr % 250}`) => t.as(null, { ...opts, remoteAddress: ip });
const PHONE_A = '13900000001';
const PHONE_B = '13900000002';

/** The code the development sink holds for a masked number (the newest). */
function sinkCode(phone: string): string {
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  const msg = t.deps.notifier.smsSender.recent().find((m) => m.to === masked && m.template === 'login_code');
  const code = msg?.text.match(/\d{6}/)?.[0];
  if (!code) throw new Error(`no code for ${masked}`);
  return code;
}

const cookieOf = (res: { headers: Record<string, unknown> }) => {
  const raw = res.headers['set-cookie'];
  return (Array.isArray(raw) ? raw[0] : String(raw)).split(';')[0]!;
};

async function ownerLogin(phone: string): Promise<string> {
  t.clock.advance(61_000);
  const sent = await from({ method: 'POST', url: '/api/portal/auth/code', payload: { phone } });
  expect(sent.statusCode, sent.body).toBe(200);
  const res = await from({ method: 'POST', url: '/api/portal/auth/login', payload: { phone, code: sinkCode(phone) } });
  expect(res.statusCode, res.body).toBe(200);
  return cookieOf(res);
}

const ownerCall = (cookie: string, opts: InjectOptions) => t.as(cookie, opts);
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function multipart(filename: string, data: Buffer, contentType = 'image/png') {
  const boundary = '----portal' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    data, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function report(cookie: string, body: Record<string, unknown>, key?: string) {
  return ownerCall(cookie, {
    method: 'POST', url: '/api/portal/matters', payload: { type: 'repair', unitId: t.world.unitA, description: '卫生间顶棚漏水，滴到地面', ...body },
    headers: key ? { 'idempotency-key': key } : {},
  });
}

const ticketRow = (id: string) => t.deps.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const cmd = async (id: string, path: string, payload?: object, cookie?: string) => {
  cookie ??= await staff('agent_a');
  const v = (await ticketRow(id)).version;
  return t.as(cookie, { method: 'POST', url: `/api/tickets/${id}/${path}`, headers: { 'if-match': `"${v}"` }, ...(payload ? { payload } : {}) });
};
const counts = async () => ({
  tickets: Number((await t.deps.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  ratings: Number((await t.deps.db.selectFrom('ratings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
});

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('owner sign-in by SMS code', () => {
  it('sends a 6-digit code to an archive phone (sink: masked number) and signs in with it once', async () => {
    t.clock.advance(61_000);
    const sent = await from({ method: 'POST', url: '/api/portal/auth/code', payload: { phone: PHONE_A } });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({ resendAfter: 60, validMinutes: 5 });
    const code = sinkCode(PHONE_A);
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(t.deps.notifier.smsSender.recent())).not.toContain(PHONE_A);
    const ok = await from({ method: 'POST', url: '/api/portal/auth/login', payload: { phone: PHONE_A, code } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ displayName: '甲**', phone: '139****0001' });
    expect(ok.json().homes).toHaveLength(1);
    expect(String(ok.headers['set-cookie'])).toMatch(/ql_owner=.*Path=\/api\/portal.*HttpOnly/);
    // The code is used: a second sign-in with it fails.
    const again = await from({ method: 'POST', url: '/api/portal/auth/login', payload: { phone: PHONE_A, code } });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'portal.code_invalid' });
  });

  it('gives an unknown number the same neutral answer and sends nothing', async () => {
    t.clock.advance(61_000);
    const before = t.deps.notifier.smsSender.recent().length;
    const known = await from({ method: 'POST', url: '/api/portal/auth/code', payload: { phone: PHONE_B } });
    const unknown = await from({ method: 'POST', url: '/api/portal/auth/code', payload: { phone: '13711112222' } });
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toEqual(known.json());
    expect(t.deps.notifier.smsSender.recent().length).toBe(before + 1);
    const guess = await from({ method: 'POST', url: '/api/portal/auth/login', payload: { phone: '13711112222', code: '123456' } });
    expect(guess.statusCode).toBe(400);
    expect(guess.json().code).toBe('portal.code_invalid');
  });

  it('refuses a resend within 60 s, and more than 5 codes an hour for a number', async () => {
    t.clock.advance(3_600_000);
    const phone = PHONE_B;
    expect((await from({ method: 'POST', url: '/api/portal/auth/code', payload: { phone } })).statusCode).toBe(200);
    const soon = await from({ method: 'POST', url: '/api/portal/auth/code', payload: { phone } });
    expect(soon.statusCode).toBe(429);
    expect(soon.json().code).toBe('portal.code_too_soon');
    expect(Number(soon.headers['retry-after'])).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) {
      t.clock.advance(61_000);
      expect((await from({ method: 'POST', url: '/api/portal/auth/code', payload: { phone } })).statusCode).toBe(200);
    }
    t.clock.advance(61_000);
    const limited = await from({ method: 'POST', url: '/api/portal/auth/code', payload: { phone } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('portal.code_limited');
  });

  it('limits codes per client address', async () => {
    t.clock.advance(3_600_000);
    const ip = '10.200.0.1';
    let last = 0;
    for (let i = 0; i < 31; i++) {
      const phone = `1370000${String(1000 + i)}`;
      last = (await from({ method: 'POST', url: '/api/portal/auth/code', payload: { phone } }, ip)).statusCode;
      if (last !== 200) break;
    }
    expect(last).toBe(429);
  });

  it('allows 5 tries per code, refuses expired codes, malformed numbers and codes', async () => {
    t.clock.advance(3_600_000);
    const phone = PHONE_A;
    await from({ method: 'POST', url: '/api/portal/auth/code', payload: { phone } });
    const code = sinkCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await from({ method: 'POST', url: '/api/portal/auth/login', payload: { phone, code: wrong } });
      expect(r.statusCode).toBe(400);
    }
    const right = await from({ method: 'POST', url: '/api/portal/auth/login', payload: { phone, code } });
    expect(right.statusCode).toBe(400);
    expect(right.json().detail).toMatch(/次数过多/);

    t.clock.advance(61_000);
    await from({ method: 'POST', url: '/api/portal/auth/code', payload: { phone } });
    const code2 = sinkCode(phone);
    t.clock.advance(5 * 60_000 + 1);
    const expired = await from({ method: 'POST', url: '/api/portal/auth/login', payload: { phone, code: code2 } });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().code).toBe('portal.code_expired');

    const badPhone = await from({ method: 'POST', url: '/api/portal/auth/code', payload: { phone: '02112345678' } });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().code).toBe('portal.invalid_phone');
    const badCode = await from({ method: 'POST', url: '/api/portal/auth/login', payload: { phone, code: '12ab56' } });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().errors[0].field).toBe('code');
  });

  it('keeps owner and staff sessions apart, and refuses a tampered session', async () => {
    const owner = await ownerLogin(PHONE_A);
    const agent = await staff('agent_a');
    // An owner session opens no staff route; a staff session no owner route.
    expect((await t.as(owner, { method: 'GET', url: '/api/tickets' })).statusCode).toBe(401);
    expect((await t.as(owner.replace('ql_owner', 'ql_session'), { method: 'GET', url: '/api/tickets' })).statusCode).toBe(401);
    expect((await t.as(agent, { method: 'GET', url: '/api/portal/me' })).statusCode).toBe(401);
    expect((await t.as(agent.replace('ql_session', 'ql_owner'), { method: 'GET', url: '/api/portal/me' })).statusCode).toBe(401);
    const tampered = owner.slice(0, -2) + (owner.endsWith('A') ? 'BB' : 'AA');
    const res = await t.as(tampered, { method: 'GET', url: '/api/portal/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.session_expired');
    expect((await t.as(owner, { method: 'GET', url: '/api/portal/me' })).statusCode).toBe(200);
    // Logout ends it.
    expect((await t.as(owner, { method: 'POST', url: '/api/portal/auth/logout' })).statusCode).toBe(204);
    expect((await t.as(owner, { method: 'GET', url: '/api/portal/me' })).statusCode).toBe(401);
  });

  it('shows the development sink to admins only', async () => {
    const admin = await t.login('root');
    const res = await t.as(admin, { method: 'GET', url: '/api/dev/sms' });
    expect(res.statusCode).toBe(200);
    expect(res.json().provider).toBe('dev');
    expect(res.json().items[0].to).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect((await t.as(await staff('agent_a'), { method: 'GET', url: '/api/dev/sms' })).statusCode).toBe(403);
  });
});

describe('report, track and rate', () => {
  let ownerA: string;
  let ownerB: string;
  beforeAll(async () => {
    [ownerA, ownerB] = [await ownerLogin(PHONE_A), await ownerLogin(PHONE_B)];
  });

  it('a report becomes a portal ticket with an owner by round robin and a deadline; a retry makes no second ticket', async () => {
    const up = await ownerCall(ownerA, { method: 'POST', url: '/api/portal/photos', ...multipart('leak.png', PNG) });
    expect(up.statusCode, up.body).toBe(201);
    const visitFrom = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
    const visitTo = new Date(t.clock.now().getTime() + 86_400_000 + 3 * 3_600_000).toISOString();
    const res = await report(ownerA, { photoIds: [up.json().id], visitFrom, visitTo }, 'key-leak-0001');
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json();
    expect(m).toMatchObject({ stage: 'accepted', stageLabel: '已受理', typeLabel: '报修' });
    expect(m.photos).toHaveLength(1);
    expect(m.expectedBy).not.toBeNull();
    expect(m.visitFrom).toBe(visitFrom);
    const row = await ticketRow(m.id);
    expect(row).toMatchObject({ channel: 'portal', customer_id: t.world.customerA, unit_id: t.world.unitA, project_id: t.world.projectA, owner_id: t.world.users.agent_a });
    expect(row.resolution_due).not.toBeNull();
    // The agent sees it in the console.
    const seen = await t.as(await staff('agent_a'), { method: 'GET', url: `/api/tickets/${m.id}` });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().attachments).toHaveLength(1);
    const before = await counts();
    const retry = await report(ownerA, { photoIds: [up.json().id] }, 'key-leak-0001');
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(m.id);
    expect((await counts()).tickets).toBe(before.tickets);
  });

  it('refuses bad input and changes nothing', async () => {
    const before = await counts();
    const emoji = await report(ownerA, { description: '😀😀😀😀😀😀😀' });
    expect(emoji.statusCode).toBe(400);
    expect(emoji.json()).toMatchObject({ code: 'portal.invalid_description' });
    const long = await report(ownerA, { description: '漏'.repeat(10_000) });
    expect(long.statusCode).toBe(400);
    expect(long.json().errors[0].field).toBe('description');
    const notHeld = await report(ownerA, { unitId: t.world.unitB });
    expect(notHeld.statusCode).toBe(400);
    expect(notHeld.json().code).toBe('portal.unit_not_held');
    const othersArea = await report(ownerA, { unitId: undefined, commonAreaId: t.world.commonAreaB });
    expect(othersArea.statusCode).toBe(400);
    const notImage = await ownerCall(ownerA, { method: 'POST', url: '/api/portal/photos', ...multipart('a.pdf', Buffer.from('%PDF-1.4 test'), 'application/pdf') });
    expect(notImage.statusCode).toBe(415);
    const fake = await ownerCall(ownerA, { method: 'POST', url: '/api/portal/photos', ...multipart('a.png', Buffer.from('not a png at all')) });
    expect(fake.statusCode).toBe(415);
    const big = await ownerCall(ownerA, { method: 'POST', url: '/api/portal/photos', ...multipart('big.png', Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024)])) });
    expect(big.statusCode).toBe(413);
    // Another owner's photo cannot be attached.
    const upB = await ownerCall(ownerB, { method: 'POST', url: '/api/portal/photos', ...multipart('b.png', PNG) });
    expect((await report(ownerA, { photoIds: [upB.json().id] })).statusCode).toBe(400);
    expect(await counts()).toEqual(before);
    const atts = await t.deps.db.selectFrom('attachments').select('id').where('owner_type', '=', 'portal_upload').where('owner_id', '=', t.world.customerA).execute();
    expect(atts).toHaveLength(0);
  });

  it('tracks in owner language without internal notes, notifies on reply and resolution, and a rating counts in K2', async () => {
    const m = (await report(ownerA, { type: 'complaint', description: '楼道灯坏了一周没人修' })).json();
    // Another owner cannot read or rate it.
    expect((await ownerCall(ownerB, { method: 'GET', url: `/api/portal/matters/${m.id}` })).statusCode).toBe(404);
    expect((await ownerCall(ownerB, { method: 'POST', url: `/api/portal/matters/${m.id}/rating`, payload: { satisfaction: 5 } })).statusCode).toBe(404);
    expect((await ownerCall(ownerA, { method: 'POST', url: `/api/portal/matters/${m.id}/rating`, payload: { satisfaction: 5 } })).statusCode).toBe(409);

    const owner = (await ticketRow(m.id)).owner_id;
    const ownerCookie = await staff(owner === t.world.users.agent_a ? 'agent_a' : 'supervisor_a');
    expect((await cmd(m.id, 'reply', { channel: 'portal', content: '已安排电工明天上午检修' }, ownerCookie)).statusCode).toBe(200);
    expect((await cmd(m.id, 'resolve', { summary: '内部备注：更换了灯泡，供应商拖延' }, ownerCookie)).statusCode).toBe(200);
    const seen = (await ownerCall(ownerA, { method: 'GET', url: `/api/portal/matters/${m.id}` })).json();
    expect(seen.stage).toBe('to_rate');
    expect(seen.mayRate).toBe(true);
    expect(seen.timeline.map((e: { stage: string }) => e.stage)).toEqual(['accepted', 'replied', 'resolved', 'to_rate']);
    expect(seen.timeline[1].text).toBe('已安排电工明天上午检修');
    expect(JSON.stringify(seen)).not.toContain('内部备注');
    const notices = (await ownerCall(ownerA, { method: 'GET', url: '/api/portal/notices' })).json();
    expect(notices.filter((n: { ticketId: string }) => n.ticketId === m.id).map((n: { title: string }) => n.title)).toEqual([
      expect.stringContaining('请您评价'), expect.stringContaining('已答复'),
    ]);
    const sms = await t.deps.db.selectFrom('outbox').select(['recipient', 'body']).where('channel', '=', 'sms').where('idempotency_key', 'like', `portal:${m.id}:%`).execute();
    expect(sms).toHaveLength(2);
    expect(sms[0]!.recipient).toBe('+8613900000001');

    const period = 'from=2026-11-01&to=2026-12-31';
    const sup = await staff('supervisor_a');
    const k2Before = (await t.as(sup, { method: 'GET', url: `/api/kpis?${period}&projectId=${t.world.projectA}` })).json().k2;
    const rated = await ownerCall(ownerA, { method: 'POST', url: `/api/portal/matters/${m.id}/rating`, payload: { satisfaction: 5, comment: '修得很快' } });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ stage: 'done', rating: { satisfaction: 5, comment: '修得很快' } });
    const cb = await t.deps.db.selectFrom('callbacks').selectAll().where('ticket_id', '=', m.id).executeTakeFirstOrThrow();
    expect(cb).toMatchObject({ status: 'done', channel: 'portal', satisfaction: 5 });
    const k2After = (await t.as(sup, { method: 'GET', url: `/api/kpis?${period}&projectId=${t.world.projectA}` })).json().k2;
    expect(k2After.denominator).toBe(k2Before.denominator + 1);
    expect(k2After.numerator).toBe(k2Before.numerator + 1);
    // Rated once: a second rating is refused.
    expect((await ownerCall(ownerA, { method: 'POST', url: `/api/portal/matters/${m.id}/rating`, payload: { satisfaction: 1 } })).statusCode).toBe(409);
  });

  it('a rating of 1–2 reopens the ticket and escalates it', async () => {
    const m = (await report(ownerA, { description: '厨房水龙头一直滴水' })).json();
    const owner = (await ticketRow(m.id)).owner_id;
    const ownerCookie = await staff(owner === t.world.users.agent_a ? 'agent_a' : 'supervisor_a');
    expect((await cmd(m.id, 'resolve', { summary: '已更换阀芯' }, ownerCookie)).statusCode).toBe(200);
    const rated = await ownerCall(ownerA, { method: 'POST', url: `/api/portal/matters/${m.id}/rating`, payload: { satisfaction: 1, comment: '还在滴' } });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json().stage).toBe('in_progress');
    const row = await ticketRow(m.id);
    expect(row.status).toBe('reopened');
    expect(row.escalation_level).toBe(1);
  });

  it('lists only the owner’s own matters; a co-owner sees the shared unit only', async () => {
    const listA = (await ownerCall(ownerA, { method: 'GET', url: '/api/portal/matters' })).json();
    expect(listA.length).toBeGreaterThanOrEqual(3);
    expect((await ownerCall(ownerB, { method: 'GET', url: '/api/portal/matters' })).json()).toHaveLength(0);
    // A co-owner of unit A (who also holds nothing else) sees unit A, not customer A's matters.
    const id = t.deps.ids.next();
    const now = t.clock.now().getTime();
    await t.deps.db.insertInto('customers').values({
      id, kind: 'person', name: '丙共有人', name_initials: 'bgyr', project_id: t.world.projectA, id_number_enc: null, id_number_hash: null, id_number_masked: null, email: null, wechat_id: null,
      preferred_channel: null, preferred_time: null, address: null, tags: '[]', vip: 0, notes: null, preferences: null, archive_confirmed_at: null, archive_confirmed_by: null,
      merged_into_id: null, version: 1, created_at: now, updated_at: now,
    }).execute();
    await t.deps.db.insertInto('customer_phones').values({ id: t.deps.ids.next(), customer_id: id, ...sealPhone(t.deps.config.fieldKey, '+8613900000003'), label: null, is_primary: 1, created_at: now }).execute();
    await t.deps.db.insertInto('customer_units').values({
      id: t.deps.ids.next(), customer_id: id, unit_id: t.world.unitA, project_id: t.world.projectA, relation: 'family', share: null, from_date: '2025-01-01', to_date: null,
      contract_no: null, contract_date: null, contracted_handover_date: null, actual_handover_date: '2025-06-01', warranty_start_date: '2025-06-01', version: 1, created_at: now, updated_at: now,
    }).execute();
    const family = await ownerLogin('13900000003');
    const me = (await ownerCall(family, { method: 'GET', url: '/api/portal/me' })).json();
    expect(me.homes).toHaveLength(1);
    expect(me.homes[0]).toMatchObject({ unitId: t.world.unitA, relation: 'family', handoverDate: null, mayReport: true });
    expect((await ownerCall(family, { method: 'GET', url: '/api/portal/matters' })).json()).toHaveLength(0);
    expect((await ownerCall(family, { method: 'GET', url: `/api/portal/matters/${listA[0].id}` })).statusCode).toBe(404);
  });
});
