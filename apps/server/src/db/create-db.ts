import Database from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';
import { SplitSqliteDialect } from './sqlite-driver.js';

// int8 (counts, epoch-millisecond instants) as JS numbers: every value we store fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric (sums, averages) as numbers too.
pg.types.setTypeParser(1700, (v) => Number(v));

export interface CreateDbOptions {
  /** PostgreSQL schema to use (tests isolate each file in its own schema). */
  searchPath?: string;
  poolSize?: number;
  /** One query-only connection (SQLite) for a thread that only reads, such as the report worker. */
  readOnly?: boolean;
}

export type Dialect = 'sqlite' | 'postgres';

/** Opens the database named by a `sqlite:` or `postgres://` URL. */
export function createDb(url: string, opts: CreateDbOptions = {}): { db: Kysely<DB>; dialect: Dialect } {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (opts.readOnly) {
      const reader = new Database(path, { readonly: true, fileMustExist: true });
      reader.pragma('busy_timeout = 5000');
      return { db: new Kysely<DB>({ dialect: new SplitSqliteDialect(reader, null) }), dialect: 'sqlite' };
    }
    const writer = new Database(path);
    writer.pragma('journal_mode = WAL');
    // An acknowledged write must survive power loss.
    writer.pragma('synchronous = FULL');
    writer.pragma('foreign_keys = ON');
    writer.pragma('busy_timeout = 5000');
    let reader: Database.Database | null = null;
    if (path !== ':memory:' && path !== '') {
      reader = new Database(path);
      reader.pragma('query_only = true');
      reader.pragma('busy_timeout = 5000');
    }
    return { db: new Kysely<DB>({ dialect: new SplitSqliteDialect(writer, reader) }), dialect: 'sqlite' };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
  });
  // An idle client that loses its server must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor may a checked-out one (a transaction between two statements when the connection
  // drops): pg emits 'error' on the client, which has no listener while it is out of the
  // pool. Its next query fails instead, and the pool discards it when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
}
