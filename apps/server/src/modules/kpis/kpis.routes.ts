import type { FastifyInstance } from 'fastify';
import { Id, KpiSet, SATISFACTION_LABELS, VISIT_KIND_LABELS, type StaffRole } from '@qiaoliang/shared';

const K2_GROUP_LABELS: Record<string, string> = { satisfied: '满意', dissatisfied: '不满意', unreachable: '无法联系' };
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf } from '../../http/access.js';
import { writeXlsx } from '../../platform/spreadsheet.js';
import { runReport } from './kpis.reports.js';

const READ: readonly StaffRole[] = ['agent', 'supervisor', 'manager', 'executive', 'admin'];
const tags = ['kpis'];
const Period = Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), projectId: Type.Optional(Id), departmentId: Type.Optional(Id) });
type PeriodQ = { from: string; to: string; projectId?: string; departmentId?: string };

/** The four KPIs, the records behind them, the dashboard and its Excel export. */
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

  app.get<{ Querystring: PeriodQ }>('/api/dashboard', {
    config: { access: READ }, schema: { tags, summary: '领导驾驶舱：指标、趋势、分布、热点问题', querystring: Period },
  }, async (req) => runReport(deps, 'kpis.dashboard', actorOf(req), req.query));

  const ExportQuery = Type.Intersect([Period, Type.Object({ list: Type.Enum(['k1', 'k2', 'k3']), verdict: Type.Optional(Type.String({ maxLength: 20 })) })]);
  app.get<{ Querystring: PeriodQ & { list: 'k1' | 'k2' | 'k3'; verdict?: string } }>('/api/kpis/export', {
    config: { access: READ }, schema: { tags, summary: '导出指标明细（Excel）', querystring: ExportQuery },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const q = req.query;
    let buf: Buffer;
    if (q.list === 'k1') {
      const rows = await runReport(deps, 'kpis.k1_records', actor, { ...q, verdict: q.verdict as never });
      const label = { on_time: '按时', late: '超时', not_due: '未到期' } as const;
      buf = await writeXlsx('K1 明细', [
        { header: '工单号', key: 'number', width: 18 }, { header: '标题', key: 'title', width: 36 }, { header: '级别', key: 'severity' }, { header: '状态', key: 'status' },
        { header: '截止时间', key: 'dueAt', width: 22 }, { header: '完成时间', key: 'metAt', width: 22 }, { header: '判定', key: 'verdict' },
      ], rows.map((r) => ({ ...r, verdict: label[r.verdict] })));
    } else if (q.list === 'k2') {
      const rows = await runReport(deps, 'kpis.k2_records', actor, { ...q, which: q.verdict as never });
      buf = await writeXlsx('K2 明细', [
        { header: '工单号', key: 'number', width: 18 }, { header: '标题', key: 'title', width: 36 }, { header: '分组', key: 'group' }, { header: '满意度', key: 'satisfaction' }, { header: '评价时间', key: 'ratedAt', width: 22 },
      ], rows.map((r) => ({ ...r, group: K2_GROUP_LABELS[r.group] ?? r.group, satisfaction: r.satisfaction === null ? '' : SATISFACTION_LABELS[r.satisfaction] })));
    } else {
      const rows = await runReport(deps, 'kpis.k3_records', actor, q);
      buf = await writeXlsx('K3 明细', [{ header: '客户', key: 'customerName' }, { header: '时间', key: 'at', width: 22 }, { header: '方式', key: 'kinds', width: 30 }],
        rows.map((r) => ({ ...r, kinds: r.kinds.map((k) => VISIT_KIND_LABELS[k as keyof typeof VISIT_KIND_LABELS] ?? k).join('、') })));
    }
    return reply.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', `attachment; filename="${q.list}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${q.list.toUpperCase()}明细.xlsx`)}`)
      .send(buf);
  });
}
