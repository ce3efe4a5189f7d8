import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import type { Deps } from '../deps.js';
import { FixedClock } from '../platform/clock.js';
import { uuidV7Ids } from '../platform/ids.js';
import { createNotifier } from '../platform/notify.js';
import { verifyPassword } from '../platform/crypto.js';
import { createTestDb } from '../test/db.js';
import { DEMO_ACCOUNTS, isDatabaseEmpty, seedDemo } from './demo.js';
import { bootstrapReferenceData } from '../bootstrap.js';
import { tempDir } from '../test/temp-dir.js';

async function seeded() {
  const tdb = await createTestDb();
  const config = loadConfig({ DATA_DIR: tempDir('ql-seed-'), LOG_LEVEL: 'silent', FIELD_ENCRYPTION_KEY: '11'.repeat(32) });
  const clock = new FixedClock('2026-11-27T02:00:00Z');
  const log = pino({ level: 'silent' });
  const deps: Deps = { config, db: tdb.db, dialect: tdb.dialect, clock, ids: uuidV7Ids(clock), log, notifier: createNotifier(config, log) };
  expect(await isDatabaseEmpty(tdb.db)).toBe(true);
  await bootstrapReferenceData(deps);
  const counts = await seedDemo(deps, { scale: 'demo' });
  return { tdb, deps, counts };
}

describe('demo seed', () => {
  it('loads the demo organization, staff for every role and owners with gaps, consistently', async () => {
    const { tdb, counts } = await seeded();
    try {
      expect(counts).toMatchObject({ cityCompanies: 2, projects: 6 });
      expect(counts.units).toBeGreaterThan(4500);
      expect(counts.units).toBeLessThan(6500);
      expect(counts.customers).toBeGreaterThan(counts.units * 0.8);
      const db = tdb.db;
      for (const a of DEMO_ACCOUNTS) {
        const u = await db.selectFrom('users').selectAll().where('username', '=', a.username).executeTakeFirstOrThrow();
        const roles = (await db.selectFrom('user_roles').select('role').where('user_id', '=', u.id).execute()).map((r) => r.role);
        expect(roles, a.username).toEqual(a.roles);
        expect(await verifyPassword('demo1234', u.password_hash)).toBe(true);
      }
      const roles = (await db.selectFrom('user_roles').select('role').distinct().execute()).map((r) => r.role).sort();
      expect(roles).toEqual(['admin', 'agent', 'executive', 'handler', 'manager', 'supervisor']);
      // Referential integrity: every link points at a unit of its own project.
      const bad = await db.selectFrom('customer_units as cu').innerJoin('units as u', 'u.id', 'cu.unit_id').select('cu.id').whereRef('u.project_id', '!=', 'cu.project_id').execute();
      expect(bad).toEqual([]);
      const sold = await db.selectFrom('customer_units').select((eb) => eb.fn.count<number>('unit_id').distinct().as('n')).executeTakeFirstOrThrow();
      expect(Number(sold.n) / counts.units).toBeGreaterThan(0.75);
      expect(Number(sold.n) / counts.units).toBeLessThan(0.85);
      const states = await db.selectFrom('customer_archive_states').select(['complete']).execute();
      const complete = states.filter((s) => s.complete === 1).length / states.length;
      expect(complete).toBeGreaterThan(0.3);
      expect(complete).toBeLessThan(0.95);
      expect(counts.tickets).toBeGreaterThan(2000);
      const open = await db.selectFrom('tickets').select('id').where('status', 'in', ['registered', 'dispatched', 'in_progress', 'result_returned']).execute();
      expect(open.length).toBeGreaterThan(0);
      const breached = await db.selectFrom('tickets').select('id').where('breached', '=', 1).execute();
      expect(breached.length / counts.tickets).toBeGreaterThan(0.03);
      expect(breached.length / counts.tickets).toBeLessThan(0.3);
      // Every ticket points at a customer and unit of its own project.
      const mismatch = await db.selectFrom('tickets as t').innerJoin('units as u', 'u.id', 't.unit_id').select('t.id').whereRef('u.project_id', '!=', 't.project_id').execute();
      expect(mismatch).toEqual([]);
      const dupNumbers = await db.selectFrom('tickets').select(['number', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('number').having((eb) => eb.fn.countAll(), '>', 1).execute();
      expect(dupNumbers).toEqual([]);
      const handler = await db.selectFrom('users').select('department_id').where('username', '=', 'handler').executeTakeFirstOrThrow();
      expect(handler.department_id).not.toBeNull();
    } finally {
      await tdb.destroy();
    }
  }, 120_000); // a whole demo seed: seconds alone, longer on a loaded 2-core machine

  it('is deterministic: the same seed gives the same people and homes', async () => {
    const a = await seeded();
    const b = await seeded();
    try {
      const snapshot = async (db: typeof a.tdb.db) => (await db.selectFrom('customers as c').innerJoin('customer_phones as p', 'p.customer_id', 'c.id')
        .select(['c.name', 'p.phone_hash', 'p.phone_masked', 'c.id_number_masked']).orderBy('p.phone_hash').execute()).map((r) => `${r.name}|${r.phone_hash}|${r.phone_masked}|${r.id_number_masked}`);
      expect(await snapshot(a.tdb.db)).toEqual(await snapshot(b.tdb.db));
      expect(a.counts).toEqual(b.counts);
    } finally {
      await a.tdb.destroy();
      await b.tdb.destroy();
    }
  }, 120_000); // a whole demo seed: seconds alone, longer on a loaded 2-core machine
});
