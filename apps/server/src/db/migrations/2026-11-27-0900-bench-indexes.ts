import type { Kysely } from 'kysely';

/**
 * Indexes the benchmark showed to matter at a group's scale (docs/benchmarks.md).
 *
 * The team queue of a group- or city-wide lead has no project filter: "open statuses, sorted
 * by deadline" scanned every ticket (1M rows: ~1.2 s on SQLite). With (status, project_id) the
 * open tickets are found by seeks (~7k rows at 1M tickets: ~65 ms for the bare query).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('tickets_status_project_idx').on('tickets').columns(['status', 'project_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tickets_status_project_idx').ifExists().execute();
}
