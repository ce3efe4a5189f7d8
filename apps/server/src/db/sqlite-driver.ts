import type { Database, Statement } from 'better-sqlite3';
import {
  CompiledQuery, RawNode, SelectQueryNode, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
  type DatabaseConnection, type DatabaseIntrospector, type Dialect, type DialectAdapter, type Driver, type QueryCompiler, type QueryResult,
} from 'kysely';
import type { AnySchemaDb } from './dialect.js';

/*
 * SQLite with one writer and one reader connection (ADR 0005).
 *
 * Kysely's own SQLite driver has a single connection behind a mutex: a transaction holds it
 * across every await of the request that runs it, so every other request, reads included,
 * queues behind each open write (measured: agents reading during a burst of registrations got
 * no answer at all). In WAL mode readers run beside the writer on their own connection and see
 * the last committed state, as on PostgreSQL at READ COMMITTED. So:
 * - a transaction takes the writer for its whole life (the mutex), as before;
 * - a read outside a transaction runs at once on the reader (never waits for a writer);
 * - a write outside a transaction waits for the writer like a one-statement transaction.
 * An in-memory database has only one connection; it keeps the reads behind the mutex.
 */

class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves when the caller holds the lock; the returned function releases it. */
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => { release = r; });
    const prev = this.tail;
    this.tail = prev.then(() => next);
    await prev;
    return release;
  }
}

/** Prepared statements by SQL text: preparing costs more than running a small indexed query. */
class StatementCache {
  private readonly map = new Map<string, Statement>();
  constructor(private readonly db: Database, private readonly max = 1000) {}

  get(sql: string): Statement {
    let stmt = this.map.get(sql);
    if (!stmt) {
      if (this.map.size >= this.max) this.map.clear();
      stmt = this.db.prepare(sql);
      this.map.set(sql, stmt);
    }
    return stmt;
  }
}

function run(stmts: StatementCache, { sql, parameters }: CompiledQuery): QueryResult<unknown> {
  const stmt = stmts.get(sql);
  if (stmt.reader) return { rows: stmt.all(parameters as unknown[]) };
  const { changes, lastInsertRowid } = stmt.run(parameters as unknown[]);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/** A statement that can go to the reader: a SELECT built by Kysely, or raw SQL that only reads. */
function readOnlyCandidate(q: CompiledQuery): boolean {
  if (SelectQueryNode.is(q.query)) return true;
  return RawNode.is(q.query) && /^\s*(select|with)\b/i.test(q.sql);
}

class RoutedConnection implements DatabaseConnection {
  /** Release function of the writer lock while this connection runs a transaction. */
  release: (() => void) | null = null;

  constructor(private readonly driver: SplitSqliteDriver) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const d = this.driver;
    if (this.release) return run(d.writerStatements, q) as QueryResult<R>;
    if (d.readerStatements && readOnlyCandidate(q)) {
      const stmt = d.readerStatements.get(q.sql);
      if (stmt.readonly) return { rows: stmt.all(q.parameters as unknown[]) as R[] };
    }
    return d.writeOutsideTransaction(q) as Promise<QueryResult<R>>;
  }

  // eslint-disable-next-line require-yield -- Kysely's interface; nothing here streams.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with SQLite');
  }
}

/** A group commit in progress: one SQLite transaction holding the work of several. */
interface Batch {
  startedAt: number;
  /** Members whose work is done, waiting for the shared COMMIT to answer. */
  done: { resolve: () => void; reject: (err: unknown) => void }[];
}

/** At most this many transactions share one COMMIT … */
const BATCH_MAX = 32;
/** … and the first of them waits at most this long for it (ms). */
const BATCH_MAX_AGE_MS = 20;
const MEMBER = 'ql_member';

/*
 * Group commit. Each fsync costs milliseconds, so one COMMIT per transaction caps writes at a
 * few hundred per second. A finished transaction does not commit: it releases its savepoint and
 * hands the writer on; the group commits at the end of the event loop's turn (or at the 32nd
 * member, or after 20 ms). Every member's commit
 * call returns only after that COMMIT, so a 2xx still means the write is on disk; a member
 * that fails rolls back to its own savepoint and takes nobody with it; if the COMMIT itself
 * fails, every member fails. Only for file databases: in memory a read shares the writer's
 * connection and would see a group's work before it is committed.
 */
export class SplitSqliteDriver implements Driver {
  readonly writerLock = new Mutex();
  readonly writerStatements: StatementCache;
  readonly readerStatements: StatementCache | null;
  private batch: Batch | null = null;
  private flushScheduled = false;

