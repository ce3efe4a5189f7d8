import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { changeReference, cachedReference, referenceCache } from './reference-cache.js';
import { getSetting } from './settings.js';

/*
 * The Chinese token index (docs/benchmarks.md R3, architecture "search"). A record's text is
 * indexed as every Han character and every pair of adjacent Han characters, in the record's
 * own write transaction. A query of Han characters only is answered from the index: one
 * character by its own token, two or more by the records holding all of the query's pairs —
 * which the caller then confirms with a substring match on those few rows (pairs alone do not
 * prove the order: 文静 and 静文 both hold …). Anything else (Latin letters, digits, mixed
 * text) is not indexable and the caller keeps its substring scan.
 *
 * Word segmentation (jieba) was the alternative; single characters and pairs find every
 * 1- and 2-character substring, which Chinese names and short complaint texts need, and keep
 * the index portable between SQLite and PostgreSQL.
 */

/** What the index holds; each kind has its own completeness flag (settings `search.<kind>`). */
export type SearchKind = 'customer';

const HAN_RUN = /\p{Script=Han}+/gu;
const ONLY_HAN = /^\p{Script=Han}+$/u;

/** The tokens of a text: its Han characters and adjacent pairs, once each. */
export function searchTokens(text: string): string[] {
  const out = new Set<string>();
  for (const run of text.normalize('NFKC').match(HAN_RUN) ?? []) {
    const chars = [...run];
    chars.forEach((ch, i) => {
      out.add(ch);
      if (i + 1 < chars.length) out.add(ch + chars[i + 1]);
    });
  }
  return [...out];
}

/** The tokens a query must all match, or null when the index cannot answer it. */
export function queryTokens(q: string): string[] | null {
  const text = q.normalize('NFKC').trim();
  if (!ONLY_HAN.test(text)) return null;
  const chars = [...text];
  if (chars.length === 1) return chars;
  return [...new Set(chars.slice(1).map((ch, i) => chars[i] + ch))];
}

/** Replaces the tokens of one record; call it in the transaction that writes the text. */
export async function indexText(trx: Kysely<DB>, kind: SearchKind, entityId: string, text: string): Promise<void> {
  await trx.deleteFrom('search_tokens').where('kind', '=', kind).where('entity_id', '=', entityId).execute();
  await insertTokens(trx, kind, [{ id: entityId, text }]);
}

/** Inserts the tokens of records that have none yet (new records, seeds, the backfill). */
export async function insertTokens(trx: Kysely<DB>, kind: SearchKind, records: readonly { id: string; text: string }[]): Promise<void> {
  const rows = records.flatMap((r) => searchTokens(r.text).map((token) => ({ kind, token, entity_id: r.id })));
  // 3 parameters a row; SQLite allows 32766 per statement.
  for (let i = 0; i < rows.length; i += 2_000) {
    await trx.insertInto('search_tokens').values(rows.slice(i, i + 2_000)).onConflict((oc) => oc.doNothing()).execute();
  }
}

/** Drops the tokens of a record that no longer exists or is no longer searchable. */
export async function unindex(trx: Kysely<DB>, kind: SearchKind, entityId: string): Promise<void> {
  await trx.deleteFrom('search_tokens').where('kind', '=', kind).where('entity_id', '=', entityId).execute();
}

/** The ids holding every one of `tokens`, as a subquery for `where id in (…)`. */
export function entitiesWithTokens(db: Kysely<DB>, kind: SearchKind, tokens: readonly string[]) {
  const one = (token: string) => db.selectFrom('search_tokens').select('entity_id').where('kind', '=', kind).where('token', '=', token);
  // INTERSECT keeps each lookup on the primary key; GROUP BY … HAVING made SQLite walk the kind.
  return tokens.slice(1).reduce((q, token) => q.intersect(one(token)), one(tokens[0]!));
}

interface IndexState {
  complete: boolean;
  /** The backfill's position: ids up to this one are indexed. */
  after?: string;
}

const settingKey = (kind: SearchKind) => `search.${kind}`;

/** True once every record of the kind is in the index (new databases from the start). */
export async function indexComplete(db: Kysely<DB>, kind: SearchKind): Promise<boolean> {
  const state = await cachedReference(db, `setting:${settingKey(kind)}`, () => getSetting<IndexState>(db, settingKey(kind), { complete: false }));
  return state.value.complete;
}

/** What the backfill reads: the next records after an id, in id order, with their text. */
export type BackfillSource = (db: Kysely<DB>, afterId: string | null, limit: number) => Promise<{ id: string; text: string }[]>;

/**
 * Indexes the records of a kind that predate the index, a batch per transaction, from where
 * the last run stopped (the position is saved with each batch, so a crash resumes there).
 * Returns the number indexed; marks the kind complete when it reaches the end.
 */
export async function backfillSearchIndex(deps: Pick<Deps, 'db' | 'log'>, kind: SearchKind, source: BackfillSource, opts: { batch?: number; maxBatches?: number } = {}): Promise<{ indexed: number; complete: boolean }> {
  const batch = opts.batch ?? 1_000;
  const key = settingKey(kind);
  let indexed = 0;
  for (let n = 0; n < (opts.maxBatches ?? Number.POSITIVE_INFINITY); n++) {
    const state = (await getSetting<IndexState>(deps.db, key, { complete: false })).value;
    if (state.complete) return { indexed, complete: true };
    const records = await source(deps.db, state.after ?? null, batch);
    const last = records[records.length - 1];
    const next: IndexState = last && records.length === batch ? { complete: false, after: last.id } : { complete: true };
    await changeReference(deps.db, [`setting:${key}`], async (trx) => {
      await insertTokens(trx, kind, records);
      await trx.insertInto('settings').values({ key, value: JSON.stringify(next), version: 1, updated_at: Date.now(), updated_by: null })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(next), updated_at: Date.now() })).execute();
    });
    indexed += records.length;
    if (next.complete) {
      deps.log.info({ kind, indexed }, 'search index complete');
      return { indexed, complete: true };
    }
    // Let requests in between batches.
    await new Promise((r) => setImmediate(r));
  }
  referenceCache(deps.db).invalidate(`setting:${key}`);
  return { indexed, complete: false };
}
