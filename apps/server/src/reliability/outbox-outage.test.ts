import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs, type JobRunner } from '../platform/jobs.js';
import { createBackground } from '../jobs.js';
import { enqueueMessage } from '../platform/outbox.js';
import type { OutgoingMessage } from '../platform/notify.js';
import { createTestApp, type TestApp } from '../test/app.js';
import { findPii } from '../test/reliability/pii.js';
import { recordFigures, scale } from '../test/reliability/scale.js';
import { SmtpSink } from '../test/reliability/smtp-sink.js';

/*
 * Outbox outage: the e-mail server (a real SMTP server on 127.0.0.1, spoken to by the real
 * nodemailer adapter) and the SMS adapter fail for a while: first answering 451, then not
 * listening at all. Deliveries retry with the documented backoff (never earlier), nothing is
 * lost, each message reaches the provider once per idempotency key, and admins see the
 * failures (with no address or number in the error) in GET /api/outbox.
 */

const MESSAGES = scale(20, 200);

let t: TestApp;
let sink: SmtpSink;
let runner: JobRunner;
let root: string;
let smsDown = true;
const smsSent: string[] = [];

beforeAll(async () => {
  sink = new SmtpSink();
  await sink.start();
  t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_FROM: 'center@qiaoliang.test' });
  // The SMS provider: down until told otherwise; its error echoes the number, as gateways do.
  t.deps.notifier.sms = async (m: OutgoingMessage) => {
    if (smsDown) throw new Error(`SMS gateway 503 for ${m.recipient}`);
    smsSent.push(m.id);
  };
  runner = createBackground(t.deps, { concurrency: 8 }).runner;
  root = await t.login('root');
});
afterAll(async () => {
  await t.close();
  await sink.down();
});

async function enqueue(n: number, prefix: string) {
  await t.deps.db.transaction().execute(async (trx) => {
    for (let i = 0; i < n; i++) {
      await enqueueMessage(trx, t.deps, { channel: 'email', recipient: `owner${i}@example.com`, subject: `通知 ${i}`, body: `您的工单已处理 ${i}`, idempotencyKey: `${prefix}:mail:${i}` });
      await enqueueMessage(trx, t.deps, { channel: 'sms', recipient: `+86139000${String(10000 + i).slice(1)}`, body: `短信 ${i}`, idempotencyKey: `${prefix}:sms:${i}` });
    }
  });
}

const statusCounts = async (prefix: string) => {
  const rows = await t.deps.db.selectFrom('outbox').select(['status']).where('idempotency_key', 'like', `${prefix}:%`).execute();
  return rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
};

describe('outbox during an e-mail and SMS outage', () => {
  it('retries with backoff, loses nothing, delivers each message once, and shows the failures to admins', async () => {
    await enqueue(MESSAGES, 'outage');
    // A retried command enqueues the same messages again: dropped by their idempotency keys.
    await enqueue(MESSAGES, 'outage');
    expect(await statusCounts('outage')).toEqual({ pending: 2 * MESSAGES });

    // Attempt 1: the mail server answers 451, the SMS gateway 503.
    sink.mode = 'reject';
    expect(await runner.runDue()).toBe(2 * MESSAGES);
    expect(sink.rejected).toBe(MESSAGES);
    expect(sink.accepted).toHaveLength(0);

    // Admins see what is failing, without the owners' addresses or numbers in the error.
    const view = await t.as(root, { method: 'GET', url: '/api/outbox?status=pending&limit=200' });
    expect(view.statusCode).toBe(200);
    const items = view.json().items as { channel: string; attempts: number; lastError: string | null; recipient: string }[];
    expect(items.length).toBe(Math.min(200, 2 * MESSAGES));
    for (const m of items) {
      expect(m.attempts).toBe(1);
      expect(m.lastError).toBeTruthy();
      expect(m.lastError).not.toMatch(/@example\.com/);
      expect(findPii(m.lastError!)).toEqual([]);
    }

    // Not before the backoff: nothing runs 1 s later.
    t.clock.advance(1_000);
    expect(await runner.runDue()).toBe(0);

    // Attempt 2 after min(2^1 × 5 s): now the mail server is not even listening.
    await sink.down();
    t.clock.advance(backoffMs(1));
    expect(await runner.runDue()).toBe(2 * MESSAGES);

    // Attempt 3 after 20 s: still down.
    t.clock.advance(backoffMs(2));
    expect(await runner.runDue()).toBe(2 * MESSAGES);
    expect(await statusCounts('outage')).toEqual({ pending: 2 * MESSAGES });

    // The providers come back; attempt 4 after 40 s delivers everything.
    sink.mode = 'accept';
    await sink.start();
    smsDown = false;
    t.clock.advance(backoffMs(3) - 1);
    expect(await runner.runDue()).toBe(0);
    t.clock.advance(1);
    expect(await runner.runDue()).toBe(2 * MESSAGES);
    expect(await statusCounts('outage')).toEqual({ delivered: 2 * MESSAGES });

    // Exactly once per idempotency key: one mail per message, its Message-ID the outbox id.
    const mails = await t.deps.db.selectFrom('outbox').select('id').where('idempotency_key', 'like', 'outage:mail:%').execute();
    expect(sink.accepted).toHaveLength(MESSAGES);
    expect(sink.duplicates()).toEqual([]);
    expect(new Set(sink.accepted.map((m) => m.messageId))).toEqual(new Set(mails.map((m) => `<${m.id}@qiaoliang>`)));
    expect(smsSent).toHaveLength(MESSAGES);
    expect(new Set(smsSent).size).toBe(MESSAGES);
    // Running again delivers nothing twice.
    t.clock.advance(3_600_000);
    await runner.runDue();
    expect(sink.accepted).toHaveLength(MESSAGES);
    recordFigures('outbox-outage', { messages: 2 * MESSAGES, attemptsWhileDown: 3, delivered: 2 * MESSAGES, duplicates: 0, lost: 0 });
  });

  it('a message that never gets through turns failed, is listed for admins, and their retry delivers it once', async () => {
    // The clock moved past the session's idle limit in the previous test.
    root = await t.login('root');
    sink.mode = 'reject';
    await t.deps.db.transaction().execute((trx) => enqueueMessage(trx, t.deps, { channel: 'email', recipient: 'late@example.com', subject: '通知', body: '正文', idempotencyKey: 'doomed:mail', maxAttempts: 3 }));
    for (let i = 0; i < 3; i++) {
      await runner.runDue();
      t.clock.advance(backoffMs(i + 1));
    }
    const failed = await t.as(root, { method: 'GET', url: '/api/outbox?status=failed' });
    const msg = (failed.json().items as { id: string; status: string; attempts: number }[]).find((m) => m.status === 'failed');
    expect(msg, failed.body).toBeDefined();
    expect(msg!.attempts).toBe(3);

    sink.mode = 'accept';
    const before = sink.accepted.length;
    const retry = await t.as(root, { method: 'POST', url: `/api/outbox/${msg!.id}/retry` });
    expect(retry.statusCode, retry.body).toBe(200);
    // A double click re-queues once.
    expect((await t.as(root, { method: 'POST', url: `/api/outbox/${msg!.id}/retry` })).statusCode).toBe(409);
    await runner.runDue();
    expect(sink.accepted.length - before).toBe(1);
    expect(sink.accepted.at(-1)!.messageId).toBe(`<${msg!.id}@qiaoliang>`);
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('entity_id', '=', msg!.id).execute();
    expect(audit.map((a) => a.action)).toContain('outbox.retried');
  });
});
