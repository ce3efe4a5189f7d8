import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Deps } from './deps.js';
import { registerAccess } from './http/access.js';
import { registerLoadShedding } from './http/load-shedding.js';
import { documentProblems, documentRoute } from './http/openapi.js';
import { clientErrorHandler, registerProblemHandler, sendProblem } from './http/problem-handler.js';
import { registerValidation } from './http/validation.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { customersRoutes } from './modules/customers/customers.routes.js';
import { calendarRoutes } from './modules/calendar/calendar.routes.js';
import { ticketsRoutes } from './modules/tickets/tickets.routes.js';
import { attachmentsRoutes } from './modules/tickets/attachments.routes.js';
import { callbacksRoutes } from './modules/callbacks/callbacks.routes.js';
import { kpisRoutes } from './modules/kpis/kpis.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { orgRoutes } from './modules/org/org.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { outboxRoutes } from './modules/outbox/outbox.routes.js';
import { hotlineRoutes } from './modules/hotline/hotline.routes.js';
import { exportsRoutes } from './modules/exports/exports.routes.js';
import { surveysRoutes } from './modules/surveys/surveys.routes.js';
import { replyTemplatesRoutes } from './modules/reply-templates/reply-templates.routes.js';
import { handoverRoutes } from './modules/handover/handover.routes.js';
import { portalRoutes } from './modules/portal/portal.routes.js';
import { registerEventHub } from './platform/events.js';
import { closeReportWorker } from './platform/reports.js';

export type App = FastifyInstance;

/** Largest upload accepted (inventory and import files). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** A URL as it may be logged: query values and public survey tokens replaced. */
export function logSafeUrl(url: string): string {
  const i = url.indexOf('?');
  const path = (i < 0 ? url : url.slice(0, i)).replace(/^(\/api\/public\/surveys\/)[^/]+/, '$1…');
  if (i < 0) return path;
  const keys = [...new URLSearchParams(url.slice(i + 1)).keys()];
  return `${path}?${keys.map((k) => `${encodeURIComponent(k)}=…`).join('&')}`;
}

function logSafeRequest(req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) {
  return { method: req.method, url: logSafeUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

/** Builds the whole HTTP application from its dependencies. Tests and production share it. */
export async function buildApp(deps: Deps): Promise<App> {
  const app = Fastify({
    // Request URLs are logged without their query values (a search for a phone or ID number
    // is personal data) and without survey link secrets.
    loggerInstance: deps.log.child({}, { serializers: { req: logSafeRequest } }) as FastifyBaseLogger,
    trustProxy: deps.config.trustProxy,
    bodyLimit: deps.config.bodyLimitBytes,
    genReqId: () => deps.ids.next(),
    routerOptions: { ignoreTrailingSlash: true },
    // Errors the router raises before any route (a malformed URL, a path parameter over the
    // length limit) get problem+json like every other error, not Fastify's own JSON.
    // The HTTP parser's refusals (a 20 KB URL: 431) before any request exists, as problem+json.
    clientErrorHandler,
    frameworkErrors: (err, req, reply) => {
      const status = (err as { statusCode?: number }).statusCode === 414 || err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      return sendProblem(reply, req, status, 'request.invalid', status === 414 ? '请求地址过长' : '请求地址无效');
    },
  });

  const adminDist = deps.config.adminDistDir ?? join(import.meta.dirname, '../../admin/dist');
  const serveAdmin = existsSync(join(adminDist, 'index.html'));
  // The owner portal (apps/portal, built with base /portal/) beside the admin UI.
  const portalDist = join(adminDist, '../../portal/dist');
  const servePortal = existsSync(join(portalDist, 'index.html'));
  registerProblemHandler(app, { spaIndex: serveAdmin, portalDist: servePortal ? portalDist : null });
  // Answers carry personal data: none may stay in a browser's or a proxy's cache (security
  // finding 11). Only what chose its own caching keeps it: the built UI's files and index.html.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
    return payload;
  });
  registerLoadShedding(app, { maxInFlight: deps.config.maxInFlight, maxEventLoopDelayMs: deps.config.maxEventLoopDelayMs });
  registerValidation(app);
  // The API speaks JSON (and multipart for uploads); plain text is refused with 415.
  app.removeContentTypeParser('text/plain');
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd injects its CSS-in-JS styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: deps.config.secureCookies,
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, code: 'FST_ERR_RATE_LIMIT', message: `retry in ${ctx.after}` }),
  });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Qiaoliang 桥梁 API',
        version: '0.1.0',
        description: '客服中心系统 API。错误以 RFC 9457 problem+json 返回（components.schemas.Problem），每个接口列出其可能的错误状态。' +
          '请求地址过长或请求头过大时返回 431（problem+json），路径参数过长时返回 414。写操作须带请求头 X-Requested-With: XMLHttpRequest。',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ql_session' } },
      },
      security: [{ session: [] }],
    },
    transform: documentRoute,
    transformObject: documentProblems,
  });
  // Access before the docs UI, so its routes get their rule from the onRoute hook too.
  registerAccess(app, deps);
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  // Live events (SSE) before the modules: they publish through app.events.
  registerEventHub(app, deps);
  // The report worker thread of this app's database ends with the app.
  app.addHook('onClose', async () => closeReportWorker(deps.db));

  // The explicit list of modules.
  await app.register(healthRoutes, { deps });
  await app.register(authRoutes, { deps });
  await app.register(orgRoutes, { deps });
  await app.register(usersRoutes, { deps });
  await app.register(auditRoutes, { deps });
  await app.register(notificationsRoutes, { deps });
  await app.register(customersRoutes, { deps });
  await app.register(calendarRoutes, { deps });
  await app.register(ticketsRoutes, { deps });
  await app.register(attachmentsRoutes, { deps });
  await app.register(callbacksRoutes, { deps });
  await app.register(kpisRoutes, { deps });
  await app.register(outboxRoutes, { deps });
  await app.register(hotlineRoutes, { deps });
  await app.register(surveysRoutes, { deps });
  await app.register(replyTemplatesRoutes, { deps });
  await app.register(handoverRoutes, { deps });
  await app.register(portalRoutes, { deps });
  await app.register(exportsRoutes, { deps });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // The built admin UI; its client-side routes fall back to index.html (problem handler).
  if (serveAdmin) await app.register(fastifyStatic, { root: adminDist, wildcard: false, index: false });
  if (servePortal) await app.register(fastifyStatic, { root: portalDist, prefix: '/portal/', wildcard: false, index: false, decorateReply: false });
  return app;
}
