import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from './create-db.js';

interface T { notes: { id: number; body: string } }

const tick = () => new Promise((r) => setTimeout(r, 5));

for (const kind of ['file', 'memory'] as const) {
  describe(`SQLite driver, ${kind} database`, () => {
    let dir: string;
    let db: Kysely<T>;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ql-driver-'));
      db = createDb(kind === 'file' ? `sqlite:${join(dir, 'd.db')}` : 'sqlite::memory:').db as unknown as Kysely<T>;
      await sql`create table notes (id integer primary key, body text not null)`.execute(db);
      await db.insertInto('notes').values({ id: 1, body: 'committed' }).execute();
    });
    afterEach(async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a read outside a transaction never sees its uncommitted rows; after the commit it does', async () => {
      const order: string[] = [];
      let inside!: () => void;
      const opened = new Promise<void>((r) => { inside = r; });
      let finish!: () => void;
      const canFinish = new Promise<void>((r) => { finish = r; });
      const tx = db.transaction().execute(async (trx) => {
        await trx.insertInto('notes').values({ id: 2, body: 'pending' }).execute();
        inside();
        await canFinish;
        order.push('commit');
      });
      await opened;
      const read = db.selectFrom('notes').select('body').orderBy('id').execute().then((rows) => {
        order.push('read');
        return rows.map((r) => r.body);
      });
      await tick();
      finish();
      const seen = await read;
      await tx;
      // A file database reads beside the writer; in memory there is one connection, so the
      // read waits for the commit. Either way it sees committed rows only.
      expect(order).toEqual(kind === 'file' ? ['read', 'commit'] : ['commit', 'read']);
      expect(seen).toEqual(kind === 'file' ? ['committed'] : ['committed', 'pending']);
      expect((await db.selectFrom('notes').select('body').orderBy('id').execute()).map((r) => r.body)).toEqual(['committed', 'pending']);
    });

    it('a write outside a transaction waits for the open one; raw reads and writes go where they belong', async () => {
      const order: string[] = [];
      let finish!: () => void;
      const canFinish = new Promise<void>((r) => { finish = r; });
      let inside!: () => void;
      const opened = new Promise<void>((r) => { inside = r; });
      const tx = db.transaction().execute(async (trx) => {
        await trx.updateTable('notes').set({ body: 'by the transaction' }).where('id', '=', 1).execute();
        inside();
        await canFinish;
        order.push('commit');
      });
      await opened;
      const write = sql`update notes set body = 'by the later write' where id = 1`.execute(db).then(() => order.push('write'));
      await tick();
      expect(order).toEqual([]);
      const raw = sql<{ body: string }>`select body from notes where id = 1`.execute(db);
      await tick();
      finish();
      await Promise.all([tx, write]);
      // On a file the raw read ran at once on the reader; in memory it queued behind the write.
      expect((await raw).rows[0]!.body).toBe(kind === 'file' ? 'committed' : 'by the later write');
      expect(order).toEqual(['commit', 'write']);
      expect((await db.selectFrom('notes').select('body').where('id', '=', 1).executeTakeFirstOrThrow()).body).toBe('by the later write');
    });

    it('a transaction that throws rolls back and lets the next writer in', async () => {
      await expect(db.transaction().execute(async (trx) => {
        await trx.insertInto('notes').values({ id: 3, body: 'lost' }).execute();
        await trx.insertInto('notes').values({ id: 3, body: 'duplicate key' }).execute();
      })).rejects.toThrow(/UNIQUE|PRIMARY/);
      await db.insertInto('notes').values({ id: 4, body: 'next' }).execute();
      expect((await db.selectFrom('notes').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual([1, 4]);
    });

    it('savepoints roll back only their part', async () => {
      const trx = await db.startTransaction().execute();
      await trx.insertInto('notes').values({ id: 5, body: 'kept' }).execute();
      const sp = await trx.savepoint('inner').execute();
      await sp.insertInto('notes').values({ id: 6, body: 'undone' }).execute();
      await sp.rollbackToSavepoint('inner').execute();
      await trx.commit().execute();
      expect((await db.selectFrom('notes').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual([1, 5]);
    });
  });
}

describe('SQLite driver: group commit', () => {
  let dir: string;
  let db: Kysely<T>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ql-driver-'));
    db = createDb(`sqlite:${join(dir, 'd.db')}`).db as unknown as Kysely<T>;
    await sql`create table notes (id integer primary key, body text not null)`.execute(db);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('concurrent transactions each answer only once their rows are committed for everyone; a failing one takes nobody with it', async () => {
    const outsider = new Database(join(dir, 'd.db'), { readonly: true });
    const seenByOutsider: boolean[] = [];
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: i, body: `n${i}` }).execute();
      await new Promise((r) => setImmediate(r));
      if (i % 10 === 7) throw new Error(`member ${i} fails`);
      await trx.updateTable('notes').set({ body: `n${i}!` }).where('id', '=', i).execute();
    }).then(() => {
      // Another process sees the row the moment the commit call returns.
      seenByOutsider[i] = outsider.prepare('select body from notes where id = ?').get(i) !== undefined;
    })));
    outsider.close();
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    const rows = await db.selectFrom('notes').select(['id', 'body']).orderBy('id').execute();
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 10 !== 7));
    expect(rows.every((r) => r.body === `n${r.id}!`)).toBe(true);
    expect(seenByOutsider.filter((x) => x === true)).toHaveLength(36);
    // Writes outside a transaction join a group the same way.
    await Promise.all(Array.from({ length: 10 }, (_, i) => db.insertInto('notes').values({ id: 100 + i, body: 'single' }).execute()));
    await expect(db.insertInto('notes').values({ id: 100, body: 'duplicate' }).execute()).rejects.toThrow(/UNIQUE|PRIMARY/);
    expect((await db.selectFrom('notes').select('id').where('body', '=', 'single').execute())).toHaveLength(10);
  });
});
