import type { Kysely } from 'kysely';
import { isSatisfied, SATISFACTION_LABELS, TICKET_TYPE_LABELS, type Callback, type InvalidReason, type StaffRole, type TicketType, type VisitKind } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { CallbacksTable, DB, TicketsTable } from '../../db/schema.js';
import { AppError, badRequest, forbidden, notFound } from '../../http/app-error.js';
import { decodeCursor, encodeCursor, iso, isoOrNull } from '../../http/pagination.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { hasAnyRole, projectInScope, type Actor, scopeIn } from '../../platform/auth.js';
import { addWorkingDays } from '../calendar/calendar.rules.js';
import { loadWorkCalendar } from '../calendar/calendar.service.js';
import { recordTimeline } from '../customers/timeline.service.js';
import { primaryPhoneMasked } from '../customers/customer-phones.repo.js';
import { applyTicketChange, ticketHooks, visibleTicket } from '../tickets/tickets.service.js';
import { insertVisit } from './visits.service.js';
import { updateVersioned } from '../../db/versioned.js';

/** Callbacks are due 2 working days after resolution, with up to 3 attempts to reach the customer. */
export const CALLBACK_DUE_WORKING_DAYS = 2;
export const CALLBACK_MAX_ATTEMPTS = 3;
const LEADS: readonly StaffRole[] = ['supervisor', 'manager'];

/** The callback script per ticket type: what the agent says, politely (礼貌、热情、主动). */
export function callbackScript(type: TicketType, number: string): string {
  const what = TICKET_TYPE_LABELS[type];
  return `您好，我是桥梁客服中心的客服人员。关于您反映的${what}（工单 ${number}），我们已经处理完毕。想跟您确认一下问题是否已经解决，您对我们的处理是否满意？（非常满意 / 满意 / 一般 / 不满意 / 非常不满意）还有什么需要我们帮助的吗？`;
}

/**
 * Creates the callback task when a ticket becomes resolved (on first resolution and after a
 * reopen), assigned to the first-contact owner. Registered as a ticket hook at start.
 */
export async function createCallbackOnResolution(trx: Kysely<DB>, deps: Deps, before: TicketsTable, after: TicketsTable): Promise<void> {
  if (after.status !== 'resolved' || before.status === 'resolved') return;
  const open = await trx.selectFrom('callbacks').select('id').where('ticket_id', '=', after.id).where('status', '=', 'open').executeTakeFirst();
  if (open) return;
  const cal = await loadWorkCalendar({ ...deps, db: trx });
  const now = deps.clock.now().getTime();
  await trx.insertInto('callbacks').values({
    id: deps.ids.next(), ticket_id: after.id, customer_id: after.customer_id, project_id: after.project_id, assignee_id: after.owner_id, status: 'open',
    due_at: addWorkingDays(cal, now, CALLBACK_DUE_WORKING_DAYS), attempts: 0, max_attempts: CALLBACK_MAX_ATTEMPTS, satisfaction: null, comment: null,
    completed_at: null, completed_by: null, version: 1, created_at: now, updated_at: now,
  }).execute();
}

let hooked = false;
/** Registers the callback hook with the tickets module (once per process). */
export function registerCallbackHooks(): void {
  if (hooked) return;
  hooked = true;
  ticketHooks.onChanged.push(createCallbackOnResolution);
}

function callbacksQuery(db: Kysely<DB>) {
  return db.selectFrom('callbacks as cb')
    .innerJoin('tickets as t', 't.id', 'cb.ticket_id')
    .innerJoin('projects as p', 'p.id', 'cb.project_id')
    .innerJoin('users as a', 'a.id', 'cb.assignee_id')
    .leftJoin('customers as c', 'c.id', 'cb.customer_id')
    .selectAll('cb')
    .select(['t.number', 't.title', 't.type', 'p.name as project_name', 'a.display_name as assignee_name', 'c.name as customer_name'])
    .select(primaryPhoneMasked('cb.customer_id').as('phone'));
}

type Row = Awaited<ReturnType<ReturnType<typeof callbacksQuery>['execute']>>[number];
const present = (r: Row, now: number): Callback => ({
  id: r.id, ticketId: r.ticket_id, ticketNumber: r.number, ticketTitle: r.title, ticketType: r.type, customerId: r.customer_id, customerName: r.customer_name,
  customerPhone: r.phone, projectName: r.project_name, assigneeId: r.assignee_id, assigneeName: r.assignee_name, status: r.status as Callback['status'],
  dueAt: iso(r.due_at), overdue: r.status === 'open' && Number(r.due_at) < now, attempts: r.attempts, maxAttempts: r.max_attempts, satisfaction: r.satisfaction,
  comment: r.comment, script: callbackScript(r.type as TicketType, r.number), completedAt: isoOrNull(r.completed_at), version: r.version,
});

