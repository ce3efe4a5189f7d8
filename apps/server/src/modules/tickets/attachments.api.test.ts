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
