import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { bootstrapReferenceData } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import type { DB } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { verifyAuditChain } from '../platform/audit.js';
import { FixedClock } from '../platform/clock.js';
import { verifyPassword } from '../platform/crypto.js';
import { uuidV7Ids } from '../platform/ids.js';
import { createNotifier } from '../platform/notify.js';
import { createTestDb, type TestDb } from '../test/db.js';
import { benchScale, seedBenchScale, TimeOrderedIds } from './bench-scale.js';
import { tempDir } from '../test/temp-dir.js';

const TINY = benchScale('bench-small', { customers: 400, units: 300, projects: 4, tickets: 2000, years: 1, seed: 42 });

/** Tables the generator writes, with the columns that differ between runs by design (salted). */
const TABLES: [keyof DB, string[]][] = [
  ['city_companies', []], ['projects', []], ['buildings', []], ['units', []], ['common_areas', []], ['departments', []],
  ['users', ['password_hash']], ['user_roles', []], ['user_scopes', []],
  ['customers', ['id_number_enc']], ['customer_phones', ['phone_enc']], ['customer_units', []], ['customer_archive_states', []], ['timeline_entries', []],
  ['tickets', []], ['ticket_events', []], ['ticket_replies', []], ['work_orders', []], ['callbacks', []], ['ratings', []], ['visits', []], ['ticket_counters', []],
];

async function seeded(): Promise<{ tdb: TestDb; deps: Deps; counts: Record<string, number> }> {
  const tdb = await createTestDb();
  const config = loadConfig({ DATA_DIR: tempDir('ql-bench-'), LOG_LEVEL: 'silent', FIELD_ENCRYPTION_KEY: '22'.repeat(32) });
  const clock = new FixedClock('2026-11-27T02:00:00Z');
  const log = pino({ level: 'silent' });
  const deps: Deps = { config: { ...config, dialect: tdb.dialect }, db: tdb.db, dialect: tdb.dialect, clock, ids: uuidV7Ids(clock), log, notifier: createNotifier(config, log) };
  await bootstrapReferenceData(deps);
  const counts = await seedBenchScale(deps, TINY);
  return { tdb, deps, counts };
}

