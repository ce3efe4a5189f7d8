import type { Kysely } from 'kysely';

/*
 * Security finding 5 (issue 21): the hard lockout (5 failures, 15 minutes, 423 even for the
 * right password) is replaced by a throttle with growing delays, per account name and per
 * client address. One row per key (a SHA-256 of `account:<name>` or `ip:<address>`), the
 * failure streak it is in; a success deletes the account's row. login_failures stays (frozen
 * migrations) but is no longer written.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('streak_started_at', 'bigint', (c) => c.notNull())
    .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_throttles_last_failure_idx').on('login_throttles').column('last_failure_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('login_throttles').ifExists().execute();
}
