import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AnswerBody, CursorPage, DateOnly, DispatchBody, HandOverBody, Id, IdParams, K1Report, ReasonBody, ReplyBody, ResolveBody, SeverityBody, SlaPolicy, SlaPolicySpecSchema,
  STAFF_ROLES, Ticket, TicketCategory, TicketCategoryCreate, TicketCategoryUpdate, TicketCreate, TicketListQuery, TicketMergeBody, ExportJob, TicketSummary, WorkOrder,
  WorkOrderCompleteBody, WorkOrderProgressBody, WorkOrderRejectBody, WorkOrderStatusSchema, SEVERITIES, TICKET_TYPES, type StaffRole,
  IfMatchHeader, CENTER_ROLES } from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { forbidden } from '../../http/app-error.js';
import { expectedVersion, setEtag } from '../../http/versioning.js';
import { createCategory, listCategories, updateCategory } from './categories.service.js';
import { runReport } from '../kpis/kpis.reports.js';
import { listPolicies, policyVersions, savePolicy } from './sla-policies.service.js';
import * as tickets from './tickets.service.js';
import { setOpenTicketsProvider } from '../hotline/screen-pop.js';
import { getWorkOrder, listWorkOrders, workOrderCommand } from './work-orders.service.js';
import { importTicketHistory, TICKET_IMPORT_COLUMNS } from './tickets.import.js';
import { badRequest } from '../../http/app-error.js';
import { getProject } from '../org/org.service.js';
import { presentExport, requestExport } from '../../platform/exports.js';
import { ticketsExporter } from './tickets.export.js';

const tags = ['tickets'];
const KPI_READ: readonly StaffRole[] = CENTER_ROLES;

