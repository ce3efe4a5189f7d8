import type { Kysely } from 'kysely';
import { SEVERITIES, TICKET_TYPES, type SlaPolicy } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { DB, SlaPoliciesTable } from '../../db/schema.js';
import { isUniqueViolation, readWinner } from '../../db/dialect.js';
import { badRequest } from '../../http/app-error.js';
import { iso } from '../../http/pagination.js';
import { staleVersion } from '../../http/versioning.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { defaultPolicy, type SlaPolicySpec } from './sla.rules.js';

const present = (r: SlaPoliciesTable): SlaPolicy => ({
  id: r.id, type: r.type as SlaPolicy['type'], severity: r.severity as SlaPolicy['severity'], versionNo: r.version_no,
  spec: JSON.parse(r.spec) as SlaPolicy['spec'], createdAt: iso(r.created_at),
});

/**
 * The current policy for a type and severity, creating version 1 from the defaults on first
 * use. Tickets keep the id of the version they were registered under.
 */
export async function currentPolicy(db: Kysely<DB>, deps: Pick<Deps, 'ids' | 'clock'>, type: string, severity: string): Promise<{ row: SlaPoliciesTable; spec: SlaPolicySpec }> {
  const latest = await db.selectFrom('sla_policies').selectAll().where('type', '=', type).where('severity', '=', severity)
    .orderBy('version_no', 'desc').limit(1).executeTakeFirst();
  if (latest) return { row: latest, spec: JSON.parse(latest.spec) as SlaPolicySpec };
  const row: SlaPoliciesTable = {
    id: deps.ids.next(), type, severity, version_no: 1, spec: JSON.stringify(defaultPolicy(type, severity)), created_at: deps.clock.now().getTime(), created_by: null,
  };
  try {
    await db.insertInto('sla_policies').values(row).execute();
  } catch (err) {
    // Another request created version 1 at the same moment: use theirs.
    if (!isUniqueViolation(err)) throw err;
    return readWinner(db, (trx) => currentPolicy(trx, deps, type, severity));
  }
  return { row, spec: JSON.parse(row.spec) as SlaPolicySpec };
}

/** A policy version by id (a ticket's own policy). */
/** Policy versions are never changed once written (a change is a new version), so any process may keep them. */
const keptPolicies = new Map<string, { row: SlaPoliciesTable; spec: SlaPolicySpec }>();

export async function policyById(db: Kysely<DB>, id: string): Promise<{ row: SlaPoliciesTable; spec: SlaPolicySpec }> {
  const kept = keptPolicies.get(id);
  if (kept) return kept;
  const row = await db.selectFrom('sla_policies').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const policy = { row, spec: JSON.parse(row.spec) as SlaPolicySpec };
  if (keptPolicies.size > 10_000) keptPolicies.clear();
  keptPolicies.set(id, policy);
  return policy;
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
    await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('sla_policies').values(row).execute();
      await appendAudit(trx, deps, ctx, { action: 'sla_policy.versioned', entityType: 'sla_policy', entityId: row.id, before: JSON.parse(current.row.spec), after: { type, severity, versionNo: row.version_no, spec } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw staleVersion();
    throw err;
  }
  return present(row);
}
