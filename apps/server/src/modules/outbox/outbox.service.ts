import { maskPhone, type OutboxMessage } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import { conflict, forbidden, notFound } from '../../http/app-error.js';
import { decodeCursor, encodeCursor, iso, isoOrNull } from '../../http/pagination.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import type { Actor } from '../../platform/auth.js';
import { requeueFailedMessage, type OutboxChannel, type OutboxRow, type OutboxStatus } from '../../platform/outbox.js';

export interface OutboxListQuery {
  status?: OutboxStatus;
  channel?: OutboxChannel;
  cursor?: string;
  limit?: number;
}

/** A phone number, with or without +86 and separators. */
const looksLikePhone = (s: string): boolean => /^\+?\d{7,15}$/.test(s.replace(/[\s-]/g, ''));

/**
 * A text with its survey link secrets shortened (`/s/<token>` → `/s/Ab3x…`): whoever holds a
 * link can answer as its owner, and the outbox viewer is for delivery problems (security
 * finding 11). The stored message keeps the whole link for delivery and retry.
 */
export function maskLinkSecrets(text: string): string {
  return text.replace(/\/s\/([A-Za-z0-9_-]{4})[A-Za-z0-9_-]*/g, '/s/$1…');
}

const maskedOrNull = (text: string | null): string | null => (text === null ? null : maskLinkSecrets(text));

/**
 * The admin view of a message. Survey link secrets are shortened (maskLinkSecrets). Phone numbers are masked even for admins: the viewer is for
 * delivery problems, not for reading owners' numbers. E-mail addresses show as they are
 * (admins only; they need them to answer "did my mail go out").
 */
export function presentOutbox(r: OutboxRow): OutboxMessage {
  return {
    id: r.id,
    channel: r.channel,
    recipient: looksLikePhone(r.recipient) ? (maskPhone(r.recipient) ?? '') : r.recipient,
    subject: maskedOrNull(r.subject),
    body: maskLinkSecrets(r.body),
    status: r.status,
    attempts: Number(r.attempts),
    lastError: maskedOrNull(r.last_error),
    createdAt: iso(r.created_at),
    deliveredAt: isoOrNull(r.delivered_at),
  };
}

/**
 * Outbox rows belong to no project (a notice may concern any of them), so only group-wide
 * admins see them: a project or city-company admin would otherwise read other scopes' messages.
 */
function assertGroupAdmin(actor: Actor): void {
  if (actor.scopeKind !== 'group') throw forbidden('只有集团范围的管理员可以查看和重发消息');
}

/**
 * Newest first, keyset-paged on the id: ids are UUIDv7, ordered by creation time, and the
 * primary key index serves the order, so a deep page costs what the first one does.
 */
export async function listOutbox(deps: Deps, actor: Actor, q: OutboxListQuery): Promise<{ items: OutboxMessage[]; nextCursor: string | null }> {
  assertGroupAdmin(actor);
  const limit = q.limit ?? 50;
  const cursor = decodeCursor<[string]>(q.cursor, 1);
  let query = deps.db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(limit + 1);
  if (cursor) query = query.where('id', '<', cursor[0]);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.channel) query = query.where('channel', '=', q.channel);
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(presentOutbox), nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
}

/** Re-queues a failed message for delivery; audited. 404 when unknown, 409 when not failed. */
export async function retryOutbox(deps: Deps, actor: Actor, ctx: AuditContext, id: string): Promise<OutboxMessage> {
  assertGroupAdmin(actor);
  return deps.db.transaction().execute(async (trx) => {
    const before = await requeueFailedMessage(trx, deps, id);
    if (!before) {
      const exists = await trx.selectFrom('outbox').select('status').where('id', '=', id).executeTakeFirst();
      if (!exists) throw notFound('消息不存在');
      throw conflict('resource.conflict', exists.status === 'delivered' ? '消息已发送成功，无需重试' : '消息正在发送中，只有发送失败的消息可以重试');
    }
    await appendAudit(trx, deps, ctx, {
      action: 'outbox.retried',
      entityType: 'outbox',
      entityId: id,
      before: { status: before.status, attempts: Number(before.attempts), lastError: before.last_error },
      after: { status: 'pending' },
    });
    const after = await trx.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return presentOutbox(after);
  });
}
