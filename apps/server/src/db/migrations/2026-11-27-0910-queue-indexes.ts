import { sql, type Kysely } from 'kysely';

/*
 * The queues' own orders, measured at 1M tickets (docs/benchmarks.md):
 * - "all tickets of my project, newest first" walks (project_id, registered_at) instead of
 *   sorting the project's whole history for every keyset page;
 * - the open-ticket views (mine, team) walk the open tickets in deadline order: a partial index
 *   on the deadline expression the queue sorts by, carrying id and project_id so that the scope
 *   filter needs no table lookup (was: fetch all ~6.5k open tickets and sort, ~100 ms). It
 *   replaces 0900's (status, project_id), which SQLite kept preferring for that sort; a scoped
 *   queue uses (project_id, status, k1_due) as before (~3 ms for two projects).
 * Frozen like every migration: the status list and the expression are repeated here on purpose
 * and must stay identical to OPEN_TICKETS_SQL and QUEUE_DUE_SQL in tickets.repo.ts (a test
 * checks the query plan uses them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('tickets_project_registered_idx').on('tickets').columns(['project_id', 'registered_at']).execute();
  await sql`create index tickets_open_due_idx on tickets (coalesce(k1_due, resolution_due, first_response_due, registered_at), id, project_id)
    where status in ('registered', 'dispatched', 'in_progress', 'result_returned', 'replied', 'waiting_customer', 'reopened')`.execute(db);
  await db.schema.dropIndex('tickets_status_project_idx').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('tickets_status_project_idx').on('tickets').columns(['status', 'project_id']).execute();
  await db.schema.dropIndex('tickets_open_due_idx').ifExists().execute();
  await db.schema.dropIndex('tickets_project_registered_idx').ifExists().execute();
}
