import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { isPostgres } from '../../db/dialect.js';
import { verifyAuditChain } from '../../platform/audit.js';

/**
 * Consistency checks run after every crash and restart. Each returns the problems it found
 * (empty: all good), so a failing test lists everything wrong at once.
 */

/** SQLite: PRAGMA integrity_check and foreign_key_check. PostgreSQL: amcheck on every index and table. */
export async function integrityProblems(db: Kysely<DB>): Promise<string[]> {
  const problems: string[] = [];
  if (!isPostgres(db)) {
    const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    const lines = check.rows.map((r) => r.integrity_check);
    if (lines.join() !== 'ok') problems.push(`integrity_check: ${lines.slice(0, 5).join('; ')}`);
    const fk = await sql<Record<string, unknown>>`pragma foreign_key_check`.execute(db);
    if (fk.rows.length) problems.push(`foreign_key_check: ${fk.rows.length} violations, e.g. ${JSON.stringify(fk.rows[0])}`);
    return problems;
  }
  await sql`create extension if not exists amcheck`.execute(db);
  const indexes = await sql<{ oid: number; name: string }>`select c.oid::int as oid, c.relname as name from pg_index i
    join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam join pg_namespace n on n.oid = c.relnamespace
    where am.amname = 'btree' and n.nspname = current_schema()`.execute(db);
  for (const ix of indexes.rows) {
    try {
      await sql`select bt_index_check(${ix.oid}::oid, true)`.execute(db);
    } catch (err) {
      problems.push(`index ${ix.name}: ${(err as Error).message}`);
    }
  }
  const tables = await sql<{ oid: number; name: string }>`select c.oid::int as oid, c.relname as name from pg_class c
    join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname = current_schema()`.execute(db);
  for (const t of tables.rows) {
    const bad = await sql<{ n: number }>`select count(*)::int as n from verify_heapam(${t.oid}::oid)`.execute(db);
    if (Number(bad.rows[0]?.n) > 0) problems.push(`table ${t.name}: verify_heapam reports ${bad.rows[0]?.n} problems`);
  }
  return problems;
}

/** The hash-chained audit log still verifies. */
export async function auditProblems(db: Kysely<DB>): Promise<string[]> {
  const r = await verifyAuditChain(db);
  return r.ok ? [] : [`audit chain broken at ${r.brokenAtSeq}: ${r.reason}`];
}

const ACTIVE = new Set(['registered', 'dispatched', 'in_progress', 'result_returned', 'replied', 'reopened']);

/**
 * Tickets and their events agree: one event per version (registration is version 1), the
 * first event is the registration, each status change starts where the previous one ended,
 * and the last one ends in the ticket's status. A resolved ticket has exactly one open callback.
 * (SLA escalations also bump the version; the torture runs far from any deadline.)
 */
export async function ticketProblems(db: Kysely<DB>): Promise<string[]> {
  const problems: string[] = [];
  const tickets = await db.selectFrom('tickets').select(['id', 'number', 'status', 'version']).execute();
  const events = await db.selectFrom('ticket_events').select(['ticket_id', 'kind', 'from_status', 'to_status']).orderBy('ticket_id').orderBy('at').orderBy('id').execute();
  const byTicket = new Map<string, typeof events>();
  for (const e of events) {
    const list = byTicket.get(e.ticket_id) ?? [];
    list.push(e);
    byTicket.set(e.ticket_id, list);
  }
  const openCallbacks = new Map<string, number>();
  for (const c of await db.selectFrom('callbacks').select('ticket_id').where('status', '=', 'open').execute()) {
    openCallbacks.set(c.ticket_id, (openCallbacks.get(c.ticket_id) ?? 0) + 1);
  }
  for (const t of tickets) {
    const list = byTicket.get(t.id) ?? [];
    if (list.length !== Number(t.version)) problems.push(`${t.number}: version ${t.version} but ${list.length} events`);
    if (list[0]?.kind !== 'registered') problems.push(`${t.number}: first event is ${list[0]?.kind ?? 'missing'}`);
    let status: string | null = null;
    for (const e of list) {
      if (e.to_status === null) continue;
      if (status !== null && e.from_status !== null && e.from_status !== status) problems.push(`${t.number}: ${e.kind} from ${e.from_status} after the ticket was ${status}`);
      status = e.to_status;
    }
    if (status !== t.status) problems.push(`${t.number}: status ${t.status} but the events end in ${status}`);
    const open = openCallbacks.get(t.id) ?? 0;
    if (t.status === 'resolved' && open !== 1) problems.push(`${t.number}: resolved with ${open} open callbacks`);
    if (t.status === 'closed' && open !== 0) problems.push(`${t.number}: closed with ${open} open callbacks`);
  }
  return problems;
}

