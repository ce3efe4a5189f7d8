import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Call, CallDetail, CallListQuery, CtiEvent, CtiEventResult, CustomerSummary, ServerEvent, StaffRole } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { CallsTable, DB } from '../../db/schema.js';
import { isPostgres, isUniqueViolation } from '../../db/dialect.js';
import { AppError, badRequest, conflict, notFound, referenced } from '../../http/app-error.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { hasAnyRole, loadActor, projectInScope, systemActor, type Actor, scopeIn } from '../../platform/auth.js';
import type { EventPublisher } from '../../platform/events.js';
import { enqueueMessage } from '../../platform/outbox.js';
import { toE164 } from '../../platform/phone.js';
import { getCustomer, lookupCaller, visibleCustomer } from '../customers/customers.service.js';
import { recordTimeline } from '../customers/timeline.service.js';
import { callBackOfCall } from './call-backs.service.js';
import { callAuditImage, maskNumber, presentCall, type CallRow } from './calls.presenter.js';
import { CTI_TOLERANCE_SECONDS } from './cti.signature.js';
import { applyCtiEvent, formatDuration, type CallTimes } from './hotline.rules.js';
import { buildScreenPop } from './screen-pop.js';
import { updateVersioned } from '../../db/versioned.js';

/** Roles that see every call of their projects; an agent sees the calls that rang at their extension. */
export const PROJECT_CALL_READERS: readonly StaffRole[] = ['supervisor', 'manager', 'admin'];
/** A missed call should be called back within this time. */
export const CALL_BACK_DUE_MS = 2 * 3_600_000;
/** The name the audit log and timelines show for what the telephony system did. */
export const CTI_ACTOR_NAME = '电话系统（CTI）';

type CallEb = ExpressionBuilder<DB & { k: CallsTable }, 'k'>;

/** Calls with the agent's and the customer's names. */
export function callsWithNames(db: Kysely<DB>) {
  return db.selectFrom('calls as k')
    .leftJoin('users as a', 'a.id', 'k.agent_id')
    .leftJoin('customers as c', 'c.id', 'k.customer_id')
    .selectAll('k')
    .select(['a.display_name as agent_name', 'c.name as customer_name']);
}

/** The calls an actor may see, or null for no restriction: their own, and their projects' for leads. */
export function callScope(actor: Actor) {
  if (!hasAnyRole(actor, PROJECT_CALL_READERS)) return (eb: CallEb) => eb('k.agent_id', '=', actor.userId);
  if (actor.projectIds === null) return null;
  const pids = scopeIn(actor.projectIds);
  return (eb: CallEb) => eb.or([eb('k.agent_id', '=', actor.userId), eb('k.project_id', 'in', pids)]);
}

/** The call if the actor may see it; 404 otherwise (never a hint that it exists). */
export async function visibleCall(deps: Deps, actor: Actor, id: string): Promise<CallRow> {
  let q = callsWithNames(deps.db).where('k.id', '=', id);
  const scope = callScope(actor);
  if (scope) q = q.where(scope);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('通话记录不存在或不在您的数据范围内');
  return row;
}

