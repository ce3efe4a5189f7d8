import { sql, type Kysely } from 'kysely';
import {
  OPEN_STATUSES, TICKET_STATUS_LABELS, TICKET_TYPE_LABELS, type DispatchBody, type DispatchSuggestion, type Severity, type StaffRole, type TicketCreate, type TicketListQuery, type TicketStatus,
  CENTER_ROLES,
} from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { DB, TicketsTable } from '../../db/schema.js';
import { contains, isUniqueViolation, readWinner, toFlag } from '../../db/dialect.js';
import { AppError, badRequest, forbidden, notFound, referenced } from '../../http/app-error.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { enqueueMessage } from '../../platform/outbox.js';
import { hasAnyRole, projectInScope, type Actor, scopeIn } from '../../platform/auth.js';
import { zonedDate } from '../../platform/time.js';
import { loadWorkCalendar } from '../calendar/calendar.service.js';
import { visibleCustomer } from '../customers/customers.service.js';
import { visibleCall } from '../hotline/calls.service.js';
import { recordTimeline } from '../customers/timeline.service.js';
import { categoryPaths } from './categories.service.js';
import { currentPolicy, policyById } from './sla-policies.service.js';
import { dueAt, k1Target, type SlaPolicySpec } from './sla.rules.js';
import { scheduleSlaCheck } from './sla-timers.js';
import { findTicketDetail, nextTicketNumber, OPEN_TICKETS_SQL, QUEUE_DUE_SQL, ticketsQuery } from './tickets.repo.js';
import { autoTitle, InvalidTransition, nextStatus, type TicketCommand } from './tickets.rules.js';
import { mainDue, presentSummary, presentTicket, presentWorkOrder } from './tickets.presenter.js';
import { updateVersioned } from '../../db/versioned.js';

/** Staff who work tickets in the center; department handlers see only their work orders. */
export const TICKET_READ: readonly StaffRole[] = CENTER_ROLES;
export const TICKET_WORK: readonly StaffRole[] = ['agent', 'supervisor', 'manager'];
/** Roles that may act on any ticket of their projects, not only the ones they own (S2). */
const LEADS: readonly StaffRole[] = ['supervisor', 'manager'];

type TicketHook = (trx: Kysely<DB>, deps: Deps, ticket: TicketsTable) => Promise<void>;
type TicketChangeHook = (trx: Kysely<DB>, deps: Deps, before: TicketsTable, after: TicketsTable) => Promise<void>;

/**
 * Hooks other modules register once at start (the hotline links calls to tickets; callbacks
 * are created on resolution), so this module never imports theirs.
 */
export const ticketHooks: { onRegistered: TicketHook[]; onChanged: TicketChangeHook[] } = { onRegistered: [], onChanged: [] };

/** The due instants of a ticket under a policy, with the time it waited on the customer. */
export function computeDues(spec: SlaPolicySpec, type: string, severity: string, registeredAt: number, pausedMs: number, cal: Parameters<typeof dueAt>[2]) {
  const due = (t: SlaPolicySpec['firstResponse']) => (t ? dueAt(registeredAt, t, cal, pausedMs) : null);
  const first_response_due = due(spec.firstResponse);
  const reply_due = due(spec.reply);
  const resolution_due = due(spec.resolution);
  const k1_due = type === 'complaint' ? (k1Target(severity) === 'reply' ? reply_due ?? resolution_due : resolution_due) : null;
  return { first_response_due, reply_due, resolution_due, k1_due };
}

/** The ticket if the actor may read it (their projects); 404 otherwise. */
export async function visibleTicket(deps: Deps, actor: Actor, id: string): Promise<TicketsTable> {
  const t = await deps.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!t || !projectInScope(actor, t.project_id)) throw notFound('工单不存在或不在您的数据范围内');
  return t;
}

/** First-contact responsibility: the owner, or a supervisor/manager of the project, may act. */
function assertMayAct(actor: Actor, t: TicketsTable): void {
  if (t.owner_id !== actor.userId && !hasAnyRole(actor, LEADS)) {
    throw new AppError(403, 'ticket.not_owner', '只有首问责任人或其主管可以处理此工单；如需接手，请由主管办理移交');
  }
}

const COMMAND_LABELS: Record<TicketCommand, string> = {
  answer_on_spot: '当场答复', dispatch: '派单', work_orders_changed: '派工单变更', reply: '答复客户', resolve: '标记解决', wait: '等待客户', resume: '恢复处理',
  close: '关闭', reopen: '重开', cancel: '取消', merge: '合并', hand_over: '移交', change_severity: '调整级别',
};

function transition(command: TicketCommand, status: string, ctx: Parameters<typeof nextStatus>[2] = {}): TicketStatus {
  try {
    return nextStatus(command, status as TicketStatus, ctx);
  } catch (err) {
    if (err instanceof InvalidTransition) {
      const label = TICKET_STATUS_LABELS[status as TicketStatus] ?? status;
      throw new AppError(409, 'ticket.invalid_transition', `工单处于「${label}」状态，不能${COMMAND_LABELS[command]}`);
    }
    throw err;
  }
}

