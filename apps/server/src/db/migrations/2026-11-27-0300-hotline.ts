import type { Kysely } from 'kysely';

/**
 * Hotline (S1): call records from the telephony system, the raw CTI events that make them
 * idempotent, call-back tasks for missed calls, the calls ↔ tickets links, and the short-lived
 * store of live events pushed to the admin UI (Server-Sent Events).
 * Independent of the tickets migration: call_tickets has no foreign key to tickets.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The PBX's id: one call record per PBX call.
    .addColumn('call_id', 'text', (c) => c.notNull().unique())
    .addColumn('direction', 'text', (c) => c.notNull())
    // E.164 when the PBX sent a valid number, the raw text otherwise (withheld, internal).
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('called', 'text', (c) => c.notNull())
    .addColumn('extension', 'text')
    .addColumn('agent_id', 'text', (c) => c.references('users.id'))
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    // The customer's (or else the agent's) project: supervisors see the calls of their projects.
    .addColumn('project_id', 'text', (c) => c.references('projects.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('duration_s', 'integer')
    .addColumn('recording_url', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('calls_agent_started_idx').on('calls').columns(['agent_id', 'started_at']).execute();
  await db.schema.createIndex('calls_project_started_idx').on('calls').columns(['project_id', 'started_at']).execute();
  await db.schema.createIndex('calls_customer_started_idx').on('calls').columns(['customer_id', 'started_at']).execute();
  await db.schema.createIndex('calls_started_idx').on('calls').columns(['started_at', 'id']).execute();

  // One row per (PBX call id, event): the primary key is the webhook's idempotency key.
  await db.schema
    .createTable('cti_events')
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cti_events_pk', ['call_id', 'event'])
    .execute();

  await db.schema
    .createTable('call_back_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // At most one call-back task per missed call, whatever retries the PBX makes.
    .addColumn('call_id', 'text', (c) => c.notNull().unique().references('calls.id'))
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('project_id', 'text', (c) => c.references('projects.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    // Null: in the project's pool.
    .addColumn('assigned_to', 'text', (c) => c.references('users.id'))
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .addColumn('done_by', 'text', (c) => c.references('users.id'))
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('call_back_tasks_assigned_idx').on('call_back_tasks').columns(['assigned_to', 'status', 'due_at']).execute();
  await db.schema.createIndex('call_back_tasks_project_idx').on('call_back_tasks').columns(['project_id', 'status', 'due_at']).execute();

  // No foreign key to tickets on purpose: the tickets module owns its tables and migrations.
  await db.schema
    .createTable('call_tickets')
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('call_tickets_pk', ['call_id', 'ticket_id'])
    .execute();
  await db.schema.createIndex('call_tickets_ticket_idx').on('call_tickets').column('ticket_id').execute();

  // Live events for the SSE streams, kept about an hour: PostgreSQL NOTIFY carries only ids
  // (payloads must stay under 8000 bytes), and a reconnecting browser replays by Last-Event-ID.
  await db.schema
    .createTable('server_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('server_events_user_idx').on('server_events').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('server_events_created_idx').on('server_events').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['server_events', 'call_tickets', 'call_back_tasks', 'cti_events', 'calls']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
