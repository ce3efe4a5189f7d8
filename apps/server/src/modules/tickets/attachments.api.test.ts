import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { multipart } from '../../test/multipart.js';

let t: TestApp;
let agent: string;
let ticketId: string;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.login('agent_a');
  const r = await t.as(agent, { method: 'POST', url: '/api/tickets', payload: { type: 'repair', severity: 'routine', channel: 'hotline', projectId: t.world.projectA, description: '墙面渗水，附照片' } });
  ticketId = r.json().id;
});
afterAll(async () => t.close());

describe('attachments', () => {
  it('stores a photo, lists it on the ticket and serves it as a safe download', async () => {
    const up = await t.as(agent, { method: 'POST', url: `/api/tickets/${ticketId}/attachments`, ...multipart('../../etc/墙面.png', PNG, 'text/html') });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ filename: '墙面.png', contentType: 'image/png', size: PNG.length });
    const ticket = (await t.as(agent, { method: 'GET', url: `/api/tickets/${ticketId}` })).json();
    expect(ticket.attachments.map((a: { id: string }) => a.id)).toEqual([up.json().id]);
    const dl = await t.as(agent, { method: 'GET', url: `/api/attachments/${up.json().id}` });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.rawPayload.equals(PNG)).toBe(true);
  });

  it('refuses forbidden types, content that does not match its name, empty and oversized files', async () => {
    const html = await t.as(agent, { method: 'POST', url: `/api/tickets/${ticketId}/attachments`, ...multipart('x.html', Buffer.from('<script>alert(1)</script>')) });
    expect(html.statusCode).toBe(415);
    const fake = await t.as(agent, { method: 'POST', url: `/api/tickets/${ticketId}/attachments`, ...multipart('photo.jpg', Buffer.from('MZ this is an exe')) });
    expect(fake.statusCode).toBe(415);
    const empty = await t.as(agent, { method: 'POST', url: `/api/tickets/${ticketId}/attachments`, ...multipart('a.png', Buffer.alloc(0)) });
    expect(empty.statusCode).toBe(400);
    const big = await t.as(agent, { method: 'POST', url: `/api/tickets/${ticketId}/attachments`, ...multipart('a.png', Buffer.concat([PNG, Buffer.alloc(11 * 1024 * 1024)])) });
    expect(big.statusCode).toBe(413);
    expect(await t.deps.db.selectFrom('attachments').select('id').execute()).toHaveLength(1);
  });

  it('keeps other projects and departments out', async () => {
    const id = (await t.deps.db.selectFrom('attachments').select('id').executeTakeFirstOrThrow()).id;
    expect((await t.as(await t.login('agent_b'), { method: 'GET', url: `/api/attachments/${id}` })).statusCode).toBe(404);
    expect((await t.as(await t.login('handler_a'), { method: 'GET', url: `/api/attachments/${id}` })).statusCode).toBe(404);
    expect((await t.as(await t.login('agent_b'), { method: 'POST', url: `/api/tickets/${ticketId}/attachments`, ...multipart('a.png', PNG) })).statusCode).toBe(404);
  });
});

describe('customer record attachments', () => {
  it('an agent adds a document to a customer in scope; it is listed and downloads', async () => {
    const up = await t.as(agent, { method: 'POST', url: `/api/customers/${t.world.customerA}/attachments`, ...multipart('购房合同.png', PNG) });
    expect(up.statusCode, up.body).toBe(201);
    const list = await t.as(agent, { method: 'GET', url: `/api/customers/${t.world.customerA}/attachments` });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([{ id: up.json().id, filename: '购房合同.png', contentType: 'image/png', size: PNG.length }]);
    const dl = await t.as(agent, { method: 'GET', url: `/api/attachments/${up.json().id}` });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(PNG)).toBe(true);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'entity_type']).where('entity_id', '=', t.world.customerA).where('action', '=', 'attachment.added').execute();
    expect(audit).toEqual([{ action: 'attachment.added', entity_type: 'customer' }]);
  });

  it('keeps other projects, handlers and bad files out, changing nothing', async () => {
    const before = await t.deps.db.selectFrom('attachments').select('id').where('owner_type', '=', 'customer').execute();
    const id = before[0]!.id;
    const other = await t.login('agent_b');
    expect((await t.as(other, { method: 'GET', url: `/api/attachments/${id}` })).statusCode).toBe(404);
    expect((await t.as(other, { method: 'GET', url: `/api/customers/${t.world.customerA}/attachments` })).statusCode).toBe(404);
    expect((await t.as(other, { method: 'POST', url: `/api/customers/${t.world.customerA}/attachments`, ...multipart('a.png', PNG) })).statusCode).toBe(404);
    const handler = await t.login('handler_a');
    expect((await t.as(handler, { method: 'GET', url: `/api/attachments/${id}` })).statusCode).toBe(404);
    expect((await t.as(handler, { method: 'POST', url: `/api/customers/${t.world.customerA}/attachments`, ...multipart('a.png', PNG) })).statusCode).toBe(403);
    const bad = await t.as(agent, { method: 'POST', url: `/api/customers/${t.world.customerA}/attachments`, ...multipart('x.html', Buffer.from('<script>alert(1)</script>')) });
    expect(bad.statusCode).toBe(415);
    expect(JSON.stringify(bad.json())).toMatch(/只接受/);
    expect(await t.deps.db.selectFrom('attachments').select('id').where('owner_type', '=', 'customer').execute()).toEqual(before);
  });
});