interface EventInput {
  kind: string;
  from?: string | null;
  to?: string | null;
  data?: unknown;
}

async function addEvent(trx: Kysely<DB>, deps: Deps, ctx: AuditContext, ticketId: string, e: EventInput): Promise<void> {
  await trx.insertInto('ticket_events').values({
    id: deps.ids.next(), ticket_id: ticketId, at: deps.clock.now().getTime(), kind: e.kind, from_status: e.from ?? null, to_status: e.to ?? null,
    actor_id: ctx.actorId, actor_name: ctx.actorName, data: e.data === undefined ? null : JSON.stringify(e.data),
  }).execute();
}

/**
 * Applies a change to a ticket inside the caller's transaction: the update (only if the stored
 * version matches), its event, its audit row and the customer's timeline entry, then the SLA
 * timer is rescheduled. Other modules (callbacks) use it to move a ticket in their own command.
 */
export async function applyTicketChange(
  trx: Kysely<DB>, deps: Deps, ctx: AuditContext, before: TicketsTable, version: number, patch: Partial<TicketsTable>, event: EventInput, timeline?: string,
): Promise<void> {
  const now = deps.clock.now().getTime();
  await updateVersioned(trx, 'tickets', { id: before.id, version }, patch, now);
  await addEvent(trx, deps, ctx, before.id, event);
  if (timeline && before.customer_id) {
    await recordTimeline(trx, deps, ctx, { customerId: before.customer_id, kind: `ticket.${event.kind}`, title: `${before.number} ${timeline}`, refType: 'ticket', refId: before.id, projectId: before.project_id });
  }
  const after = await trx.selectFrom('tickets').selectAll().where('id', '=', before.id).executeTakeFirstOrThrow();
  await scheduleSlaCheck(trx, deps, after);
  for (const hook of ticketHooks.onChanged) await hook(trx, deps, before, after);
  // Last: on PostgreSQL the audit chain's head is a row lock every write needs (ADR 0004).
  await appendAudit(trx, deps, ctx, { action: `ticket.${event.kind}`, entityType: 'ticket', entityId: before.id, before: pick(before, Object.keys(patch)), after: { ...patch, ...(event.data ? { data: event.data } : {}) } });
}

/** A ticket change in its own transaction, with work done before the change in the same one. */
async function mutate(
  deps: Deps, ctx: AuditContext, before: TicketsTable, version: number, patch: Partial<TicketsTable>, event: EventInput,
  extra?: (trx: Kysely<DB>) => Promise<void>, timeline?: string,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (extra) await extra(trx);
    await applyTicketChange(trx, deps, ctx, before, version, patch, event, timeline);
  });
}

function pick(row: TicketsTable, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (row as unknown as Record<string, unknown>)[k]]));
}

/**
 * Registers what a customer said. The registering agent becomes the first-contact owner (S2).
 * With an Idempotency-Key, a retried request returns the ticket the first one created.
 */