/** Calls, newest first, keyset-paged by (started_at, id). */
export async function listCalls(deps: Deps, actor: Actor, query: CallListQuery): Promise<{ items: Call[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  let q = callsWithNames(deps.db);
  const scope = callScope(actor);
  if (scope) q = q.where(scope);
  if (query.status) q = q.where('k.status', '=', query.status);
  if (query.customerId) q = q.where('k.customer_id', '=', query.customerId);
  if (query.agentId) q = q.where('k.agent_id', '=', query.agentId);
  if (query.projectId) q = q.where('k.project_id', '=', query.projectId);
  if (query.from) q = q.where('k.started_at', '>=', Date.parse(query.from));
  if (query.to) q = q.where('k.started_at', '<', Date.parse(query.to));
  const cursor = decodeCursor<[number, string]>(query.cursor, 2);
  if (cursor) {
    const [at, id] = cursor;
    q = q.where((eb) => eb.or([eb('k.started_at', '<', at), eb.and([eb('k.started_at', '=', at), eb('k.id', '<', id)])]));
  }
  const rows = await q.orderBy('k.started_at', 'desc').orderBy('k.id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(presentCall), nextCursor: rows.length > limit && last ? encodeCursor([Number(last.started_at), last.id]) : null };
}

/** One call with the tickets registered from it and its call-back task. */
export async function getCall(deps: Deps, actor: Actor, id: string): Promise<CallDetail> {
  const row = await visibleCall(deps, actor, id);
  const [tickets, callBack] = await Promise.all([
    deps.db.selectFrom('call_tickets').select('ticket_id').where('call_id', '=', id).orderBy('created_at').execute(),
    callBackOfCall(deps, id),
  ]);
  return { ...presentCall(row), ticketIds: tickets.map((t) => t.ticket_id), callBackTask: callBack };
}

/**
 * Records that a ticket was registered from a call, in the ticket's transaction (the tickets
 * module calls it; its own audit row of the registration covers the link). Idempotent.
 */
export async function linkCallToTicket(trx: Kysely<DB>, deps: Pick<Deps, 'clock'>, callId: string, ticketId: string): Promise<void> {
  const call = await trx.selectFrom('calls').select('id').where('id', '=', callId).executeTakeFirst();
  if (!call) throw new AppError(400, 'request.invalid', '通话记录不存在', [{ field: 'callId', message: '通话记录不存在' }]);
  await trx.insertInto('call_tickets').values({ call_id: callId, ticket_id: ticketId, created_at: deps.clock.now().getTime() })
    .onConflict((oc) => oc.columns(['call_id', 'ticket_id']).doNothing()).execute();
}

/**
 * Links a call to the customer the agent identified (several customers share the number, or
 * the caller was unknown and has just been created). The customer's timeline gets the call.
 */
export async function linkCallCustomer(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, customerId: string): Promise<CallDetail> {
  const before = await visibleCall(deps, actor, id);
  const customer = await referenced(visibleCustomer(deps, actor, customerId), () => new AppError(400, 'call.customer_invalid', '客户不存在或不在您的数据范围内', [{ field: 'customerId', message: '客户无效' }]));
  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    const patch = { customer_id: customer.id, project_id: before.project_id ?? customer.project_id };
    await updateVersioned(trx, 'calls', { id, version }, patch, now);
    await trx.updateTable('call_back_tasks').set({ customer_id: customer.id, updated_at: now }).where('call_id', '=', id).where('customer_id', 'is', null).execute();
    if (before.customer_id !== customer.id) {
      await recordTimeline(trx, deps, ctx, {
        customerId: customer.id, kind: 'call.linked', title: callTitle(before), body: before.agent_name ? `坐席：${before.agent_name}` : null,
        refType: 'call', refId: id, projectId: patch.project_id, at: Number(before.started_at),
      });
    }
    await appendAudit(trx, deps, ctx, { action: 'call.customer_linked', entityType: 'call', entityId: id, before: { customerId: before.customer_id }, after: { customerId: customer.id } });
  });
  return getCall(deps, actor, id);
}

/** How a call reads on a customer's timeline. */
function callTitle(r: Pick<CallsTable, 'direction' | 'status' | 'duration_s'>): string {
  const what = r.direction === 'inbound' ? '热线来电' : '呼出电话';
  if (r.status === 'missed') return `${what}（未接）`;
  if (r.status === 'ended' && r.duration_s !== null) return `${what}（通话 ${formatDuration(Number(r.duration_s))}）`;
  return what;
}

/** The lookups and searches of the CTI path run as this actor when no agent is known: it sees every customer. */
const ctiActor = (): Actor => systemActor('cti', CTI_ACTOR_NAME);

/**
 * The active staff user at an extension. Should several share one (hot desks), the one who
 * used the system last gets the call.
 */
async function findAgent(deps: Deps, extension: string): Promise<Actor | null> {
  const users = await deps.db.selectFrom('users').select('id').where('extension', '=', extension).where('active', '=', 1).execute();
  if (users.length === 0) return null;
  let userId = users[0]!.id;
  if (users.length > 1) {
    deps.log.warn({ extension, users: users.length }, 'several active users share a CTI extension');
    const seen = await deps.db.selectFrom('sessions').select(['user_id', (eb) => eb.fn.max('last_seen_at').as('seen')])
      .where('user_id', 'in', users.map((u) => u.id)).where('revoked_at', 'is', null).groupBy('user_id').execute();
    const best = seen.sort((a, b) => Number(b.seen) - Number(a.seen))[0];
    if (best) userId = best.user_id;
  }
  return loadActor(deps.db, userId, '');
}

interface Identification {
  customers: CustomerSummary[];
  customerId: string | null;
  projectId: string | null;
}

