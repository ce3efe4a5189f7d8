import type { Kysely } from 'kysely';

/**
 * Visit attempts that did not reach the customer (not at home, refused, wrong number, no
 * answer). A table of their own, not a flag on `visits`: every K3 query counts `visits`, and an
 * attempt must never count for K3; it is reported beside it (issue #20 gap 9).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('visit_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('task_id', 'text')
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('visit_attempts_project_at_idx').on('visit_attempts').columns(['project_id', 'at']).execute();
  await db.schema.createIndex('visit_attempts_customer_idx').on('visit_attempts').columns(['customer_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('visit_attempts').execute();
}
