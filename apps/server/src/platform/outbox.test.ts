import { createServer, type Server } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { LOG_REDACT, type Deps } from '../deps.js';
import { createTestDb, type TestDb } from '../test/db.js';
import { seedWorld, type World } from '../test/world.js';
import { FixedClock } from './clock.js';
import { uuidV7Ids } from './ids.js';
import { backoffMs, enqueueJob, JobRunner } from './jobs.js';
import { createNotifier, type ChannelAdapter, type Notifier, type OutgoingMessage } from './notify.js';
import { deliverOutboxMessage, enqueueMessage, OUTBOX_DELIVER, registerOutboxDelivery, requeueFailedMessage } from './outbox.js';
import { tempDir } from '../test/temp-dir.js';

let tdb: TestDb;
let world: World;
let clock: FixedClock;
let logLines: string[];
let deps: Deps;

/** Deps over the test database with a fixed clock and a logger whose output the test can read. */
function makeDeps(notifier?: Partial<Notifier>, env: Record<string, string> = {}): Deps {
  const config = loadConfig({ DATA_DIR: tempDir('ql-outbox-'), LOG_LEVEL: 'info', ...env });
  const log = pino({ level: 'info', redact: LOG_REDACT }, { write: (line: string) => { logLines.push(line); } });
  return {
    config,
    db: tdb.db,
    dialect: tdb.dialect,
    clock,
    ids: uuidV7Ids(clock),
    log,
    notifier: { ...createNotifier(config, log), ...notifier },
  };
}

beforeAll(async () => {
  tdb = await createTestDb();
  clock = new FixedClock('2026-11-27T02:00:00Z');
  logLines = [];
  world = await seedWorld(makeDeps());
});
afterAll(async () => tdb.destroy());
beforeEach(async () => {
  await tdb.db.deleteFrom('notifications').execute();
  await tdb.db.deleteFrom('outbox').execute();
  await tdb.db.deleteFrom('jobs').execute();
  clock = new FixedClock('2026-11-27T02:00:00Z');
  logLines = [];
  deps = makeDeps();
});

const outboxRow = (id: string) => tdb.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const deliveryJobs = () => tdb.db.selectFrom('jobs').selectAll().where('kind', '=', OUTBOX_DELIVER).orderBy('created_at').orderBy('id').execute();
const runnerFor = (d: Deps) => {
  const r = new JobRunner(d);
  registerOutboxDelivery(r, d);
  return r;
};

describe('enqueueMessage', () => {
  it('writes the message and its delivery job in the caller transaction', async () => {
    const { id, created } = await tdb.db.transaction().execute((trx) =>
      enqueueMessage(trx, deps, { channel: 'in_app', recipient: world.users.agent_a!, subject: '新工单', body: '您有一张新工单', link: '/tickets/1', idempotencyKey: 'k-tx' }));
    expect(created).toBe(true);
    expect(await outboxRow(id)).toMatchObject({ status: 'pending', attempts: 0, channel: 'in_app', subject: '新工单' });
    const jobs = await deliveryJobs();
    expect(jobs).toHaveLength(1);
    expect(JSON.parse(jobs[0]!.payload)).toEqual({ outboxId: id });
  });

  it('writes nothing when the command rolls back', async () => {
    await expect(tdb.db.transaction().execute(async (trx) => {
      await enqueueMessage(trx, deps, { channel: 'sms', recipient: '+8613800138000', body: 'x', idempotencyKey: 'k-rollback' });
      throw new Error('command failed');
    })).rejects.toThrow('command failed');
    expect(await tdb.db.selectFrom('outbox').select('id').execute()).toHaveLength(0);
    expect(await deliveryJobs()).toHaveLength(0);
  });

  it('is a no-op for a second message with the same idempotency key (one row, one job)', async () => {
    const msg = { channel: 'email' as const, recipient: 'a@example.com', body: 'x', idempotencyKey: 'k-dup' };
    const first = await enqueueMessage(tdb.db, deps, msg);
    const second = await enqueueMessage(tdb.db, deps, { ...msg, body: 'y' });
    expect(second).toEqual({ id: first.id, created: false });
    expect(await tdb.db.selectFrom('outbox').select('id').execute()).toHaveLength(1);
    expect(await deliveryJobs()).toHaveLength(1);
  });
});

