import type { Kysely } from 'kysely';
import { SEVERITIES, TICKET_TYPES, type SlaPolicy } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { DB, SlaPoliciesTable } from '../../db/schema.js';
import { isUniqueViolation, readWinner } from '../../db/dialect.js';
import { badRequest } from '../../http/app-error.js';
import { iso } from '../../http/pagination.js';
import { staleVersion } from '../../http/versioning.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { cachedReference, changeReference, referenceCache } from '../../platform/reference-cache.js';
import { defaultPolicy, type SlaPolicySpec } from './sla.rules.js';

const present = (r: SlaPoliciesTable): SlaPolicy => ({
  id: r.id, type: r.type as SlaPolicy['type'], severity: r.severity as SlaPolicy['severity'], versionNo: r.version_no,
  spec: JSON.parse(r.spec) as SlaPolicy['spec'], createdAt: iso(r.created_at),
});

type Policy = { row: SlaPoliciesTable; spec: SlaPolicySpec };

/** Every version of every policy (a few dozen rows), read once per change. */
function allPolicies(db: Kysely<DB>): Promise<{ byId: Map<string, Policy>; latest: Map<string, Policy> }> {
  return cachedReference(db, 'sla_policies', async () => {
    const rows = await db.selectFrom('sla_policies').selectAll().orderBy('version_no').execute();
    const byId = new Map<string, Policy>();
    const latest = new Map<string, Policy>();
    for (const row of rows) {
      const p = { row, spec: JSON.parse(row.spec) as SlaPolicySpec };
      byId.set(row.id, p);
      latest.set(`${row.type}:${row.severity}`, p);
    }
    return { byId, latest };
  });
}

/**
 * The current policy for a type and severity, creating version 1 from the defaults on first
 * use. Tickets keep the id of the version they were registered under.
 */
export async function currentPolicy(db: Kysely<DB>, deps: Pick<Deps, 'ids' | 'clock'>, type: string, severity: string): Promise<Policy> {
  const cached = (await allPolicies(db)).latest.get(`${type}:${severity}`);
  if (cached) return cached;
  const row: SlaPoliciesTable = {
    id: deps.ids.next(), type, severity, version_no: 1, spec: JSON.stringify(defaultPolicy(type, severity)), created_at: deps.clock.now().getTime(), created_by: null,
  };
  try {
    await db.insertInto('sla_policies').values(row).execute();
  } catch (err) {
    // Another request created version 1 at the same moment: use theirs.
    if (!isUniqueViolation(err)) throw err;
    return readWinner(db, async (trx) => {
      const winner = await trx.selectFrom('sla_policies').selectAll().where('type', '=', type).where('severity', '=', severity).orderBy('version_no', 'desc').limit(1).executeTakeFirstOrThrow();
      return { row: winner, spec: JSON.parse(winner.spec) as SlaPolicySpec };
    });
  } finally {
    referenceCache(db).invalidate('sla_policies');
  }
  return { row, spec: JSON.parse(row.spec) as SlaPolicySpec };
}

/** A policy version by id (a ticket's own policy). Versions never change once written. */
export async function policyById(db: Kysely<DB>, id: string): Promise<Policy> {
  const cached = (await allPolicies(db)).byId.get(id);
  if (cached) return cached;
  // Written by another process since this one loaded the list.
  referenceCache(db).invalidate('sla_policies');
  const row = await db.selectFrom('sla_policies').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { row, spec: JSON.parse(row.spec) as SlaPolicySpec };
}

/** The current version of every type × severity. */
export async function listPolicies(deps: Deps): Promise<SlaPolicy[]> {
  const out: SlaPolicy[] = [];
  for (const type of TICKET_TYPES) for (const severity of SEVERITIES) out.push(present((await currentPolicy(deps.db, deps, type, severity)).row));
  return out;
}

/** Every version of one policy, newest first. */
export async function policyVersions(deps: Deps, type: string, severity: string): Promise<SlaPolicy[]> {
  await currentPolicy(deps.db, deps, type, severity);
  const rows = await deps.db.selectFrom('sla_policies').selectAll().where('type', '=', type).where('severity', '=', severity).orderBy('version_no', 'desc').execute();
  return rows.map(present);
}

/** Saves a new version; tickets already registered keep theirs. `expected` is the version the editor saw. */
export async function savePolicy(deps: Deps, ctx: AuditContext, type: string, severity: string, expected: number, spec: SlaPolicySpec): Promise<SlaPolicy> {
  if (!spec.firstResponse && !spec.reply && !spec.resolution) throw badRequest('至少设置一个时限', [{ field: 'resolution', message: '至少设置一个时限' }]);
  if (!(spec.escalateAfter[0]! <= spec.escalateAfter[1]! && spec.escalateAfter[1]! <= spec.escalateAfter[2]!)) {
    throw badRequest('升级时点须依次递增', [{ field: 'escalateAfter', message: '须依次递增' }]);
  }
  const current = await currentPolicy(deps.db, deps, type, severity);
  if (current.row.version_no !== expected) throw staleVersion();
  const row: SlaPoliciesTable = {
    id: deps.ids.next(), type, severity, version_no: expected + 1, spec: JSON.stringify(spec), created_at: deps.clock.now().getTime(), created_by: ctx.actorId,
  };
  try {
    await changeReference(deps.db, ['sla_policies'], async (trx) => {
      await trx.insertInto('sla_policies').values(row).execute();
      await appendAudit(trx, deps, ctx, { action: 'sla_policy.versioned', entityType: 'sla_policy', entityId: row.id, before: JSON.parse(current.row.spec), after: { type, severity, versionNo: row.version_no, spec } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw staleVersion();
    throw err;
  }
  return present(row);
}