/**
 * Who is calling, as `actor` may see it (the pop never shows a customer outside the agent's
 * scope). One match links the call to that customer and their home's project; several (a
 * family sharing a number) are all popped and the agent picks.
 */
async function identify(deps: Deps, actor: Actor, e164: string | null): Promise<Identification> {
  const agentProject = actor.projectIds?.length === 1 ? actor.projectIds[0]! : null;
  if (!e164) return { customers: [], customerId: null, projectId: agentProject };
  const { customers } = await lookupCaller(deps, actor, e164);
  if (customers.length !== 1) return { customers, customerId: null, projectId: agentProject };
  const c = await getCustomer(deps, actor, customers[0]!.id);
  const home = c.units.find((u) => u.current && projectInScope(actor, u.projectId));
  return { customers, customerId: c.id, projectId: home?.projectId ?? c.projectId ?? agentProject };
}

const timesOf = (r: CallsTable): CallTimes => ({
  status: r.status, startedAt: Number(r.started_at), answeredAt: r.answered_at === null ? null : Number(r.answered_at),
  endedAt: r.ended_at === null ? null : Number(r.ended_at), durationS: r.duration_s === null ? null : Number(r.duration_s),
});

const isE164 = (v: string): boolean => /^\+\d{7,15}$/.test(v);

/** A clock time in the business time zone, for notification texts. */
function clockTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(ms);
}

/** Supervisors responsible for a project (or group-wide ones when the call has no project): the call-back pool's owners. */
async function poolSupervisors(trx: Kysely<DB>, projectId: string | null): Promise<string[]> {
  let q = trx.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select('u.id').where('r.role', '=', 'supervisor').where('u.active', '=', 1);
  if (projectId) {
    const city = trx.selectFrom('projects').select('city_company_id').where('id', '=', projectId);
    q = q.where((eb) => eb.or([
      eb('u.scope_kind', '=', 'group'),
      eb.exists(eb.selectFrom('user_scopes as s').select('s.scope_id').whereRef('s.user_id', '=', 'u.id').where((e) => e.or([e('s.scope_id', '=', projectId), e('s.scope_id', 'in', city)]))),
    ]));
  } else {
    q = q.where('u.scope_kind', '=', 'group');
  }
  return [...new Set((await q.orderBy('u.id').limit(50).execute()).map((r) => r.id))];
}

/** What to push once the transaction has committed. */
interface AfterCommit {
  /** The agent who gets the screen pop. */
  popFor: Actor | null;
  /** Users whose console shows the call and must see its new state. */
  callUpdates: Set<string>;
  notices: { userId: string; event: ServerEvent }[];
}

/**
 * Applies one signed CTI event: records it (the (callId, event) key makes a replay a 409 with
 * nothing changed), creates or advances the call record, and for a missed inbound call creates
 * the call-back task and notifies. After the commit, pushes the screen pop to the agent whose
 * extension rings, and call updates and notifications to whom they concern.
 */
