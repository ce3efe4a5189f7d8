import { maskEmail, maskHandle, maskPersonalText, type AuditEntry, type AuditListQuery } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { AuditLogTable } from '../../db/schema.js';
import { decodeCursor, encodeCursor, iso } from '../../http/pagination.js';
import { zonedDayStart } from '../../platform/time.js';

function parse(json: string | null): unknown {
  return json === null ? null : masked(JSON.parse(json));
}

const EMAIL_KEYS = new Set(['email', 'mail']);
const HANDLE_KEYS = new Set(['wechat_id', 'wechatId']);

/**
 * The audit images as the log shows them: personal data masked like everywhere else (issue 21).
 * The stored rows stay as written (the hash chain covers them); writers already leave phones
 * and ID numbers out, and this also catches them in free text (notes, reasons) and masks
 * e-mail addresses and WeChat ids.
 */
function masked(value: unknown, key?: string): unknown {
  if (typeof value === 'string') {
    if (key && EMAIL_KEYS.has(key)) return maskEmail(value);
    if (key && HANDLE_KEYS.has(key)) return maskHandle(value);
    return maskPersonalText(value);
  }
  if (Array.isArray(value)) return value.map((v) => masked(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, k)]));
  return value;
}

const present = (r: AuditLogTable): AuditEntry => ({
  id: r.id,
  seq: Number(r.seq),
  at: iso(r.at),
  actorId: r.actor_id,
  actorName: r.actor_name,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  before: parse(r.before_json),
  after: parse(r.after_json),
  ip: r.ip,
  requestId: r.request_id,
});

/**
 * Newest first, keyset-paged on seq. The audit log is the whole group's history: offsets
 * would slow down with every year of it.
 */
export async function listAudit(deps: Deps, q: AuditListQuery) {
  const limit = q.limit ?? 50;
  const cursor = decodeCursor<[number]>(q.cursor, 1);
  let query = deps.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(limit + 1);
  if (cursor) query = query.where('seq', '<', cursor[0]);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.entityType) query = query.where('entity_type', '=', q.entityType);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  if (q.from) query = query.where('at', '>=', zonedDayStart(q.from, deps.config.timeZone));
  if (q.to) query = query.where('at', '<', zonedDayStart(q.to, deps.config.timeZone, 1));
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(present), nextCursor: rows.length > limit && last ? encodeCursor([Number(last.seq)]) : null };
}