export async function registerTicket(deps: Deps, actor: Actor, ctx: AuditContext, body: TicketCreate, idempotencyKey?: string) {
  if (idempotencyKey) {
    const existing = await deps.db.selectFrom('tickets').select(['id', 'registered_by']).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
    if (existing) return { ticket: await getTicket(deps, actor, existing.id), created: false };
  }
  if (!projectInScope(actor, body.projectId)) throw forbidden('该项目不在您的数据范围内');
  const project = await deps.db.selectFrom('projects').select('id').where('id', '=', body.projectId).executeTakeFirst();
  if (!project) throw badRequest('项目不存在', [{ field: 'projectId', message: '项目不存在' }]);
  if (body.customerId) await referenced(visibleCustomer(deps, actor, body.customerId), () => new AppError(400, 'ticket.invalid_reference', '客户不存在或不在您的数据范围内', [{ field: 'customerId', message: '客户无效' }]));
  if (body.unitId) {
    const u = await deps.db.selectFrom('units').select('project_id').where('id', '=', body.unitId).executeTakeFirst();
    if (!u || u.project_id !== body.projectId) throw new AppError(400, 'ticket.invalid_reference', '房屋不属于该项目', [{ field: 'unitId', message: '房屋不属于该项目' }]);
  }
  if (body.commonAreaId) {
    const c = await deps.db.selectFrom('common_areas').select('project_id').where('id', '=', body.commonAreaId).executeTakeFirst();
    if (!c || c.project_id !== body.projectId) throw new AppError(400, 'ticket.invalid_reference', '公共部位不属于该项目', [{ field: 'commonAreaId', message: '公共部位不属于该项目' }]);
  }
  if (body.categoryId) {
    const c = await deps.db.selectFrom('ticket_categories').select(['type', 'active']).where('id', '=', body.categoryId).executeTakeFirst();
    if (!c || c.type !== body.type || c.active !== 1) throw new AppError(400, 'ticket.invalid_reference', '分类不存在或不属于该类型', [{ field: 'categoryId', message: '分类无效' }]);
  }
  if (body.callId) {
    await referenced(visibleCall(deps, actor, body.callId), () => new AppError(400, 'ticket.invalid_reference', '来电记录不存在或不在您的数据范围内', [{ field: 'callId', message: '来电记录无效' }]));
  }
  if (body.severity === 'urgent' && body.type !== 'repair') {
    throw badRequest('“紧急”只用于需要数小时内响应的报修（漏水、停电等）', [{ field: 'severity', message: '紧急仅适用于报修' }]);
  }
  const now = deps.clock.now().getTime();
  const policy = await currentPolicy(deps.db, deps, body.type, body.severity);
  const cal = await loadWorkCalendar(deps);
  const dues = computeDues(policy.spec, body.type, body.severity, now, 0, cal);
  const description = body.description.trim();
  const title = body.title?.trim() || `${TICKET_TYPE_LABELS[body.type]}：${autoTitle(description)}`;
  const id = deps.ids.next();
  try {
    await deps.db.transaction().execute(async (trx) => {
      // The ticket is written under its id first; the day's number and the audit chain come
      // last: on PostgreSQL both are row locks that every registration needs, so they are held
      // for the last statements only, not across the whole transaction.
      const row: TicketsTable = {
        id, number: id, type: body.type, category_id: body.categoryId ?? null, severity: body.severity,
        channel: body.channel, status: 'registered', resume_status: null, customer_id: body.customerId ?? null, project_id: body.projectId, unit_id: body.unitId ?? null,
        common_area_id: body.commonAreaId ?? null, title, description, owner_id: actor.userId, registered_by: actor.userId, registered_at: now,
        sla_policy_id: policy.row.id, ...dues, paused_ms: 0, paused_at: null, first_responded_at: null, first_replied_at: null, resolved_at: null, closed_at: null,
        escalation_level: 0, breached: 0, valid: 1, end_reason: null, merged_into_id: null, call_id: body.callId ?? null, imported: 0,
        idempotency_key: idempotencyKey ?? null, version: 1, created_at: now, updated_at: now,
      };
      await trx.insertInto('tickets').values(row).execute();
      await addEvent(trx, deps, ctx, id, { kind: 'registered', to: 'registered', data: { channel: body.channel, severity: body.severity, policyVersion: policy.row.version_no } });
      for (const hook of ticketHooks.onRegistered) await hook(trx, deps, row);
      await scheduleSlaCheck(trx, deps, row);
      row.number = await nextTicketNumber(trx, zonedDate(now, deps.config.timeZone));
      await trx.updateTable('tickets').set({ number: row.number }).where('id', '=', id).execute();
      if (row.customer_id) {
        await recordTimeline(trx, deps, ctx, { customerId: row.customer_id, kind: 'ticket.registered', title: `登记${TICKET_TYPE_LABELS[body.type]} ${row.number}`, body: title, refType: 'ticket', refId: id, projectId: row.project_id });
      }
      await appendAudit(trx, deps, ctx, { action: 'ticket.registered', entityType: 'ticket', entityId: id, after: { number: row.number, type: row.type, severity: row.severity, channel: row.channel, projectId: row.project_id, customerId: row.customer_id } });
    });
  } catch (err) {
    if (idempotencyKey && isUniqueViolation(err)) {
      const existing = await readWinner(deps.db, (trx) => trx.selectFrom('tickets').select('id').where('idempotency_key', '=', idempotencyKey).executeTakeFirst());
      if (existing) return { ticket: await getTicket(deps, actor, existing.id), created: false };
    }
    throw err;
  }
  return { ticket: await getTicket(deps, actor, id), created: true };
}

/** The whole ticket: deadlines, work orders, replies, events, attachments. */
export async function getTicket(deps: Deps, actor: Actor, id: string) {
  const [detail, paths] = await Promise.all([findTicketDetail(deps.db, id), categoryPaths(deps.db)]);
  if (!detail || !projectInScope(actor, detail.ticket.project_id)) throw notFound('工单不存在或不在您的数据范围内');
  const row = detail.ticket;
  const policy = await policyById(deps.db, row.sla_policy_id);
  const now = deps.clock.now().getTime();
  return presentTicket(row, paths, now, {
    customerPhone: detail.customerPhone,
    policyVersion: policy.row.version_no,
    workOrders: detail.workOrders.map((w) => presentWorkOrder(
      {
        ...w, ticket_number: row.number, ticket_title: row.title, ticket_type: row.type, severity: row.severity, project_name: row.project_name,
        building_name: row.building_name, entrance: row.entrance, room_number: row.room_number, common_area_name: row.common_area_name,
      },
      detail.workOrderUpdates.filter((u) => u.work_order_id === w.id),
      detail.attachments.filter((a) => a.owner_type === 'work_order' && a.owner_id === w.id),
      now,
    )),
    replies: detail.replies, events: detail.events, attachments: detail.attachments.filter((a) => a.owner_type === 'ticket'),
  });
}