  constructor(private readonly writer: Database, private readonly reader: Database | null) {
    this.writerStatements = new StatementCache(writer);
    this.readerStatements = reader ? new StatementCache(reader) : null;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as RoutedConnection;
    const release = await this.writerLock.lock();
    try {
      // IMMEDIATE takes SQLite's write lock now (waiting up to the busy timeout for another
      // process), so a transaction never fails half-way on a lock upgrade.
      if (!this.batch) {
        this.writer.exec('begin immediate');
        this.batch = { startedAt: Date.now(), done: [] };
      }
      this.writer.exec(`savepoint ${MEMBER}`);
    } catch (err) {
      this.endTurn(release);
      throw err;
    }
    c.release = release;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as RoutedConnection;
    // On failure Kysely rolls back next, which releases the writer.
    this.writer.exec(`release ${MEMBER}`);
    const durable = new Promise<void>((resolve, reject) => this.batch!.done.push({ resolve, reject }));
    const release = c.release!;
    c.release = null;
    this.endTurn(release);
    await durable;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as RoutedConnection;
    const release = c.release;
    // Not holding the writer: this transaction's turn already ended (its COMMIT failed with its
    // group's), and whatever runs on the writer now belongs to others.
    if (!release) return;
    c.release = null;
    try {
      if (this.writer.inTransaction) {
        this.writer.exec(`rollback to ${MEMBER}`);
        this.writer.exec(`release ${MEMBER}`);
      } else {
        // SQLite ended the whole transaction (an I/O error, a full disk): the group is lost.
        this.failBatch(new Error('the database rolled back the transaction'));
      }
    } finally {
      this.endTurn(release);
    }
  }

  /** A write outside a transaction: one statement, in the current group if there is one. */
  async writeOutsideTransaction(q: CompiledQuery): Promise<QueryResult<unknown>> {
    const release = await this.writerLock.lock();
    if (!this.batch) {
      try {
        return run(this.writerStatements, q);
      } finally {
        this.endTurn(release);
      }
    }
    let result: QueryResult<unknown>;
    try {
      // A failing statement is undone by SQLite alone; the group goes on.
      result = run(this.writerStatements, q);
    } catch (err) {
      this.endTurn(release);
      throw err;
    }
    const durable = new Promise<void>((resolve, reject) => this.batch!.done.push({ resolve, reject }));
    this.endTurn(release);
    await durable;
    return result;
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name}"`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to "${name}"`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release "${name}"`));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as RoutedConnection;
    // A transaction that neither committed nor rolled back (it cannot happen through Kysely's
    // API) must not keep the writer forever.
    if (c.release) await this.rollbackTransaction(c);
  }

  async destroy(): Promise<void> {
    if (this.batch) this.commitBatch();
    this.reader?.close();
    this.writer.close();
  }

  /**
   * Ends a turn at the writer and passes it on. The group commits at once when it is full or
   * old, or on a database with one connection; otherwise at the end of this turn of the event
   * loop (setImmediate), so that requests handled in the same turn join it: better-sqlite3 runs
   * a whole transaction without yielding, so transactions rarely queue for the writer itself.
   */
  private endTurn(release: () => void): void {
    const b = this.batch;
    if (b) {
      const full = this.reader === null || b.done.length >= BATCH_MAX || Date.now() - b.startedAt >= BATCH_MAX_AGE_MS;
      if (full) this.commitBatch();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    }
    release();
  }

  /** Commits the open group once no transaction is running on the writer. */
  private async flush(): Promise<void> {
    const release = await this.writerLock.lock();
    this.flushScheduled = false;
    try {
      if (this.batch) this.commitBatch();
    } finally {
      release();
    }
  }

  private commitBatch(): void {
    const b = this.batch!;
    this.batch = null;
    try {
      if (this.writer.inTransaction) this.writer.exec('commit');
    } catch (err) {
      if (this.writer.inTransaction) this.writer.exec('rollback');
      for (const m of b.done) m.reject(err);
      return;
    }
    for (const m of b.done) m.resolve();
  }

  private failBatch(err: unknown): void {
    const b = this.batch;
    this.batch = null;
    for (const m of b?.done ?? []) m.reject(err);
  }
}

/** Kysely's SQLite dialect on the split driver. */
export class SplitSqliteDialect implements Dialect {
  constructor(private readonly writer: Database, private readonly reader: Database | null) {}
  createDriver(): Driver {
    return new SplitSqliteDriver(this.writer, this.reader);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createIntrospector(db: AnySchemaDb): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
