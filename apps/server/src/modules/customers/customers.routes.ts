import type { FastifyInstance } from 'fastify';
import {
  ArchiveRules, CustomerImportReport, ArchiveRulesUpdate, CallerLookup, Customer, CustomerCreate, CustomerSearchQuery, CustomerSummary,
  CustomerUnitCreate, CustomerUnitUpdate, CustomerUpdate, ExportJob, ExportReveal, Id, IdParams, MergeBody, Page, PrivacySettings, RevealBody, RevealResult, STAFF_ROLES,
  TimelineEntry, UnitHistoryEntry, UnitTransfer, UnitTransferResult, type StaffRole,
  IfMatchHeader, CENTER_ROLES } from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { badRequest } from '../../http/app-error.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { expectedVersion, setEtag } from '../../http/versioning.js';
import { putSetting } from '../../platform/settings.js';
import { changeReference } from '../../platform/reference-cache.js';
import * as customers from './customers.service.js';
import { getProject } from '../org/org.service.js';
import { listTimeline } from './timeline.service.js';
import { CUSTOMER_IMPORT_COLUMNS, importCustomers, type ImportField } from './customers.import.js';
import { customersExporter, type CustomerExportParams } from './customers.export.js';
import { presentExport, requestExport } from '../../platform/exports.js';
import { transferUnit, unitHistory } from './unit-transfer.service.js';

/** Staff who work with the owner archive; department handlers see customers only through their work. */
export const CUSTOMER_READ: readonly StaffRole[] = CENTER_ROLES;
export const CUSTOMER_WRITE: readonly StaffRole[] = ['agent', 'supervisor', 'manager', 'admin'];
export const CUSTOMER_BULK: readonly StaffRole[] = ['supervisor', 'manager', 'admin'];
const tags = ['customers'];

