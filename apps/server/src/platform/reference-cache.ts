import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../db/dialect.js';
import type { DB } from '../db/schema.js';

/*
 * Reference data every request reads and admins rarely change — the category tree, SLA policy
 * versions, the working calendar, archive rules — kept in process (benchmarks R6).
 *
 * One cache per database handle. A change is made through `changeReference`, which drops this
 * process's copy when the transaction has committed and, on PostgreSQL, sends NOTIFY in the same
 * transaction (delivered at commit) so that the other server processes drop theirs; the live
 * event hub's LISTEN connection receives it (platform/events.ts). While that connection is down
 * a process cannot hear other processes' changes, so it reads through the cache instead of
 * trusting it. A time limit bounds what a change made outside the product (a script, psql)
 * leaves behind.
 */

/** Names of the cached reference sets; a change to one drops exactly that entry everywhere. */
export type ReferenceName = 'ticket_categories' | 'sla_policies' | 'work_calendar' | `setting:${string}`;

const MAX_AGE_MS = 5 * 60_000;

interface Entry {
  value: Promise<unknown>;
  loadedAt: number;
}

/** The cache of one database handle. */
export class ReferenceCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation, so a load that began before a change is not kept after it. */
  private readonly generations = new Map<string, number>();
  /** Writes in progress per name: until they commit, readers go to the database. */
  private readonly writing = new Map<string, number>();
  /** False on PostgreSQL until the LISTEN connection runs (set by the event hub). */
  trusted: boolean;

  constructor(shared: boolean) {
    this.trusted = !shared;
  }

  /** The cached value, loaded once per change. */
  get<T>(name: ReferenceName, load: () => Promise<T>, now = Date.now()): Promise<T> {
    if (!this.trusted || (this.writing.get(name) ?? 0) > 0) return load();
    const hit = this.entries.get(name);
    if (hit && now - hit.loadedAt < MAX_AGE_MS && now >= hit.loadedAt) return hit.value as Promise<T>;
    const generation = this.generations.get(name) ?? 0;
    const value = load();
    this.entries.set(name, { value, loadedAt: now });
    value.then(
      () => {
        // A change committed while this load ran: what it read may predate the change.
        if ((this.generations.get(name) ?? 0) !== generation && this.entries.get(name)?.value === value) this.entries.delete(name);
      },
      () => {
        if (this.entries.get(name)?.value === value) this.entries.delete(name);
      },
    );
    return value;
  }

  /** Drops the entry (after a local commit or another process's NOTIFY); worker threads reading the same database are told. */
  invalidate(name: string): void {
    this.generations.set(name, (this.generations.get(name) ?? 0) + 1);
    this.entries.delete(name);
    for (const listener of this.listeners) listener(name);
  }

  private readonly listeners = new Set<(name: string) => void>();

  /** Calls `listener` with the name of every change (the report worker forwards them to its thread). */
  onInvalidate(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops everything (the LISTEN connection came back: changes may have been missed). */
  clear(): void {
    for (const name of this.entries.keys()) this.generations.set(name, (this.generations.get(name) ?? 0) + 1);
    this.entries.clear();
  }

  /** Marks a write to `name` as running; readers bypass the cache until `endWrite`. */
  beginWrite(name: string): void {
    this.writing.set(name, (this.writing.get(name) ?? 0) + 1);
    this.invalidate(name);
  }

  endWrite(name: string): void {
    const n = (this.writing.get(name) ?? 1) - 1;
    if (n <= 0) this.writing.delete(name);
    else this.writing.set(name, n);
    this.invalidate(name);
  }
}

const caches = new WeakMap<object, ReferenceCache>();
/** The reference cache of a database handle (created on first use). */
export function referenceCache(db: Kysely<DB>): ReferenceCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new ReferenceCache(isPostgres(db));
    caches.set(db, cache);
  }
  return cache;
}

/**
 * Reads reference data through the cache of `db`. Inside a transaction it reads the database:
 * the transaction may have changed the data itself.
 */
export function cachedReference<T>(db: Kysely<DB>, name: ReferenceName, load: () => Promise<T>): Promise<T> {
  if (db.isTransaction) return load();
  return referenceCache(db).get(name, load);
}

/** The NOTIFY channel on which processes tell each other that reference data changed. */
export function referenceChannel(schema: string): string {
  return `ql_ref_${schema.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/**
 * Runs a write transaction that changes reference data `names`: this process reads past its
 * cache while the write runs and drops it after the commit; other processes are told at commit.
 */
export async function changeReference<T>(db: Kysely<DB>, names: readonly ReferenceName[], work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  const cache = referenceCache(db);
  for (const n of names) cache.beginWrite(n);
  try {
    return await db.transaction().execute(async (trx) => {
      const result = await work(trx);
      if (isPostgres(db)) {
        const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(trx);
        const channel = referenceChannel(rows[0]?.s ?? 'public');
        for (const n of names) await sql`select pg_notify(${channel}, ${n})`.execute(trx);
      }
      return result;
    });
  } finally {
    for (const n of names) cache.endWrite(n);
  }
}