/** Callbacks to make: mine (assigned to me) or my team's (my projects), by due date. */
export async function listCallbacks(deps: Deps, actor: Actor, q: { view?: 'mine' | 'team'; status?: string; cursor?: string; limit?: number }) {
  const limit = q.limit ?? 50;
  let query = callbacksQuery(deps.db).where('cb.status', '=', q.status ?? 'open');
  if (actor.projectIds !== null) query = query.where('cb.project_id', 'in', scopeIn(actor.projectIds));
  if ((q.view ?? 'mine') === 'mine') query = query.where('cb.assignee_id', '=', actor.userId);
  const c = decodeCursor<[number, string]>(q.cursor, 2);
  const open = (q.status ?? 'open') === 'open';
  // Open callbacks by due date; finished ones newest first.
  if (open) {
    if (c) query = query.where((eb) => eb.or([eb('cb.due_at', '>', c[0]), eb.and([eb('cb.due_at', '=', c[0]), eb('cb.id', '>', c[1])])]));
    query = query.orderBy('cb.due_at').orderBy('cb.id');
  } else {
    if (c) query = query.where((eb) => eb.or([eb('cb.updated_at', '<', c[0]), eb.and([eb('cb.updated_at', '=', c[0]), eb('cb.id', '<', c[1])])]));
    query = query.orderBy('cb.updated_at', 'desc').orderBy('cb.id', 'desc');
  }
  const rows = await query.limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const now = deps.clock.now().getTime();
  return { items: page.map((r) => present(r, now)), nextCursor: rows.length > limit && last ? encodeCursor([Number(open ? last.due_at : last.updated_at), last.id]) : null };
}

async function visibleCallback(deps: Deps, actor: Actor, id: string): Promise<CallbacksTable> {
  const cb = await deps.db.selectFrom('callbacks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!cb || !projectInScope(actor, cb.project_id)) throw notFound('回访任务不存在或不在您的数据范围内');
  return cb;
}

export async function getCallback(deps: Deps, actor: Actor, id: string) {
  await visibleCallback(deps, actor, id);
  return present((await callbacksQuery(deps.db).where('cb.id', '=', id).executeTakeFirstOrThrow()), deps.clock.now().getTime());
}

function assertMayCall(actor: Actor, cb: CallbacksTable) {
  if (cb.assignee_id !== actor.userId && !hasAnyRole(actor, LEADS)) throw forbidden('只有回访负责人或主管可以记录回访');
  if (cb.status !== 'open') throw new AppError(409, 'callback.invalid_state', '该回访任务已结束');
}

/**
 * A call that did not reach the customer. After the last allowed attempt the callback ends as
 * unreachable (reported beside K2, not in it) and the ticket is closed with that note.
 */
export async function recordFailedAttempt(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, note: string | undefined) {
  const cb = await visibleCallback(deps, actor, id);
  assertMayCall(actor, cb);
  const now = deps.clock.now().getTime();
  const attempts = cb.attempts + 1;
  const unreachable = attempts >= cb.max_attempts;
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'callbacks', { id, version }, { attempts, status: unreachable ? 'unreachable' : 'open', ...(unreachable ? { completed_at: now, completed_by: actor.userId } : {}) }, now);
    await trx.insertInto('callback_attempts').values({ id: deps.ids.next(), callback_id: id, at: now, reached: 0, note: note ?? null, actor_id: actor.userId }).execute();
    await appendAudit(trx, deps, ctx, { action: unreachable ? 'callback.unreachable' : 'callback.attempt_failed', entityType: 'callback', entityId: id, after: { attempts, note } });
    if (unreachable) {
      const t = await trx.selectFrom('tickets').selectAll().where('id', '=', cb.ticket_id).executeTakeFirstOrThrow();
      if (t.status === 'resolved') {
        await applyTicketChange(trx, deps, ctx, t, t.version, { status: 'closed', closed_at: now }, { kind: 'closed', from: t.status, to: 'closed', data: { note: `回访 ${attempts} 次无法联系` } }, '回访无法联系，关闭归档');
      }
    }
  });
  return getCallback(deps, actor, id);
}

/**
 * The customer was reached and rated the handling. The rating goes where every channel's
 * ratings go; the contact counts as a visit (K3); satisfied or neutral closes the ticket,
 * dissatisfied reopens it and escalates one level.
 */
export async function completeCallback(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: { satisfaction: number; comment?: string | undefined; alsoKinds?: VisitKind[] | undefined }) {
  const cb = await visibleCallback(deps, actor, id);
  assertMayCall(actor, cb);
  const ticket = await deps.db.selectFrom('tickets').select('status').where('id', '=', cb.ticket_id).executeTakeFirstOrThrow();
  if (ticket.status !== 'resolved') throw new AppError(409, 'callback.invalid_state', '工单尚未解决（或已被重开），不能记录回访结果');
  await deps.db.transaction().execute((trx) => recordCallbackResult(trx, deps, ctx, cb, version, body, { userId: actor.userId, channel: 'phone' }));
  return getCallback(deps, actor, id);
}