export async function handleCtiEvent(deps: Deps, events: EventPublisher, ctx: AuditContext, ev: CtiEvent): Promise<CtiEventResult> {
  const now = deps.clock.now().getTime();
  const at = ev.occurredAt ? Date.parse(ev.occurredAt) : now;
  if (at > now + CTI_TOLERANCE_SECONDS * 1000) {
    throw badRequest('事件时间晚于服务器当前时间，请检查电话系统的时钟', [{ field: 'occurredAt', message: '不能晚于当前时间' }]);
  }
  const existing = await deps.db.selectFrom('calls').selectAll().where('call_id', '=', ev.callId).executeTakeFirst();
  const direction = existing?.direction ?? ev.direction ?? 'inbound';
  const callerRaw = (ev.caller ?? '').trim();
  const calledRaw = (ev.called ?? '').trim();
  const caller = existing?.caller || toE164(callerRaw) || callerRaw;
  const called = existing?.called || toE164(calledRaw) || calledRaw;
  const extension = ev.extension?.trim() || null;

  // The agent: the extension of the first event; a later `answered` at another extension
  // (pickup, transfer) moves the call to that agent. A late `ringing` changes nothing.
  const takesOver = Boolean(existing && extension && extension !== existing.extension && (ev.event !== 'ringing' || existing.status === 'ringing'));
  const agent = extension && (!existing || takesOver || existing.agent_id === null) ? await findAgent(deps, extension) : null;
  const newAgent = Boolean(agent && (!existing || takesOver || existing.agent_id === null));
  // The customer's number: the caller of an inbound call, the called party of an outbound one.
  const customerNumber = direction === 'inbound' ? caller : called;
  const identified = !existing || newAgent ? await identify(deps, agent ?? ctiActor(), isE164(customerNumber) ? customerNumber : null) : null;

  const input = { event: ev.event, at, ...(ev.missed !== undefined ? { missed: ev.missed } : {}) };
  const initial = applyCtiEvent(null, input);
  const newId = deps.ids.next();
  const after: AfterCommit = { popFor: null, callUpdates: new Set(), notices: [] };

  const callId = await deps.db.transaction().execute(async (trx) => {
    try {
      await trx.insertInto('cti_events').values({ call_id: ev.callId, event: ev.event, received_at: now, payload: JSON.stringify(ev) }).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('cti.duplicate_event', `通话 ${ev.callId} 的 ${ev.event} 事件已处理过，未做任何更改`);
      throw err;
    }
    // Parallel webhooks of one call: the first insert wins, the others lock the row and apply in turn.
    await trx.insertInto('calls').values({
      id: newId, call_id: ev.callId, direction, caller, called, extension, agent_id: agent?.userId ?? null,
      customer_id: identified?.customerId ?? null, project_id: identified?.projectId ?? null, status: initial.next.status,
      started_at: initial.next.startedAt, answered_at: initial.next.answeredAt, ended_at: initial.next.endedAt, duration_s: initial.next.durationS,
      recording_url: ev.recordingUrl ?? null, version: 1, created_at: now, updated_at: now,
    }).onConflict((oc) => oc.column('call_id').doNothing()).execute();
    let lock = trx.selectFrom('calls').selectAll().where('call_id', '=', ev.callId);
    if (isPostgres(trx)) lock = lock.forUpdate();
    const before = await lock.executeTakeFirstOrThrow();
    const created = before.id === newId;
    const t = created ? initial : applyCtiEvent(timesOf(before), input);
    let call: CallsTable = before;
    if (!created) {
      const patch = {
        status: t.next.status, started_at: t.next.startedAt, answered_at: t.next.answeredAt, ended_at: t.next.endedAt, duration_s: t.next.durationS,
        recording_url: ev.recordingUrl ?? before.recording_url,
        caller: before.caller || caller, called: before.called || called,
        ...(agent && (takesOver || before.agent_id === null) ? { extension, agent_id: agent.userId } : {}),
        ...(before.customer_id === null && identified?.customerId ? { customer_id: identified.customerId } : {}),
        ...(before.project_id === null && identified?.projectId ? { project_id: identified.projectId } : {}),
        version: before.version + 1, updated_at: now,
      };
      await trx.updateTable('calls').set(patch).where('id', '=', before.id).execute();
      call = { ...before, ...patch };
      // The agent who lost the call (picked up elsewhere) closes their pop.
      if (before.agent_id && call.agent_id !== before.agent_id) after.callUpdates.add(before.agent_id);
    }

    const agentName = call.agent_id
      ? agent?.userId === call.agent_id ? agent.displayName : (await trx.selectFrom('users').select('display_name').where('id', '=', call.agent_id).executeTakeFirst())?.display_name ?? null
      : null;
    const agentCtx: AuditContext = { ...ctx, actorId: call.agent_id, actorName: agentName ?? CTI_ACTOR_NAME };
    const inbound = call.direction === 'inbound';
    const timeline = (kind: string, title: string, body: string | null, when: number | null) => call.customer_id
      ? recordTimeline(trx, deps, kind === 'call.answered' || kind === 'call.ended' ? agentCtx : ctx, {
          customerId: call.customer_id, kind, title, body, refType: 'call', refId: call.id, projectId: call.project_id, at: when ?? now,
        })
      : Promise.resolve();

    if (t.answeredNow) await timeline('call.answered', inbound ? '接听热线来电' : '呼出电话已接通', agentName ? `坐席：${agentName}` : null, call.answered_at);
    if (t.endedNow) {
      await timeline('call.ended', call.duration_s !== null ? `通话结束，时长 ${formatDuration(Number(call.duration_s))}` : '通话结束', null, call.ended_at);
    }
    if (t.unmissed) {
      const res = await trx.updateTable('call_back_tasks')
        .set((eb) => ({ status: 'cancelled' as const, note: '通话实际已接听，自动取消', version: eb('version', '+', 1), updated_at: now }))
        .where('call_id', '=', call.id).where('status', '=', 'open').executeTakeFirst();
      if (Number(res.numUpdatedRows) > 0) await appendAudit(trx, deps, ctx, { action: 'call_back.cancelled', entityType: 'call', entityId: call.id, after: { reason: 'answered' } });
    }
    if (t.missedNow) {
      // A withheld or internal number cannot be called back.
      const callBack = inbound && isE164(call.caller);
      await timeline('call.missed', inbound ? '未接来电' : '呼出未接通', callBack ? '已生成回拨任务' : null, call.ended_at);
      if (callBack) await createCallBack(trx, deps, ctx, call, now, after);
    }
    await appendAudit(trx, deps, ctx, {
      action: `call.${ev.event}`, entityType: 'call', entityId: call.id, before: created ? undefined : callAuditImage(before), after: callAuditImage(call),
    });

    if (inbound && newAgent && agent && call.agent_id === agent.userId && (call.status === 'ringing' || call.status === 'answered')) after.popFor = agent;
    else if (call.agent_id) after.callUpdates.add(call.agent_id);
    return call.id;
  });

  // After the commit: nothing is pushed for an event that did not happen.
  const row = await callsWithNames(deps.db).where('k.id', '=', callId).executeTakeFirstOrThrow();
  const dto = presentCall(row);
  const pushes: Promise<unknown>[] = [];
  if (after.popFor) {
    const pop = await buildScreenPop(deps, after.popFor, dto, identified?.customers ?? [], callerRawOrNull(row.caller));
    pushes.push(events.publish(after.popFor.userId, pop));
  }
  for (const userId of after.callUpdates) pushes.push(events.publish(userId, { type: 'call_update', call: dto }));
  for (const n of after.notices) pushes.push(events.publish(n.userId, n.event));
  await Promise.all(pushes);
  deps.log.info({ callRecordId: callId, event: ev.event, status: row.status }, 'CTI event applied');
  return { id: callId, callId: ev.callId, event: ev.event, status: row.status };
}

