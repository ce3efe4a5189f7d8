import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StaffRole } from '@qiaoliang/shared';
import type { Deps } from '../deps.js';
import { hasAnyRole, resumeSession, type Actor } from '../platform/auth.js';
import type { AuditContext } from '../platform/audit.js';
import { resumeOwnerSession, type OwnerActor } from '../platform/owner-auth.js';
import { zonedDate } from '../platform/time.js';
import { AppError, forbidden, unauthenticated } from './app-error.js';

/**
 * Who may call a route. Every /api route must declare it (deny by default):
 * `public` (login, health), `signed` (webhooks that verify their own signature),
 * `authenticated` (any signed-in staff), the list of roles allowed, or `owner` (a signed-in
 * owner of the portal: their own cookie and sessions; staff sessions are never read there).
 */
export type Access = 'public' | 'signed' | 'authenticated' | 'owner' | readonly StaffRole[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Answers while the actor must still change the password (me, logout, the change itself). */
    beforePasswordChange?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    owner: OwnerActor | null;
  }
}

export const SESSION_COOKIE = 'ql_session';
/** The owner portal's session cookie (never the staff one). */
export const OWNER_COOKIE = 'ql_owner';
/** Owner sessions: idle a week, a month at most. */
export const OWNER_SESSION_POLICY = { idleMs: 7 * 24 * 3_600_000, absoluteMs: 30 * 24 * 3_600_000 } as const;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in actor; routes with a role list can rely on it. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthenticated();
  return req.actor;
}

/** The signed-in owner; owner routes can rely on it. */
export function ownerOf(req: FastifyRequest): OwnerActor {
  if (!req.owner) throw unauthenticated();
  return req.owner;
}

/** The audit context of a request (anonymous when nobody is signed in; owners are named by their customer id). */
export function auditCtx(req: FastifyRequest): AuditContext {
  return {
    actorId: req.actor?.userId ?? null,
    actorName: req.actor?.displayName ?? (req.owner ? `业主门户（客户 ${req.owner.customerId}）` : null),
    ip: req.ip ?? null,
    requestId: req.id,
  };
}

/** Installs authentication, CSRF defence and the deny-by-default access check. */
export function registerAccess(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('owner', null);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.access) {
      const hidden = (route.schema as { hide?: boolean } | undefined)?.hide;
      if (!hidden) throw new Error(`Route ${String(route.method)} ${route.url} declares no access rule`);
      // The API description and its docs UI: open while developing, behind login in production.
      route.config = { ...route.config, access: deps.config.production ? 'authenticated' : 'public' };
    }
  });

  // Access is decided on the route the router matched, never on the URL text: the router
  // decodes the path (`/%61pi/audit` is `/api/audit`), so a test of req.url can be walked
  // around. A matched /api route without an explicit rule (the API docs) needs a session.
  const accessOf = (req: FastifyRequest): Access | 'none' => {
    const route = req.routeOptions.url;
    if (route === undefined || !route.startsWith('/api/')) return 'none';
    return req.routeOptions.config?.access ?? 'authenticated';
  };

  const policy = {
    idleMs: deps.config.sessionIdleMinutes * 60_000,
    absoluteMs: deps.config.sessionAbsoluteHours * 3_600_000,
  };

  app.addHook('onRequest', async (req) => {
    const access = accessOf(req);
    if (access === 'none') return;
    // CSRF: a cross-site form cannot set this header, and the origin must be our own.
    if (!SAFE_METHODS.has(req.method) && access !== 'signed') {
      if (req.headers['x-requested-with'] !== 'XMLHttpRequest') {
        throw new AppError(403, 'request.csrf', '缺少请求头 X-Requested-With: XMLHttpRequest');
      }
      const source = req.headers.origin ?? req.headers.referer;
      if (source && source !== 'null') {
        let host: string | null = null;
        try {
          host = new URL(source).host;
        } catch {
          host = null;
        }
        if (host !== req.headers.host) throw new AppError(403, 'request.csrf', '请求来源与本站不一致');
      } else if (source === 'null') {
        throw new AppError(403, 'request.csrf', '请求来源与本站不一致');
      }
    }
    // Public and signed routes never use a session: they do not read it, so /api/health
    // answers even when the database behind the sessions is down.
    if (access === 'public' || access === 'signed') return;
    if (access === 'owner') {
      // The owner cookie only: a staff session is not an owner, whatever its roles.
      const ownerToken = req.cookies[OWNER_COOKIE];
      const now = deps.clock.now().getTime();
      if (ownerToken) req.owner = await resumeOwnerSession(deps.db, ownerToken, now, OWNER_SESSION_POLICY, zonedDate(now, deps.config.timeZone));
      if (!req.owner) {
        throw ownerToken ? new AppError(401, 'auth.session_expired', '登录已过期，请重新登录') : unauthenticated();
      }
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (token) req.actor = await resumeSession(deps.db, token, deps.clock.now().getTime(), policy);
    // The access rule is enforced here, before the body is read and validated: a caller
    // without a session or role learns nothing about the input a route expects (a 400 would
    // list its fields) and costs no parsing.
    if (!req.actor) {
      throw req.cookies[SESSION_COOKIE]
        ? new AppError(401, 'auth.session_expired', '登录已过期，请重新登录')
        : unauthenticated();
    }
    if (access !== 'authenticated' && !hasAnyRole(req.actor, access)) throw forbidden();
    // A reset or first password is known to someone else: nothing else works until it is changed.
    if (req.actor.mustChangePassword && !req.routeOptions.config?.beforePasswordChange) {
      throw new AppError(403, 'auth.password_change_required', '请先修改密码后再继续使用系统');
    }
  });
}
