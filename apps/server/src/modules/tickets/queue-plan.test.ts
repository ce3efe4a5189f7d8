import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/db.js';
import { onPostgres } from '../../test/reliability/scale.js';
import { OPEN_TICKETS_SQL, QUEUE_DUE_SQL } from './tickets.repo.js';

/*
 * The queue's "open" predicate and deadline expression are repeated as literals in migration
 * 0910's partial index; if they drift apart the index silently stops being used and the team
 * queue sorts every open ticket again. SQLite's planner says which index a query takes.
 */
let tdb: TestDb;
beforeAll(async () => { tdb = await createTestDb(); });
afterAll(async () => tdb.destroy());

const plan = async (query: ReturnType<typeof sql>) =>
  (await sql<{ detail: string }>`explain query plan ${query}`.execute(tdb.db)).rows.map((r) => r.detail).join(' | ');

describe('queue indexes', () => {
  if (!onPostgres) {
    it('a group-wide open-ticket queue walks tickets_open_due_idx in deadline order, keyset pages too', async () => {
      for (const cursor of [sql``, sql`and (${QUEUE_DUE_SQL}, t.id) > (${1}, ${'x'})`]) {
        const p = await plan(sql`select t.id from tickets t where ${OPEN_TICKETS_SQL} ${cursor} order by ${QUEUE_DUE_SQL}, t.id limit 51`);
        expect(p).toContain('tickets_open_due_idx');
        expect(p).not.toContain('TEMP B-TREE');
      }
    });
    it('one project\'s history, newest first, walks (project_id, registered_at)', async () => {
      const p = await plan(sql`select t.id from tickets t where t.project_id = 'a' and (t.registered_at, t.id) < (${1}, ${'x'}) order by t.registered_at desc, t.id desc limit 51`);
      expect(p).toContain('tickets_project_registered_idx');
    });
  }
  it('the literals match the index on both databases: the queue query runs', async () => {
    await sql`select t.id from tickets t where ${OPEN_TICKETS_SQL} order by ${QUEUE_DUE_SQL}, t.id limit 1`.execute(tdb.db);
  });
});
