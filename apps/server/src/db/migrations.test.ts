import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../test/db.js';
import { migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';

describe('migrations', () => {
  it('create every table on this dialect and are idempotent', async () => {
    const tdb = await createTestDb();
    try {
      expect(await migrateToLatest(tdb.db)).toEqual([]);
      const tables = tdb.dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(tdb.db)).rows.map((r) => r.name)
        : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(tdb.db)).rows.map((r) => r.name);
      expect(tables).toEqual(expect.arrayContaining(['users', 'projects', 'units', 'audit_log', 'jobs', 'outbox', 'sessions']));
      const applied = await tdb.db.selectFrom('kysely_migration' as never).select('name' as never).execute();
      expect(applied.map((r) => (r as { name: string }).name)).toEqual(Object.keys(migrations));
    } finally {
      await tdb.destroy();
    }
  });

  it('have ISO-dated names in order', () => {
    const names = Object.keys(migrations);
    expect(names.every((n) => /^\d{4}-\d{2}-\d{2}-\d{4}-[a-z0-9-]+$/.test(n))).toBe(true);
    expect([...names].sort()).toEqual(names);
  });

  it('enforce foreign keys on SQLite as on PostgreSQL', async () => {
    const tdb = await createTestDb();
    try {
      await expect(
        tdb.db.insertInto('projects').values({ id: 'p', city_company_id: 'missing', name: 'x', code: 'x', address: null, version: 1, created_at: 0, updated_at: 0 }).execute(),
      ).rejects.toThrow();
    } finally {
      await tdb.destroy();
    }
  });
});
