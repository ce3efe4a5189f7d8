import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  IdParams, PortalCategory, PortalCodeRequest, PortalCodeSent, PortalCommonArea, PortalLoginBody, PortalMatter, PortalMatterSummary, PortalMe, PortalNotice,
  PortalPhoto, PortalRateBody, PortalReportBody, SinkedSms,
} from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { auditCtx, OWNER_COOKIE, ownerOf } from '../../http/access.js';
import { badRequest } from '../../http/app-error.js';
import { currentUnits } from '../../platform/owner-auth.js';
import { zonedDate } from '../../platform/time.js';
import * as auth from './portal-auth.service.js';
import * as portal from './portal.service.js';

const tags = ['portal'];

/** Per client address and minute on the code endpoints (the per-number limits are in the service). */
export const PORTAL_CODE_RATE_LIMIT = 20;

/**
 * The owner portal's API (issue 12): sign-in by SMS code, my homes, report, track, rate,
 * notices; every route but sign-in needs an owner session (`owner` access), never a staff one.
 * Also the development SMS sink for admins.
 */
export async function portalRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  portal.registerPortalHooks();
  // Sent only to the portal's API: the cookie is worth nothing anywhere else.
  const cookieOptions = { path: '/api/portal', httpOnly: true, sameSite: 'lax' as const, secure: deps.config.secureCookies };
  const reqCtx = (req: FastifyRequest) => ({ ip: req.ip, requestId: req.id, userAgent: req.headers['user-agent'] ?? null });

  app.post<{ Body: PortalCodeRequest }>('/api/portal/auth/code', {
    config: { access: 'public', rateLimit: { max: PORTAL_CODE_RATE_LIMIT, timeWindow: '1 minute' }, problems: [503] },
    schema: { tags, summary: '获取短信验证码（业主登录）', security: [], body: PortalCodeRequest, response: { 200: PortalCodeSent } },
  }, async (req) => auth.requestCode(deps, reqCtx(req), req.body.phone));

  app.post<{ Body: PortalLoginBody }>('/api/portal/auth/login', {
    config: { access: 'public', rateLimit: { max: PORTAL_CODE_RATE_LIMIT, timeWindow: '1 minute' } },
    schema: { tags, summary: '验证码登录（业主）', security: [], body: PortalLoginBody, response: { 200: PortalMe } },
  }, async (req, reply) => {
    const r = await auth.verifyCode(deps, reqCtx(req), req.body.phone, req.body.code);
    reply.setCookie(OWNER_COOKIE, r.token, { ...cookieOptions, expires: new Date(r.expiresAt) });
    const units = await currentUnits(deps.db, r.customerId, zonedDate(deps.clock.now().getTime(), deps.config.timeZone));
    const c = await deps.db.selectFrom('customers').select('name').where('id', '=', r.customerId).executeTakeFirstOrThrow();
    return portal.me(deps, { customerId: r.customerId, name: c.name, sessionId: '', units });
  });

  app.post('/api/portal/auth/logout', {
    config: { access: 'owner' },
    schema: { tags, summary: '退出登录（业主）', response: { 204: Type.Null() } },
  }, async (req, reply) => {
    const owner = ownerOf(req);
    await auth.ownerLogout(deps, owner.sessionId, auditCtx(req), owner.customerId);
    reply.clearCookie(OWNER_COOKIE, cookieOptions);
    return reply.status(204).send();
  });

  app.get('/api/portal/me', {
    config: { access: 'owner' },
    schema: { tags, summary: '我的信息与房屋', response: { 200: PortalMe } },
  }, async (req) => portal.me(deps, ownerOf(req)));

  app.get('/api/portal/categories', {
    config: { access: 'owner' },
    schema: { tags, summary: '报事分类', response: { 200: Type.Array(PortalCategory) } },
  }, async () => portal.categories(deps));

  app.get('/api/portal/common-areas', {
    config: { access: 'owner' },
    schema: { tags, summary: '我所在项目的公共区域', response: { 200: Type.Array(PortalCommonArea) } },
  }, async (req) => portal.commonAreas(deps, ownerOf(req)));

  app.post('/api/portal/photos', {
    config: { access: 'owner', problems: [413, 415] },
    schema: { tags, summary: '上传报事照片（图片，≤5 MB）', consumes: ['multipart/form-data'], response: { 201: PortalPhoto } },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw badRequest('请以 multipart/form-data 上传照片', [{ field: 'file', message: '缺少照片' }]);
    const file = await req.file();
    if (!file) throw badRequest('请上传照片', [{ field: 'file', message: '缺少照片' }]);
    const data = await file.toBuffer();
    return reply.status(201).send(await portal.uploadPhoto(deps, ownerOf(req), auditCtx(req), file.filename, data));
  });

  app.get<{ Params: IdParams }>('/api/portal/photos/:id', {
    config: { access: 'owner' },
    schema: { tags, summary: '查看照片', params: IdParams },
  }, async (req, reply) => {
    const p = await portal.readPhoto(deps, ownerOf(req), req.params.id);
    return reply.header('Content-Type', p.contentType).header('X-Content-Type-Options', 'nosniff').header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('Cache-Control', 'private, no-store').send(p.data);
  });

  app.post<{ Body: PortalReportBody }>('/api/portal/matters', {
    config: { access: 'owner' },
    schema: {
      tags, summary: '报事报修（成为渠道为业主门户的工单）', body: PortalReportBody,
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) }),
      response: { 200: PortalMatter, 201: PortalMatter },
    },
  }, async (req, reply) => {
    const r = await portal.report(deps, ownerOf(req), auditCtx(req), req.body, req.headers['idempotency-key'] as string | undefined);
    if (r.created && 'ownerId' in r && r.ownerId) {
      // The agent's console shows it at once, like a hotline ticket.
      void app.events.publish(r.ownerId, { type: 'notification', id: null, title: '业主门户新报事', body: `${r.number} ${r.title}`, link: `/tickets/${r.matter.id}` });
    }
    return reply.status(r.created ? 201 : 200).send(r.matter);
  });

  app.get('/api/portal/matters', {
    config: { access: 'owner' },
    schema: { tags, summary: '我的报事', response: { 200: Type.Array(PortalMatterSummary) } },
  }, async (req) => portal.matters(deps, ownerOf(req)));

  app.get<{ Params: IdParams }>('/api/portal/matters/:id', {
    config: { access: 'owner' },
    schema: { tags, summary: '报事进度', params: IdParams, response: { 200: PortalMatter } },
  }, async (req) => portal.matter(deps, ownerOf(req), req.params.id));

  app.post<{ Params: IdParams; Body: PortalRateBody }>('/api/portal/matters/:id/rating', {
    config: { access: 'owner', problems: [409] },
    schema: { tags, summary: '评价（完成回访，计入 K2）', params: IdParams, body: PortalRateBody, response: { 200: PortalMatter } },
  }, async (req) => portal.rate(deps, ownerOf(req), auditCtx(req), req.params.id, req.body));

  app.get('/api/portal/notices', {
    config: { access: 'owner' },
    schema: { tags, summary: '我的通知', response: { 200: Type.Array(PortalNotice) } },
  }, async (req) => portal.notices(deps, ownerOf(req)));

  app.post('/api/portal/notices/read', {
    config: { access: 'owner' },
    schema: { tags, summary: '通知标为已读', response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await portal.markNoticesRead(deps, ownerOf(req));
    return reply.status(204).send();
  });

  app.get('/api/dev/sms', {
    config: { access: ['admin'] },
    schema: { tags, summary: '开发短信信箱（未配置短信服务商时，最近发出的短信；号码已打码）', response: { 200: Type.Object({ provider: Type.String(), items: Type.Array(SinkedSms) }) } },
  }, async () => ({ provider: deps.notifier.smsSender.provider, items: deps.notifier.smsSender.recent() }));
}