/** A digest of every generated row; reference data made at start (random ids) is replaced by its name. */
async function fingerprint(db: Kysely<DB>): Promise<Record<string, string>> {
  const refs = new Map<string, string>();
  for (const c of await db.selectFrom('ticket_categories').select(['id', 'type', 'name']).execute()) refs.set(c.id, `cat:${c.type}:${c.name}`);
  for (const p of await db.selectFrom('sla_policies').select(['id', 'type', 'severity']).execute()) refs.set(p.id, `sla:${p.type}:${p.severity}`);
  const out: Record<string, string> = {};
  for (const [table, skip] of TABLES) {
    const rows = (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    const lines = rows.map((r) => JSON.stringify(Object.keys(r).sort().filter((k) => !skip.includes(k)).map((k) => {
      const v = r[k];
      return typeof v === 'string' && refs.has(v) ? refs.get(v) : typeof v === 'bigint' ? Number(v) : v;
    }))).sort();
    out[table] = `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  }
  return out;
}

describe('bench-scale generator', () => {
  it('makes time-ordered, unique, valid UUIDv7 ids from a seed', () => {
    const a = new TimeOrderedIds(1);
    const b = new TimeOrderedIds(1);
    const ids = Array.from({ length: 2000 }, (_, i) => a.at(1_700_000_000_000 + (i % 7) * 1000));
    expect(ids).toEqual(Array.from({ length: 2000 }, (_, i) => b.at(1_700_000_000_000 + (i % 7) * 1000)));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.at(1_600_000_000_000) < a.at(1_700_000_000_000)).toBe(true);
  });

  it('is deterministic and referentially sound at tiny scale', async () => {
    const first = await seeded();
    const second = await seeded();
    try {
      expect(first.counts).toEqual(second.counts);
      expect(first.counts.tickets).toBe(TINY.tickets);
      expect(first.counts.customers).toBe(TINY.customers);
      expect(first.counts.units).toBe(TINY.units);
      expect(first.counts.projects).toBe(TINY.projects);
      for (const k of ['ticket_events', 'work_orders', 'callbacks', 'ratings', 'visits', 'ticket_replies', 'customer_phones', 'customer_units']) {
        expect(first.counts[k], k).toBeGreaterThan(0);
      }
      expect(await fingerprint(first.tdb.db)).toEqual(await fingerprint(second.tdb.db));

      const db = first.tdb.db;
      const none = async (what: string, q: { execute(): Promise<unknown[]> }) => expect(await q.execute(), what).toEqual([]);
      // Every reference resolves (the databases enforce foreign keys too; these also check meaning).
      await none('ticket customer/unit/project agree', db.selectFrom('tickets as t').leftJoin('units as u', 'u.id', 't.unit_id').leftJoin('common_areas as ca', 'ca.id', 't.common_area_id')
        .select('t.id').where((eb) => eb.or([eb('t.customer_id', 'is', null), eb.and([eb('t.unit_id', 'is', null), eb('t.common_area_id', 'is', null)]),
          eb.and([eb('t.unit_id', 'is not', null), eb('u.project_id', '!=', eb.ref('t.project_id'))]), eb.and([eb('t.common_area_id', 'is not', null), eb('ca.project_id', '!=', eb.ref('t.project_id'))])])));
      await none('owner is an agent of the project', db.selectFrom('tickets as t').select('t.id')
        .where((eb) => eb.not(eb.exists(eb.selectFrom('user_scopes as s').innerJoin('user_roles as ur', 'ur.user_id', 's.user_id').select('s.user_id')
          .whereRef('s.user_id', '=', 't.owner_id').whereRef('s.scope_id', '=', 't.project_id').where('ur.role', '=', 'agent')))));
      await none('every ticket has its registered event, first', db.selectFrom('tickets as t').select('t.id')
        .where((eb) => eb.not(eb.exists(eb.selectFrom('ticket_events as e').select('e.id').whereRef('e.ticket_id', '=', 't.id').where('e.kind', '=', 'registered').whereRef('e.at', '=', 't.registered_at')))));
      await none('no event before registration', db.selectFrom('ticket_events as e').innerJoin('tickets as t', 't.id', 'e.ticket_id').select('e.id').whereRef('e.at', '<', 't.registered_at'));
      await none('callbacks only for resolved tickets', db.selectFrom('callbacks as c').innerJoin('tickets as t', 't.id', 'c.ticket_id').select('c.id').where('t.resolved_at', 'is', null));
      await none('ratings point at their callback', db.selectFrom('ratings as r').leftJoin('callbacks as c', 'c.id', 'r.source_id').select('r.id').where((eb) => eb.or([eb('c.id', 'is', null), eb('c.ticket_id', '!=', eb.ref('r.ticket_id'))])));
      await none('complaints carry their K1 deadline', db.selectFrom('tickets').select('id').where('type', '=', 'complaint').where('k1_due', 'is', null));
      await none('nothing in the future', db.selectFrom('tickets').select('id').where('registered_at', '>', first.deps.clock.now().getTime()));
      await none('phones are sealed mainland mobiles: no clear number, encrypted, indexed, masked', db.selectFrom('customer_phones').select('id').where((eb) => eb.or([
        eb('phone', 'is not', null), eb('phone_rev', 'is not', null), eb('phone_enc', 'is', null), eb('phone_hash', 'is', null), eb('phone_last4_hash', 'is', null), eb('phone_masked', 'not like', '1__****____'),
      ])));
      // Ticket numbers are unique per day and the counters continue after them.
      const perDay = await db.selectFrom('tickets').select([sql<string>`substr(number, 3, 8)`.as('d'), (eb) => eb.fn.countAll<number>().as('n')]).groupBy(sql`substr(number, 3, 8)`).execute();
      const counters = new Map((await db.selectFrom('ticket_counters').select(['day', 'n']).execute()).map((c) => [c.day.replace(/-/g, ''), Number(c.n)]));
      for (const d of perDay) expect(counters.get(d.d), d.d).toBe(Number(d.n));
      // Instants are whole milliseconds (PostgreSQL bigint columns reject fractions anyway).
      const instants = await db.selectFrom('tickets').select(['registered_at', 'k1_due', 'resolution_due', 'resolved_at']).execute();
      for (const t of instants) for (const v of Object.values(t)) if (v !== null) expect(Number.isInteger(Number(v))).toBe(true);
      if (first.tdb.dialect === 'sqlite') expect(await sql`pragma foreign_key_check`.execute(db).then((r) => r.rows)).toEqual([]);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
      // The demo logins exist with the demo password and roles.
      const users = await db.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select(['u.username', 'r.role', 'u.password_hash'])
        .where('u.username', 'in', ['admin', 'manager', 'supervisor', 'agent', 'handler', 'executive']).execute();
      expect(users.map((u) => `${u.username}:${u.role}`).sort()).toEqual(['admin:admin', 'agent:agent', 'executive:executive', 'handler:handler', 'manager:manager', 'supervisor:supervisor']);
      expect(await verifyPassword('demo1234', users[0]!.password_hash)).toBe(true);
    } finally {
      await first.tdb.destroy();
      await second.tdb.destroy();
    }
  }, 120_000);
});