describe('in-app delivery', () => {
  it('creates exactly one notification even when the delivery job runs twice', async () => {
    const { id } = await enqueueMessage(tdb.db, deps, { channel: 'in_app', recipient: world.users.agent_a!, subject: '新工单', body: '您有一张新工单', link: '/tickets/1', idempotencyKey: 'k-inapp' });
    // A second job for the same message: what a redelivery after a crash looks like.
    await enqueueJob(tdb.db, deps, { kind: OUTBOX_DELIVER, payload: { outboxId: id } });
    expect(await runnerFor(deps).runDue()).toBe(2);
    await deliverOutboxMessage(deps, id);

    const notes = await tdb.db.selectFrom('notifications').selectAll().where('user_id', '=', world.users.agent_a!).execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ id, title: '新工单', body: '您有一张新工单', link: '/tickets/1', read_at: null });
    expect(await outboxRow(id)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(Number((await outboxRow(id)).delivered_at)).toBe(clock.now().getTime());
  });

  it('survives two deliveries racing (the notification id is the outbox id)', async () => {
    const { id } = await enqueueMessage(tdb.db, deps, { channel: 'in_app', recipient: world.users.agent_a!, body: '并发', idempotencyKey: 'k-race' });
    await Promise.all([deliverOutboxMessage(deps, id), deliverOutboxMessage(deps, id), deliverOutboxMessage(deps, id)]);
    expect(await tdb.db.selectFrom('notifications').select('id').where('id', '=', id).execute()).toHaveLength(1);
    expect(await tdb.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toMatchObject({ title: '系统通知' });
  });

  it('fails at once, without retries, when the recipient user does not exist', async () => {
    const { id } = await enqueueMessage(tdb.db, deps, { channel: 'in_app', recipient: '0190c7a0-0000-7000-8000-000000000000', body: 'x', idempotencyKey: 'k-nouser' });
    await runnerFor(deps).runDue();
    expect(await outboxRow(id)).toMatchObject({ status: 'failed', last_error: 'PermanentJobError: recipient user does not exist' });
    expect((await deliveryJobs())[0]).toMatchObject({ status: 'dead', attempts: 1 });
  });
});

describe('external channels', () => {
  it('retries a failing e-mail adapter with backoff, then delivers', async () => {
    const sent: OutgoingMessage[] = [];
    let failures = 2;
    const email: ChannelAdapter = async (msg) => {
      if (failures-- > 0) throw new Error('421 4.7.0 try again later');
      sent.push(msg);
    };
    const d = makeDeps({ email });
    const runner = runnerFor(d);
    const { id } = await enqueueMessage(tdb.db, d, { channel: 'email', recipient: 'owner@example.com', subject: '报修进度', body: '已派单', link: 'https://x/t/1', idempotencyKey: 'k-mail' });

    await runner.runDue();
    expect(await outboxRow(id)).toMatchObject({ status: 'pending', attempts: 1, last_error: '421 4.7.0 try again later' });
    const job = (await deliveryJobs())[0]!;
    expect(Number(job.run_at)).toBe(clock.now().getTime() + backoffMs(1));

    clock.advance(backoffMs(1));
    await runner.runDue();
    expect(await outboxRow(id)).toMatchObject({ status: 'pending', attempts: 2 });
    clock.advance(backoffMs(2));
    await runner.runDue();
    expect(await outboxRow(id)).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(sent).toEqual([{ id, channel: 'email', recipient: 'owner@example.com', subject: '报修进度', body: '已派单', link: 'https://x/t/1' }]);
    expect((await deliveryJobs())[0]).toMatchObject({ status: 'done', attempts: 3 });
  });

  it('marks the message failed when the job is given up, and an admin re-queue delivers it', async () => {
    let down = true;
    const d = makeDeps({ sms: async () => { if (down) throw new Error('gateway down for +8613800138000'); } });
    const runner = runnerFor(d);
    const { id } = await enqueueMessage(tdb.db, d, { channel: 'sms', recipient: '+8613800138000', body: '您的报修已受理', idempotencyKey: 'k-sms', maxAttempts: 3 });
    for (let i = 1; i <= 3; i++) {
      await runner.runDue();
      clock.advance(backoffMs(i));
    }
    const failed = await outboxRow(id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
    expect(failed.last_error).toBe('gateway down for <number>');
    expect((await deliveryJobs())[0]).toMatchObject({ status: 'dead' });

    down = false;
    const before = await tdb.db.transaction().execute((trx) => requeueFailedMessage(trx, d, id));
    expect(before?.status).toBe('failed');
    // A second re-queue (double click) finds the message pending and does nothing.
    expect(await tdb.db.transaction().execute((trx) => requeueFailedMessage(trx, d, id))).toBeNull();
    expect(await deliveryJobs()).toHaveLength(2);
    await runner.runDue();
    expect(await outboxRow(id)).toMatchObject({ status: 'delivered', attempts: 4 });
  });

  it('logs SMS and WeChat messages without a provider, and never their recipients', async () => {
    const runner = runnerFor(deps);
    const a = await enqueueMessage(tdb.db, deps, { channel: 'sms', recipient: '+8613912345678', body: '短信', idempotencyKey: 'k-log-sms' });
    const b = await enqueueMessage(tdb.db, deps, { channel: 'wechat', recipient: 'oWx-openid-123', body: '模板消息', idempotencyKey: 'k-log-wx' });
    await runner.runDue();
    expect((await outboxRow(a.id)).status).toBe('delivered');
    expect((await outboxRow(b.id)).status).toBe('delivered');
    const logs = logLines.join('\n');
    expect(logs).toContain(a.id);
    expect(logs).not.toContain('13912345678');
    expect(logs).not.toContain('oWx-openid-123');
  });
});

describe('e-mail over a real SMTP connection', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => sink.close());

  it('delivers through nodemailer, retrying after a temporary SMTP failure, without logging the address', async () => {
    sink.failNext = 1;
    const d = makeDeps(undefined, { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_FROM: 'noreply@qiaoliang.test' });
    const runner = runnerFor(d);
    const { id } = await enqueueMessage(tdb.db, d, { channel: 'email', recipient: 'li.lei@example.com', subject: '报修进度', body: '您的报修已派单。', link: 'https://example.com/t/1', idempotencyKey: 'k-smtp' });

    await runner.runDue();
    const afterFailure = await outboxRow(id);
    expect(afterFailure).toMatchObject({ status: 'pending', attempts: 1 });
    expect(afterFailure.last_error).toMatch(/451/);
    expect(afterFailure.last_error).not.toContain('li.lei@example.com');
    expect(sink.messages).toHaveLength(0);

    clock.advance(backoffMs(1));
    await runner.runDue();
    expect(await outboxRow(id)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(sink.messages).toHaveLength(1);
    const m = sink.messages[0]!;
    expect(m.rcpt).toEqual(['li.lei@example.com']);
    expect(m.data).toMatch(new RegExp(`Message-ID: <${id}@qiaoliang>`, 'i'));
    expect(m.data).toMatch(/From: noreply@qiaoliang\.test/);
    expect(logLines.join('\n')).not.toContain('li.lei@example.com');
  });

  it('writes a link of ours as the address people open from outside (PUBLIC_URL)', async () => {
    const d = makeDeps(undefined, { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, PUBLIC_URL: 'https://kf.example.com' });
    await enqueueMessage(tdb.db, d, { channel: 'email', recipient: 'li.lei@example.com', subject: '满意度调查', body: '请填写问卷。', link: '/s/tok123', idempotencyKey: 'k-link' });
    await runnerFor(d).runDue();
    expect(sink.messages.at(-1)!.data).toContain('https://kf.example.com/s/tok123');
  });
});

