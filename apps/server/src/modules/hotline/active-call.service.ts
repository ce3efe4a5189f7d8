import type { CustomerSummary, ScreenPopEvent } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { CallsTable } from '../../db/schema.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import type { Actor } from '../../platform/auth.js';
import { customerSummary, lookupCaller } from '../customers/customers.service.js';
import { recordTimeline } from '../customers/timeline.service.js';
import { createCallBack, callsWithNames, visibleCall } from './calls.service.js';
import { callAuditImage, presentCall, type CallRow } from './calls.presenter.js';
import { buildScreenPop } from './screen-pop.js';

/** Who the audit log shows for a call closed by the timeout. */
export const TIMEOUT_ACTOR_NAME = '系统（通话超时）';
/** The job that closes calls whose end event never arrived. */
export const CALL_TIMEOUT_JOB = 'calls.close_timed_out';

const isE164 = (v: string): boolean => /^\+\d{7,15}$/.test(v);
const timeoutMs = (deps: Deps): number => deps.config.callTimeoutMinutes * 60_000;

/**
 * The screen pop of a call as `actor` sees it now: the call's linked customer, or every
 * customer in scope with the caller's number (as the live pop was built). The active call is
 * server state: the console rebuilds its pop from this after a reload or from 最近通话.
 */
export async function callScreenPop(deps: Deps, actor: Actor, row: CallRow): Promise<ScreenPopEvent> {
  const dto = presentCall(row);
  const number = row.direction === 'inbound' ? row.caller : row.called;
  let customers: CustomerSummary[] = [];
  if (row.customer_id) {
    customers = [await customerSummary(deps, actor, row.customer_id).catch(() => null)].filter((c): c is CustomerSummary => c !== null);
  } else if (isE164(number)) {
    customers = (await lookupCaller(deps, actor, number)).customers;
  }
  return buildScreenPop(deps, actor, dto, customers, isE164(number) ? number : null);
}

/** GET /api/calls/:id/screen-pop. */
export async function getCallScreenPop(deps: Deps, actor: Actor, id: string): Promise<ScreenPopEvent> {
  return callScreenPop(deps, actor, await visibleCall(deps, actor, id));
}

/**
 * GET /api/calls/active: the actor's own call that is still ringing or in progress (newest),
 * with its pop; null when there is none. A call past the timeout is not live any more even
 * before the job has closed it.
 */
export async function getActiveCall(deps: Deps, actor: Actor): Promise<{ pop: ScreenPopEvent | null }> {
  const since = deps.clock.now().getTime() - timeoutMs(deps);
  const row = await callsWithNames(deps.db)
    .where('k.agent_id', '=', actor.userId)
    .where('k.status', 'in', ['ringing', 'answered'])
    .where('k.started_at', '>', since)
    .orderBy('k.started_at', 'desc').orderBy('k.id', 'desc')
    .executeTakeFirst();
  return { pop: row ? await callScreenPop(deps, actor, row) : null };
}

/**
 * Closes every call still ringing or answered CALL_TIMEOUT_MINUTES after it started: its
 * hang-up event was lost. An answered call becomes 已结束 with an unknown talk time, a ringing
 * one 未接 (with its call-back task, as a missed call); both are recorded with
 * `end_reason = 'timeout'`, an audit row `call.closed_by_timeout` and a timeline entry.
 * Idempotent (compare-and-set on the version); a late real end event still applies on top.
 */
export async function closeTimedOutCalls(deps: Deps): Promise<{ closed: number }> {
  const now = deps.clock.now().getTime();
  const stale = await deps.db.selectFrom('calls').selectAll()
    .where('status', 'in', ['ringing', 'answered']).where('started_at', '<=', now - timeoutMs(deps))
    .orderBy('started_at').limit(500).execute();
  let closed = 0;
  const ctx: AuditContext = { actorId: null, actorName: TIMEOUT_ACTOR_NAME, ip: null, requestId: null };
  for (const before of stale) {
    const done = await deps.db.transaction().execute(async (trx) => {
      const missed = before.status === 'ringing';
      const patch = {
        status: missed ? ('missed' as const) : ('ended' as const), ended_at: now, duration_s: missed ? 0 : null, end_reason: 'timeout' as const,
        version: before.version + 1, updated_at: now,
      };
      const res = await trx.updateTable('calls').set(patch).where('id', '=', before.id).where('version', '=', before.version).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) return false;
      const call: CallsTable = { ...before, ...patch };
      if (call.customer_id) {
        await recordTimeline(trx, deps, ctx, {
          customerId: call.customer_id, kind: missed ? 'call.missed' : 'call.ended', title: missed ? '未接来电（超时关闭）' : '通话超时关闭（未收到挂断事件）',
          body: `${deps.config.callTimeoutMinutes} 分钟内未收到电话系统的挂断事件`, refType: 'call', refId: call.id, projectId: call.project_id, at: now,
        });
      }
      if (missed && call.direction === 'inbound' && isE164(call.caller)) await createCallBack(trx, deps, ctx, call, now, { popFor: null, callUpdates: new Set(), notices: [] });
      await appendAudit(trx, deps, ctx, {
        action: 'call.closed_by_timeout', entityType: 'call', entityId: call.id, before: callAuditImage(before), after: { ...callAuditImage(call), endReason: 'timeout' },
      });
      return true;
    });
    if (done) closed += 1;
  }
  if (closed) deps.log.warn({ closed, timeoutMinutes: deps.config.callTimeoutMinutes }, 'calls without an end event closed by timeout');
  return { closed };
}
