import type { FastifyInstance } from 'fastify';
import { DateOnly, ExportJob, Id, KpiSet, VisitAttempt, type StaffRole } from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { presentExport, requestExport } from '../../platform/exports.js';
import { kpisExporter, type KpiExportParams } from './kpis.export.js';
import { k3Attempts } from './kpis.service.js';
import { runReport } from './kpis.reports.js';

const READ: readonly StaffRole[] = ['agent', 'supervisor', 'manager', 'executive', 'admin'];
const tags = ['kpis'];
const Period = Type.Object({ from: DateOnly, to: DateOnly, projectId: Type.Optional(Id), departmentId: Type.Optional(Id) });
type PeriodQ = { from: string; to: string; projectId?: string; departmentId?: string };

/** The four KPIs, the records behind them, the dashboard and its Excel export (a job). */
export async function kpisRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get<{ Querystring: PeriodQ }>('/api/kpis', {
    config: { access: READ }, schema: { tags, summary: '四项服务指标 K1–K4（分子、分母、比率、目标）', querystring: Period, response: { 200: KpiSet } },
  }, async (req) => runReport(deps, 'kpis.set', actorOf(req), req.query));

  app.get<{ Querystring: PeriodQ & { which?: 'satisfied' | 'dissatisfied' | 'unreachable' } }>('/api/kpis/k2/records', {
    config: { access: READ },
    schema: { tags, summary: 'K2 明细（满意、不满意、无法联系）', querystring: Type.Intersect([Period, Type.Object({ which: Type.Optional(Type.Enum(['satisfied', 'dissatisfied', 'unreachable'])) })]) },
  }, async (req) => runReport(deps, 'kpis.k2_records', actorOf(req), req.query));

  app.get<{ Querystring: PeriodQ }>('/api/kpis/k3/records', {
    config: { access: READ }, schema: { tags, summary: 'K3 明细（计入的拜访）', querystring: Period },
  }, async (req) => runReport(deps, 'kpis.k3_records', actorOf(req), req.query));

  app.get<{ Querystring: PeriodQ }>('/api/kpis/k3/attempts', {
    config: { access: READ }, schema: { tags, summary: 'K3 旁列：未成功的拜访（不计入 K3）', querystring: Period, response: { 200: Type.Array(VisitAttempt) } },
  }, async (req) => k3Attempts(deps, actorOf(req), req.query));

  app.get<{ Querystring: PeriodQ }>('/api/dashboard', {
    config: { access: READ }, schema: { tags, summary: '领导驾驶舱：指标、趋势、分布、热点问题', querystring: Period },
  }, async (req) => runReport(deps, 'kpis.dashboard', actorOf(req), req.query));

  const ExportBody = Type.Intersect([Period, Type.Object({ list: Type.Enum(['k1', 'k2', 'k3']), verdict: Type.Optional(Type.String({ maxLength: 20 })) })]);
  app.post<{ Body: KpiExportParams }>('/api/kpis/exports', {
    config: { access: READ }, schema: { tags, summary: '申请导出指标明细（Excel，后台生成）', body: ExportBody, response: { 202: ExportJob } },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const row = await requestExport(deps, actor, auditCtx(req), kpisExporter, req.body, {});
    return reply.status(202).send(presentExport(row, actor));
  });
}
