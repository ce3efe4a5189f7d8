import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyLinkPath } from '@qiaoliang/shared';
import { publicLink } from '../../config.js';
import { invitationSms, newSurveyToken } from '../surveys/surveys.service.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { JobRunner } from '../../platform/jobs.js';
import { enqueueMessage, registerOutboxDelivery, type NewMessage } from '../../platform/outbox.js';

let t: TestApp;
let root: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  root = await t.login('root');
  // Oldest first; the list shows them newest first.
  const seed: [string, NewMessage, 'pending' | 'delivered' | 'failed'][] = [
    ['inApp', { channel: 'in_app', recipient: t.world.users.agent_a!, subject: '新工单', body: '您有一张新工单', idempotencyKey: 'api-1' }, 'delivered'],
    ['email', { channel: 'email', recipient: 'owner@example.com', subject: '报修进度', body: '已派单', idempotencyKey: 'api-2' }, 'failed'],
    ['sms', { channel: 'sms', recipient: '+8613912345678', body: '您的报修已受理', idempotencyKey: 'api-3' }, 'failed'],
    ['wechat', { channel: 'wechat', recipient: 'oWx-openid', body: '模板消息', idempotencyKey: 'api-4' }, 'pending'],
  ];
  for (const [name, msg, status] of seed) {
    t.clock.advance(1_000);
    const { id } = await enqueueMessage(t.deps.db, t.deps, msg);
    ids[name] = id;
    if (status !== 'pending') {
      await t.deps.db.updateTable('outbox').set({ status, attempts: 3, last_error: status === 'failed' ? '421 try again later' : null }).where('id', '=', id).execute();
    }
  }
  // The seeded delivery jobs would deliver the "failed" rows; only the retry's job should.
  await t.deps.db.deleteFrom('jobs').execute();
});
afterAll(async () => t.close());

const list = (cookie: string | null, query = '') => t.as(cookie, { method: 'GET', url: `/api/outbox${query}` });
const retry = (cookie: string | null, id: string) => t.as(cookie, { method: 'POST', url: `/api/outbox/${id}/retry` });