/**
 * The queues of the workbench, keyset-paged by (deadline, id) so that any page depth costs the
 * same: mine, my team's (my projects), due soon (next 4 hours), overdue, waiting on the customer.
 */
export async function listTickets(deps: Deps, actor: Actor, q: TicketListQuery) {
  const limit = q.limit ?? 50;
  const now = deps.clock.now().getTime();
  const view = q.view ?? 'mine';
  // The page is chosen on `tickets` alone (its indexes, no joins), then only its rows get their
  // names: joining every open ticket of the scope before sorting cost 0.5 s at 1M tickets.
  let page = deps.db.selectFrom('tickets as t').select(['t.id', 't.registered_at', 't.k1_due', 't.resolution_due', 't.first_response_due']);
  if (actor.projectIds !== null) {
    const ids = scopeIn(actor.projectIds);
    // SQLite: for "all tickets, newest first" over several projects, walking the registration
    // index and filtering beats collecting every project's history and sorting it (1.5 ms
    // against 240 ms a page at 1M tickets); unary + keeps it from choosing the project index.
    // One project has its own (project_id, registered_at) index. PostgreSQL plans by statistics.
    const walkRegistered = view === 'all' && ids.length > 1 && !q.projectId && deps.dialect === 'sqlite';
    page = walkRegistered ? page.where((eb) => eb(sql<string>`+t.project_id`, 'in', ids)) : page.where('t.project_id', 'in', ids);
  }
  if (q.projectId) page = page.where('t.project_id', '=', q.projectId);
  if (q.customerId) page = page.where('t.customer_id', '=', q.customerId);
  if (q.type) page = page.where('t.type', '=', q.type);
  if (q.severity) page = page.where('t.severity', '=', q.severity);
  if (q.status?.length) page = page.where('t.status', 'in', q.status);
  if (q.q) {
    // What the customer said is in the description: "漏" must find 卫生间漏水 there too.
    const text = q.q;
    page = page.where((eb) => eb.or([
      contains('t.number', text), contains('t.title', text), contains('t.description', text),
      eb.exists(eb.selectFrom('customers as c').select('c.id').whereRef('c.id', '=', 't.customer_id').where(contains('c.name', text))),
    ]));
  }
  const open = [...OPEN_STATUSES];
  if (view === 'mine') page = page.where('t.owner_id', '=', actor.userId).where(OPEN_TICKETS_SQL);
  if (q.owner === 'me') page = page.where('t.owner_id', '=', actor.userId);
  if (view === 'team') page = page.where(OPEN_TICKETS_SQL);
  if (view === 'due_soon') page = page.where('t.status', 'in', open.filter((s) => s !== 'waiting_customer')).where((eb) => eb.or([
    eb.and([eb('t.k1_due', '>=', now), eb('t.k1_due', '<', now + 4 * 3_600_000)]),
    eb.and([eb('t.k1_due', 'is', null), eb('t.resolution_due', '>=', now), eb('t.resolution_due', '<', now + 4 * 3_600_000)]),
  ]));
  // A waiting ticket is overdue only when its deadline had passed before it began waiting: the
  // time waited extends the deadline also while it waits (mission K1, sla.rules isOverdueAt).
  const lateBy = sql<number>`coalesce(t.paused_at, ${now})`;
  if (view === 'overdue') page = page.where('t.status', 'in', open).where((eb) => eb.or([
    eb('t.k1_due', '<', lateBy), eb.and([eb('t.k1_due', 'is', null), eb('t.resolution_due', '<', lateBy)]),
  ]));
  if (view === 'waiting') page = page.where('t.status', '=', 'waiting_customer');
  const cursor = decodeCursor<[number, string]>(q.cursor, 2);
  // Keysets as row values, which both databases compare in one step along an index.
  if (view === 'all') {
    if (cursor) page = page.where((eb) => eb(eb.refTuple('t.registered_at', 't.id'), '<', eb.tuple(cursor[0], cursor[1])));
    page = page.orderBy('t.registered_at', 'desc').orderBy('t.id', 'desc');
  } else {
    if (cursor) page = page.where(sql<boolean>`(${QUEUE_DUE_SQL}, t.id) > (${cursor[0]}, ${cursor[1]})`);
    page = page.orderBy(QUEUE_DUE_SQL, 'asc').orderBy('t.id', 'asc');
  }
  const keys = await page.limit(limit + 1).execute();
  const shown = keys.slice(0, limit);
  const rows = shown.length ? await ticketsQuery(deps.db).where('t.id', 'in', shown.map((k) => k.id)).execute() : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const paths = await categoryPaths(deps.db);
  const last = shown[shown.length - 1];
  const key = (r: typeof keys[number]) => (view === 'all' ? Number(r.registered_at) : Number(mainDue(r) ?? r.registered_at));
  return {
    items: shown.flatMap((k) => { const r = byId.get(k.id); return r ? [presentSummary(r, paths, now)] : []; }),
    nextCursor: keys.length > limit && last ? encodeCursor([key(last), last.id]) : null,
  };
}

