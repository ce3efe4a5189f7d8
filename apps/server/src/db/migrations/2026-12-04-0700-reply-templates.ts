import type { Kysely } from 'kysely';

/**
 * Reply templates (回复模板): texts with variables an agent inserts into an answer or a reply.
 * Group-wide (project_id null) or of one project; archived rather than deleted, so the audit
 * trail of what a template said stays readable.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reply_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('ticket_type', 'text')
    .addColumn('project_id', 'text', (c) => c.references('projects.id'))
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema.createIndex('reply_templates_project_idx').on('reply_templates').columns(['project_id', 'active']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reply_templates').execute();
}
