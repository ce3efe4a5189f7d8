import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { sessionIdOf } from './auth.js';

/**
 * The signed-in owner behind a portal request (issue 12). Owners are customers of the
 * archive, not staff: their sessions live in `portal_sessions` under their own cookie, so a
 * staff session never opens an owner route and an owner session never opens a staff one.
 */
export interface OwnerActor {
  customerId: string;
  name: string;
  sessionId: string;
  /** The units the customer holds now, with their relation (the owner's whole scope). */
  units: { unitId: string; projectId: string; relation: string }[];
}

export interface OwnerSessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

/** Resumes an owner session: null when unknown, revoked, idle too long or too old, or the customer was merged away. */
export async function resumeOwnerSession(db: Kysely<DB>, token: string, nowMs: number, policy: OwnerSessionPolicy, today: string): Promise<OwnerActor | null> {
  const id = sessionIdOf(token);
  const s = await db.selectFrom('portal_sessions as s').innerJoin('customers as c', 'c.id', 's.customer_id')
    .select(['s.id', 's.customer_id', 's.revoked_at', 's.expires_at', 's.last_seen_at', 'c.name', 'c.merged_into_id'])
    .where('s.id', '=', id).executeTakeFirst();
  if (!s || s.revoked_at !== null || s.merged_into_id !== null) return null;
  if (nowMs >= Number(s.expires_at) || nowMs - Number(s.last_seen_at) >= policy.idleMs) return null;
  if (nowMs - Number(s.last_seen_at) > 60_000) {
    await db.updateTable('portal_sessions').set({ last_seen_at: nowMs }).where('id', '=', id).execute();
  }
  return { customerId: s.customer_id, name: s.name, sessionId: id, units: await currentUnits(db, s.customer_id, today) };
}

/** The units a customer holds on a day (from_date ≤ today, no end or an end after today). */
export async function currentUnits(db: Kysely<DB>, customerId: string, today: string) {
  const rows = await db.selectFrom('customer_units').select(['unit_id', 'project_id', 'relation'])
    .where('customer_id', '=', customerId).where('from_date', '<=', today)
    .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>', today)]))
    .orderBy('from_date').orderBy('id').execute();
  return rows.map((r) => ({ unitId: r.unit_id, projectId: r.project_id, relation: r.relation }));
}
