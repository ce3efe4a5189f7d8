import type { FastifyInstance } from 'fastify';
import { IdParams, IfMatchHeader, Page, ReplyTemplate, ReplyTemplateInput, ReplyTemplateListQuery, ReplyTemplateUpdate, type StaffRole } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { expectedVersion, setEtag } from '../../http/versioning.js';
import * as templates from './reply-templates.service.js';

/** Who answers customers and so uses templates. */
export const TEMPLATE_USERS: readonly StaffRole[] = ['agent', 'supervisor', 'manager', 'admin'];
/** Who maintains them (the supervisor sets the wording of the team). */
export const TEMPLATE_EDITORS: readonly StaffRole[] = ['supervisor', 'manager', 'admin'];

const tags = ['reply-templates'];

/** Reply templates (回复模板): wording with variables for answers and replies to customers. */
export async function replyTemplatesRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get<{ Querystring: ReplyTemplateListQuery }>('/api/reply-templates', {
    config: { access: TEMPLATE_USERS },
    schema: {
      tags, summary: '回复模板列表', querystring: ReplyTemplateListQuery, response: { 200: Page(ReplyTemplate) },
      description: '集团通用模板与数据范围内项目的模板；projectId/ticketType 给出某张工单可用的模板。',
    },
  }, async (req) => templates.listTemplates(deps, actorOf(req), req.query));

  app.get<{ Params: IdParams }>('/api/reply-templates/:id', {
    config: { access: TEMPLATE_USERS },
    schema: { tags, summary: '回复模板详情', params: IdParams, response: { 200: ReplyTemplate } },
  }, async (req, reply) => {
    const t = await templates.getTemplate(deps, actorOf(req), req.params.id);
    setEtag(reply, t.version);
    return t;
  });

  app.post<{ Body: ReplyTemplateInput }>('/api/reply-templates', {
    config: { access: TEMPLATE_EDITORS },
    schema: { tags, summary: '新建回复模板', body: ReplyTemplateInput, response: { 201: ReplyTemplate } },
  }, async (req, reply) => {
    const t = await templates.createTemplate(deps, actorOf(req), auditCtx(req), req.body);
    setEtag(reply, t.version);
    return reply.status(201).send(t);
  });

  app.patch<{ Params: IdParams; Body: ReplyTemplateUpdate }>('/api/reply-templates/:id', {
    config: { access: TEMPLATE_EDITORS },
    schema: { headers: IfMatchHeader, tags, summary: '修改、停用或启用回复模板（If-Match）', params: IdParams, body: ReplyTemplateUpdate, response: { 200: ReplyTemplate } },
  }, async (req, reply) => {
    const t = await templates.updateTemplate(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body);
    setEtag(reply, t.version);
    return t;
  });
}
