import { CENTER_ROLES } from '@qiaoliang/shared';
import type { Kysely } from 'kysely';
import type { WorkOrderStatus } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { DB, WorkOrdersTable } from '../../db/schema.js';
import { AppError, notFound } from '../../http/app-error.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { hasAnyRole, projectInScope, type Actor, scopeIn } from '../../platform/auth.js';
import { enqueueMessage } from '../../platform/outbox.js';
import { recordTimeline } from '../customers/timeline.service.js';
import { scheduleSlaCheck } from './sla-timers.js';
import { workOrdersQuery } from './tickets.repo.js';
import { primaryPhoneMasked } from '../customers/customer-phones.repo.js';
import { loadPrivacy } from '../customers/customers.service.js';
import { CUSTOMER_READ } from '../customers/customers.routes.js';
import { presentWorkOrder } from './tickets.presenter.js';
import { nextStatus } from './tickets.rules.js';
import type { TicketStatus } from '@qiaoliang/shared';
import { updateVersioned } from '../../db/versioned.js';

/** Which work-order commands are allowed from which status. */
const WO_FROM: Record<'accept' | 'reject' | 'progress' | 'complete', readonly WorkOrderStatus[]> = {
  accept: ['pending'],
  reject: ['pending', 'accepted'],
  progress: ['accepted'],
  complete: ['accepted'],
};

/**
 * A work order the actor may see: a handler of its department (within their scope), or center
 * staff of its project. A handler never reaches the ticket or the customer's contact data.
 */
async function visibleWorkOrder(deps: Deps, actor: Actor, id: string): Promise<WorkOrdersTable> {
  const w = await deps.db.selectFrom('work_orders').selectAll().where('id', '=', id).executeTakeFirst();
  const isHandler = actor.roles.includes('handler') && w?.department_id === actor.departmentId;
  const isCenter = hasAnyRole(actor, CENTER_ROLES);
  if (!w || !projectInScope(actor, w.project_id) || !(isHandler || isCenter)) throw notFound('派工单不存在或不在您的数据范围内');
  return w;
}

/** A department's queue (handlers) or the work orders of the actor's projects (center staff), by deadline. */
export async function listWorkOrders(deps: Deps, actor: Actor, q: { status?: WorkOrderStatus[] | undefined; cursor?: string | undefined; limit?: number | undefined }) {
  const limit = q.limit ?? 50;
  let query = workOrdersQuery(deps.db);
  if (actor.roles.includes('handler') && !hasAnyRole(actor, CENTER_ROLES)) {
    query = query.where('w.department_id', '=', actor.departmentId ?? '');
  }
  if (actor.projectIds !== null) query = query.where('w.project_id', 'in', scopeIn(actor.projectIds));
  query = query.where('w.status', 'in', q.status?.length ? q.status : ['pending', 'accepted']);
  const c = decodeCursor<[number, string]>(q.cursor, 2);
  if (c) query = query.where((eb) => eb.or([eb('w.due_at', '>', c[0]), eb.and([eb('w.due_at', '=', c[0]), eb('w.id', '>', c[1])])]));
  const rows = await query.orderBy('w.due_at').orderBy('w.id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const now = deps.clock.now().getTime();
  const last = page[page.length - 1];
  return { items: page.map((w) => presentWorkOrder(w, [], [], now)), nextCursor: rows.length > limit && last ? encodeCursor([Number(last.due_at), last.id]) : null };
}

export async function getWorkOrder(deps: Deps, actor: Actor, id: string) {
  await visibleWorkOrder(deps, actor, id);
  const w = (await workOrdersQuery(deps.db).where('w.id', '=', id).executeTakeFirst())!;
  const [updates, atts, ticket, privacy] = await Promise.all([
    deps.db.selectFrom('work_order_updates').selectAll().where('work_order_id', '=', id).orderBy('at').execute(),
    deps.db.selectFrom('attachments').select(['id', 'filename', 'content_type', 'size']).where('owner_type', '=', 'work_order').where('owner_id', '=', id).execute(),
    // The handler is not blind (issue #18 defect 7): who, how to reach them (masked), what they said.
    deps.db.selectFrom('tickets as t').leftJoin('customers as c', 'c.id', 't.customer_id')
      .select(['t.customer_id', 'c.name as customer_name', 't.description', primaryPhoneMasked('t.customer_id').as('customer_phone')])
      .where('t.id', '=', w.ticket_id).executeTakeFirstOrThrow(),
    loadPrivacy(deps.db),
  ]);
  // The full number only through the customers' audited reveal, for roles that may use it.
  const mayReveal = actor.roles.some((r) => privacy.value.phoneRevealRoles.includes(r) && CUSTOMER_READ.includes(r));
  return {
    ...presentWorkOrder(w, updates, atts, deps.clock.now().getTime()),
    customerId: ticket.customer_id,
    customerName: ticket.customer_name ?? null,
    customerPhone: (ticket.customer_phone as string | null) ?? null,
    phoneRevealable: Boolean(ticket.customer_id && ticket.customer_phone && mayReveal),
    ticketDescription: ticket.description,
  };
}

/**
 * A handler's command on a work order. The ticket's status follows from all its work orders;
 * the ticket's owner is told when a result comes back or the order is rejected.
 */
export async function workOrderCommand(
  deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, command: 'accept' | 'reject' | 'progress' | 'complete', text: string | null,
) {
  const w = await visibleWorkOrder(deps, actor, id);
  if (!(actor.roles.includes('handler') && w.department_id === actor.departmentId)) {
    throw new AppError(403, 'access.forbidden', '只有该部门的处理人可以处理派工单');
  }
  if (!WO_FROM[command].includes(w.status as WorkOrderStatus)) {
    throw new AppError(409, 'work_order.invalid_transition', `派工单当前状态（${w.status}）不允许此操作`);
  }
  const now = deps.clock.now().getTime();
  const patch: Partial<WorkOrdersTable> =
    command === 'accept' ? { status: 'accepted', accepted_at: now, assignee_id: actor.userId }
    : command === 'reject' ? { status: 'rejected', rejected_reason: text }
    : command === 'complete' ? { status: 'completed', completed_at: now, result: text }
    : {};
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'work_orders', { id, version }, patch, now);
    if (text) {
      await trx.insertInto('work_order_updates').values({ id: deps.ids.next(), work_order_id: id, at: now, kind: command, body: text, actor_id: actor.userId, actor_name: actor.displayName }).execute();
    }
    await appendAudit(trx, deps, ctx, { action: `work_order.${command}`, entityType: 'work_order', entityId: id, before: { status: w.status }, after: { ...patch, ...(text ? { text } : {}) } });
    await syncTicketWithWorkOrders(trx, deps, ctx, w.ticket_id, command, text);
  });
  return getWorkOrder(deps, actor, id);
}

