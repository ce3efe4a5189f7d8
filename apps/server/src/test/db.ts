import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
 * A migrated, empty database for one test file: a SQLite file by default (in /dev/shm when
 * there is one: no disk wait, yet the production driver with its separate reader connection),
 * or a throwaway schema in the PostgreSQL database named by TEST_DATABASE_URL (the CI runs the
 * suite on both).
 */
/** /dev/shm when it exists with room to spare (containers often give it 64 MB). */
function roomyShm(): boolean {
  try {
    const s = statfsSync('/dev/shm');
    return s.bavail * s.bsize > 1024 ** 3;
  } catch {
    return false;
  }
}

export async function createTestDb(): Promise<TestDb> {
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (!pgUrl) {
    const dir = mkdtempSync(join(roomyShm() ? '/dev/shm' : tmpdir(), 'ql-test-db-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const { db, dialect } = createDb(url);
    await migrateToLatest(db);
    return {
      db, dialect, url,
      destroy: async () => {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
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
