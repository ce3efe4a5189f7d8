import { sql, type Kysely } from 'kysely';
import { OPEN_STATUSES } from '@qiaoliang/shared';
import { jsonArrayFrom as pgJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';
import { isPostgres } from '../../db/dialect.js';
import { primaryPhoneMasked } from '../customers/customer-phones.repo.js';
import { precompiled } from '../../db/precompiled.js';
import type { AttachmentsTable, DB, TicketEventsTable, TicketRepliesTable, WorkOrdersTable, WorkOrderUpdatesTable } from '../../db/schema.js';

/** Ticket rows with the names lists and details show. */
export function ticketsQuery(db: Kysely<DB>) {
  return db
    .selectFrom('tickets as t')
    .innerJoin('projects as p', 'p.id', 't.project_id')
    .innerJoin('users as o', 'o.id', 't.owner_id')
    .leftJoin('customers as c', 'c.id', 't.customer_id')
    .leftJoin('units as u', 'u.id', 't.unit_id')
    .leftJoin('buildings as b', 'b.id', 'u.building_id')
    .leftJoin('common_areas as ca', 'ca.id', 't.common_area_id')
    .selectAll('t')
    .select(['p.name as project_name', 'o.display_name as owner_name', 'c.name as customer_name', 'b.name as building_name', 'u.entrance', 'u.room_number', 'ca.name as common_area_name']);
}

/**
 * "Open" and "the deadline a queue sorts by", written as literals so that both databases match
 * them against the partial index tickets_open_due_idx (migration 0910): a bound parameter list
 * would not prove the index's WHERE. Must stay identical to that migration.
 */
export const OPEN_TICKETS_SQL = sql<boolean>`t.status in (${sql.raw(OPEN_STATUSES.map((s) => `'${s}'`).join(', '))})`;
export const QUEUE_DUE_SQL = sql<number>`coalesce(t.k1_due, t.resolution_due, t.first_response_due, t.registered_at)`;

export type TicketListRow = Awaited<ReturnType<ReturnType<typeof ticketsQuery>['execute']>>[number];

/** The next number of the day: KS20261127-0001. One row per day, incremented atomically. */
export async function nextTicketNumber(trx: Kysely<DB>, day: string): Promise<string> {
  const row = await trx
    .insertInto('ticket_counters')
    .values({ day, n: 1 })
    .onConflict((oc) => oc.column('day').doUpdateSet({ n: sql`ticket_counters.n + 1` }))
    .returning('n')
    .executeTakeFirstOrThrow();
  return `KS${day.replace(/-/g, '')}-${String(row.n).padStart(4, '0')}`;
}

/** Work orders with their ticket and department, for queues and ticket details. */
export function workOrdersQuery(db: Kysely<DB>) {
  return db
    .selectFrom('work_orders as w')
    .innerJoin('tickets as t', 't.id', 'w.ticket_id')
    .innerJoin('departments as d', 'd.id', 'w.department_id')
    .innerJoin('projects as p', 'p.id', 'w.project_id')
    .leftJoin('users as a', 'a.id', 'w.assignee_id')
    .leftJoin('units as u', 'u.id', 't.unit_id')
    .leftJoin('buildings as b', 'b.id', 'u.building_id')
    .leftJoin('common_areas as ca', 'ca.id', 't.common_area_id')
    .selectAll('w')
    .select([
      't.number as ticket_number', 't.title as ticket_title', 't.type as ticket_type', 't.severity', 'd.name as department_name', 'p.name as project_name',
      'a.display_name as assignee_name', 'b.name as building_name', 'u.entrance', 'u.room_number', 'ca.name as common_area_name',
    ]);
}

export type WorkOrderRow = Awaited<ReturnType<ReturnType<typeof workOrdersQuery>['execute']>>[number];

const WORK_ORDER_COLUMNS = [
  'w.id', 'w.ticket_id', 'w.department_id', 'w.project_id', 'w.status', 'w.instructions', 'w.due_at', 'w.assignee_id', 'w.accepted_at', 'w.completed_at',
  'w.rejected_reason', 'w.result', 'w.created_by', 'w.version', 'w.created_at', 'w.updated_at', 'd.name as department_name', 'a.display_name as assignee_name',
] as const;

/** A JSON array column that SQLite returns as text and PostgreSQL as parsed JSON. */
function jsonRows<T>(value: unknown): T[] {
  return (typeof value === 'string' ? JSON.parse(value) : value ?? []) as T[];
}

function detailQuery(db: Kysely<DB>, id: string) {
  const arrayFrom = isPostgres(db) ? pgJsonArrayFrom : sqliteJsonArrayFrom;
  return ticketsQuery(db)
    .select((eb) => [
      primaryPhoneMasked('t.customer_id').as('customer_phone'),
      arrayFrom(eb.selectFrom('work_orders as w').innerJoin('departments as d', 'd.id', 'w.department_id').leftJoin('users as a', 'a.id', 'w.assignee_id')
        .select(WORK_ORDER_COLUMNS).whereRef('w.ticket_id', '=', 't.id')).as('work_orders'),
      arrayFrom(eb.selectFrom('work_order_updates as wu').innerJoin('work_orders as w2', 'w2.id', 'wu.work_order_id')
        .select(['wu.id', 'wu.work_order_id', 'wu.at', 'wu.kind', 'wu.body', 'wu.actor_id', 'wu.actor_name']).whereRef('w2.ticket_id', '=', 't.id')).as('work_order_updates'),
      arrayFrom(eb.selectFrom('ticket_replies as r').select(['r.id', 'r.ticket_id', 'r.at', 'r.channel', 'r.content', 'r.substantive', 'r.actor_id', 'r.actor_name'])
        .whereRef('r.ticket_id', '=', 't.id')).as('replies'),
      arrayFrom(eb.selectFrom('ticket_events as e').select(['e.id', 'e.ticket_id', 'e.at', 'e.kind', 'e.from_status', 'e.to_status', 'e.actor_id', 'e.actor_name', 'e.data'])
        .whereRef('e.ticket_id', '=', 't.id')).as('events'),
      arrayFrom(eb.selectFrom('attachments as f').select(['f.id', 'f.filename', 'f.content_type', 'f.size', 'f.owner_type', 'f.owner_id'])
        .where((w) => w.or([
          w.and([w('f.owner_type', '=', 'ticket'), w('f.owner_id', '=', w.ref('t.id'))]),
          w.and([w('f.owner_type', '=', 'work_order'), w('f.owner_id', 'in', (sub) => sub.selectFrom('work_orders as w3').select('w3.id').whereRef('w3.ticket_id', '=', 't.id'))]),
        ]))).as('attachments'),
    ])
    .where('t.id', '=', id);
}

const runDetail = precompiled(detailQuery);

/**
 * A ticket with everything its detail shows — names, the customer's phone, work orders and their
 * updates, replies, events, attachments — in one statement, compiled once (benchmarks R6: ten
 * round trips and query compilations were most of the detail's cost). Children come as JSON arrays.
 */
export async function findTicketDetail(db: Kysely<DB>, id: string) {
  const rows = await runDetail(db, id);
  const row = rows[0];
  if (!row) return undefined;
  const { customer_phone, work_orders, work_order_updates, replies, events, attachments, ...ticket } = row;
  const byTime = <T extends { at: number; id: string }>(a: T, b: T) => Number(a.at) - Number(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  type WorkOrderJson = Omit<WorkOrdersTable, never> & { department_name: string; assignee_name: string | null };
  type AttachmentJson = Pick<AttachmentsTable, 'id' | 'filename' | 'content_type' | 'size' | 'owner_type' | 'owner_id'>;
  return {
    ticket,
    customerPhone: (customer_phone as string | null) ?? null,
    workOrders: jsonRows<WorkOrderJson>(work_orders).sort((a, b) => Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : 1)),
    workOrderUpdates: jsonRows<WorkOrderUpdatesTable>(work_order_updates).sort(byTime),
    replies: jsonRows<TicketRepliesTable>(replies).sort(byTime),
    events: jsonRows<TicketEventsTable>(events).sort(byTime),
    attachments: jsonRows<AttachmentJson>(attachments),
  };
}