/** Answers on the spot (an inquiry settled during the call): reply and resolution at once. */
export async function answerOnSpot(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: { channel: string; content: string }) {
  const t = await visibleTicket(deps, actor, id);
  assertMayAct(actor, t);
  const to = transition('answer_on_spot', t.status);
  const now = deps.clock.now().getTime();
  await mutate(deps, ctx, t, version, {
    status: to, first_responded_at: t.first_responded_at ?? now, first_replied_at: t.first_replied_at ?? now, resolved_at: now,
  }, { kind: 'answered', from: t.status, to, data: { channel: body.channel } }, (trx) => insertReply(trx, deps, ctx, id, body.channel, body.content, true), '当场答复并解决');
  return getTicket(deps, actor, id);
}

async function insertReply(trx: Kysely<DB>, deps: Deps, ctx: AuditContext, ticketId: string, channel: string, content: string, substantive: boolean) {
  await trx.insertInto('ticket_replies').values({
    id: deps.ids.next(), ticket_id: ticketId, at: deps.clock.now().getTime(), channel, content: content.trim(), substantive: toFlag(substantive), actor_id: ctx.actorId!, actor_name: ctx.actorName ?? '',
  }).execute();
}

/** Records the center's reply to the customer; the first substantive one is what K1 counts for major complaints. */
export async function replyToCustomer(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: { channel: string; content: string; substantive?: boolean | undefined }) {
  const t = await visibleTicket(deps, actor, id);
  assertMayAct(actor, t);
  const to = transition('reply', t.status);
  const now = deps.clock.now().getTime();
  const substantive = body.substantive ?? true;
  await mutate(deps, ctx, t, version, {
    status: to, first_responded_at: t.first_responded_at ?? now, ...(substantive && !t.first_replied_at ? { first_replied_at: now } : {}),
  }, { kind: 'replied', from: t.status, to, data: { channel: body.channel, substantive } }, (trx) => insertReply(trx, deps, ctx, id, body.channel, body.content, substantive), '已答复客户');
  return getTicket(deps, actor, id);
}

