import type { CompiledQuery, Kysely } from 'kysely';
import { isPostgres } from './dialect.js';
import type { DB } from './schema.js';

/** Stands for the one parameter while the statement is compiled. */
const PARAM = '\u0000precompiled-param';

/**
 * A hot statement built and compiled once per dialect, then run with one string parameter
 * (an id). Building and compiling a Kysely query with joins and JSON subqueries costs more
 * than running it on SQLite (benchmarks R6: ticket detail 0.8 → 0.16 ms in process).
 */
export function precompiled<R>(build: (db: Kysely<DB>, param: string) => { compile(): CompiledQuery<R> }) {
  const compiled = new Map<string, CompiledQuery<R>>();
  return async (db: Kysely<DB>, value: string): Promise<R[]> => {
    const dialect = isPostgres(db) ? 'postgres' : 'sqlite';
    let c = compiled.get(dialect);
    if (!c) {
      c = build(db, PARAM).compile();
      compiled.set(dialect, c);
    }
    const { rows } = await db.executeQuery<R>({ ...c, parameters: c.parameters.map((p) => (p === PARAM ? value : p)) });
    return rows;
  };
}
