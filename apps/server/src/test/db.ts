import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { createDb, type Dialect } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import type { DB } from '../db/schema.js';

export interface TestDb {
  db: Kysely<DB>;
  dialect: Dialect;
  url: string;
  searchPath?: string;
  destroy(): Promise<void>;
}

/**
 * A migrated, empty database for one test file: SQLite in memory by default, or a throwaway
 * schema in the PostgreSQL database named by TEST_DATABASE_URL (the CI runs the suite on both).
 */
export async function createTestDb(): Promise<TestDb> {
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (!pgUrl) {
    const { db, dialect } = createDb('sqlite::memory:');
    await migrateToLatest(db);
    return { db, dialect, url: 'sqlite::memory:', destroy: () => db.destroy() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = createDb(pgUrl, { poolSize: 1 });
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  await admin.db.destroy();
  const { db, dialect } = createDb(pgUrl, { searchPath: schema, poolSize: 5 });
  await migrateToLatest(db);
  return {
    db,
    dialect,
    url: pgUrl,
    searchPath: schema,
    destroy: async () => {
      await db.destroy();
      const cleanup = createDb(pgUrl, { poolSize: 1 });
      await sql`drop schema ${sql.id(schema)} cascade`.execute(cleanup.db);
      await cleanup.db.destroy();
    },
  };
}
