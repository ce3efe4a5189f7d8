import type { Kysely } from 'kysely';

/**
 * Export jobs (issue 21, findings 3 and 6): an export is requested by a POST, may wait for a
 * manager's approval (bulk export of clear phones, GB/T 35273 §7.2), is built by the job runner
 * into a file under the data directory, downloaded only by its requester, and expires.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('export_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // customers | tickets | kpis | survey_results
    .addColumn('kind', 'text', (c) => c.notNull())
    // JSON: the filter of the export, as the domain's schema validated it.
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('requested_by_name', 'text', (c) => c.notNull())
    .addColumn('request_ip', 'text')
    .addColumn('request_id', 'text')
    // JSON array of the requester's projects when requested, or null for group-wide; approvers must cover it.
    .addColumn('scope_project_ids', 'text')
    .addColumn('reveal_phones', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reason', 'text')
    // awaiting_approval | queued | running | done | failed | rejected | expired
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rows_total', 'integer')
    .addColumn('rows_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_by_name', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('decision_note', 'text')
    .addColumn('storage_key', 'text')
    .addColumn('file_name', 'text')
    .addColumn('file_size', 'integer')
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('export_jobs_requester_idx').on('export_jobs').columns(['requested_by', 'created_at']).execute();
  await db.schema.createIndex('export_jobs_status_idx').on('export_jobs').columns(['status', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('export_jobs').execute();
}
