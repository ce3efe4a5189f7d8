import type { Kysely } from 'kysely';
import { SLA_TARGET_LABELS, type SlaTarget, type StaffRole } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { DB, TicketsTable } from '../../db/schema.js';
import { enqueueJob, type JobRunner } from '../../platform/jobs.js';
import { enqueueMessage } from '../../platform/outbox.js';
import { policyById } from './sla-policies.service.js';
import { escalationInstants, warnAtInstant, type SlaPolicySpec } from './sla.rules.js';

export const SLA_CHECK = 'sla.check';

const ACTIVE = new Set(['registered', 'dispatched', 'in_progress', 'result_returned', 'replied', 'reopened']);
/** Who hears of an escalation at each level: supervisor, manager, then leadership (general manager). */
const LEVEL_ROLES: Record<number, StaffRole> = { 1: 'supervisor', 2: 'manager', 3: 'executive' };
const LEVEL_LABELS: Record<number, string> = { 1: '客服主管', 2: '客服经理', 3: '总经理' };

interface TargetState {
  target: SlaTarget;
  due: number;
  met: boolean;
}

/** The targets of a ticket with their due instants and whether each is met. */
function targetsOf(t: TicketsTable): TargetState[] {
  const out: TargetState[] = [];
  if (t.first_response_due !== null) out.push({ target: 'first_response', due: Number(t.first_response_due), met: t.first_responded_at !== null });
  if (t.reply_due !== null) out.push({ target: 'reply', due: Number(t.reply_due), met: t.first_replied_at !== null });
  if (t.resolution_due !== null) out.push({ target: 'resolution', due: Number(t.resolution_due), met: t.status === 'resolved' || t.status === 'closed' });
  return out;
}

/** Every instant at which something happens for an unmet target: the warning, the breach, each escalation. */
function instantsOf(t: TicketsTable, spec: SlaPolicySpec): { at: number; target: TargetState; kind: 'warn' | 'escalate'; level: number }[] {
  const reg = Number(t.registered_at) + Number(t.paused_ms);
  const out: { at: number; target: TargetState; kind: 'warn' | 'escalate'; level: number }[] = [];
  for (const target of targetsOf(t).filter((x) => !x.met)) {
    out.push({ at: warnAtInstant(reg, target.due, spec.warnAt), target, kind: 'warn', level: 0 });
    escalationInstants(reg, target.due, spec.escalateAfter).forEach((at, i) => out.push({ at, target, kind: 'escalate', level: i + 1 }));
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * Schedules the ticket's next SLA check as a durable job: it survives restarts and runs in
 * whichever process claims it. Paused and finished tickets need no check.
 */
export async function scheduleSlaCheck(trx: Kysely<DB>, deps: Pick<Deps, 'clock' | 'ids'>, t: TicketsTable): Promise<void> {
  if (!ACTIVE.has(t.status)) return;
  const { spec } = await policyById(trx, t.sla_policy_id);
  const now = deps.clock.now().getTime();
  const next = instantsOf(t, spec).find((x) => x.at > now || (x.kind === 'escalate' ? x.level > t.escalation_level : false));
  if (!next) return;
  const runAt = Math.max(next.at, now);
  await enqueueJob(trx, deps, { kind: SLA_CHECK, payload: { ticketId: t.id }, runAt, dedupeKey: `sla:${t.id}:${runAt}:${t.version}` });
}

/**
 * The SLA check: warns the owner when a target is close, marks a breach, and escalates up the
 * ladder (supervisor → manager → general manager), each level notified and recorded once.
 */
export async function runSlaCheck(deps: Deps, ticketId: string): Promise<void> {
  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    const t = await trx.selectFrom('tickets').selectAll().where('id', '=', ticketId).executeTakeFirst();
    if (!t || !ACTIVE.has(t.status)) return;
    const { spec } = await policyById(trx, t.sla_policy_id);
    const due = instantsOf(t, spec).filter((x) => x.at <= now);
    let level = t.escalation_level;
    let breached = t.breached === 1;
    for (const x of due) {
      const label = SLA_TARGET_LABELS[x.target.target];
      if (x.kind === 'warn') {
        await enqueueMessage(trx, deps, {
          channel: 'in_app', recipient: t.owner_id, subject: `工单即将超时：${t.number}`, body: `${label}时限 ${new Date(x.target.due).toISOString()} 即将到期`,
          link: `/tickets/${t.id}`, idempotencyKey: `sla-warn:${t.id}:${x.target.target}:${x.target.due}`,
        });
        continue;
      }
      breached = true;
      if (x.level <= level) continue;
      level = x.level;
      const recipients = await leadsOf(trx, t.project_id, LEVEL_ROLES[x.level]!);
      const subject = `工单超时升级至${LEVEL_LABELS[x.level]}：${t.number}`;
      for (const r of recipients) {
        await enqueueMessage(trx, deps, {
          channel: 'in_app', recipient: r.id, subject, body: `${t.title}（${label}已超时）`, link: `/tickets/${t.id}`, idempotencyKey: `sla-esc:${t.id}:${x.level}:${x.target.due}:${r.id}`,
        });
        // Leaders away from the screen hear of it by e-mail too (SMS follows once a provider is configured).
        if (r.email) {
          await enqueueMessage(trx, deps, {
            channel: 'email', recipient: r.email, subject, body: `${t.title}（${label}已超时，当前升级至${LEVEL_LABELS[x.level]}）`, link: `/tickets/${t.id}`,
            idempotencyKey: `sla-esc-mail:${t.id}:${x.level}:${x.target.due}:${r.id}`,
          });
        }
      }
      await trx.insertInto('ticket_events').values({
        id: deps.ids.next(), ticket_id: t.id, at: now, kind: 'escalated', from_status: null, to_status: null, actor_id: null, actor_name: '系统',
        data: JSON.stringify({ level, levelName: LEVEL_LABELS[x.level], target: x.target.target, dueAt: new Date(x.target.due).toISOString(), notified: recipients.length }),
      }).execute();
    }
    if (level !== t.escalation_level || breached !== (t.breached === 1)) {
      await trx.updateTable('tickets').set({ escalation_level: level, breached: breached ? 1 : 0, version: t.version + 1, updated_at: now }).where('id', '=', t.id).execute();
    }
    const after = await trx.selectFrom('tickets').selectAll().where('id', '=', t.id).executeTakeFirstOrThrow();
    await scheduleSlaCheck(trx, deps, after);
  });
}

/** Active users with a role whose scope covers the project. */
async function leadsOf(trx: Kysely<DB>, projectId: string, role: StaffRole): Promise<{ id: string; email: string | null }[]> {
  const city = trx.selectFrom('projects').select('city_company_id').where('id', '=', projectId);
  const rows = await trx.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select(['u.id', 'u.email'])
    .where('r.role', '=', role).where('u.active', '=', 1)
    .where((eb) => eb.or([
      eb('u.scope_kind', '=', 'group'),
      eb.exists(eb.selectFrom('user_scopes as s').select('s.scope_id').whereRef('s.user_id', '=', 'u.id').where((e) => e.or([e('s.scope_id', '=', projectId), e('s.scope_id', 'in', city)]))),
    ])).execute();
  return rows;
}

/** Registers the SLA check with a process's job runner. */
export function registerSlaTimers(runner: JobRunner, deps: Deps): void {
  runner.register<{ ticketId: string }>(SLA_CHECK, { run: async (payload) => runSlaCheck(deps, payload.ticketId) });
}