/**
 * Durable background work: every pending outbox message has a live delivery job; every
 * delivered in-app message is exactly one notification and no notification lacks its message;
 * every active ticket has a pending SLA timer; every work order notified its department; no
 * job is dead.
 */
export async function backgroundProblems(db: Kysely<DB>): Promise<string[]> {
  const problems: string[] = [];
  const jobs = await db.selectFrom('jobs').select(['id', 'kind', 'payload', 'status', 'last_error']).execute();
  const liveDeliveries = new Set<string>();
  const liveTimers = new Set<string>();
  for (const j of jobs) {
    const live = j.status === 'pending' || j.status === 'running';
    if (j.status === 'dead') problems.push(`job ${j.kind} ${j.id} is dead: ${j.last_error}`);
    if (!live) continue;
    const p = JSON.parse(j.payload) as { outboxId?: string; ticketId?: string };
    if (j.kind === 'outbox.deliver' && p.outboxId) liveDeliveries.add(p.outboxId);
    if (j.kind === 'sla.check' && p.ticketId) liveTimers.add(p.ticketId);
  }
  const outbox = await db.selectFrom('outbox').select(['id', 'channel', 'status', 'idempotency_key']).execute();
  const notifications = await db.selectFrom('notifications').select('id').execute();
  const notified = new Set(notifications.map((n) => n.id));
  const outboxIds = new Set(outbox.map((o) => o.id));
  for (const o of outbox) {
    if (o.status === 'pending' && !liveDeliveries.has(o.id)) problems.push(`outbox ${o.idempotency_key} pending without a delivery job`);
    if (o.status === 'failed') problems.push(`outbox ${o.idempotency_key} failed`);
    if (o.channel === 'in_app' && o.status === 'delivered' && !notified.has(o.id)) problems.push(`outbox ${o.idempotency_key} delivered but no notification`);
  }
  for (const n of notifications) if (!outboxIds.has(n.id)) problems.push(`notification ${n.id} without an outbox message`);
  const inAppDelivered = outbox.filter((o) => o.channel === 'in_app' && o.status === 'delivered').length;
  const inAppNotified = outbox.filter((o) => o.channel === 'in_app' && notified.has(o.id)).length;
  if (inAppNotified > inAppDelivered) {
    // A notification for a message still pending: the delivery committed both or neither.
    problems.push(`${inAppNotified - inAppDelivered} notifications for messages not marked delivered`);
  }
  const active = await db.selectFrom('tickets').select(['id', 'number', 'status']).execute();
  for (const t of active) if (ACTIVE.has(t.status) && !liveTimers.has(t.id)) problems.push(`${t.number} (${t.status}) has no pending SLA timer`);
  const notifiedWorkOrders = new Set(outbox.map((o) => /^wo:([^:]+):assigned:/.exec(o.idempotency_key)?.[1]).filter(Boolean));
  const wos = await db.selectFrom('work_orders').select(['id']).execute();
  for (const w of wos) if (!notifiedWorkOrders.has(w.id)) problems.push(`work order ${w.id} notified nobody`);
  return problems;
}

/** Outbox messages not yet delivered. */
export async function undelivered(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '!=', 'delivered').executeTakeFirstOrThrow();
  return Number(r.n);
}
