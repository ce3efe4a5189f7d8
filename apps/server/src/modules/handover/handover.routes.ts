import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateOnly, IdParams, IfMatchHeader } from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { badRequest } from '../../http/app-error.js';
import { expectedVersion, setEtag } from '../../http/versioning.js';
import { readStoredFile, safeFilename } from '../../platform/files.js';
import { presentExport, requestExport } from '../../platform/exports.js';
import { handoverBatchExporter } from './handover.export.js';
import * as svc from './handover.service.js';
import { HANDOVER_STAFF, HANDOVER_TASKS } from './handover.service.js';
import { DEFECT_ACTIONS, DEFECT_SEVERITIES, DEFECT_STATUSES, type DefectAction } from './handover.rules.js';

const tags = ['handover'];
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const ChecklistItem = Type.Object({ room: Text(20), item: Text(20), criterion: Text(200), warrantyComponent: Text(40), trade: Text(20) }, { additionalProperties: false });
const TemplateBody = Type.Object({ code: Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }), name: Text(60), items: Type.Array(ChecklistItem, { maxItems: 500 }) }, { additionalProperties: false });
const BatchBody = Type.Object({
  projectId: Type.String(), name: Text(60), windowFrom: DateOnly, windowTo: DateOnly, templateId: Type.Optional(Type.String()),
  buildingIds: Type.Optional(Type.Array(Type.String(), { maxItems: 200 })), unitIds: Type.Optional(Type.Array(Type.String(), { maxItems: 5000 })),
}, { additionalProperties: false });
const Meter = Type.Number({ minimum: 0, maximum: 1e7 });
const InspectionBody = Type.Object({
  passedItems: Type.Integer({ minimum: 0, maximum: 500 }), meters: Type.Optional(Type.Object({ water: Type.Optional(Meter), electricity: Type.Optional(Meter), gas: Type.Optional(Meter) }, { additionalProperties: false })),
  signStatus: Type.Union([Type.Literal('unsigned'), Type.Literal('signed'), Type.Literal('refused')]), signReason: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
const DefectBody = Type.Object({
  unitId: Type.String(), room: Text(20), item: Text(20), description: Type.String({ minLength: 2, maxLength: 1000 }), severity: Type.Enum(DEFECT_SEVERITIES),
  pinX: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })), pinY: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })), contractorId: Type.Optional(Type.String()),
}, { additionalProperties: false });
const ActionParams = Type.Object({ id: Type.String(), action: Type.Enum(DEFECT_ACTIONS.map((a) => a.replace('_', '-')) as string[]) });
const ActionBody = Type.Object({ contractorId: Type.Optional(Type.String()), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
const DefectQuery = Type.Object({
  batchId: Type.Optional(Type.String()), contractorId: Type.Optional(Type.String()), status: Type.Optional(Type.Enum(DEFECT_STATUSES)),
  handoverUnitId: Type.Optional(Type.String()), overdue: Type.Optional(Type.Boolean()),
});
const AcceptBody = Type.Object({ handoverDate: DateOnly, keysTo: Text(40), signatureAttachmentId: Type.Optional(Type.String()) }, { additionalProperties: false });
const RefuseBody = Type.Object({ reasons: Type.String({ minLength: 2, maxLength: 2000 }) }, { additionalProperties: false });

async function uploaded(req: FastifyRequest) {
  if (!req.isMultipart()) throw badRequest('请以 multipart/form-data 上传文件', [{ field: 'file', message: '缺少文件' }]);
  const file = await req.file();
  if (!file) throw badRequest('请上传文件', [{ field: 'file', message: '缺少文件' }]);
  return { filename: file.filename, data: await file.toBuffer() };
}

/** Handover inspection (D10): templates, batches, unit inspection, defects and rectification, keys, reports. */
export async function handoverRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get('/api/handover/templates', { config: { access: HANDOVER_STAFF }, schema: { tags, summary: '验房检查表模板（各版本）' } }, async () => svc.listTemplates(deps));
  app.post<{ Body: TemplateBody }>('/api/handover/templates', {
    config: { access: ['admin', 'manager'] }, schema: { tags, summary: '保存检查表模板的新版本（审计）', body: TemplateBody },
  }, async (req, reply) => reply.status(201).send(await svc.saveTemplate(deps, auditCtx(req), req.body)));

  app.get<{ Querystring: { projectId?: string } }>('/api/handover/batches', {
    config: { access: HANDOVER_STAFF }, schema: { tags, summary: '交付批次及进度', querystring: Type.Object({ projectId: Type.Optional(Type.String()) }) },
  }, async (req) => svc.listBatches(deps, actorOf(req), req.query));
  app.post<{ Body: BatchBody }>('/api/handover/batches', {
    config: { access: ['supervisor', 'manager', 'admin'] }, schema: { tags, summary: '新建交付批次', body: BatchBody },
  }, async (req, reply) => reply.status(201).send(await svc.createBatch(deps, actorOf(req), auditCtx(req), req.body)));
  app.get<{ Params: IdParams }>('/api/handover/batches/:id', {
    config: { access: HANDOVER_STAFF }, schema: { tags, summary: '交付批次详情', params: IdParams },
  }, async (req) => svc.getBatch(deps, actorOf(req), req.params.id));
  app.get<{ Params: IdParams; Querystring: { status?: string; buildingId?: string } }>('/api/handover/batches/:id/units', {
    config: { access: HANDOVER_STAFF }, schema: { tags, summary: '批次内房屋及交付状态', params: IdParams, querystring: Type.Object({ status: Type.Optional(Type.String()), buildingId: Type.Optional(Type.String()) }) },
  }, async (req) => svc.listBatchUnits(deps, actorOf(req), req.params.id, req.query));
  app.post<{ Params: IdParams; Body: DefectBody }>('/api/handover/batches/:id/defects', {
    config: { access: HANDOVER_STAFF }, schema: { tags, summary: '登记验房问题（整改期限按严重程度、工作日计算）', params: IdParams, body: DefectBody },
  }, async (req, reply) => {
    const d = await svc.addDefect(deps, actorOf(req), auditCtx(req), req.params.id, req.body);
    setEtag(reply, d.version);
    return reply.status(201).send(d);
  });
  app.get<{ Params: IdParams; Querystring: { groupBy?: svc.ReportGroup } }>('/api/handover/batches/:id/report', {
    config: { access: HANDOVER_STAFF },
    schema: { tags, summary: '批次报表（户均问题、一次收楼率、整改按期、复验通过率、问题账龄）', params: IdParams, querystring: Type.Object({ groupBy: Type.Optional(Type.Union([Type.Literal('building'), Type.Literal('contractor')])) }) },
  }, async (req) => svc.batchReport(deps, actorOf(req), req.params.id, req.query.groupBy));

  app.post<{ Params: IdParams }>('/api/handover/batches/:id/exports', {
    config: { access: HANDOVER_STAFF }, schema: { tags, summary: '申请导出批次报表与问题清单（Excel，后台生成）', params: IdParams },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const row = await requestExport(deps, actor, auditCtx(req), handoverBatchExporter, { batchId: req.params.id }, {});
    return reply.status(202).send(presentExport(row, actor));
  });

  app.get<{ Params: IdParams }>('/api/handover/units/:id', {
    config: { access: HANDOVER_STAFF }, schema: { tags, summary: '交付房屋：检查表、问题、收楼状态', params: IdParams },
  }, async (req, reply) => {
    const h = await svc.getHandoverUnit(deps, actorOf(req), req.params.id);
    setEtag(reply, h.version);
    return h;
  });
  app.post<{ Params: IdParams; Body: InspectionBody }>('/api/handover/units/:id/inspection', {
    config: { access: HANDOVER_STAFF }, schema: { headers: IfMatchHeader, tags, summary: '记录查验结果、三表读数、业主签字状态（If-Match）', params: IdParams, body: InspectionBody },
  }, async (req, reply) => {
    const h = await svc.recordInspection(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body);
    setEtag(reply, h.version);
    return h;
  });
  app.post<{ Params: IdParams }>('/api/handover/units/:id/signature', {
    config: { access: HANDOVER_STAFF }, schema: { tags, summary: '上传业主签名图片', params: IdParams, consumes: ['multipart/form-data'] },
  }, async (req, reply) => {
    // Scope first (404 outside it), then the file.
    return reply.status(201).send(await svc.addSignature(deps, actorOf(req), auditCtx(req), req.params.id, () => uploaded(req)));
  });
  app.post<{ Params: IdParams; Body: AcceptBody }>('/api/handover/units/:id/accept', {
    config: { access: HANDOVER_STAFF }, schema: { headers: IfMatchHeader, tags, summary: '收楼：交钥匙，设实际交付日期与保修起始日（If-Match）', params: IdParams, body: AcceptBody },
  }, async (req, reply) => {
    const h = await svc.acceptHandover(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body);
    setEtag(reply, h.version);
    return h;
  });
  app.post<{ Params: IdParams; Body: RefuseBody }>('/api/handover/units/:id/refuse', {
    config: { access: HANDOVER_STAFF }, schema: { headers: IfMatchHeader, tags, summary: '拒绝收楼：自动登记投诉工单（If-Match）', params: IdParams, body: RefuseBody },
  }, async (req, reply) => {
    const h = await svc.refuseHandover(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body);
    setEtag(reply, h.version);
    return h;
  });

  app.get<{ Querystring: Type.Static<typeof DefectQuery> }>('/api/handover/defects', {
    config: { access: HANDOVER_TASKS }, schema: { tags, summary: '整改任务（施工单位只看到本单位的）', querystring: DefectQuery },
  }, async (req) => svc.listDefects(deps, actorOf(req), req.query));
  app.get<{ Params: IdParams }>('/api/handover/defects/:id', {
    config: { access: HANDOVER_TASKS }, schema: { tags, summary: '问题详情与全部记录', params: IdParams },
  }, async (req, reply) => {
    const d = await svc.getDefect(deps, actorOf(req), req.params.id);
    setEtag(reply, d.version);
    return d;
  });
  app.post<{ Params: { id: string; action: string }; Body: Type.Static<typeof ActionBody> }>('/api/handover/defects/:id/:action', {
    config: { access: HANDOVER_TASKS },
    schema: {
      headers: IfMatchHeader, tags, params: ActionParams, body: ActionBody,
      summary: '问题流转：assign 分配 / start 开始整改 / report-fix 整改完成 / reinspect-pass 复验通过 / reinspect-fail 复验不通过 / cancel 取消 / dispute 争议（If-Match）',
    },
  }, async (req, reply) => {
    const d = await svc.actOnDefect(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.params.action.replace('-', '_') as DefectAction, req.body ?? {});
    setEtag(reply, d.version);
    return d;
  });
  app.post<{ Params: IdParams }>('/api/handover/defects/:id/photos', {
    config: { access: HANDOVER_TASKS }, schema: { tags, summary: '上传问题或整改照片（图片，≤10 MB）', params: IdParams, consumes: ['multipart/form-data'] },
  }, async (req, reply) => {
    return reply.status(201).send(await svc.addDefectPhoto(deps, actorOf(req), auditCtx(req), req.params.id, () => uploaded(req)));
  });
  app.get<{ Params: IdParams }>('/api/handover/attachments/:id', {
    config: { access: HANDOVER_TASKS }, schema: { tags, summary: '下载问题照片或签名', params: IdParams },
  }, async (req, reply) => {
    const a = await svc.handoverAttachment(deps, actorOf(req), req.params.id);
    return reply
      .header('Content-Type', a.content_type)
      .header('Content-Disposition', `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(safeFilename(a.filename))}`)
      .header('X-Content-Type-Options', 'nosniff').header('Content-Security-Policy', "default-src 'none'; sandbox").header('Cache-Control', 'no-store')
      .send(readStoredFile(deps.config.dataDir, a.storage_key));
  });
}
type TemplateBody = Type.Static<typeof TemplateBody>;
type BatchBody = Type.Static<typeof BatchBody>;
type InspectionBody = Type.Static<typeof InspectionBody>;
type DefectBody = Type.Static<typeof DefectBody>;
type AcceptBody = Type.Static<typeof AcceptBody>;
type RefuseBody = Type.Static<typeof RefuseBody>;
