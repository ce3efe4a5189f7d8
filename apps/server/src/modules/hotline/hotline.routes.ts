import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import {
  ActiveCall, CallBackDoneBody, CallBackTask, CallBackTaskListQuery, CallDetail, CallLinkCustomerBody, CallListQuery, Call, CursorPage, IdParams, type StaffRole,
  IfMatchHeader, ScreenPopEvent,
} from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { expectedVersion, setEtag } from '../../http/versioning.js';
import { completeCallBack, listCallBacks, revealCallBackPhone } from './call-backs.service.js';
import type { DB, TicketsTable } from '../../db/schema.js';
import { ticketHooks } from '../tickets/tickets.service.js';
import { getCall, linkCallCustomer, linkCallToTicket, listCalls } from './calls.service.js';
import { ctiRoutes } from './cti.routes.js';
import { getActiveCall, getCallScreenPop } from './active-call.service.js';

/** Staff who take or supervise calls. */
export const CALL_READ: readonly StaffRole[] = ['agent', 'supervisor', 'manager', 'admin'];
/** Staff who work calls and call-backs. */
export const CALL_WORK: readonly StaffRole[] = ['agent', 'supervisor', 'manager'];
const tags = ['hotline'];

/**
 * A ticket registered with `callId` (Qiaoliang's call id, as in the screen pop) is linked to
 * that call in the ticket's own transaction; an unknown call id fails the registration (400).
 */
async function linkRegisteredTicket(trx: Kysely<DB>, deps: Deps, ticket: TicketsTable): Promise<void> {
  if (ticket.call_id) await linkCallToTicket(trx, deps, ticket.call_id, ticket.id);
}

/** The hotline (S1): the CTI webhook, call records and call-back tasks. */
export async function hotlineRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  // Once per process, however many apps are built (tests build many).
  if (!ticketHooks.onRegistered.includes(linkRegisteredTicket)) ticketHooks.onRegistered.push(linkRegisteredTicket);
  await app.register(ctiRoutes, { deps });

  app.get<{ Querystring: CallListQuery }>('/api/calls', {
    config: { access: CALL_READ },
    schema: { tags, summary: '通话记录（坐席看自己的，主管看所辖项目的）', querystring: CallListQuery, response: { 200: CursorPage(Call) } },
  }, async (req) => listCalls(deps, actorOf(req), req.query));

  app.get('/api/calls/active', {
    config: { access: CALL_READ },
    schema: { tags, summary: '我当前的通话（振铃或通话中）及其弹屏；控制台刷新后据此恢复', response: { 200: ActiveCall } },
  }, async (req) => getActiveCall(deps, actorOf(req)));

  app.get<{ Params: IdParams }>('/api/calls/:id/screen-pop', {
    config: { access: CALL_READ },
    schema: { tags, summary: '通话的弹屏（客户、房产、未结工单、最近联系），从最近通话重新打开', params: IdParams, response: { 200: ScreenPopEvent } },
  }, async (req) => getCallScreenPop(deps, actorOf(req), req.params.id));

  app.get<{ Params: IdParams }>('/api/calls/:id', {
    config: { access: CALL_READ },
    schema: { tags, summary: '通话详情（含由此登记的工单、回拨任务）', params: IdParams, response: { 200: CallDetail } },
  }, async (req, reply) => {
    const call = await getCall(deps, actorOf(req), req.params.id);
    setEtag(reply, call.version);
    return call;
  });

  app.post<{ Params: IdParams; Body: CallLinkCustomerBody }>('/api/calls/:id/customer', {
    config: { access: CALL_WORK },
    schema: { headers: IfMatchHeader, tags, summary: '将通话关联到客户（多位客户共用号码，或新建了来电客户）', params: IdParams, body: CallLinkCustomerBody, response: { 200: CallDetail } },
  }, async (req, reply) => {
    const call = await linkCallCustomer(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body.customerId);
    setEtag(reply, call.version);
    return call;
  });

  app.get<{ Querystring: CallBackTaskListQuery }>('/api/call-back-tasks', {
    config: { access: CALL_WORK },
    schema: { tags, summary: '回拨任务（我的、项目待领取的）', querystring: CallBackTaskListQuery, response: { 200: CursorPage(CallBackTask) } },
  }, async (req) => listCallBacks(deps, actorOf(req), req.query));

  app.post<{ Params: IdParams; Body: CallBackDoneBody }>('/api/call-back-tasks/:id/done', {
    config: { access: CALL_WORK },
    schema: { headers: IfMatchHeader, tags, summary: '完成回拨（填写结果）', params: IdParams, body: CallBackDoneBody, response: { 200: CallBackTask } },
  }, async (req, reply) => {
    const task = await completeCallBack(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body.note);
    setEtag(reply, task.version);
    return task;
  });

  app.post<{ Params: IdParams }>('/api/call-back-tasks/:id/reveal', {
    config: { access: CALL_WORK },
    schema: { tags, summary: '查看回拨号码（留痕）', params: IdParams, response: { 200: Type.Object({ phone: Type.String() }) } },
  }, async (req) => revealCallBackPhone(deps, actorOf(req), auditCtx(req), req.params.id));
}
