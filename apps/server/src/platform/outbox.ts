import type { Kysely, Selectable } from 'kysely';
import { OUTBOX_CHANNELS, OUTBOX_STATUSES } from '@qiaoliang/shared';
import type { DB, OutboxTable } from '../db/schema.js';
import { isForeignKeyViolation } from '../db/dialect.js';
import type { Clock } from './clock.js';
import type { Ids } from './ids.js';
import { enqueueJob, PermanentJobError, safeErrorText, type JobDeps, type JobHandler, type JobRunner } from './jobs.js';
import type { Notifier, OutgoingMessage } from './notify.js';

/*
 * Transactional outbox (architecture.md rule 5): a command writes the message it wants to send
 * as an outbox row, plus the job that delivers it, in its own transaction. Nothing is sent for
 * a command that rolled back, and nothing committed is lost when a provider is down: the
 * delivery job retries with backoff, and a message that never gets through turns `failed`
 * for admins to see and retry.
 */

export { OUTBOX_CHANNELS, OUTBOX_STATUSES };
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** The job kind that delivers one outbox message. */
export const OUTBOX_DELIVER = 'outbox.deliver';

export type OutboxRow = Selectable<OutboxTable>;

export interface NewMessage {
  channel: OutboxChannel;
  /** in_app: a user id; email: an address; sms: a phone number; wechat: an openid. */
  recipient: string;
  subject?: string | null;
  body: string;
  link?: string | null;
  /**
   * Names the business event, e.g. `ticket:<id>:assigned:<version>:sms`. A second message
   * with the same key is dropped, so retried commands and replayed webhooks notify once.
   */
  idempotencyKey: string;
  maxAttempts?: number;
}

/**
 * Writes an outbox message and its delivery job in the caller's transaction. Returns the
 * message id and whether it is new (false: the idempotency key was already used).
 */
export async function enqueueMessage(
  trx: Kysely<DB>,
  deps: { clock: Clock; ids: Ids },
  msg: NewMessage,
): Promise<{ id: string; created: boolean }> {
  if (!(OUTBOX_CHANNELS as readonly string[]).includes(msg.channel)) throw new Error(`unknown outbox channel ${msg.channel}`);
  if (!msg.recipient) throw new Error('outbox message without recipient');
  const id = deps.ids.next();
  const res = await trx
    .insertInto('outbox')
    .values({
      id,
      channel: msg.channel,
      recipient: msg.recipient,
      subject: msg.subject ?? null,
      body: msg.body,
      link: msg.link ?? null,
      idempotency_key: msg.idempotencyKey,
      status: 'pending',
      attempts: 0,
      last_error: null,
      created_at: deps.clock.now().getTime(),
      delivered_at: null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) {
    const existing = await trx.selectFrom('outbox').select('id').where('idempotency_key', '=', msg.idempotencyKey).executeTakeFirstOrThrow();
    return { id: existing.id, created: false };
  }
  await enqueueJob(trx, deps, { kind: OUTBOX_DELIVER, payload: { outboxId: id }, maxAttempts: msg.maxAttempts });
  return { id, created: true };
}

/** Default title of an in-app notice whose message has no subject. */
const DEFAULT_TITLE = '系统通知';

/**
 * Delivers one outbox message; idempotent, as every job handler must be. A delivered message
 * is skipped; an in-app notice uses the outbox id as its own id, so a repeated run inserts
 * nothing. An external channel can still send twice if the process stops between the send and
 * the update; e-mails carry `Message-ID: <outbox id@qiaoliang>` so mail clients collapse them.
 */
export async function deliverOutboxMessage(deps: JobDeps & { notifier: Notifier }, outboxId: string): Promise<void> {
  const nowMs = deps.clock.now().getTime();
  const msg = await deps.db.selectFrom('outbox').selectAll().where('id', '=', outboxId).executeTakeFirst();
  if (!msg || msg.status !== 'pending') return;

  if (msg.channel === 'in_app') {
    try {
      await deps.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('notifications')
          .values({ id: msg.id, user_id: msg.recipient, title: msg.subject ?? DEFAULT_TITLE, body: msg.body, link: msg.link, read_at: null, created_at: nowMs })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        await markDelivered(trx, msg.id, nowMs);
      });
    } catch (err) {
      if (isForeignKeyViolation(err)) throw new PermanentJobError('recipient user does not exist');
      throw err;
    }
    return;
  }

  const adapter = channelAdapter(deps.notifier, msg.channel);
  if (!adapter) throw new PermanentJobError(`unknown channel ${msg.channel}`);
  const outgoing: OutgoingMessage = { id: msg.id, channel: msg.channel, recipient: msg.recipient, subject: msg.subject, body: msg.body, link: msg.link };
  try {
    await adapter(outgoing);
  } catch (err) {
    // Recorded on the message too, for the outbox viewer; the job then retries with backoff.
    await deps.db
      .updateTable('outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: safeErrorText(err) }))
      .where('id', '=', msg.id)
      .where('status', '=', 'pending')
      .execute();
    throw err;
  }
  await markDelivered(deps.db, msg.id, deps.clock.now().getTime());
}

function channelAdapter(notifier: Notifier, channel: string) {
  switch (channel) {
    case 'email': return notifier.email;
    case 'sms': return notifier.sms;
    case 'wechat': return notifier.wechat;
    default: return null;
  }
}

async function markDelivered(db: Kysely<DB>, id: string, nowMs: number): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({ status: 'delivered' as const, delivered_at: nowMs, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/** The outbox.deliver handler: delivers, and when the job is given up marks the message failed. */
export function outboxDeliveryHandler(deps: JobDeps & { notifier: Notifier }): JobHandler<{ outboxId: string }> {
  return {
    run: async (payload) => {
      if (typeof payload?.outboxId !== 'string') throw new PermanentJobError('payload has no outboxId');
      await deliverOutboxMessage(deps, payload.outboxId);
    },
    onDead: async (payload, ctx) => {
      if (typeof payload?.outboxId !== 'string') return;
      await ctx.trx
        .updateTable('outbox')
        .set({ status: 'failed', last_error: ctx.error })
        .where('id', '=', payload.outboxId)
        .where('status', '=', 'pending')
        .execute();
    },
  };
}

/** Registers outbox delivery with a runner. */
export function registerOutboxDelivery(runner: JobRunner, deps: JobDeps & { notifier: Notifier }): void {
  runner.register(OUTBOX_DELIVER, outboxDeliveryHandler(deps));
}

/**
 * Puts a failed message back to pending with a fresh delivery job, in the caller's
 * transaction. Compare-and-set on the status: a double click re-queues once. Returns the
 * message as it was before, or null when it is not (or no longer) failed.
 */
export async function requeueFailedMessage(trx: Kysely<DB>, deps: { clock: Clock; ids: Ids }, id: string): Promise<OutboxRow | null> {
  const before = await trx.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before || before.status !== 'failed') return null;
  const res = await trx.updateTable('outbox').set({ status: 'pending' }).where('id', '=', id).where('status', '=', 'failed').executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return null;
  await enqueueJob(trx, deps, { kind: OUTBOX_DELIVER, payload: { outboxId: id } });
  return before;
}
