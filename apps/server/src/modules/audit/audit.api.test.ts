import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../platform/audit.js';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;
let root: string;
beforeAll(async () => {
  t = await createTestApp();
  root = await t.login('root');
});
afterAll(async () => t.close());

describe('audit log', () => {
  it('records who, when, what, IP and request id for every write, in one chain', async () => {
    const res = await t.as(root, { method: 'POST', url: '/api/city-companies', remoteAddress: '10.1.2.3', payload: { name: '审计城市', code: 'AUD' } });
    expect(res.statusCode).toBe(201);
    const row = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'city_company.created').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor_id: t.world.users.root, actor_name: 'root', entity_type: 'city_company', entity_id: res.json().id, ip: '10.1.2.3' });
    expect(row.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(row.at)).toBe(t.clock.now().getTime());
    expect(JSON.parse(row.after_json!)).toMatchObject({ name: '审计城市', code: 'AUD' });
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('shows personal data masked like everything else: phones, ID numbers, e-mails and WeChat ids in the images (issue 21)', async () => {
    const agent = await t.login('agent_a');
    const created = await t.as(agent, {
      method: 'POST', url: '/api/customers',
      payload: { kind: 'owner', name: '审计业主', projectId: t.world.projectA, phones: [{ phone: '13912345678' }], email: 'shenji.yezhu@example.com', wechatId: 'wx_shenji_8888', idNumber: '11010519491231002X', notes: '联系电话13912345678，白天可打' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const res = await t.as(root, { method: 'GET', url: `/api/audit?entityId=${created.json().id}` });
    expect(res.statusCode).toBe(200);
    const text = JSON.stringify(res.json().items);
    expect(text).toContain('customer.created');
    for (const secret of ['13912345678', 'shenji.yezhu@example.com', 'wx_shenji_8888', '11010519491231002X']) expect(text).not.toContain(secret);
    const after = res.json().items.find((x: { action: string }) => x.action === 'customer.created').after;
    expect(after).toMatchObject({ name: '审计业主', email: 's***@example.com', wechat_id: 'wx***88' });
    expect(after.notes).toBe('联系电话139****5678，白天可打');
  });

  it('lists newest first with keyset pages and filters, for admins', async () => {
    for (let i = 0; i < 5; i++) await t.as(root, { method: 'POST', url: '/api/city-companies', payload: { name: `分页城市${i}`, code: `PG${i}` } });
    const first = await t.as(root, { method: 'GET', url: '/api/audit?limit=3&action=city_company.created' });
    expect(first.statusCode).toBe(200);
    const a = first.json();
    expect(a.items).toHaveLength(3);
    expect(a.items[0].after.name).toBe('分页城市4');
    expect(a.items[0].seq).toBeGreaterThan(a.items[1].seq);
    const second = await t.as(root, { method: 'GET', url: `/api/audit?limit=3&action=city_company.created&cursor=${a.nextCursor}` });
    const b = second.json();
    expect(b.items.map((x: { after: { name: string } }) => x.after.name)).toEqual(['分页城市1', '分页城市0', '审计城市']);
    expect(b.nextCursor).toBeNull();
    const today = await t.as(root, { method: 'GET', url: '/api/audit?from=2026-11-27&to=2026-11-27&entityType=city_company' });
    expect(today.json().items.length).toBe(6);
    const tomorrow = await t.as(root, { method: 'GET', url: '/api/audit?from=2026-11-28&entityType=city_company' });
    expect(tomorrow.json().items).toHaveLength(0);
    expect((await t.as(root, { method: 'GET', url: '/api/audit?cursor=garbage' })).statusCode).toBe(400);
  });

  it('detects an edited row, a deleted row and a truncated tail', async () => {
    const ok = await t.as(root, { method: 'GET', url: '/api/audit/verify' });
    expect(ok.json()).toMatchObject({ ok: true, brokenAtSeq: null });
    const checked = ok.json().checked;
    expect(checked).toBeGreaterThan(5);

    await sql`update audit_log set after_json = '{"name":"篡改"}' where seq = 3`.execute(t.deps.db);
    const edited = await t.as(root, { method: 'GET', url: '/api/audit/verify' });
    expect(edited.json()).toMatchObject({ ok: false, brokenAtSeq: 3 });
    expect(edited.json().reason).toContain('内容被修改');
  });

  it('detects a deleted row in the middle and at the tail', async () => {
    const fresh = await createTestApp();
    try {
      const c = await fresh.login('root');
      for (let i = 0; i < 4; i++) await fresh.as(c, { method: 'POST', url: '/api/city-companies', payload: { name: `删${i}`, code: `DEL${i}` } });
      expect((await verifyAuditChain(fresh.deps.db)).ok).toBe(true);
      const last = await fresh.deps.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow();
      await sql`delete from audit_log where seq = ${Number(last.m)}`.execute(fresh.deps.db);
      const tail = await verifyAuditChain(fresh.deps.db);
      expect(tail.ok).toBe(false);
      expect(tail.reason).toContain('链尾');
      await sql`delete from audit_log where seq = 2`.execute(fresh.deps.db);
      const middle = await verifyAuditChain(fresh.deps.db);
      expect(middle).toMatchObject({ ok: false, brokenAtSeq: 2 });
    } finally {
      await fresh.close();
    }
  });
});
