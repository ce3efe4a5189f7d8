import type { ExpressionBuilder, Kysely } from 'kysely';
import type { CallBackTask, CallBackTaskListQuery } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { CallBackTasksTable, DB } from '../../db/schema.js';
import { AppError, conflict, notFound } from '../../http/app-error.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { hasAnyRole, type Actor, scopeIn } from '../../platform/auth.js';
import { loadPrivacy } from '../customers/customers.service.js';
import { recordTimeline } from '../customers/timeline.service.js';
import { presentCallBack, type CallBackRow } from './calls.presenter.js';
import { updateVersioned } from '../../db/versioned.js';

/** Roles that see and complete every call-back task of their projects, not only their own and the pool's. */
const LEADS = ['supervisor', 'manager', 'admin'] as const;

type TaskEb = ExpressionBuilder<DB & { t: CallBackTasksTable }, 't'>;

function withNames(db: Kysely<DB>) {
  return db.selectFrom('call_back_tasks as t')
    .leftJoin('customers as c', 'c.id', 't.customer_id')
    .leftJoin('users as a', 'a.id', 't.assigned_to')
    .leftJoin('users as d', 'd.id', 't.done_by')
    .selectAll('t')
    .select(['c.name as customer_name', 'a.display_name as assigned_name', 'd.display_name as done_by_name']);
}

/**
 * The tasks an actor may see, or null for all: an agent sees their own and the unassigned
 * pool of their projects; leads see every task of their projects. A task without a project
 * (unknown extension and caller) belongs to the group-wide pool.
 */
function taskScope(actor: Actor) {
  const pids = actor.projectIds === null ? null : scopeIn(actor.projectIds);
  if (hasAnyRole(actor, LEADS)) {
    if (pids === null) return null;
    return (eb: TaskEb) => eb.or([eb('t.assigned_to', '=', actor.userId), eb('t.project_id', 'in', pids)]);
  }
  return (eb: TaskEb) => eb.or([
    eb('t.assigned_to', '=', actor.userId),
    pids === null ? eb('t.assigned_to', 'is', null) : eb.and([eb('t.assigned_to', 'is', null), eb('t.project_id', 'in', pids)]),
  ]);
}

async function visibleTask(deps: Deps, actor: Actor, id: string): Promise<CallBackRow> {
  let q = withNames(deps.db).where('t.id', '=', id);
  const scope = taskScope(actor);
  if (scope) q = q.where(scope);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('回拨任务不存在或不在您的数据范围内');
  return row;
}

/** The call-back task of a call, if any (the call's own visibility was checked by the caller). */
export async function callBackOfCall(deps: Deps, callId: string): Promise<CallBackTask | null> {
  const row = await withNames(deps.db).where('t.call_id', '=', callId).executeTakeFirst();
  return row ? presentCallBack(row, deps.clock.now().getTime()) : null;
}

/** Call-back tasks by due time (most urgent first), keyset-paged by (due_at, id). */
export async function listCallBacks(deps: Deps, actor: Actor, query: CallBackTaskListQuery): Promise<{ items: CallBackTask[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  let q = withNames(deps.db).where('t.status', '=', query.status ?? 'open');
  const scope = taskScope(actor);
  if (scope) q = q.where(scope);
  if (query.view === 'mine') q = q.where('t.assigned_to', '=', actor.userId);
  if (query.view === 'pool') q = q.where('t.assigned_to', 'is', null);
  const cursor = decodeCursor<[number, string]>(query.cursor, 2);
  if (cursor) {
    const [due, id] = cursor;
    q = q.where((eb) => eb.or([eb('t.due_at', '>', due), eb.and([eb('t.due_at', '=', due), eb('t.id', '>', id)])]));
  }
  const rows = await q.orderBy('t.due_at').orderBy('t.id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const now = deps.clock.now().getTime();
  return { items: page.map((r) => presentCallBack(r, now)), nextCursor: rows.length > limit && last ? encodeCursor([Number(last.due_at), last.id]) : null };
}

/**
 * Marks a call-back done with what came of it. Taking a task from the pool makes it the
 * actor's. The customer's timeline records the call-back.
 */
export async function completeCallBack(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, note: string): Promise<CallBackTask> {
  const before = await visibleTask(deps, actor, id);
  if (before.status !== 'open') throw conflict('call_back.not_open', before.status === 'done' ? '该回拨任务已完成' : '该回拨任务已取消');
  const now = deps.clock.now().getTime();
  const text = note.trim();
  await deps.db.transaction().execute(async (trx) => {
    const patch = { status: 'done' as const, done_at: now, done_by: actor.userId, note: text, assigned_to: before.assigned_to ?? actor.userId };
    await updateVersioned(trx, 'call_back_tasks', { id, version, status: 'open' }, patch, now);
    if (before.customer_id) {
      await recordTimeline(trx, deps, ctx, {
        customerId: before.customer_id, kind: 'call.called_back', title: '已回拨未接来电', body: text, refType: 'call', refId: before.call_id, projectId: before.project_id,
      });
    }
    await appendAudit(trx, deps, ctx, {
      action: 'call_back.done', entityType: 'call_back_task', entityId: id,
      before: { status: before.status, assignedTo: before.assigned_to }, after: { status: 'done', assignedTo: patch.assigned_to, note: text },
    });
  });
  return presentCallBack(await visibleTask(deps, actor, id), deps.clock.now().getTime());
}

/**
 * The number to call back, in full, for a role the privacy settings allow to see phones.
 * Audited without the number.
 */
export async function revealCallBackPhone(deps: Deps, actor: Actor, ctx: AuditContext, id: string): Promise<{ phone: string }> {
  const privacy = (await loadPrivacy(deps.db)).value;
  if (!actor.roles.some((r) => privacy.phoneRevealRoles.includes(r))) throw new AppError(403, 'customer.reveal_forbidden', '您的角色不能查看完整电话号码');
  const task = await visibleTask(deps, actor, id);
  await deps.db.transaction().execute(async (trx) => {
    await appendAudit(trx, deps, ctx, { action: 'call_back.phone_revealed', entityType: 'call_back_task', entityId: id, after: { reason: '回拨未接来电' } });
  });
  return { phone: task.phone };
}