describe('GET /api/outbox', () => {
  it('401 without a session', async () => {
    expect((await list(null)).statusCode).toBe(401);
  });

  it('403 for non-admins and for admins scoped below the group', async () => {
    for (const user of ['agent_a', 'supervisor_a', 'admin_a', 'admin_c1']) {
      const res = await list(await t.login(user));
      expect(res.statusCode, user).toBe(403);
      expect(res.json().code).toBe('access.forbidden');
    }
  });

  it('400 for an unknown status, channel or a damaged cursor', async () => {
    for (const q of ['?status=lost', '?channel=fax', '?cursor=not-a-cursor', '?limit=0', '?limit=500']) {
      const res = await list(root, q);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('lists newest first, masks phone numbers, shows e-mail addresses to the admin', async () => {
    const res = await list(root);
    expect(res.statusCode).toBe(200);
    const { items, nextCursor } = res.json();
    expect(nextCursor).toBeNull();
    expect(items.map((m: { id: string }) => m.id)).toEqual([ids.wechat, ids.sms, ids.email, ids.inApp]);
    const sms = items.find((m: { id: string }) => m.id === ids.sms);
    expect(sms).toMatchObject({ channel: 'sms', recipient: '139****5678', status: 'failed', attempts: 3, lastError: '421 try again later', deliveredAt: null });
    expect(res.body).not.toContain('13912345678');
    expect(items.find((m: { id: string }) => m.id === ids.email).recipient).toBe('owner@example.com');
    expect(items.find((m: { id: string }) => m.id === ids.inApp)).toMatchObject({ recipient: t.world.users.agent_a, subject: '新工单', status: 'delivered' });
  });

  it('filters by status and channel', async () => {
    const failed = (await list(root, '?status=failed')).json().items.map((m: { id: string }) => m.id);
    expect(failed).toEqual([ids.sms, ids.email]);
    const email = (await list(root, '?channel=email&status=failed')).json().items.map((m: { id: string }) => m.id);
    expect(email).toEqual([ids.email]);
    expect((await list(root, '?channel=in_app&status=failed')).json().items).toEqual([]);
  });

  it('pages with a keyset cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(root, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      seen.push(...body.items.map((m: { id: string }) => m.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids.wechat, ids.sms, ids.email, ids.inApp]);
  });
});

describe('POST /api/outbox/:id/retry', () => {
  it('401 without a session, 403 for non-admins and scoped admins', async () => {
    expect((await retry(null, ids.email!)).statusCode).toBe(401);
    expect((await retry(await t.login('agent_a'), ids.email!)).statusCode).toBe(403);
    expect((await retry(await t.login('admin_a'), ids.email!)).statusCode).toBe(403);
  });

  it('403 without the CSRF header', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/api/outbox/${ids.email}/retry`, headers: { cookie: root } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('request.csrf');
  });

  it('400 for a malformed id, 404 for an unknown one', async () => {
    expect((await retry(root, 'abc')).statusCode).toBe(400);
    const res = await retry(root, '0190c7a0-0000-7000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'resource.not_found', detail: '消息不存在' });
  });

  it('409 for a message that is not failed', async () => {
    const delivered = await retry(root, ids.inApp!);
    expect(delivered.statusCode).toBe(409);
    expect(delivered.json()).toMatchObject({ code: 'resource.conflict', detail: '消息已发送成功，无需重试' });
    expect((await retry(root, ids.wechat!)).statusCode).toBe(409);
  });

  it('re-queues a failed message, audits it, and the job delivers it', async () => {
    const res = await retry(root, ids.email!);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: ids.email, status: 'pending', attempts: 3 });

    const jobs = await t.deps.db.selectFrom('jobs').selectAll().where('kind', '=', 'outbox.deliver').execute();
    expect(jobs).toHaveLength(1);
    expect(JSON.parse(jobs[0]!.payload)).toEqual({ outboxId: ids.email });
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'outbox.retried').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: t.world.users.root, entity_type: 'outbox', entity_id: ids.email });
    expect(JSON.parse(audit[0]!.before_json!)).toMatchObject({ status: 'failed', attempts: 3 });

    // A second click finds it pending: 409, and no second job.
    expect((await retry(root, ids.email!)).statusCode).toBe(409);
    expect(await t.deps.db.selectFrom('jobs').select('id').execute()).toHaveLength(1);

    const runner = new JobRunner(t.deps);
    registerOutboxDelivery(runner, t.deps);
    await runner.runDue();
    const after = (await list(root, '?channel=email')).json().items[0];
    expect(after).toMatchObject({ id: ids.email, status: 'delivered', attempts: 4 });
    expect(after.deliveredAt).toBe(t.clock.now().toISOString());
  });
});

describe('survey link secrets (security finding 11)', () => {
  it('the outbox view never shows a survey link token, in the body, the subject or the error; the message keeps it for delivery', async () => {
    const token = newSurveyToken();
    const link = publicLink(t.deps.config, surveyLinkPath(token));
    const { id } = await enqueueMessage(t.deps.db, t.deps, { channel: 'sms', recipient: '+8613900001111', subject: `问卷 ${link}`, body: invitationSms('甲项目', '满意度调查', link), link: surveyLinkPath(token), idempotencyKey: `survey-secret-${token}` });
    await t.deps.db.updateTable('outbox').set({ status: 'failed', last_error: `provider refused ${link}` }).where('id', '=', id).execute();
    const res = await t.as(root, { method: 'GET', url: '/api/outbox?limit=200' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(token);
    expect(res.body).not.toContain(token.slice(4));
    const item = res.json().items.find((m: { id: string }) => m.id === id);
    expect(item.body).toContain('/s/' + token.slice(0, 4) + '…');
    expect(item.subject).toContain('/s/' + token.slice(0, 4) + '…');
    expect(item.lastError).not.toContain(token);
    const stored = await t.deps.db.selectFrom('outbox').select('body').where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.body).toContain(token);
  });
});
