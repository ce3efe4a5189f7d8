import type { Kysely } from 'kysely';

/**
 * Surveys (D2): questionnaires of a project with their segment, the invitations sent to the
 * customers of that segment (each with its own random link token), and one response per
 * invitation, stored against the customer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('surveys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('intro', 'text')
    // JSON: [{ id, kind, text, options?, required, scaleMax?, scaleMinLabel?, scaleMaxLabel? }]
    .addColumn('questions', 'text', (c) => c.notNull())
    // JSON: { buildingIds?, customerKinds?, handoverFrom?, handoverTo? }
    .addColumn('segment', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('channel', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    // Kept in the transactions that add invitations and responses, for lists without joins.
    .addColumn('invitation_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('response_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('surveys_project_created_idx').on('surveys').columns(['project_id', 'created_at']).execute();

  await db.schema
    .createTable('survey_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('survey_id', 'text', (c) => c.notNull().references('surveys.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    // The respondent's link /s/<token>: 128 random bits, the only credential of the public form.
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('responded_at', 'bigint')
    .execute();
  await db.schema.createIndex('survey_invitations_survey_idx').on('survey_invitations').columns(['survey_id', 'customer_id']).execute();
  await db.schema.createIndex('survey_invitations_customer_idx').on('survey_invitations').column('customer_id').execute();

  await db.schema
    .createTable('survey_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('survey_id', 'text', (c) => c.notNull().references('surveys.id'))
    // One response per invitation, whatever a double click or a replayed request does.
    .addColumn('invitation_id', 'text', (c) => c.notNull().unique().references('survey_invitations.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    // JSON: { [questionId]: option | options[] | 1…scaleMax | text }
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('survey_responses_survey_idx').on('survey_responses').columns(['survey_id', 'submitted_at']).execute();
  await db.schema.createIndex('survey_responses_customer_idx').on('survey_responses').column('customer_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['survey_responses', 'survey_invitations', 'surveys']) await db.schema.dropTable(t).ifExists().execute();
}
