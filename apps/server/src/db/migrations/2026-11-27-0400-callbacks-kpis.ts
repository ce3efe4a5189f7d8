import type { Kysely } from 'kysely';

/**
 * Callbacks after resolution, ratings from any channel, valid-complaint decisions, customer
 * visits and the annual visit programme: the records K2 and K3 are computed from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('invalid_reason', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('invalid_note', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('invalid_by', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('invalid_at', 'bigint').execute();

  await db.schema
    .createTable('callbacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('assignee_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('satisfaction', 'integer')
    .addColumn('comment', 'text')
    .addColumn('completed_at', 'bigint')
    .addColumn('completed_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('callbacks_assignee_idx').on('callbacks').columns(['assignee_id', 'status', 'due_at']).execute();
  await db.schema.createIndex('callbacks_project_idx').on('callbacks').columns(['project_id', 'status', 'due_at']).execute();
  await db.schema.createIndex('callbacks_ticket_idx').on('callbacks').column('ticket_id').execute();

  await db.schema
    .createTable('callback_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('callback_id', 'text', (c) => c.notNull().references('callbacks.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('reached', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .execute();

  // Every satisfaction rating, whatever the channel (callback, portal, survey), lands here.
  await db.schema
    .createTable('ratings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('customer_id', 'text')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('satisfaction', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .execute();
  await db.schema.createIndex('ratings_ticket_idx').on('ratings').columns(['ticket_id', 'at']).execute();
  await db.schema.createIndex('ratings_project_at_idx').on('ratings').columns(['project_id', 'at']).execute();

  // One row per contact with a customer; `kinds` lists what it was (a callback that was also a
  // home visit is one contact and counts once for K3).
  await db.schema
    .createTable('visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('kinds', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('satisfaction', 'integer')
    .addColumn('source', 'text')
    .addColumn('source_id', 'text')
    .addColumn('task_id', 'text')
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('visits_project_at_idx').on('visits').columns(['project_id', 'at']).execute();
  await db.schema.createIndex('visits_customer_idx').on('visits').columns(['customer_id', 'at']).execute();

  await db.schema
    .createTable('visit_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('target_rate', 'double precision', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('generated_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('visit_plans_project_year_uq', ['project_id', 'year'])
    .execute();

  await db.schema
    .createTable('visit_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('visit_plans.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('visit_id', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('visit_tasks_plan_customer_reason_uq', ['plan_id', 'customer_id', 'reason', 'due_date'])
    .execute();
  await db.schema.createIndex('visit_tasks_project_idx').on('visit_tasks').columns(['project_id', 'status', 'due_date']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['visit_tasks', 'visit_plans', 'visits', 'ratings', 'callback_attempts', 'callbacks']) await db.schema.dropTable(t).ifExists().execute();
  for (const c of ['invalid_at', 'invalid_by', 'invalid_note', 'invalid_reason']) await db.schema.alterTable('tickets').dropColumn(c).execute();
}
