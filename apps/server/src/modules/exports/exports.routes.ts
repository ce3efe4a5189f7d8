import type { FastifyInstance } from 'fastify';
import { ExportDecision, ExportJob, IdParams, type StaffRole, CENTER_ROLES } from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { decideExport, EXPORT_APPROVER_ROLES, listExports, openExportFile, presentExport, visibleExport } from '../../platform/exports.js';

/** Everyone who can request some export (each domain's POST …/exports checks its own roles). */
const EXPORT_USERS: readonly StaffRole[] = CENTER_ROLES;
const tags = ['exports'];

/**
 * Export jobs, whatever their domain: the requester's list with progress, the approvals of bulk
 * reveals, and the download of a finished file (requester only). Created by POST
 * /api/customers/exports, /api/tickets/exports, /api/kpis/exports, /api/surveys/:id/results/exports.
 */
export async function exportsRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const ListQuery = Type.Object({ view: Type.Optional(Type.Enum(['mine', 'approvals'])) });
  app.get<{ Querystring: { view?: 'mine' | 'approvals' } }>('/api/exports', {
    config: { access: EXPORT_USERS },
    schema: { tags, summary: '导出任务：我的导出（含进度），或待我审批的批量导出', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(ExportJob) }) } },
  }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    const actor = actorOf(req);
    const rows = await listExports(deps, actor, req.query.view ?? 'mine');
    return { items: rows.map((r) => presentExport(r, actor)) };
  });

  app.get<{ Params: IdParams }>('/api/exports/:id', {
    config: { access: EXPORT_USERS },
    schema: { tags, summary: '导出任务的状态与进度', params: IdParams, response: { 200: ExportJob } },
  }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    const actor = actorOf(req);
    return presentExport(await visibleExport(deps, actor, req.params.id), actor);
  });

  app.post<{ Params: IdParams; Body: ExportDecision }>('/api/exports/:id/approve', {
    config: { access: EXPORT_APPROVER_ROLES },
    schema: { tags, summary: '批准批量导出完整个人信息（GB/T 35273 §7.2）', params: IdParams, body: ExportDecision, response: { 200: ExportJob } },
  }, async (req) => {
    const actor = actorOf(req);
    return presentExport(await decideExport(deps, actor, auditCtx(req), req.params.id, true, req.body?.note), actor);
  });

  app.post<{ Params: IdParams; Body: ExportDecision }>('/api/exports/:id/reject', {
    config: { access: EXPORT_APPROVER_ROLES },
    schema: { tags, summary: '驳回批量导出', params: IdParams, body: ExportDecision, response: { 200: ExportJob } },
  }, async (req) => {
    const actor = actorOf(req);
    return presentExport(await decideExport(deps, actor, auditCtx(req), req.params.id, false, req.body?.note), actor);
  });

  app.get<{ Params: IdParams }>('/api/exports/:id/file', {
    config: { access: EXPORT_USERS },
    schema: { tags, summary: '下载导出文件（仅申请人，过期前）', params: IdParams },
  }, async (req, reply) => {
    const { row, stream } = await openExportFile(deps, actorOf(req), auditCtx(req), req.params.id);
    const name = row.file_name ?? 'export.xlsx';
    return reply
      .header('Cache-Control', 'no-store')
      .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(stream);
  });
}
