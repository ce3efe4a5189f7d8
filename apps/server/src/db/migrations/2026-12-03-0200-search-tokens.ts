import type { Kysely } from 'kysely';

/*
 * The Chinese token index (docs/benchmarks.md R3; platform/search.ts): every CJK character and
 * every pair of adjacent ones of a record's text, so that a 1- or 2-character query is an index
 * lookup instead of a LIKE scan. Filled in the write transaction of the text it indexes; rows
 * that existed before this migration are indexed by a background job, and searches use the
 * index once the job has recorded (settings `search.<kind>`) that the kind is complete. On an
 * empty database the index is complete from the start.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('search_tokens')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_tokens_pk', ['kind', 'token', 'entity_id'])
    .execute();
  await db.schema.createIndex('search_tokens_entity_idx').on('search_tokens').columns(['kind', 'entity_id']).execute();
  const any = await db.selectFrom('customers').select('id').limit(1).executeTakeFirst();
  if (!any) {
    await db.insertInto('settings').values({ key: 'search.customer', value: JSON.stringify({ complete: true }), version: 1, updated_at: Date.now(), updated_by: null }).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', 'search.customer').execute();
  await db.schema.dropTable('search_tokens').ifExists().execute();
}