/** The number for the quick-create form: only a real phone number, never "anonymous". */
const callerRawOrNull = (caller: string): string | null => (isE164(caller) ? caller : null);

/**
 * The call-back task of a missed call: assigned to the agent whose extension rang, or to the
 * project's pool; the assignee (or the pool's supervisors) is notified in-app through the outbox.
 */
export async function createCallBack(trx: Kysely<DB>, deps: Deps, ctx: AuditContext, call: CallsTable, now: number, after: AfterCommit): Promise<void> {
  const endedAt = Number(call.ended_at ?? now);
  const task = {
    id: deps.ids.next(), call_id: call.id, phone: call.caller, customer_id: call.customer_id, project_id: call.project_id, status: 'open' as const,
    assigned_to: call.agent_id, due_at: Math.max(endedAt, now) + CALL_BACK_DUE_MS, done_at: null, done_by: null, note: null, version: 1, created_at: now, updated_at: now,
  };
  const res = await trx.insertInto('call_back_tasks').values(task).onConflict((oc) => oc.column('call_id').doNothing()).executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return;
  await appendAudit(trx, deps, ctx, {
    action: 'call_back.created', entityType: 'call_back_task', entityId: task.id,
    after: { callId: call.id, phone: maskNumber(task.phone), customerId: task.customer_id, projectId: task.project_id, assignedTo: task.assigned_to, dueAt: task.due_at },
  });
  const who = call.customer_id
    ? (await trx.selectFrom('customers').select('name').where('id', '=', call.customer_id).executeTakeFirst())?.name ?? '客户'
    : '未知来电';
  const tz = deps.config.timeZone;
  const title = '未接来电，请回拨';
  const body = `${who}（${maskNumber(call.caller)}）${clockTime(endedAt, tz)} 来电未接，请在 ${clockTime(task.due_at, tz)} 前回拨。`;
  const link = `/hotline/call-backs?taskId=${task.id}`;
  const recipients = call.agent_id ? [call.agent_id] : await poolSupervisors(trx, call.project_id);
  for (const userId of recipients) {
    const msg = await enqueueMessage(trx, deps, { channel: 'in_app', recipient: userId, subject: title, body, link, idempotencyKey: `call-back:${task.id}:${userId}` });
    after.notices.push({ userId, event: { type: 'notification', id: msg.id, title, body, link } });
  }
}
