import type { Kysely } from 'kysely';

/**
 * How a call ended when it was not the PBX that said so: `timeout` for a call whose hang-up
 * event never arrived and was closed after CALL_TIMEOUT_MINUTES (issue #18 defect 1); null for
 * every call the PBX ended. The index finds the calls still open (ringing/answered) by age.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('calls').addColumn('end_reason', 'text').execute();
  await db.schema.createIndex('calls_open_idx').on('calls').columns(['status', 'started_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('calls_open_idx').execute();
  await db.schema.alterTable('calls').dropColumn('end_reason').execute();
}