/**
 * Writes a reached callback's result in the caller's transaction: the callback done (with the
 * channel it came through: an agent's call, or the owner's rating in the portal), the rating
 * K2 counts, the contact (K3), and the ticket closed, or reopened and escalated for 1–2.
 */
export async function recordCallbackResult(
  trx: Kysely<DB>, deps: Deps, ctx: AuditContext, cb: CallbacksTable, version: number,
  body: { satisfaction: number; comment?: string | undefined; alsoKinds?: VisitKind[] | undefined },
  by: { userId: string | null; channel: 'phone' | 'portal' },
): Promise<void> {
  const id = cb.id;
  const now = deps.clock.now().getTime();
  const attemptActor = by.userId ?? `customer:${cb.customer_id ?? ''}`;
  await updateVersioned(trx, 'callbacks', { id, version, status: 'open' }, { status: 'done', channel: by.channel, satisfaction: body.satisfaction, comment: body.comment ?? null, attempts: cb.attempts + 1, completed_at: now, completed_by: by.userId }, now);
  await trx.insertInto('callback_attempts').values({ id: deps.ids.next(), callback_id: id, at: now, reached: 1, note: body.comment ?? null, actor_id: attemptActor }).execute();
  await trx.insertInto('ratings').values({
    id: deps.ids.next(), ticket_id: cb.ticket_id, customer_id: cb.customer_id, project_id: cb.project_id, source: 'callback', source_id: id,
    satisfaction: body.satisfaction, comment: body.comment ?? null, at: now, actor_id: by.userId,
  }).execute();
  if (cb.customer_id) {
    await insertVisit(trx, deps, ctx, { customerId: cb.customer_id, projectId: cb.project_id, kinds: ['callback', ...(body.alsoKinds ?? []).filter((k) => k !== 'callback')], at: now, notes: body.comment ?? null, satisfaction: body.satisfaction, source: 'callback', sourceId: id, taskId: null });
  }
  const t = await trx.selectFrom('tickets').selectAll().where('id', '=', cb.ticket_id).executeTakeFirstOrThrow();
  const label = SATISFACTION_LABELS[body.satisfaction] ?? String(body.satisfaction);
  const how = by.channel === 'portal' ? '业主门户评价' : '回访';
  if (t.status === 'resolved') {
    if (body.satisfaction <= 2) {
      await applyTicketChange(trx, deps, ctx, t, t.version, { status: 'reopened', escalation_level: Math.min(3, t.escalation_level + 1) },
        { kind: 'reopened', from: t.status, to: 'reopened', data: { reason: `${how}${label}`, comment: body.comment ?? null } }, `${how}${label}，重开并升级`);
    } else {
      await applyTicketChange(trx, deps, ctx, t, t.version, { status: 'closed', closed_at: now }, { kind: 'closed', from: t.status, to: 'closed', data: { note: `${how}${label}` } }, `${how}${label}，关闭归档`);
    }
  }
  await appendAudit(trx, deps, ctx, { action: 'callback.completed', entityType: 'callback', entityId: id, after: { satisfaction: body.satisfaction, satisfied: isSatisfied(body.satisfaction), comment: body.comment ?? null, channel: by.channel } });
}

/**
 * A supervisor marks a complaint invalid with a reason code and an explanation (K2 ignores it;
 * K1 still counts it). Audited; a manager can reverse it.
 */
export async function setComplaintValidity(deps: Deps, actor: Actor, ctx: AuditContext, ticketId: string, version: number, valid: boolean, reason: InvalidReason | null, note: string) {
  const t = await visibleTicket(deps, actor, ticketId);
  if (t.type !== 'complaint') throw badRequest('只有投诉可以标记有效或无效');
  if (!valid && !hasAnyRole(actor, ['supervisor', 'manager'])) throw forbidden('只有客服主管或经理可以认定无效投诉');
  if (valid && !hasAnyRole(actor, ['manager'])) throw forbidden('只有客服经理可以撤销无效认定');
  if (valid === (t.valid === 1)) throw new AppError(409, 'ticket.invalid_transition', valid ? '该投诉已是有效投诉' : '该投诉已被认定为无效');
  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    await applyTicketChange(trx, deps, ctx, t, version,
      valid ? { valid: 1, invalid_reason: null, invalid_note: null, invalid_by: null, invalid_at: null } : { valid: 0, invalid_reason: reason, invalid_note: note, invalid_by: actor.userId, invalid_at: now },
      { kind: valid ? 'validated' : 'invalidated', data: { reason, note } });
    if (t.customer_id) await recordTimeline(trx, deps, ctx, { customerId: t.customer_id, kind: valid ? 'ticket.validated' : 'ticket.invalidated', title: `${t.number} ${valid ? '恢复为有效投诉' : '认定为无效投诉'}`, body: note, refType: 'ticket', refId: t.id, projectId: t.project_id });
  });
}
