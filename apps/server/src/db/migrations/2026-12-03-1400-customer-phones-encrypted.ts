import { sql, type Kysely } from 'kysely';

/**
 * Customer phones encrypted at rest with a keyed blind index (issue #21 finding 11).
 *
 * New columns: `phone_enc` (AES-256-GCM), `phone_hash` (keyed hash of the E.164 number, for
 * exact lookup), `phone_last4_hash` (keyed hash of the last 4 digits, for suffix search) and
 * `phone_masked` (138****0001, for display and for telling mobiles from landlines).
 *
 * A migration cannot read the field key, so it cannot encrypt existing rows. It only makes
 * room: the clear `phone` and `phone_rev` become nullable and the server's start converts
 * the rows in batches (`convertClearPhones`), setting both clear columns to NULL. SQLite cannot
 * drop NOT NULL or the table's unique (customer_id, phone) constraint with ALTER, so the table
 * is rebuilt: create the new shape, copy, drop, rename. Writing '' instead of NULL was not an
 * option: the old unique constraint would reject a second phone of the same customer. A later
 * migration may drop the two clear columns once every installation has converted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customer_phones_v2')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    // Clear number and reversed digits: only until the start-up conversion has run; then NULL.
    .addColumn('phone', 'text')
    .addColumn('phone_rev', 'text')
    .addColumn('phone_enc', 'text')
    .addColumn('phone_hash', 'text')
    .addColumn('phone_last4_hash', 'text')
    .addColumn('phone_masked', 'text')
    .addColumn('label', 'text')
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // NULL hashes (rows not yet converted) are distinct on both dialects; those rows were
    // unique by the old (customer_id, phone) constraint already.
    .addUniqueConstraint('customer_phones_customer_hash_uq', ['customer_id', 'phone_hash'])
    .execute();
  await sql`insert into customer_phones_v2 (id, customer_id, phone, phone_rev, label, is_primary, created_at)
    select id, customer_id, phone, phone_rev, label, is_primary, created_at from customer_phones`.execute(db);
  await db.schema.dropTable('customer_phones').execute();
  await db.schema.alterTable('customer_phones_v2').renameTo('customer_phones').execute();
  await db.schema.createIndex('customer_phones_hash_idx').on('customer_phones').column('phone_hash').execute();
  await db.schema.createIndex('customer_phones_last4_idx').on('customer_phones').column('phone_last4_hash').execute();
}

/** Back to the clear shape; only possible before any row was converted (the key is not here). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customer_phones_v1')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('phone_rev', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('customer_phones_customer_phone_uq', ['customer_id', 'phone'])
    .execute();
  await sql`insert into customer_phones_v1 (id, customer_id, phone, phone_rev, label, is_primary, created_at)
    select id, customer_id, phone, phone_rev, label, is_primary, created_at from customer_phones`.execute(db);
  await db.schema.dropTable('customer_phones').execute();
  await db.schema.alterTable('customer_phones_v1').renameTo('customer_phones').execute();
  await db.schema.createIndex('customer_phones_phone_idx').on('customer_phones').column('phone').execute();
  await db.schema.createIndex('customer_phones_rev_idx').on('customer_phones').column('phone_rev').execute();
}
