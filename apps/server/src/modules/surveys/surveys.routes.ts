import type { FastifyInstance } from 'fastify';
import {
  IdParams, Page, PageQuery, PublicResponseBody, PublicResponseResult, PublicSurvey, SegmentPreview, SegmentPreviewBody, Survey, SurveyCreate,
  SurveyListQuery, SurveyResponseItem, SurveyResults, SurveySend, SurveySummary, SurveyTokenParams, SurveyUpdate, ExportJob, type StaffRole,
  IfMatchHeader,
} from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { expectedVersion, setEtag } from '../../http/versioning.js';
import * as surveys from './surveys.service.js';
import { surveyResultsExporter } from './surveys.export.js';
import { presentExport, requestExport } from '../../platform/exports.js';

/** Who runs surveys: supervisors, managers and admins, each within their projects. */
export const SURVEY_STAFF: readonly StaffRole[] = ['supervisor', 'manager', 'admin'];

/**
 * Per client address and minute on the public form. A link is a 128-bit secret, so the limit
 * is against floods, not guessing; a whole estate behind one address still fits.
 */
export const PUBLIC_READ_LIMIT = 60;
export const PUBLIC_WRITE_LIMIT = 20;

const tags = ['surveys'];

/** Surveys (D2): builder, segment, sending, results; and the respondents' public form. */
export async function surveysRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get<{ Querystring: SurveyListQuery }>('/api/surveys', {
    config: { access: SURVEY_STAFF },
    schema: { tags, summary: '问卷列表（按项目、状态）', querystring: SurveyListQuery, response: { 200: Page(SurveySummary) } },
  }, async (req) => surveys.listSurveys(deps, actorOf(req), req.query));

  app.post<{ Body: SurveyCreate }>('/api/surveys', {
    config: { access: SURVEY_STAFF },
    schema: { tags, summary: '新建问卷草稿', body: SurveyCreate, response: { 201: Survey } },
  }, async (req, reply) => {
    const s = await surveys.createSurvey(deps, actorOf(req), auditCtx(req), req.body);
    setEtag(reply, s.version);
    return reply.status(201).send(s);
  });

  app.post<{ Body: SegmentPreviewBody }>('/api/surveys/segment-preview', {
    config: { access: SURVEY_STAFF },
    schema: { tags, summary: '调查对象人数预览（不保存）', body: SegmentPreviewBody, response: { 200: SegmentPreview } },
  }, async (req) => surveys.previewSegment(deps, actorOf(req), req.body.projectId, req.body.segment));

  app.get<{ Params: IdParams }>('/api/surveys/:id', {
    config: { access: SURVEY_STAFF },
    schema: { tags, summary: '问卷详情', params: IdParams, response: { 200: Survey } },
  }, async (req, reply) => {
    const s = await surveys.getSurvey(deps, actorOf(req), req.params.id);
    setEtag(reply, s.version);
    return s;
  });

  app.patch<{ Params: IdParams; Body: SurveyUpdate }>('/api/surveys/:id', {
    config: { access: SURVEY_STAFF },
    schema: { headers: IfMatchHeader, tags, summary: '修改问卷草稿（If-Match）', params: IdParams, body: SurveyUpdate, response: { 200: Survey } },
  }, async (req, reply) => {
    const s = await surveys.updateSurvey(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body);
    setEtag(reply, s.version);
    return s;
  });

  app.delete<{ Params: IdParams }>('/api/surveys/:id', {
    config: { access: SURVEY_STAFF },
    schema: { headers: IfMatchHeader, tags, summary: '删除问卷草稿（If-Match）', params: IdParams, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await surveys.deleteSurvey(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req));
    return reply.status(204).send();
  });

  app.post<{ Params: IdParams; Body: SurveySend }>('/api/surveys/:id/send', {
    config: { access: SURVEY_STAFF },
    schema: {
      headers: IfMatchHeader, tags, summary: '发送问卷（If-Match）', params: IdParams, body: SurveySend, response: { 200: Survey },
      description: '按调查对象范围为每位客户生成专属链接 /s/<token>；channel=sms 时有手机号的客户收到短信，其余客户通过业主门户链接参与。',
    },
  }, async (req, reply) => {
    const s = await surveys.sendSurvey(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body.channel);
    setEtag(reply, s.version);
    return s;
  });

  app.post<{ Params: IdParams }>('/api/surveys/:id/close', {
    config: { access: SURVEY_STAFF },
    schema: { headers: IfMatchHeader, tags, summary: '结束调查（If-Match）', params: IdParams, response: { 200: Survey } },
  }, async (req, reply) => {
    const s = await surveys.closeSurvey(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req));
    setEtag(reply, s.version);
    return s;
  });

  app.get<{ Params: IdParams }>('/api/surveys/:id/results', {
    config: { access: SURVEY_STAFF },
    schema: { tags, summary: '调查结果（各题统计与回收率）', params: IdParams, response: { 200: SurveyResults } },
  }, async (req) => surveys.surveyResults(deps, actorOf(req), req.params.id));

  app.post<{ Params: IdParams }>('/api/surveys/:id/results/exports', {
    config: { access: SURVEY_STAFF },
    schema: { tags, summary: '申请导出调查结果（Excel：汇总与答卷，后台生成）', params: IdParams, response: { 202: ExportJob } },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const row = await requestExport(deps, actor, auditCtx(req), surveyResultsExporter, { surveyId: req.params.id }, {});
    return reply.status(202).send(presentExport(row, actor));
  });

  app.get<{ Params: IdParams; Querystring: PageQuery }>('/api/surveys/:id/responses', {
    config: { access: SURVEY_STAFF },
    schema: { tags, summary: '答卷列表（仅显示客户姓名）', params: IdParams, querystring: PageQuery, response: { 200: Page(SurveyResponseItem) } },
  }, async (req) => surveys.listResponses(deps, actorOf(req), req.params.id, req.query));

  // ---------- respondents: no session, the link's token is the credential ----------

  app.get<{ Params: SurveyTokenParams }>('/api/public/surveys/:token', {
    config: { access: 'public', rateLimit: { max: PUBLIC_READ_LIMIT, timeWindow: '1 minute' } },
    schema: { tags, summary: '受访者打开问卷链接', security: [], params: SurveyTokenParams, response: { 200: PublicSurvey } },
  }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return surveys.publicSurvey(deps, req.params.token);
  });

  app.post<{ Params: SurveyTokenParams; Body: PublicResponseBody }>('/api/public/surveys/:token/responses', {
    config: { access: 'public', rateLimit: { max: PUBLIC_WRITE_LIMIT, timeWindow: '1 minute' } },
    schema: {
      tags, summary: '受访者提交答卷', security: [], params: SurveyTokenParams, body: PublicResponseBody, response: { 201: PublicResponseResult },
      description: '每个链接只能提交一次（再次提交 409）；调查结束后 410；链接无效 404；答案不符合题目 400 且不保存任何内容。',
    },
  }, async (req, reply) => reply.status(201).send(await surveys.submitResponse(deps, auditCtx(req), req.params.token, req.body.answers)));
}
