import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IdParams } from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { badRequest, notFound } from '../../http/app-error.js';
import { appendAudit } from '../../platform/audit.js';
import { readStoredFile, safeFilename, storeFile } from '../../platform/files.js';
import { CUSTOMER_READ, CUSTOMER_WRITE } from '../customers/customers.routes.js';
import { visibleCustomer } from '../customers/customers.service.js';
import { getWorkOrder } from './work-orders.service.js';
import { TICKET_READ, TICKET_WORK, visibleTicket } from './tickets.service.js';

const Attachment = Type.Object({ id: Type.String(), filename: Type.String(), contentType: Type.String(), size: Type.Integer() });

/** Photos and files on tickets, work orders and customer records: type checked by content, size limited, served as downloads. */
export async function attachmentsRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const upload = async (req: FastifyRequest, ownerType: 'ticket' | 'work_order' | 'customer', ownerId: string, projectId: string) => {
    if (!req.isMultipart()) throw badRequest('请以 multipart/form-data 上传文件', [{ field: 'file', message: '缺少文件' }]);
    const file = await req.file();
    if (!file) throw badRequest('请上传文件', [{ field: 'file', message: '缺少文件' }]);
    const id = deps.ids.next();
    const stored = storeFile(deps.config.dataDir, id, file.filename, await file.toBuffer());
    const actor = actorOf(req);
    await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('attachments').values({
        id, owner_type: ownerType, owner_id: ownerId, project_id: projectId, filename: stored.filename, content_type: stored.contentType, size: stored.size,
        sha256: stored.sha256, storage_key: stored.storageKey, created_by: actor.userId, created_at: deps.clock.now().getTime(),
      }).execute();
      await appendAudit(trx, deps, auditCtx(req), { action: 'attachment.added', entityType: ownerType, entityId: ownerId, after: { id, filename: stored.filename, size: stored.size, sha256: stored.sha256 } });
    });
    return { id, filename: stored.filename, contentType: stored.contentType, size: stored.size };
  };

  app.post<{ Params: IdParams }>('/api/tickets/:id/attachments', {
    config: { access: TICKET_WORK },
    schema: { tags: ['tickets'], summary: '上传工单附件（照片、文件，≤10 MB）', params: IdParams, consumes: ['multipart/form-data'], response: { 201: Attachment } },
  }, async (req, reply) => {
    const t = await visibleTicket(deps, actorOf(req), req.params.id);
    return reply.status(201).send(await upload(req, 'ticket', t.id, t.project_id));
  });

  app.post<{ Params: IdParams }>('/api/work-orders/:id/attachments', {
    config: { access: ['handler'] },
    schema: { tags: ['work-orders'], summary: '上传处理结果照片', params: IdParams, consumes: ['multipart/form-data'], response: { 201: Attachment } },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const w = await getWorkOrder(deps, actor, req.params.id);
    if (w.departmentId !== actor.departmentId) throw notFound('派工单不存在或不在您的数据范围内');
    const row = await deps.db.selectFrom('work_orders').select('project_id').where('id', '=', w.id).executeTakeFirstOrThrow();
    return reply.status(201).send(await upload(req, 'work_order', w.id, row.project_id));
  });

  // A customer's documents (contracts, ID copies, letters): the staff who may edit the record add
  // them; those who may read it see them. The row's project is the customer's home project
  // (empty for a customer without one); access always follows the customer's scope.
  app.post<{ Params: IdParams }>('/api/customers/:id/attachments', {
    config: { access: CUSTOMER_WRITE },
    schema: { tags: ['customers'], summary: '上传客户档案附件', params: IdParams, consumes: ['multipart/form-data'], response: { 201: Attachment } },
  }, async (req, reply) => {
    const c = await visibleCustomer(deps, actorOf(req), req.params.id);
    return reply.status(201).send(await upload(req, 'customer', c.id, c.project_id ?? ''));
  });

  app.get<{ Params: IdParams }>('/api/customers/:id/attachments', {
    config: { access: CUSTOMER_READ },
    schema: { tags: ['customers'], summary: '客户档案附件', params: IdParams, response: { 200: Type.Array(Attachment) } },
  }, async (req) => {
    const c = await visibleCustomer(deps, actorOf(req), req.params.id);
    const rows = await deps.db.selectFrom('attachments').select(['id', 'filename', 'content_type', 'size'])
      .where('owner_type', '=', 'customer').where('owner_id', '=', c.id).orderBy('created_at').orderBy('id').execute();
    return rows.map((a) => ({ id: a.id, filename: a.filename, contentType: a.content_type, size: Number(a.size) }));
  });

  app.get<{ Params: IdParams }>('/api/attachments/:id', {
    config: { access: [...new Set(['handler' as const, ...TICKET_READ, ...CUSTOMER_READ])] },
    schema: { tags: ['tickets'], summary: '下载附件', params: IdParams },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const a = await deps.db.selectFrom('attachments').selectAll().where('id', '=', req.params.id).executeTakeFirst();
    if (!a) throw notFound('附件不存在');
    // Access follows the record the file belongs to.
    if (a.owner_type === 'ticket') {
      if (!actor.roles.some((r) => TICKET_READ.includes(r))) throw notFound('附件不存在');
      await visibleTicket(deps, actor, a.owner_id);
    } else if (a.owner_type === 'customer') {
      if (!actor.roles.some((r) => CUSTOMER_READ.includes(r))) throw notFound('附件不存在');
      await visibleCustomer(deps, actor, a.owner_id);
    } else {
      await getWorkOrder(deps, actor, a.owner_id);
    }
    return reply
      .header('Content-Type', a.content_type)
      .header('Content-Disposition', `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(safeFilename(a.filename))}`)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('Cache-Control', 'no-store')
      .send(readStoredFile(deps.config.dataDir, a.storage_key));
  });
}
