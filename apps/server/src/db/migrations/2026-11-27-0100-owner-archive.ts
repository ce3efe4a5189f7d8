import type { Kysely } from 'kysely';

/**
 * Owner archive: customers, their phones, their relations to units (with purchase facts),
 * the customer timeline, settings, and the history of each customer's archive state (K4).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_initials', 'text', (c) => c.notNull())
    // The project a customer without units was registered under (e.g. a quick-created caller).
    .addColumn('project_id', 'text', (c) => c.references('projects.id'))
    .addColumn('id_number_enc', 'text')
    .addColumn('id_number_hash', 'text')
    .addColumn('id_number_masked', 'text')
    .addColumn('email', 'text')
    .addColumn('wechat_id', 'text')
    .addColumn('preferred_channel', 'text')
    .addColumn('preferred_time', 'text')
    .addColumn('address', 'text')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('vip', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notes', 'text')
    .addColumn('preferences', 'text')
    .addColumn('archive_confirmed_at', 'bigint')
    .addColumn('archive_confirmed_by', 'text')
    .addColumn('merged_into_id', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customers_id_hash_idx').on('customers').column('id_number_hash').execute();
  await db.schema.createIndex('customers_name_idx').on('customers').column('name').execute();
  await db.schema.createIndex('customers_initials_idx').on('customers').column('name_initials').execute();
  await db.schema.createIndex('customers_project_idx').on('customers').column('project_id').execute();

  await db.schema
    .createTable('customer_phones')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('phone', 'text', (c) => c.notNull())
    // The digits reversed, so a suffix search ("last 4 digits") is an index range scan.
    .addColumn('phone_rev', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('customer_phones_customer_phone_uq', ['customer_id', 'phone'])
    .execute();
  await db.schema.createIndex('customer_phones_phone_idx').on('customer_phones').column('phone').execute();
  await db.schema.createIndex('customer_phones_rev_idx').on('customer_phones').column('phone_rev').execute();

  await db.schema
    .createTable('customer_units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('share', 'double precision')
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text')
    .addColumn('contract_no', 'text')
    .addColumn('contract_date', 'text')
    .addColumn('contracted_handover_date', 'text')
    .addColumn('actual_handover_date', 'text')
    .addColumn('warranty_start_date', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_units_customer_idx').on('customer_units').column('customer_id').execute();
  await db.schema.createIndex('customer_units_unit_idx').on('customer_units').column('unit_id').execute();
  await db.schema.createIndex('customer_units_project_idx').on('customer_units').columns(['project_id', 'customer_id']).execute();

  await db.schema
    .createTable('timeline_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('ref_type', 'text')
    .addColumn('ref_id', 'text')
    .addColumn('project_id', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .execute();
  await db.schema.createIndex('timeline_customer_at_idx').on('timeline_entries').columns(['customer_id', 'at']).execute();

  // One row each time a customer's archive completeness or last confirmation/update changes:
  // K4 for any past date is read from here, so past periods keep their value.
  await db.schema
    .createTable('customer_archive_states')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('complete', 'integer', (c) => c.notNull())
    .addColumn('missing', 'text', (c) => c.notNull())
    .addColumn('touched_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_archive_states_idx').on('customer_archive_states').columns(['customer_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['customer_archive_states', 'timeline_entries', 'customer_units', 'customer_phones', 'customers', 'settings']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