interface SmtpSink {
  port: number;
  messages: { from: string; rcpt: string[]; data: string }[];
  /** How many of the next messages to refuse with a temporary 451 (which names the recipient). */
  failNext: number;
  close(): Promise<void>;
}

/** A minimal SMTP server: enough of RFC 5321 for nodemailer to send a plain-text message. */
async function startSmtpSink(): Promise<SmtpSink> {
  const sink: SmtpSink = { port: 0, messages: [], failNext: 0, close: async () => {} };
  const server: Server = createServer((socket) => {
    let buffer = '';
    let inData = false;
    let current = { from: '', rcpt: [] as string[], data: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 sink ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            if (sink.failNext > 0) {
              sink.failNext--;
              reply(`451 4.3.0 <${current.rcpt[0] ?? ''}>: temporary local problem`);
            } else {
              sink.messages.push(current);
              reply('250 2.0.0 queued');
            }
            current = { from: '', rcpt: [], data: '' };
          } else {
            current.data += (line.startsWith('..') ? line.slice(1) : line) + '\n';
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250 sink');
        else if (verb === 'MAIL') { current.from = /<([^>]*)>/.exec(line)?.[1] ?? ''; reply('250 2.1.0 ok'); }
        else if (verb === 'RCPT') { current.rcpt.push(/<([^>]*)>/.exec(line)?.[1] ?? ''); reply('250 2.1.5 ok'); }
        else if (verb === 'DATA') { inData = true; reply('354 end with <CRLF>.<CRLF>'); }
        else if (verb === 'RSET') { current = { from: '', rcpt: [], data: '' }; reply('250 2.0.0 ok'); }
        else if (verb === 'NOOP') reply('250 2.0.0 ok');
        else if (verb === 'QUIT') { reply('221 2.0.0 bye'); socket.end(); }
        else reply('502 5.5.2 not implemented');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = (server.address() as { port: number }).port;
  sink.close = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    // nodemailer may keep an idle connection; do not wait for it.
    setTimeout(resolve, 200).unref();
  });
  return sink;
}