/** The owner archive: customers, their homes, their timeline, privacy and K4. */
export async function customersRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get<{ Querystring: CustomerSearchQuery }>('/api/customers', {
    config: { access: CUSTOMER_READ },
    schema: { tags, summary: '查找客户（姓名、拼音首字母、电话或尾号、身份证号、房号地址）', querystring: CustomerSearchQuery, response: { 200: Page(CustomerSummary) } },
  }, async (req) => customers.searchCustomers(deps, actorOf(req), req.query));

  app.get<{ Querystring: { phone: string } }>('/api/customers/lookup', {
    config: { access: CUSTOMER_READ },
    schema: { tags, summary: '来电识别：按电话号码查找客户', querystring: Type.Object({ phone: Type.String({ minLength: 3, maxLength: 30 }) }), response: { 200: CallerLookup } },
  }, async (req) => customers.lookupCaller(deps, actorOf(req), req.query.phone));

  app.post<{ Body: CustomerCreate }>('/api/customers', {
    config: { access: CUSTOMER_WRITE },
    schema: { tags, summary: '新建客户', body: CustomerCreate, response: { 201: Customer } },
  }, async (req, reply) => reply.status(201).send(await customers.createCustomer(deps, actorOf(req), auditCtx(req), req.body)));

  app.get<{ Params: IdParams }>('/api/customers/:id', {
    config: { access: CUSTOMER_READ },
    schema: { tags, summary: '客户 360 视图', params: IdParams, response: { 200: Customer } },
  }, async (req, reply) => {
    const c = await customers.getCustomer(deps, actorOf(req), req.params.id);
    setEtag(reply, c.version);
    return c;
  });

  app.patch<{ Params: IdParams; Body: CustomerUpdate }>('/api/customers/:id', {
    config: { access: CUSTOMER_WRITE },
    schema: { headers: IfMatchHeader, tags, summary: '修改客户', params: IdParams, body: CustomerUpdate, response: { 200: Customer } },
  }, async (req, reply) => {
    const c = await customers.updateCustomer(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body);
    setEtag(reply, c.version);
    return c;
  });

  app.post<{ Params: IdParams }>('/api/customers/:id/confirm-archive', {
    config: { access: CUSTOMER_WRITE },
    schema: { headers: IfMatchHeader, tags, summary: '确认档案（与客户核实后）', params: IdParams, response: { 200: Customer } },
  }, async (req, reply) => {
    const c = await customers.confirmArchive(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req));
    setEtag(reply, c.version);
    return c;
  });

  app.post<{ Params: IdParams; Body: CustomerUnitCreate }>('/api/customers/:id/units', {
    config: { access: CUSTOMER_WRITE },
    schema: { tags, summary: '关联房屋', params: IdParams, body: CustomerUnitCreate, response: { 201: Customer } },
  }, async (req, reply) => reply.status(201).send(await customers.addUnitLink(deps, actorOf(req), auditCtx(req), req.params.id, req.body)));

  const LinkParams = Type.Object({ id: Id, linkId: Id });
  app.patch<{ Params: { id: string; linkId: string }; Body: CustomerUnitUpdate }>('/api/customers/:id/units/:linkId', {
    config: { access: CUSTOMER_WRITE },
    schema: { headers: IfMatchHeader, tags, summary: '修改或结束房屋关系', params: LinkParams, body: CustomerUnitUpdate, response: { 200: Customer } },
  }, async (req, reply) => {
    const c = await customers.updateUnitLink(deps, actorOf(req), auditCtx(req), req.params.id, req.params.linkId, expectedVersion(req), req.body);
    const link = c.units.find((u) => u.id === req.params.linkId);
    if (link) setEtag(reply, link.version);
    return c;
  });

  app.post<{ Params: IdParams; Body: UnitTransfer }>('/api/units/:id/transfer', {
    config: { access: CUSTOMER_WRITE },
    schema: { tags, summary: '房屋过户：卖方关系在过户日期结束，买方关系同日开始', params: IdParams, body: UnitTransfer, response: { 200: UnitTransferResult } },
  }, async (req) => transferUnit(deps, actorOf(req), auditCtx(req), req.params.id, req.body));
  app.get<{ Params: IdParams }>('/api/units/:id/history', {
    config: { access: CUSTOMER_READ },
    schema: { tags, summary: '房屋的业主及住户历史', params: IdParams, response: { 200: Type.Array(UnitHistoryEntry) } },
  }, async (req) => unitHistory(deps, actorOf(req), req.params.id));

  app.post<{ Params: IdParams; Body: RevealBody }>('/api/customers/:id/reveal', {
    config: { access: CUSTOMER_READ },
    schema: { tags, summary: '查看完整个人信息（须说明原因，留痕）', params: IdParams, body: RevealBody, response: { 200: RevealResult } },
  }, async (req) => customers.revealCustomer(deps, actorOf(req), auditCtx(req), req.params.id, req.body.field, req.body.reason));

  app.post<{ Params: IdParams; Body: MergeBody }>('/api/customers/:id/merge', {
    config: { access: CUSTOMER_BULK },
    schema: { tags, summary: '合并重复客户（保留本客户）', params: IdParams, body: MergeBody, response: { 200: Customer } },
  }, async (req) => customers.mergeCustomers(deps, actorOf(req), auditCtx(req), req.params.id, req.body.sourceId));

  const ImportQuery = Type.Object({
    dryRun: Type.Optional(Type.Boolean()),
    validOnly: Type.Optional(Type.Boolean()),
    /** JSON object: field → the header text in the file, when it differs from the usual names. */
    mapping: Type.Optional(Type.String({ maxLength: 2000 })),
  });
  app.post<{ Params: IdParams; Querystring: { dryRun?: boolean; validOnly?: boolean; mapping?: string } }>('/api/projects/:id/customers/import', {
    config: { access: CUSTOMER_BULK },
    schema: {
      tags, summary: '导入客户（.xlsx / .csv）', params: IdParams, querystring: ImportQuery, consumes: ['multipart/form-data'],
      description: `列：${Object.values(CUSTOMER_IMPORT_COLUMNS).map((c) => c.label).join('、')}。按身份证号或“电话+姓名”与已有客户去重。有错误时不导入，除非 validOnly=true。`,
      response: { 200: CustomerImportReport, 422: CustomerImportReport },
    },
  }, async (req, reply) => {
    const actor = actorOf(req);
    await getProject(deps, actor, req.params.id);
    let mapping: Partial<Record<ImportField, string>> | undefined;
    if (req.query.mapping) {
      try {
        const m = JSON.parse(req.query.mapping) as Record<string, unknown>;
        if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new Error('not an object');
        mapping = {};
        for (const [k, v] of Object.entries(m)) {
          if (!(k in CUSTOMER_IMPORT_COLUMNS) || typeof v !== 'string') throw new Error(k);
          mapping[k as ImportField] = v;
        }
      } catch {
        throw badRequest('列对应关系无效', [{ field: 'mapping', message: '应为 {"字段": "表头"} 形式的 JSON' }]);
      }
    }
    if (!req.isMultipart()) throw badRequest('请以 multipart/form-data 上传文件', [{ field: 'file', message: '缺少文件' }]);
    const file = await req.file();
    if (!file) throw badRequest('请上传文件', [{ field: 'file', message: '缺少文件' }]);
    const report = await importCustomers(deps, actor, auditCtx(req), req.params.id, file.filename, await file.toBuffer(), {
      dryRun: req.query.dryRun ?? false, validOnly: req.query.validOnly ?? false, ...(mapping ? { mapping } : {}),
    });
    return reply.status(report.errors.length && !report.validOnly && !report.dryRun ? 422 : 200).send(report);
  });

  const ExportBody = Type.Intersect([CustomerSearchQuery, ExportReveal]);
  app.post<{ Body: CustomerExportParams & ExportReveal }>('/api/customers/exports', {
    config: { access: CUSTOMER_BULK },
    schema: {
      tags, summary: '申请导出客户（Excel，默认脱敏；完整电话须填写原因，超过阈值须经理审批）', body: ExportBody, response: { 202: ExportJob },
      description: '导出在后台生成；进度、审批与下载见 /api/exports。',
    },
  }, async (req, reply) => {
    const { revealPhones, reason, page: _page, pageSize: _pageSize, ...params } = req.body as CustomerSearchQuery & ExportReveal;
    const actor = actorOf(req);
    const row = await requestExport(deps, actor, auditCtx(req), customersExporter, params, { revealPhones, reason });
    return reply.status(202).send(presentExport(row, actor));
  });

  const TimelineQuery = Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) });
  app.get<{ Params: IdParams; Querystring: { cursor?: string; limit?: number } }>('/api/customers/:id/timeline', {
    config: { access: CUSTOMER_READ },
    schema: { tags, summary: '客户时间线', params: IdParams, querystring: TimelineQuery, response: { 200: Type.Object({ items: Type.Array(TimelineEntry), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } },
  }, async (req) => {
    await customers.visibleCustomer(deps, actorOf(req), req.params.id);
    const limit = req.query.limit ?? 50;
    const c = decodeCursor<[number, string]>(req.query.cursor, 2);
    const items = await listTimeline(deps.db, req.params.id, c ? { at: c[0], id: c[1] } : null, limit + 1);
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > limit && last ? encodeCursor([Date.parse(last.at), last.id]) : null };
  });

  app.get('/api/settings/archive-rules', {
    config: { access: STAFF_ROLES },
    schema: { tags: ['settings'], summary: '档案完整性与时效规则', response: { 200: ArchiveRules } },
  }, async () => {
    const s = await customers.loadArchiveRules(deps.db);
    return { ...s.value, version: s.version };
  });

  app.put<{ Body: ArchiveRulesUpdate }>('/api/settings/archive-rules', {
    config: { access: ['admin'] },
    schema: { headers: IfMatchHeader, tags: ['settings'], summary: '修改档案规则', body: ArchiveRulesUpdate, response: { 200: ArchiveRules } },
  }, async (req) => {
    const actor = actorOf(req);
    if (actor.scopeKind !== 'group') throw badRequest('档案规则是集团级设置，须由集团管理员修改');
    const version = expectedVersion(req);
    const saved = await changeReference(deps.db, [`setting:${customers.ARCHIVE_RULES_KEY}`], async (trx) => {
      const s = await putSetting(trx, deps, auditCtx(req), customers.ARCHIVE_RULES_KEY, req.body, version);
      // New rules change every archive's completeness: record the new states now, so K4 from
      // today on uses them while past days keep the states they had.
      const ids = await trx.selectFrom('customers').select('id').where('merged_into_id', 'is', null).execute();
      for (const { id } of ids) await customers.refreshArchiveState(trx, deps, id, req.body);
      return s;
    });
    return { ...saved.value, version: saved.version };
  });

  app.get('/api/settings/privacy', {
    config: { access: ['admin'] },
    schema: { tags: ['settings'], summary: '个人信息查看权限', response: { 200: PrivacySettings } },
  }, async () => {
    const s = await customers.loadPrivacy(deps.db);
    return { ...s.value, version: s.version };
  });

  const PrivacyUpdate = Type.Object({
    phoneRevealRoles: Type.Array(Type.Enum(STAFF_ROLES), { uniqueItems: true }),
    idNumberRevealRoles: Type.Array(Type.Enum(STAFF_ROLES), { uniqueItems: true }),
    dailyRevealQuota: Type.Integer({ minimum: 1, maximum: 10000 }),
  }, { additionalProperties: false });
  app.put<{ Body: customers.PrivacyValue }>('/api/settings/privacy', {
    config: { access: ['admin'] },
    schema: { headers: IfMatchHeader, tags: ['settings'], summary: '修改个人信息查看权限', body: PrivacyUpdate, response: { 200: PrivacySettings } },
  }, async (req) => {
    if (actorOf(req).scopeKind !== 'group') throw badRequest('个人信息权限是集团级设置，须由集团管理员修改');
    const version = expectedVersion(req);
    const s = await changeReference(deps.db, [`setting:${customers.PRIVACY_KEY}`], (trx) => putSetting(trx, deps, auditCtx(req), customers.PRIVACY_KEY, req.body, version));
    return { ...s.value, version: s.version };
  });
}
