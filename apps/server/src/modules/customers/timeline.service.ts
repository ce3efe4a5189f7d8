import type { Kysely } from 'kysely';
import type { TimelineEntry } from '@qiaoliang/shared';
import type { DB } from '../../db/schema.js';
import { iso } from '../../http/pagination.js';
import type { AuditContext } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { Ids } from '../../platform/ids.js';

/** One event in a customer's life, as any module records it. */
export interface TimelineInput {
  customerId: string;
  /** Dotted kind, owned by the recording module: `customer.created`, `ticket.registered`, `call.answered` … */
  kind: string;
  title: string;
  body?: string | null;
  refType?: string | null;
  refId?: string | null;
  projectId?: string | null;
  /** Defaults to now. */
  at?: number;
}

/**
 * The one timeline interface: every module adds its entries here, inside the transaction of
 * the write they describe, and the customer's 360 view reads them in one list.
 */
export async function recordTimeline(trx: Kysely<DB>, deps: { clock: Clock; ids: Ids }, ctx: AuditContext, entry: TimelineInput): Promise<void> {
  await trx.insertInto('timeline_entries').values({
    id: deps.ids.next(),
    customer_id: entry.customerId,
    at: entry.at ?? deps.clock.now().getTime(),
    kind: entry.kind,
    title: entry.title,
    body: entry.body ?? null,
    ref_type: entry.refType ?? null,
    ref_id: entry.refId ?? null,
    project_id: entry.projectId ?? null,
    actor_id: ctx.actorId,
    actor_name: ctx.actorName,
  }).execute();
}

/** A customer's timeline, newest first, keyset-paged by (at, id). */
export async function listTimeline(db: Kysely<DB>, customerId: string, before: { at: number; id: string } | null, limit: number): Promise<TimelineEntry[]> {
  let q = db.selectFrom('timeline_entries').selectAll().where('customer_id', '=', customerId).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit);
  if (before) q = q.where((eb) => eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]));
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id, at: iso(r.at), kind: r.kind, title: r.title, body: r.body, refType: r.ref_type, refId: r.ref_id, actorName: r.actor_name,
  }));
}