/** Derives the ticket's status from its work orders after one of them changed. */
async function syncTicketWithWorkOrders(trx: Kysely<DB>, deps: Deps, ctx: AuditContext, ticketId: string, command: string, text: string | null): Promise<void> {
  const t = await trx.selectFrom('tickets').selectAll().where('id', '=', ticketId).executeTakeFirstOrThrow();
  const statuses = (await trx.selectFrom('work_orders').select('status').where('ticket_id', '=', ticketId).execute()).map((x) => x.status as WorkOrderStatus);
  const phase = ['registered', 'dispatched', 'in_progress', 'result_returned', 'replied', 'reopened'];
  const now = deps.clock.now().getTime();
  let to = t.status as TicketStatus;
  if (phase.includes(t.status)) to = nextStatus('work_orders_changed', t.status as TicketStatus, { workOrders: statuses });
  await trx.updateTable('tickets').set({ status: to, version: t.version + 1, updated_at: now }).where('id', '=', ticketId).execute();
  await trx.insertInto('ticket_events').values({
    id: deps.ids.next(), ticket_id: ticketId, at: now, kind: `work_order_${command}`, from_status: t.status, to_status: to, actor_id: ctx.actorId, actor_name: ctx.actorName,
    data: text ? JSON.stringify({ text }) : null,
  }).execute();
  if (command === 'complete' || command === 'reject') {
    await enqueueMessage(trx, deps, {
      channel: 'in_app', recipient: t.owner_id, subject: command === 'complete' ? `处理结果已反馈：${t.number}` : `派工单被退回：${t.number}`,
      body: text ?? '', link: `/tickets/${t.id}`, idempotencyKey: `wo-${command}:${ticketId}:${t.version}`,
    });
    if (command === 'complete' && t.customer_id) {
      await recordTimeline(trx, deps, ctx, { customerId: t.customer_id, kind: 'ticket.result_returned', title: `${t.number} 部门反馈处理结果`, refType: 'ticket', refId: t.id, projectId: t.project_id });
    }
  }
  const after = await trx.selectFrom('tickets').selectAll().where('id', '=', ticketId).executeTakeFirstOrThrow();
  await scheduleSlaCheck(trx, deps, after);
}
