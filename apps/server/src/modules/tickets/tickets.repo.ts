import { sql, type Kysely } from 'kysely';
import { OPEN_STATUSES } from '@qiaoliang/shared';
import type { DB } from '../../db/schema.js';

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
