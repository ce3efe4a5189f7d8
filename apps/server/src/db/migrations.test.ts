import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { convertClearPhones, phoneHash, phonesOf } from '../modules/customers/customer-phones.repo.js';
import { createTestDb } from '../test/db.js';
import { isPostgres } from './dialect.js';
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

  it('keep customer phones written in clear before 2026-12-03-1400 through the table rebuild; the start-up conversion encrypts them', async () => {
    const tdb = await createTestDb();
    try {
      const schema = isPostgres(tdb.db) ? (await sql<{ s: string }>`select current_schema() as s`.execute(tdb.db)).rows[0]!.s : undefined;
      const migrator = new Migrator({ db: tdb.db, provider: { getMigrations: async () => migrations }, ...(schema ? { migrationTableSchema: schema } : {}) });
      const back = await migrator.migrateTo('2026-12-03-1330-kpi-scope-snapshots');
      expect(back.error).toBeUndefined();
      await tdb.db.insertInto('customers').values({
        id: 'c1', kind: 'owner', name: '旧档', name_initials: 'jd', project_id: null, id_number_enc: null, id_number_hash: null, id_number_masked: null, email: null, wechat_id: null,
        preferred_channel: null, preferred_time: null, address: null, tags: '[]', vip: 0, notes: null, preferences: null, archive_confirmed_at: null, archive_confirmed_by: null,
        merged_into_id: null, version: 1, created_at: 0, updated_at: 0,
      }).execute();
      // The old shape: clear number and reversed digits only; two phones of one customer.
      await sql`insert into customer_phones (id, customer_id, phone, phone_rev, label, is_primary, created_at) values
        ('p1', 'c1', '+8613800000001', '10000000831', null, 1, 1), ('p2', 'c1', '+8613900000002', '20000000931', '家人', 0, 2)`.execute(tdb.db);
      expect((await migrateToLatest(tdb.db))[0]).toBe('2026-12-03-1400-customer-phones-encrypted');
      const copied = await tdb.db.selectFrom('customer_phones').selectAll().orderBy('id').execute();
      expect(copied.map((r) => [r.id, r.phone, r.phone_rev, r.label, r.phone_hash])).toEqual([
        ['p1', '+8613800000001', '10000000831', null, null], ['p2', '+8613900000002', '20000000931', '家人', null],
      ]);
      const key = Buffer.alloc(32, 7);
      expect(await convertClearPhones(tdb.db, key, 1)).toBe(2);
      const sealed = await tdb.db.selectFrom('customer_phones').selectAll().orderBy('id').execute();
      expect(sealed.map((r) => [r.phone, r.phone_rev, r.phone_masked])).toEqual([[null, null, '138****0001'], [null, null, '139****0002']]);
      expect(sealed[0]!.phone_hash).toBe(phoneHash(key, '+8613800000001'));
      expect((await phonesOf(tdb.db, key, ['c1'])).map((p) => p.phone)).toEqual(['+8613800000001', '+8613900000002']);
      // The new unique constraint holds: the same number twice for one customer is refused.
      await expect(tdb.db.insertInto('customer_phones').values({ ...sealed[0]!, id: 'p3' }).execute()).rejects.toThrow();
    } finally {
      await tdb.destroy();
    }
  });
});