/** The single window: tickets, their workflow, work orders, SLA settings and K1. */
export async function ticketsRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  // The hotline's screen pop shows the caller's open tickets.
  setOpenTicketsProvider(tickets.openTicketsOf);

  app.post<{ Body: TicketCreate }>('/api/tickets', {
    config: { access: tickets.TICKET_WORK },
    schema: {
      tags, summary: '登记工单（登记人即首问责任人）', body: TicketCreate,
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) }),
      response: { 200: Ticket, 201: Ticket },
    },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key'] as string | undefined;
    const { ticket, created } = await tickets.registerTicket(deps, actorOf(req), auditCtx(req), req.body, key);
    setEtag(reply, ticket.version);
    return reply.status(created ? 201 : 200).send(ticket);
  });

  app.get<{ Querystring: TicketListQuery }>('/api/tickets', {
    config: { access: tickets.TICKET_READ },
    schema: { tags, summary: '工单队列（我的、团队、即将超时、已超时、等待客户、全部）', querystring: TicketListQuery, response: { 200: CursorPage(TicketSummary) } },
  }, async (req) => tickets.listTickets(deps, actorOf(req), req.query));

  app.get<{ Params: IdParams }>('/api/tickets/:id', {
    config: { access: tickets.TICKET_READ },
    schema: { tags, summary: '工单详情', params: IdParams, response: { 200: Ticket } },
  }, async (req, reply) => {
    const t = await tickets.getTicket(deps, actorOf(req), req.params.id);
    setEtag(reply, t.version);
    return t;
  });

  const command = <B>(path: string, summary: string, body: object | null, run: (req: FastifyRequest<{ Params: IdParams; Body: B }>, version: number) => Promise<unknown>) => {
    app.post<{ Params: IdParams; Body: B }>(`/api/tickets/:id/${path}`, {
      config: { access: tickets.TICKET_WORK },
      schema: { headers: IfMatchHeader, tags, summary, params: IdParams, ...(body ? { body } : {}), response: { 200: Ticket } },
    }, async (req, reply) => {
      const t = (await run(req, expectedVersion(req))) as { version: number };
      setEtag(reply, t.version);
      return t;
    });
  };
  command<AnswerBody>('answer', '当场答复并解决', AnswerBody, (req, v) => tickets.answerOnSpot(deps, actorOf(req), auditCtx(req), req.params.id, v, req.body));
  command<DispatchBody>('dispatch', '派单给部门', DispatchBody, (req, v) => tickets.dispatchTicket(deps, actorOf(req), auditCtx(req), req.params.id, v, req.body));
  command<ReplyBody>('reply', '记录对客户的答复', ReplyBody, (req, v) => tickets.replyToCustomer(deps, actorOf(req), auditCtx(req), req.params.id, v, req.body));
  command<ResolveBody>('resolve', '标记已解决', ResolveBody, (req, v) => tickets.resolveTicket(deps, actorOf(req), auditCtx(req), req.params.id, v, req.body.summary));
  command<ReasonBody>('wait', '等待客户（暂停计时）', ReasonBody, (req, v) => tickets.waitOnCustomer(deps, actorOf(req), auditCtx(req), req.params.id, v, req.body.reason));
  command<unknown>('resume', '恢复处理（继续计时）', null, (req, v) => tickets.resumeTicket(deps, actorOf(req), auditCtx(req), req.params.id, v));
  command<ReasonBody>('close', '关闭归档', ReasonBody, (req, v) => tickets.closeTicket(deps, actorOf(req), auditCtx(req), req.params.id, v, req.body.reason));
  command<ReasonBody>('reopen', '重开并升级', ReasonBody, (req, v) => tickets.reopenTicket(deps, actorOf(req), auditCtx(req), req.params.id, v, req.body.reason));
  command<ReasonBody>('cancel', '取消（登记错误）', ReasonBody, (req, v) => tickets.cancelTicket(deps, actorOf(req), auditCtx(req), req.params.id, v, req.body.reason));
  command<TicketMergeBody>('merge', '合并重复工单', TicketMergeBody, (req, v) => tickets.mergeTicket(deps, actorOf(req), auditCtx(req), req.params.id, v, req.body.intoTicketId, req.body.reason));
  command<HandOverBody>('hand-over', '移交首问责任', HandOverBody, (req, v) => tickets.handOverTicket(deps, actorOf(req), auditCtx(req), req.params.id, v, req.body.toUserId, req.body.reason));
  command<SeverityBody>('severity', '调整级别', SeverityBody, (req, v) => tickets.changeSeverity(deps, actorOf(req), auditCtx(req), req.params.id, v, req.body.severity, req.body.reason));

  const ImportReport = Type.Object({
    dryRun: Type.Boolean(), totalRows: Type.Integer(), validRows: Type.Integer(), imported: Type.Integer(),
    errors: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), message: Type.String() })),
  });
  app.post<{ Params: IdParams; Querystring: { dryRun?: boolean } }>('/api/projects/:id/tickets/import', {
    config: { access: ['supervisor', 'manager', 'admin'] },
    schema: {
      tags, summary: '导入历史工单（原系统）', params: IdParams, querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }), consumes: ['multipart/form-data'],
      description: `列：${Object.values(TICKET_IMPORT_COLUMNS).map((c) => c.label).join('、')}。见 docs/ticket-import.md。`,
      response: { 200: ImportReport, 422: ImportReport },
    },
  }, async (req, reply) => {
    const actor = actorOf(req);
    await getProject(deps, actor, req.params.id);
    if (!req.isMultipart()) throw badRequest('请以 multipart/form-data 上传文件', [{ field: 'file', message: '缺少文件' }]);
    const file = await req.file();
    if (!file) throw badRequest('请上传文件', [{ field: 'file', message: '缺少文件' }]);
    const report = await importTicketHistory(deps, actor, auditCtx(req), req.params.id, file.filename, await file.toBuffer(), req.query.dryRun ?? false);
    return reply.status(report.errors.length ? 422 : 200).send(report);
  });

  app.post<{ Body: TicketListQuery }>('/api/tickets/exports', {
    config: { access: tickets.TICKET_READ },
    schema: { tags, summary: '申请导出工单队列（Excel，最多 5000 条，后台生成）', body: TicketListQuery, response: { 202: ExportJob } },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const row = await requestExport(deps, actor, auditCtx(req), ticketsExporter, req.body, {});
    return reply.status(202).send(presentExport(row, actor));
  });

  const StaffQuery = Type.Object({ projectId: Id, role: Type.Optional(Type.Enum(['agent', 'supervisor', 'manager'])) });
  app.get<{ Querystring: { projectId: string; role?: 'agent' | 'supervisor' | 'manager' } }>('/api/staff', {
    config: { access: tickets.TICKET_WORK },
    schema: { tags, summary: '负责某项目的客服人员（用于移交首问责任）', querystring: StaffQuery, response: { 200: Type.Array(Type.Object({ id: Id, displayName: Type.String(), roles: Type.Array(Type.String()) })) } },
  }, async (req) => tickets.staffOfProject(deps, actorOf(req), req.query.projectId, req.query.role));

  // Work orders: the department's side.
  const WorkOrderQuery = Type.Object({
    status: Type.Optional(Type.Array(WorkOrderStatusSchema, { maxItems: 5 })), cursor: Type.Optional(Type.String({ maxLength: 300 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  });
  const WO_READ: readonly StaffRole[] = ['handler', 'agent', 'supervisor', 'manager', 'executive', 'admin'];
  app.get<{ Querystring: { status?: never[]; cursor?: string; limit?: number } }>('/api/work-orders', {
    config: { access: WO_READ },
    schema: { tags: ['work-orders'], summary: '派工单队列（部门处理人只看本部门）', querystring: WorkOrderQuery, response: { 200: CursorPage(WorkOrder) } },
  }, async (req) => listWorkOrders(deps, actorOf(req), req.query));
  app.get<{ Params: IdParams }>('/api/work-orders/:id', {
    config: { access: WO_READ },
    schema: { tags: ['work-orders'], summary: '派工单详情', params: IdParams, response: { 200: WorkOrder } },
  }, async (req, reply) => {
    const w = await getWorkOrder(deps, actorOf(req), req.params.id);
    setEtag(reply, w.version);
    return w;
  });
  const woCommand = (path: 'accept' | 'reject' | 'progress' | 'complete', summary: string, body: object | null, text: (b: Record<string, string>) => string | null) => {
    app.post<{ Params: IdParams; Body: Record<string, string> }>(`/api/work-orders/:id/${path}`, {
      config: { access: ['handler'] },
      schema: { headers: IfMatchHeader, tags: ['work-orders'], summary, params: IdParams, ...(body ? { body } : {}), response: { 200: WorkOrder } },
    }, async (req, reply) => {
      const w = await workOrderCommand(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), path, text(req.body ?? {}));
      setEtag(reply, w.version);
      return w;
    });
  };
  woCommand('accept', '接单', null, () => null);
  woCommand('reject', '退回（须说明原因）', WorkOrderRejectBody, (b) => b.reason ?? null);
  woCommand('progress', '报告进展', WorkOrderProgressBody, (b) => b.body ?? null);
  woCommand('complete', '反馈处理结果', WorkOrderCompleteBody, (b) => b.result ?? null);

  // Configuration: categories and SLA policies.
  app.get<{ Querystring: { type?: string } }>('/api/ticket-categories', {
    config: { access: STAFF_ROLES },
    schema: { tags: ['settings'], summary: '工单分类', querystring: Type.Object({ type: Type.Optional(Type.Enum(TICKET_TYPES)) }), response: { 200: Type.Array(TicketCategory) } },
  }, async (req) => listCategories(deps.db, req.query.type));
  app.post<{ Body: TicketCategoryCreate }>('/api/ticket-categories', {
    config: { access: ['admin'] }, schema: { tags: ['settings'], summary: '新建分类', body: TicketCategoryCreate, response: { 201: TicketCategory } },
  }, async (req, reply) => {
    if (actorOf(req).scopeKind !== 'group') throw forbidden('工单分类是集团级设置');
    return reply.status(201).send(await createCategory(deps, auditCtx(req), req.body));
  });
  app.patch<{ Params: IdParams; Body: TicketCategoryUpdate }>('/api/ticket-categories/:id', {
    config: { access: ['admin'] }, schema: { headers: IfMatchHeader, tags: ['settings'], summary: '修改分类', params: IdParams, body: TicketCategoryUpdate, response: { 200: TicketCategory } },
  }, async (req) => {
    if (actorOf(req).scopeKind !== 'group') throw forbidden('工单分类是集团级设置');
    return updateCategory(deps, auditCtx(req), req.params.id, expectedVersion(req), req.body);
  });

  const PolicyParams = Type.Object({ type: Type.Enum(TICKET_TYPES), severity: Type.Enum(SEVERITIES) });
  app.get('/api/sla-policies', {
    config: { access: STAFF_ROLES }, schema: { tags: ['settings'], summary: '当前时限政策（类型 × 级别）', response: { 200: Type.Array(SlaPolicy) } },
  }, async () => listPolicies(deps));
  app.get<{ Params: { type: string; severity: string } }>('/api/sla-policies/:type/:severity/versions', {
    config: { access: STAFF_ROLES }, schema: { tags: ['settings'], summary: '时限政策的历史版本', params: PolicyParams, response: { 200: Type.Array(SlaPolicy) } },
  }, async (req) => policyVersions(deps, req.params.type, req.params.severity));
  app.put<{ Params: { type: string; severity: string }; Body: Parameters<typeof savePolicy>[5] }>('/api/sla-policies/:type/:severity', {
    config: { access: ['admin'] },
    schema: { headers: IfMatchHeader, tags: ['settings'], summary: '发布新版本时限政策（已登记的工单沿用原版本）', params: PolicyParams, body: SlaPolicySpecSchema, response: { 200: SlaPolicy } },
  }, async (req) => {
    if (actorOf(req).scopeKind !== 'group') throw forbidden('时限政策是集团级设置');
    return savePolicy(deps, auditCtx(req), req.params.type, req.params.severity, expectedVersion(req), req.body);
  });

  // K1.
  const KpiQuery = Type.Object({ from: DateOnly, to: DateOnly, projectId: Type.Optional(Id), departmentId: Type.Optional(Id) });
  app.get<{ Querystring: { from: string; to: string; projectId?: string; departmentId?: string } }>('/api/kpis/k1', {
    config: { access: KPI_READ }, schema: { tags: ['kpis'], summary: 'K1 及时率：按时处理的投诉 / 截止时间在区间内的投诉', querystring: KpiQuery, response: { 200: K1Report } },
  }, async (req) => runReport(deps, 'kpis.k1', actorOf(req), req.query));
  const K1Record = Type.Object({
    id: Id, number: Type.String(), title: Type.String(), severity: Type.String(), status: Type.String(), projectId: Id, valid: Type.Boolean(),
    dueAt: Type.String(), metAt: Type.Union([Type.String(), Type.Null()]), verdict: Type.Enum(['on_time', 'late', 'not_due']),
  });
  app.get<{ Querystring: { from: string; to: string; projectId?: string; departmentId?: string; verdict?: 'on_time' | 'late' | 'not_due' } }>('/api/kpis/k1/records', {
    config: { access: KPI_READ },
    schema: { tags: ['kpis'], summary: 'K1 明细', querystring: Type.Intersect([KpiQuery, Type.Object({ verdict: Type.Optional(Type.Enum(['on_time', 'late', 'not_due'])) })]), response: { 200: Type.Array(K1Record) } },
  }, async (req) => runReport(deps, 'kpis.k1_records', actorOf(req), req.query));
}
