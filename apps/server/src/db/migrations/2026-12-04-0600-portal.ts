import type { Kysely } from 'kysely';

/*
 * Owner portal (issue 12). Owners are not staff: their one-time codes and sessions have their
 * own tables (a staff session id can never resume as an owner and vice versa). Phones appear
 * only as the keyed blind index of the customer-phones module, addresses only as SHA-256.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per code sent (or refused for an unknown number: the same row, no customer, so the
  // limits and the answer are the same and nothing tells a known number from an unknown one).
  await db.schema
    .createTable('portal_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('phone_hash', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('ip_hash', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('portal_codes_phone_idx').on('portal_codes').columns(['phone_hash', 'created_at']).execute();
  await db.schema.createIndex('portal_codes_ip_idx').on('portal_codes').columns(['ip_hash', 'created_at']).execute();

  await db.schema
    .createTable('portal_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('portal_sessions_customer_idx').on('portal_sessions').column('customer_id').execute();

  // In-portal notices (the center replied, resolved): written by the outbox's in-app twin for owners.
  await db.schema
    .createTable('portal_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('ticket_id', 'text', (c) => c.references('tickets.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await db.schema.createIndex('portal_notices_customer_idx').on('portal_notices').columns(['customer_id', 'created_at']).execute();

  // What a portal report adds to its ticket: who reported it and when they want the visit.
  await db.schema
    .createTable('portal_tickets')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey().references('tickets.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('visit_from', 'bigint')
    .addColumn('visit_to', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // Round-robin routing of portal tickets: the last agent given one, per project.
  await db.schema
    .createTable('portal_routing')
    .addColumn('project_id', 'text', (c) => c.primaryKey().references('projects.id'))
    .addColumn('last_user_id', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // Which channel completed a callback: a phone call by an agent or the owner's portal rating.
  await db.schema.alterTable('callbacks').addColumn('channel', 'text', (c) => c.notNull().defaultTo('phone')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('callbacks').dropColumn('channel').execute();
  for (const t of ['portal_routing', 'portal_tickets', 'portal_notices', 'portal_sessions', 'portal_codes']) await db.schema.dropTable(t).ifExists().execute();
}
