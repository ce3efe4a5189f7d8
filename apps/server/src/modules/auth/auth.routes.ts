import type { FastifyInstance } from 'fastify';
import { ChangePasswordBody, LoginBody, Me } from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx, SESSION_COOKIE } from '../../http/access.js';
import { changePassword, login, logout, presentMe } from './auth.service.js';

/** Login, logout, the current user, and changing one's own password. */
export async function authRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.config.secureCookies,
  };

  app.post<{ Body: LoginBody }>(
    '/api/auth/login',
    {
      config: {
        access: 'public',
        rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' },
        // 401 for every wrong name or password; 429 also once the login throttle delays them.
        problems: [401],
      },
      schema: { tags: ['auth'], summary: '登录', security: [], body: LoginBody, response: { 200: Me } },
    },
    async (req, reply) => {
      const result = await login(
        deps,
        { ip: req.ip, requestId: req.id, userAgent: req.headers['user-agent'] ?? null },
        req.body.username,
        req.body.password,
      );
      reply.setCookie(SESSION_COOKIE, result.token, { ...cookieOptions, expires: new Date(result.expiresAt) });
      return presentMe(deps, result.actor);
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'authenticated', beforePasswordChange: true }, schema: { tags: ['auth'], summary: '退出登录', response: { 204: Type.Null() } } },
    async (req, reply) => {
      await logout(deps, actorOf(req), auditCtx(req));
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/auth/me',
    { config: { access: 'authenticated', beforePasswordChange: true }, schema: { tags: ['auth'], summary: '当前用户', response: { 200: Me } } },
    async (req) => presentMe(deps, actorOf(req)),
  );

  app.post<{ Body: ChangePasswordBody }>(
    '/api/auth/password',
    { config: { access: 'authenticated', beforePasswordChange: true }, schema: { tags: ['auth'], summary: '修改密码', body: ChangePasswordBody, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await changePassword(deps, actorOf(req), auditCtx(req), req.body.currentPassword, req.body.newPassword);
      return reply.status(204).send();
    },
  );
}
