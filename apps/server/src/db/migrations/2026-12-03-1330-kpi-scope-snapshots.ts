import type { Kysely } from 'kysely';

/**
 * Daily snapshots of K3/K4 scope and archive states (issue #20 defect 3): which customers held
 * an owner-type relation in which project at the end of a date, with their archive state then.
 * Past periods read these, so later edits do not change them; a back-dated correction rewrites
 * them. `kpi_snapshot_days` marks the dates whose snapshot the daily job has completed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('kpi_scope_snapshots')
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('complete', 'integer', (c) => c.notNull())
    .addColumn('missing', 'text', (c) => c.notNull())
    .addColumn('touched_at', 'bigint', (c) => c.notNull())
    .addColumn('taken_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('kpi_scope_snapshots_pk', ['date', 'customer_id', 'project_id'])
    .execute();
  await db.schema.createIndex('kpi_scope_snapshots_project_idx').on('kpi_scope_snapshots').columns(['date', 'project_id']).execute();
  await db.schema.createIndex('kpi_scope_snapshots_customer_idx').on('kpi_scope_snapshots').columns(['customer_id', 'date']).execute();
  await db.schema
    .createTable('kpi_snapshot_days')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('taken_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('kpi_snapshot_days').execute();
  await db.schema.dropTable('kpi_scope_snapshots').execute();
}
