import type { FastifyInstance } from 'fastify';
import {
  Callback, CallbackAttemptBody, CallbackCompleteBody, CursorPage, Id, IdParams, Month, Year, InvalidateBody, VISIT_KINDS, Visit, VisitAttempt, VisitAttemptCreate, VisitCreate, VisitPlan, VisitPlanRules, VisitTask,
  type StaffRole, type VisitKind,
  IfMatchHeader, CENTER_ROLES } from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { expectedVersion, setEtag } from '../../http/versioning.js';
import { completeCallback, getCallback, listCallbacks, recordFailedAttempt, registerCallbackHooks, setComplaintValidity } from './callbacks.service.js';
import { addVisitKinds, createVisit, createVisitAttempt, generateTasks, getOrCreatePlan, getVisit, listVisitAttempts, listVisits, listVisitTasks, updatePlanRules } from './visits.service.js';
import { getTicket } from '../tickets/tickets.service.js';
import { Ticket } from '@qiaoliang/shared';

const WORK: readonly StaffRole[] = ['agent', 'supervisor', 'manager'];
const READ: readonly StaffRole[] = CENTER_ROLES;

/** Callbacks after resolution, valid-complaint decisions, visits and the visit programme. */
export async function callbacksRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  registerCallbackHooks();
  const tags = ['callbacks'];
  const ListQuery = Type.Object({
    view: Type.Optional(Type.Enum(['mine', 'team'])), status: Type.Optional(Type.Enum(['open', 'done', 'unreachable'])),
    cursor: Type.Optional(Type.String({ maxLength: 300 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  });
  app.get<{ Querystring: { view?: 'mine' | 'team'; status?: string; cursor?: string; limit?: number } }>('/api/callbacks', {
    config: { access: READ }, schema: { tags, summary: '回访任务（我的 / 团队）', querystring: ListQuery, response: { 200: CursorPage(Callback) } },
  }, async (req) => listCallbacks(deps, actorOf(req), req.query));
  app.get<{ Params: IdParams }>('/api/callbacks/:id', {
    config: { access: READ }, schema: { tags, summary: '回访任务详情（含话术）', params: IdParams, response: { 200: Callback } },
  }, async (req, reply) => {
    const c = await getCallback(deps, actorOf(req), req.params.id);
    setEtag(reply, c.version);
    return c;
  });
  app.post<{ Params: IdParams; Body: { note?: string } }>('/api/callbacks/:id/attempts', {
    config: { access: WORK }, schema: { headers: IfMatchHeader, tags, summary: '记录未接通（达到次数上限后记为无法联系）', params: IdParams, body: CallbackAttemptBody, response: { 200: Callback } },
  }, async (req) => recordFailedAttempt(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body?.note));
  app.post<{ Params: IdParams; Body: CallbackCompleteBody }>('/api/callbacks/:id/complete', {
    config: { access: WORK }, schema: { headers: IfMatchHeader, tags, summary: '记录回访结果（满意关闭，不满意重开升级）', params: IdParams, body: CallbackCompleteBody, response: { 200: Callback } },
  }, async (req) => completeCallback(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body));

  app.post<{ Params: IdParams; Body: InvalidateBody }>('/api/tickets/:id/invalidate', {
    config: { access: ['supervisor', 'manager'] }, schema: { headers: IfMatchHeader, tags: ['tickets'], summary: '认定为无效投诉（须说明理由）', params: IdParams, body: InvalidateBody, response: { 200: Ticket } },
  }, async (req) => {
    await setComplaintValidity(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), false, req.body.reason, req.body.note);
    return getTicket(deps, actorOf(req), req.params.id);
  });
  app.post<{ Params: IdParams; Body: { note: string } }>('/api/tickets/:id/revalidate', {
    config: { access: ['manager'] },
    schema: { headers: IfMatchHeader, tags: ['tickets'], summary: '撤销无效认定（客服经理）', params: IdParams, body: Type.Object({ note: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false }), response: { 200: Ticket } },
  }, async (req) => {
    await setComplaintValidity(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), true, null, req.body.note);
    return getTicket(deps, actorOf(req), req.params.id);
  });

  const vtags = ['visits'];
  app.post<{ Body: VisitCreate }>('/api/visits', {
    config: { access: WORK }, schema: { tags: vtags, summary: '记录拜访（电话、上门、活动接触）', body: VisitCreate, response: { 201: Visit } },
  }, async (req, reply) => reply.status(201).send(await createVisit(deps, actorOf(req), auditCtx(req), req.body)));
  app.get<{ Querystring: { customerId?: string; projectId?: string; limit?: number } }>('/api/visits', {
    config: { access: READ },
    schema: { tags: vtags, summary: '拜访记录', querystring: Type.Object({ customerId: Type.Optional(Id), projectId: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }), response: { 200: Type.Array(Visit) } },
  }, async (req) => listVisits(deps, actorOf(req), req.query));
  app.get<{ Params: IdParams }>('/api/visits/:id', {
    config: { access: READ }, schema: { tags: vtags, summary: '拜访详情', params: IdParams, response: { 200: Visit } },
  }, async (req) => getVisit(deps, actorOf(req), req.params.id));
  app.post<{ Params: IdParams; Body: { kinds: VisitKind[] } }>('/api/visits/:id/kinds', {
    config: { access: WORK },
    schema: { headers: IfMatchHeader, tags: vtags, summary: '补充接触方式（仍计为一次拜访）', params: IdParams, body: Type.Object({ kinds: Type.Array(Type.Enum(VISIT_KINDS), { minItems: 1, uniqueItems: true }) }, { additionalProperties: false }), response: { 200: Visit } },
  }, async (req) => addVisitKinds(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body.kinds));

  app.post<{ Body: VisitAttemptCreate }>('/api/visit-attempts', {
    config: { access: WORK }, schema: { tags: vtags, summary: '记录未成功的拜访（不在家、拒访、号码错误、无人接听；不计入 K3）', body: VisitAttemptCreate, response: { 201: VisitAttempt } },
  }, async (req, reply) => reply.status(201).send(await createVisitAttempt(deps, actorOf(req), auditCtx(req), req.body)));
  app.get<{ Querystring: { customerId?: string; projectId?: string; limit?: number } }>('/api/visit-attempts', {
    config: { access: READ },
    schema: {
      tags: vtags, summary: '未成功的拜访记录', querystring: Type.Object({ customerId: Type.Optional(Id), projectId: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
      response: { 200: Type.Array(VisitAttempt) },
    },
  }, async (req) => listVisitAttempts(deps, actorOf(req), req.query));

  const PlanParams = Type.Object({ projectId: Id, year: Year });
  app.get<{ Params: { projectId: string; year: number } }>('/api/visit-plans/:projectId/:year', {
    config: { access: READ }, schema: { tags: vtags, summary: '年度拜访计划（目标 120%）', params: PlanParams, response: { 200: VisitPlan } },
  }, async (req) => getOrCreatePlan(deps, actorOf(req), req.params.projectId, req.params.year));
  app.put<{ Params: { projectId: string; year: number }; Body: VisitPlanRules }>('/api/visit-plans/:projectId/:year', {
    config: { access: ['supervisor', 'manager'] }, schema: { headers: IfMatchHeader, tags: vtags, summary: '修改拜访规则', params: PlanParams, body: VisitPlanRules, response: { 200: VisitPlan } },
  }, async (req) => updatePlanRules(deps, actorOf(req), auditCtx(req), req.params.projectId, req.params.year, expectedVersion(req), req.body));
  app.post<{ Params: { projectId: string; year: number } }>('/api/visit-plans/:projectId/:year/generate', {
    config: { access: ['supervisor', 'manager'] },
    schema: { tags: vtags, summary: '生成拜访任务（可重复执行，只补缺）', params: PlanParams, response: { 200: Type.Object({ added: Type.Integer(), plan: VisitPlan }) } },
  }, async (req) => generateTasks(deps, actorOf(req), auditCtx(req), req.params.projectId, req.params.year));
  app.get<{ Querystring: { projectId: string; year: number; month?: number; status?: string } }>('/api/visit-tasks', {
    config: { access: READ },
    schema: {
      tags: vtags, summary: '拜访任务', response: { 200: Type.Array(VisitTask) },
      querystring: Type.Object({ projectId: Id, year: Year, month: Type.Optional(Month), status: Type.Optional(Type.Enum(['open', 'done'])) }),
    },
  }, async (req) => listVisitTasks(deps, actorOf(req), req.query));
}
