import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, AuditLogTable } from '../db/schema.js';
import { isPostgres } from '../db/dialect.js';
import type { Clock } from './clock.js';
import type { Ids } from './ids.js';

/** Who did a thing and from where; carried from the request into every audited write. */
export interface AuditContext {
  actorId: string | null;
  actorName: string | null;
  ip: string | null;
  requestId: string | null;
}

export interface AuditEvent {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

type HashedFields = Omit<AuditLogTable, 'id' | 'hash'>;

/** The chain link: a row's hash covers its content and the previous row's hash. */
export function auditHash(row: HashedFields): string {
  const canonical = JSON.stringify([
    row.prev_hash, row.seq, row.at, row.actor_id, row.actor_name, row.action, row.entity_type, row.entity_id,
    row.before_json, row.after_json, row.ip, row.request_id,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Appends one event to the hash-chained audit log. Call it inside the transaction of the
 * write it records, so the record and its audit commit together or not at all. The head row
 * is locked for the rest of the transaction: keep audit appends near the end of a command.
 */
export async function appendAudit(
  trx: Kysely<DB>,
  deps: { clock: Clock; ids: Ids },
  ctx: AuditContext,
  event: AuditEvent,
): Promise<void> {
  let q = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  if (isPostgres(trx)) q = q.forUpdate();
  const head = await q.executeTakeFirstOrThrow();
  const fields: HashedFields = {
    seq: Number(head.seq) + 1,
    at: deps.clock.now().getTime(),
    actor_id: ctx.actorId,
    actor_name: ctx.actorName,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId,
    before_json: event.before === undefined ? null : JSON.stringify(event.before),
    after_json: event.after === undefined ? null : JSON.stringify(event.after),
    ip: ctx.ip,
    request_id: ctx.requestId,
    prev_hash: head.hash,
  };
  const hash = auditHash(fields);
  await trx.insertInto('audit_log').values({ id: deps.ids.next(), ...fields, hash }).execute();
  await trx.updateTable('audit_head').set({ seq: fields.seq, hash }).where('id', '=', 1).execute();
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** The first row whose hash or link does not match, when the chain is broken. */
  brokenAtSeq: number | null;
  reason: string | null;
}

/** Recomputes the whole chain in order, in pages, and reports the first break. */
export async function verifyAuditChain(db: Kysely<DB>, pageSize = 5000): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return { ok: false, checked, brokenAtSeq: expectedSeq, reason: `第 ${expectedSeq} 条记录缺失` };
      if (row.prev_hash !== prevHash) return { ok: false, checked, brokenAtSeq: seq, reason: `第 ${seq} 条记录的前序哈希不匹配` };
      const { id: _id, hash, ...fields } = row;
      if (auditHash({ ...fields, seq, at: Number(fields.at) }) !== hash) {
        return { ok: false, checked, brokenAtSeq: seq, reason: `第 ${seq} 条记录的内容被修改` };
      }
      prevHash = hash;
      expectedSeq++;
      checked++;
    }
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (head && (Number(head.seq) !== expectedSeq - 1 || head.hash !== prevHash)) {
    return { ok: false, checked, brokenAtSeq: Number(head.seq), reason: '链尾记录被删除' };
  }
  return { ok: true, checked, brokenAtSeq: null, reason: null };
}
