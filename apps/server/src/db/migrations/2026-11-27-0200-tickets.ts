import type { Kysely } from 'kysely';

/**
 * The single window: working calendar, ticket categories, versioned SLA policies, tickets with
 * their events, replies, work orders and attachments, and the daily ticket-number counter.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calendar_days')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('working', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // official: from the State Council calendar; local: added by an admin (wins over official).
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('ticket_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('ticket_categories.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_categories_type_idx').on('ticket_categories').columns(['type', 'parent_id']).execute();

  await db.schema
    .createTable('sla_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('version_no', 'integer', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addUniqueConstraint('sla_policies_version_uq', ['type', 'severity', 'version_no'])
    .execute();

  await db.schema
    .createTable('ticket_counters')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('n', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.references('ticket_categories.id'))
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resume_status', 'text')
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('common_area_id', 'text', (c) => c.references('common_areas.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('registered_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('registered_at', 'bigint', (c) => c.notNull())
    .addColumn('sla_policy_id', 'text', (c) => c.notNull().references('sla_policies.id'))
    .addColumn('first_response_due', 'bigint')
    .addColumn('reply_due', 'bigint')
    .addColumn('resolution_due', 'bigint')
    // The deadline K1 judges (reply due for major complaints, resolution due otherwise).
    .addColumn('k1_due', 'bigint')
    .addColumn('paused_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('paused_at', 'bigint')
    .addColumn('first_responded_at', 'bigint')
    .addColumn('first_replied_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('breached', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('valid', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('end_reason', 'text')
    .addColumn('merged_into_id', 'text')
    .addColumn('call_id', 'text')
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tickets_project_status_idx').on('tickets').columns(['project_id', 'status', 'k1_due']).execute();
  await db.schema.createIndex('tickets_owner_status_idx').on('tickets').columns(['owner_id', 'status', 'resolution_due']).execute();
  await db.schema.createIndex('tickets_customer_idx').on('tickets').columns(['customer_id', 'registered_at']).execute();
  await db.schema.createIndex('tickets_k1_idx').on('tickets').columns(['type', 'k1_due']).execute();
  await db.schema.createIndex('tickets_registered_idx').on('tickets').columns(['registered_at']).execute();

  await db.schema
    .createTable('ticket_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('data', 'text')
    .execute();
  await db.schema.createIndex('ticket_events_ticket_idx').on('ticket_events').columns(['ticket_id', 'at']).execute();

  await db.schema
    .createTable('ticket_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('substantive', 'integer', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_replies_ticket_idx').on('ticket_replies').columns(['ticket_id', 'at']).execute();

  await db.schema
    .createTable('work_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('instructions', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
    .addColumn('accepted_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addColumn('rejected_reason', 'text')
    .addColumn('result', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('work_orders_dept_status_idx').on('work_orders').columns(['department_id', 'status', 'due_at']).execute();
  await db.schema.createIndex('work_orders_ticket_idx').on('work_orders').column('ticket_id').execute();

  await db.schema
    .createTable('work_order_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('work_order_updates_wo_idx').on('work_order_updates').columns(['work_order_id', 'at']).execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_owner_idx').on('attachments').columns(['owner_type', 'owner_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['attachments', 'work_order_updates', 'work_orders', 'ticket_replies', 'ticket_events', 'tickets', 'ticket_counters', 'sla_policies', 'ticket_categories', 'calendar_days']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