/** Dispatches a work order to a department that serves the ticket's project, with its own deadline. */
export async function dispatchTicket(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: DispatchBody) {
  const t = await visibleTicket(deps, actor, id);
  assertMayAct(actor, t);
  const to = transition('dispatch', t.status);
  const dept = await deps.db.selectFrom('departments').selectAll().where('id', '=', body.departmentId).executeTakeFirst();
  const project = await deps.db.selectFrom('projects').select('city_company_id').where('id', '=', t.project_id).executeTakeFirstOrThrow();
  const serves = dept && dept.active === 1 && (dept.level === 'group' || (dept.level === 'city_company' && dept.city_company_id === project.city_company_id) || dept.project_id === t.project_id);
  if (!serves) throw new AppError(400, 'work_order.invalid_department', '该部门不负责此工单所在项目', [{ field: 'departmentId', message: '部门不服务于该项目' }]);
  const now = deps.clock.now().getTime();
  const due = Date.parse(body.dueAt);
  if (due <= now) throw badRequest('处理时限不能早于现在', [{ field: 'dueAt', message: '时限须晚于现在' }]);
  // Past the ticket's own deadline the department gets longer than the customer was promised:
  // allowed only with a reason, which the event and the audit row keep (issue #18 defect 3).
  const ticketDue = mainDue(t);
  const late = ticketDue !== null && due > Number(ticketDue);
  const lateReason = body.lateReason?.trim() ?? '';
  if (late && lateReason.length < 2) {
    const when = new Intl.DateTimeFormat('zh-CN', { timeZone: deps.config.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(Number(ticketDue));
    throw new AppError(400, 'work_order.late_reason_required', `派工单时限晚于工单自身的时限（${when}），请填写延后原因，或把时限提前`, [
      { field: 'lateReason', message: '时限晚于工单时限，请填写原因' },
    ]);
  }
  const woId = deps.ids.next();
  await mutate(deps, ctx, t, version, { status: to, first_responded_at: t.first_responded_at ?? now }, {
    kind: 'dispatched', from: t.status, to,
    data: { workOrderId: woId, department: dept!.name, dueAt: body.dueAt, ...(late ? { lateReason, ticketDueAt: new Date(Number(ticketDue)).toISOString() } : {}) },
  },
    async (trx) => {
      await trx.insertInto('work_orders').values({
        id: woId, ticket_id: id, department_id: dept!.id, project_id: t.project_id, status: 'pending', instructions: body.instructions.trim(), due_at: due, assignee_id: null,
        accepted_at: null, completed_at: null, rejected_reason: null, result: null, created_by: actor.userId, version: 1, created_at: now, updated_at: now,
      }).execute();
      await notifyDepartment(trx, deps, dept!.id, t, woId);
    }, `派单至${dept!.name}`);
  return getTicket(deps, actor, id);
}

/** How far back dispatches of the same category count for the suggestion. */
const SUGGESTION_WINDOW_MS = 180 * 24 * 3_600_000;

/**
 * The department to suggest when dispatching: there is no category → department mapping in
 * the category settings, so it is derived from history — the department that work orders of
 * tickets with the same category (or, failing that, the same parent category) went to most
 * in the last 180 days, among the departments that serve this ticket's project.
 */
export async function suggestDepartment(deps: Deps, actor: Actor, id: string): Promise<DispatchSuggestion> {
  const t = await visibleTicket(deps, actor, id);
  const none = { departmentId: null, departmentName: null, basis: null };
  if (!t.category_id) return none;
  const project = await deps.db.selectFrom('projects').select('city_company_id').where('id', '=', t.project_id).executeTakeFirstOrThrow();
  const since = deps.clock.now().getTime() - SUGGESTION_WINDOW_MS;
  const parent = (await deps.db.selectFrom('ticket_categories').select('parent_id').where('id', '=', t.category_id).executeTakeFirst())?.parent_id ?? null;
  const tiers: { ids: string[]; label: string }[] = [{ ids: [t.category_id], label: '同分类' }];
  if (parent) {
    const siblings = await deps.db.selectFrom('ticket_categories').select('id').where((eb) => eb.or([eb('parent_id', '=', parent), eb('id', '=', parent)])).execute();
    tiers.push({ ids: siblings.map((r) => r.id), label: '同类' });
  }
  for (const tier of tiers) {
    const rows = await deps.db.selectFrom('work_orders as w')
      .innerJoin('tickets as k', 'k.id', 'w.ticket_id')
      .innerJoin('departments as d', 'd.id', 'w.department_id')
      .select(['d.id', 'd.name', (eb) => eb.fn.countAll<number>().as('n')])
      .where('k.category_id', 'in', tier.ids)
      .where('k.id', '!=', t.id)
      .where('w.created_at', '>=', since)
      .where('d.active', '=', 1)
      .where((eb) => eb.or([
        eb('d.level', '=', 'group'),
        eb.and([eb('d.level', '=', 'city_company'), eb('d.city_company_id', '=', project.city_company_id)]),
        eb('d.project_id', '=', t.project_id),
      ]))
      .groupBy(['d.id', 'd.name'])
      .orderBy('n', 'desc').orderBy('d.name')
      .limit(1).execute();
    const top = rows[0];
    if (top) return { departmentId: top.id, departmentName: top.name, basis: `近 180 天${tier.label}工单 ${Number(top.n)} 次派往此部门` };
  }
  return none;
}

async function notifyDepartment(trx: Kysely<DB>, deps: Deps, departmentId: string, t: TicketsTable, woId: string) {
  const handlers = await trx.selectFrom('users').select('id').where('department_id', '=', departmentId).where('active', '=', 1).execute();
  for (const h of handlers) {
    await enqueueMessage(trx, deps, { channel: 'in_app', recipient: h.id, subject: '新派工单', body: `${t.number} ${t.title}`, link: `/work-orders/${woId}`, idempotencyKey: `wo:${woId}:assigned:${h.id}` });
  }
}

/** Marks the ticket resolved (the last resolution is what K1 judges). */
export async function resolveTicket(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, summary: string) {
  const t = await visibleTicket(deps, actor, id);
  assertMayAct(actor, t);
  const to = transition('resolve', t.status);
  const now = deps.clock.now().getTime();
  const open = await deps.db.selectFrom('work_orders').select('id').where('ticket_id', '=', id).where('status', 'in', ['pending', 'accepted']).execute();
  if (open.length) throw new AppError(409, 'ticket.invalid_transition', `还有 ${open.length} 张派工单未完成，请先跟进或取消`);
  await mutate(deps, ctx, t, version, { status: to, resolved_at: now, first_responded_at: t.first_responded_at ?? now }, { kind: 'resolved', from: t.status, to, data: { summary } }, undefined, '已解决');
  return getTicket(deps, actor, id);
}

/** Pauses the SLA clock while the customer is the one to act (not at home, documents missing). */
export async function waitOnCustomer(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, reason: string) {
  const t = await visibleTicket(deps, actor, id);
  assertMayAct(actor, t);
  const to = transition('wait', t.status);
  await mutate(deps, ctx, t, version, { status: to, resume_status: t.status, paused_at: deps.clock.now().getTime() }, { kind: 'waiting', from: t.status, to, data: { reason } }, undefined, `等待客户：${reason}`);
  return getTicket(deps, actor, id);
}

/** Resumes after waiting: every deadline moves by the time spent waiting. */
export async function resumeTicket(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number) {
  const t = await visibleTicket(deps, actor, id);
  assertMayAct(actor, t);
  const to = transition('resume', t.status, { resumeTo: t.resume_status as TicketStatus | null });
  const now = deps.clock.now().getTime();
  const waited = now - Number(t.paused_at ?? now);
  const shift = (v: number | null) => (v === null ? null : Number(v) + waited);
  await mutate(deps, ctx, t, version, {
    status: to, resume_status: null, paused_at: null, paused_ms: Number(t.paused_ms) + waited,
    first_response_due: shift(t.first_response_due), reply_due: shift(t.reply_due), resolution_due: shift(t.resolution_due), k1_due: shift(t.k1_due),
  }, { kind: 'resumed', from: t.status, to, data: { waitedMs: waited } });
  return getTicket(deps, actor, id);
}

/** Closes a resolved ticket (after a satisfied callback). */
export async function closeTicket(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, note: string) {
  const t = await visibleTicket(deps, actor, id);
  assertMayAct(actor, t);
  const to = transition('close', t.status);
  await mutate(deps, ctx, t, version, { status: to, closed_at: deps.clock.now().getTime() }, { kind: 'closed', from: t.status, to, data: { note } }, undefined, '已关闭归档');
  return getTicket(deps, actor, id);
}

/** Reopens a resolved ticket (the customer is not satisfied) and escalates it one level. */
export async function reopenTicket(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, reason: string) {
  const t = await visibleTicket(deps, actor, id);
  assertMayAct(actor, t);
  const to = transition('reopen', t.status);
  await mutate(deps, ctx, t, version, { status: to, escalation_level: Math.min(3, t.escalation_level + 1) }, { kind: 'reopened', from: t.status, to, data: { reason } }, undefined, `重开：${reason}`);
  return getTicket(deps, actor, id);
}

/** Cancels a ticket registered by mistake (it leaves K1). */
export async function cancelTicket(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, reason: string) {
  const t = await visibleTicket(deps, actor, id);
  assertMayAct(actor, t);
  const to = transition('cancel', t.status);
  await mutate(deps, ctx, t, version, { status: to, end_reason: reason }, { kind: 'cancelled', from: t.status, to, data: { reason } }, (trx) => cancelOpenWorkOrders(trx, deps, id), `已取消：${reason}`);
  return getTicket(deps, actor, id);
}

/** Merges a duplicate into another ticket of the same project (it leaves K1). */
export async function mergeTicket(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, intoId: string, reason: string) {
  const t = await visibleTicket(deps, actor, id);
  assertMayAct(actor, t);
  if (intoId === id) throw badRequest('不能与自己合并', [{ field: 'intoTicketId', message: '不能与自己合并' }]);
  const into = await deps.db.selectFrom('tickets').select(['id', 'project_id', 'number', 'status']).where('id', '=', intoId).executeTakeFirst();
  if (!into || !projectInScope(actor, into.project_id) || into.project_id !== t.project_id) throw badRequest('目标工单不存在或不在同一项目', [{ field: 'intoTicketId', message: '目标工单无效' }]);
  if (['cancelled', 'merged'].includes(into.status)) throw badRequest('不能合并到已取消或已合并的工单', [{ field: 'intoTicketId', message: '目标工单已结束' }]);
  const to = transition('merge', t.status);
  await mutate(deps, ctx, t, version, { status: to, merged_into_id: intoId, end_reason: reason }, { kind: 'merged', from: t.status, to, data: { into: into.number, reason } }, (trx) => cancelOpenWorkOrders(trx, deps, id), `合并至 ${into.number}`);
  return getTicket(deps, actor, id);
}

async function cancelOpenWorkOrders(trx: Kysely<DB>, deps: Deps, ticketId: string) {
  await trx.updateTable('work_orders').set((eb) => ({ status: 'cancelled', version: eb('version', '+', 1), updated_at: deps.clock.now().getTime() }))
    .where('ticket_id', '=', ticketId).where('status', 'in', ['pending', 'accepted']).execute();
}

/** Hands first-contact ownership to another agent of the project, with a reason (S2). */
export async function handOverTicket(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, toUserId: string, reason: string) {
  const t = await visibleTicket(deps, actor, id);
  assertMayAct(actor, t);
  transition('hand_over', t.status);
  if (toUserId === t.owner_id) throw badRequest('已经是该工单的首问责任人', [{ field: 'toUserId', message: '无需移交' }]);
  const target = await deps.db.selectFrom('users').select(['id', 'display_name', 'scope_kind', 'active']).where('id', '=', toUserId).executeTakeFirst();
  const roles = target ? (await deps.db.selectFrom('user_roles').select('role').where('user_id', '=', toUserId).execute()).map((r) => r.role) : [];
  const scopes = target ? (await deps.db.selectFrom('user_scopes').select('scope_id').where('user_id', '=', toUserId).execute()).map((s) => s.scope_id) : [];
  const projectCity = (await deps.db.selectFrom('projects').select('city_company_id').where('id', '=', t.project_id).executeTakeFirstOrThrow()).city_company_id;
  const covers = target && (target.scope_kind === 'group' || scopes.includes(t.project_id) || (target.scope_kind === 'city_company' && scopes.includes(projectCity)));
  if (!target || target.active !== 1 || !covers || !roles.some((r) => TICKET_WORK.includes(r as StaffRole))) {
    throw badRequest('接收人须为负责该项目的在职客服人员', [{ field: 'toUserId', message: '接收人无效' }]);
  }
  await mutate(deps, ctx, t, version, { owner_id: toUserId }, { kind: 'handed_over', data: { from: t.owner_id, to: toUserId, toName: target.display_name, reason } }, async (trx) => {
    await enqueueMessage(trx, deps, { channel: 'in_app', recipient: toUserId, subject: '工单移交', body: `${t.number} 已移交给您：${reason}`, link: `/tickets/${id}`, idempotencyKey: `handover:${id}:${version}` });
  }, `首问责任移交给${target.display_name}`);
  return getTicket(deps, actor, id);
}

/** Changes the severity (audited); deadlines follow the policy of the new severity as it was at registration. */
export async function changeSeverity(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, severity: Severity, reason: string) {
  const t = await visibleTicket(deps, actor, id);
  assertMayAct(actor, t);
  transition('change_severity', t.status);
  if (severity === t.severity) throw badRequest('级别没有变化', [{ field: 'severity', message: '级别没有变化' }]);
  if (severity === 'urgent' && t.type !== 'repair') throw badRequest('“紧急”只用于报修', [{ field: 'severity', message: '紧急仅适用于报修' }]);
  const versionAt = await deps.db.selectFrom('sla_policies').selectAll().where('type', '=', t.type).where('severity', '=', severity).where('created_at', '<=', Number(t.registered_at))
    .orderBy('version_no', 'desc').limit(1).executeTakeFirst();
  const policy = versionAt ? { row: versionAt, spec: JSON.parse(versionAt.spec) as SlaPolicySpec } : await currentPolicy(deps.db, deps, t.type, severity);
  const cal = await loadWorkCalendar(deps);
  const dues = computeDues(policy.spec, t.type, severity, Number(t.registered_at), Number(t.paused_ms), cal);
  await mutate(deps, ctx, t, version, { severity, sla_policy_id: policy.row.id, ...dues }, { kind: 'severity_changed', data: { from: t.severity, to: severity, reason } });
  return getTicket(deps, actor, id);
}

export { addEvent, transition };

/** Active center staff (agent, supervisor, manager) whose scope covers a project: hand-over candidates. */
export async function staffOfProject(deps: Deps, actor: Actor, projectId: string, role?: StaffRole) {
  if (!projectInScope(actor, projectId)) throw notFound('项目不存在或不在您的数据范围内');
  const city = deps.db.selectFrom('projects').select('city_company_id').where('id', '=', projectId);
  const rows = await deps.db.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select(['u.id', 'u.display_name', 'r.role'])
    .where('u.active', '=', 1).where('r.role', 'in', role ? [role] : [...TICKET_WORK])
    .where((eb) => eb.or([
      eb('u.scope_kind', '=', 'group'),
      eb.exists(eb.selectFrom('user_scopes as s').select('s.scope_id').whereRef('s.user_id', '=', 'u.id').where((e) => e.or([e('s.scope_id', '=', projectId), e('s.scope_id', 'in', city)]))),
    ])).orderBy('u.display_name').execute();
  const byId = new Map<string, { id: string; displayName: string; roles: string[] }>();
  for (const r of rows) {
    const e = byId.get(r.id) ?? { id: r.id, displayName: r.display_name, roles: [] };
    e.roles.push(r.role);
    byId.set(r.id, e);
  }
  return [...byId.values()];
}

/** A customer's open tickets in the actor's scope, nearest deadline first (for the screen pop). */
export async function openTicketsOf(deps: Deps, actor: Actor, customerId: string) {
  let q = deps.db.selectFrom('tickets').select(['id', 'number', 'type', 'severity', 'status', 'title', 'created_at', 'k1_due', 'resolution_due', 'first_response_due'])
    .where('customer_id', '=', customerId).where('status', 'in', [...OPEN_STATUSES]);
  if (actor.projectIds !== null) q = q.where('project_id', 'in', scopeIn(actor.projectIds));
  const rows = await q.limit(20).execute();
  return rows
    .map((r) => ({ id: r.id, number: r.number, type: r.type, severity: r.severity, status: r.status, title: r.title, createdAt: new Date(Number(r.created_at)).toISOString(), due: mainDue(r) }))
    .sort((a, b) => (a.due ?? Infinity) - (b.due ?? Infinity))
    .slice(0, 5)
    .map(({ due, ...t }) => ({ ...t, dueAt: due === null ? null : new Date(Number(due)).toISOString() }));
}
