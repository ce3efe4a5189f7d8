import type { FastifyInstance } from 'fastify';
import {
  ArchiveRateQuery, ArchiveRateRecord, ArchiveRateRecordsQuery, ArchiveRateReport, DashboardReport, ExportJob, K1_VERDICTS, K1Record, K1Report, K2_GROUPS, K2Record, K3Record,
  KpiPeriodQuery, KpiRollupStatus, KpiSet, Page, VisitAttempt, type ArchiveRateRecordsQuery as RecordsQ, type K1Verdict, type K2Group, type StaffRole,
} from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { projectInScope } from '../../platform/auth.js';
import { presentExport, requestExport } from '../../platform/exports.js';
import { kpisExporter, type KpiExportParams } from './kpis.export.js';
import { k3Attempts } from './k3.service.js';
import { runReport } from './kpis.reports.js';
import { rollupStatus } from './rollups.service.js';

/** Every staff role reads the KPIs of its own scope. */
const READ: readonly StaffRole[] = ['agent', 'supervisor', 'manager', 'executive', 'admin'];
const tags = ['kpis'];
type PeriodQ = { from: string; to: string; projectId?: string; departmentId?: string };

/**
 * The KPI module's routes, the only place /api/kpis/* and /api/dashboard are registered: the four
 * KPIs, the records behind each number, the dashboard and the Excel export (a job). Everything
 * over a period runs in the report worker (runReport).
 */
export async function kpisRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get<{ Querystring: PeriodQ }>('/api/kpis', {
    config: { access: READ }, schema: { tags, summary: '四项服务指标 K1–K4（分子、分母、比率、目标）', querystring: KpiPeriodQuery, response: { 200: KpiSet } },
  }, async (req) => runReport(deps, 'kpis.set', actorOf(req), req.query));

  app.get<{ Querystring: PeriodQ }>('/api/kpis/k1', {
    config: { access: READ }, schema: { tags, summary: 'K1 及时率：按时处理的投诉 / 截止时间在区间内的投诉', querystring: KpiPeriodQuery, response: { 200: K1Report } },
  }, async (req) => runReport(deps, 'kpis.k1', actorOf(req), req.query));

  app.get<{ Querystring: PeriodQ & { verdict?: K1Verdict } }>('/api/kpis/k1/records', {
    config: { access: READ },
    schema: { tags, summary: 'K1 明细', querystring: Type.Intersect([KpiPeriodQuery, Type.Object({ verdict: Type.Optional(Type.Enum(K1_VERDICTS)) })]), response: { 200: Type.Array(K1Record) } },
  }, async (req) => runReport(deps, 'kpis.k1_records', actorOf(req), req.query));

  app.get<{ Querystring: PeriodQ & { which?: K2Group } }>('/api/kpis/k2/records', {
    config: { access: READ },
    schema: { tags, summary: 'K2 明细（满意、不满意、无法联系）', querystring: Type.Intersect([KpiPeriodQuery, Type.Object({ which: Type.Optional(Type.Enum(K2_GROUPS)) })]), response: { 200: Type.Array(K2Record) } },
  }, async (req) => runReport(deps, 'kpis.k2_records', actorOf(req), req.query));

  app.get<{ Querystring: PeriodQ }>('/api/kpis/k3/records', {
    config: { access: READ }, schema: { tags, summary: 'K3 明细（计入的拜访）', querystring: KpiPeriodQuery, response: { 200: Type.Array(K3Record) } },
  }, async (req) => runReport(deps, 'kpis.k3_records', actorOf(req), req.query));

  app.get<{ Querystring: PeriodQ }>('/api/kpis/k3/attempts', {
    config: { access: READ }, schema: { tags, summary: 'K3 旁列：未成功的拜访（不计入 K3）', querystring: KpiPeriodQuery, response: { 200: Type.Array(VisitAttempt) } },
  }, async (req) => k3Attempts(deps, actorOf(req), req.query));

  app.get<{ Querystring: { date?: string; projectId?: string } }>('/api/kpis/archive-rate', {
    config: { access: READ }, schema: { tags, summary: 'K4 档案完整率（截至某日）', querystring: ArchiveRateQuery, response: { 200: ArchiveRateReport } },
  }, async (req) => runReport(deps, 'kpis.k4', actorOf(req), req.query));

  app.get<{ Querystring: RecordsQ }>('/api/kpis/archive-rate/records', {
    config: { access: READ },
    schema: { tags, summary: 'K4 明细：分母中的客户及是否计入分子', querystring: ArchiveRateRecordsQuery, response: { 200: Page(ArchiveRateRecord) } },
  }, async (req) => runReport(deps, 'kpis.k4_records', actorOf(req), req.query));

  app.get<{ Querystring: PeriodQ }>('/api/dashboard', {
    config: { access: READ }, schema: { tags, summary: '领导驾驶舱：指标、趋势、分布、热点问题', querystring: KpiPeriodQuery, response: { 200: DashboardReport } },
  }, async (req) => runReport(deps, 'kpis.dashboard', actorOf(req), req.query));

  app.get('/api/kpis/rollups', {
    config: { access: ['admin'] }, schema: { tags, summary: '指标汇总状态：回填进度、最近核对与偏差（管理员）', response: { 200: KpiRollupStatus } },
  }, async (req) => {
    // Drift rows name projects: an admin sees those of the projects in scope.
    const actor = actorOf(req);
    const status = await rollupStatus(deps);
    return { ...status, drift: status.drift.filter((d) => projectInScope(actor, d.projectId)) };
  });

  const ExportBody = Type.Intersect([KpiPeriodQuery, Type.Object({ list: Type.Enum(['k1', 'k2', 'k3']), verdict: Type.Optional(Type.String({ maxLength: 20 })) })]);
  app.post<{ Body: KpiExportParams }>('/api/kpis/exports', {
    config: { access: READ }, schema: { tags, summary: '申请导出指标明细（Excel，后台生成）', body: ExportBody, response: { 202: ExportJob } },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const row = await requestExport(deps, actor, auditCtx(req), kpisExporter, req.body, {});
    return reply.status(202).send(presentExport(row, actor));
  });
}
