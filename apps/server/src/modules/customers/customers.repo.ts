import type { ExpressionBuilder, Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { contains } from '../../db/dialect.js';
import type { Actor } from '../../platform/auth.js';
import { scopeIn } from '../../platform/auth.js';

type CustomerEb = ExpressionBuilder<DB & { c: DB['customers'] }, 'c'>;

/**
 * The customers an actor may see: those registered under a project in scope, or related
 * (now or before) to a unit in scope. Null means no restriction (group scope).
 */
export function customerScope(actor: Actor) {
  if (actor.projectIds === null) return null;
  const pids = scopeIn(actor.projectIds);
  return (eb: CustomerEb) =>
    eb.or([
      eb('c.project_id', 'in', pids),
      eb.exists(eb.selectFrom('customer_units as cu').select('cu.id').whereRef('cu.customer_id', '=', 'c.id').where('cu.project_id', 'in', pids)),
    ]);
}

/** Unit relations of several customers with project name and the unit's address parts. */
export async function unitLinksOf(db: Kysely<DB>, customerIds: string[]) {
  if (!customerIds.length) return [];
  return db
    .selectFrom('customer_units as cu')
    .innerJoin('units as u', 'u.id', 'cu.unit_id')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .innerJoin('projects as p', 'p.id', 'cu.project_id')
    .selectAll('cu')
    .select(['p.name as project_name', 'b.name as building_name', 'u.entrance', 'u.room_number'])
    .where('cu.customer_id', 'in', customerIds)
    .orderBy('cu.from_date', 'desc')
    .execute();
}

/** The latest archive state of each customer. */
export async function latestArchiveStates(db: Kysely<DB>, customerIds: string[], at?: number) {
  if (!customerIds.length) return new Map<string, DB['customer_archive_states']>();
  let q = db.selectFrom('customer_archive_states as s').selectAll('s').where('s.customer_id', 'in', customerIds);
  // Ids are time-ordered (UUIDv7) and unique, so max(id) picks one latest row even when
  // several states were written in the same millisecond.
  q = q.where('s.id', '=', (eb) => {
    let inner = eb.selectFrom('customer_archive_states as s2').select((e) => e.fn.max('s2.id').as('m')).whereRef('s2.customer_id', '=', 's.customer_id');
    if (at !== undefined) inner = inner.where('s2.at', '<=', at);
    return inner;
  });
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.customer_id, r]));
}

/** The first string after every string starting with a prefix, for an index range scan. */
export const prefixUpperBound = (prefix: string): string => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

/** Case-insensitive containment for names on both dialects. */
export const nameContains = (q: string) => contains('c.name', q);
