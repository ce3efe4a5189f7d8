import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ScopeKind, StaffRole } from '@qiaoliang/shared';
import type { DB } from '../db/schema.js';
import { fromFlag } from '../db/dialect.js';

/** The authenticated staff user behind a request, with their resolved data scope. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  roles: StaffRole[];
  scopeKind: ScopeKind;
  /** The ids the scope names (city companies or projects; empty for group). */
  scopeIds: string[];
  /** Every project the user may see, or null for group-wide access. */
  projectIds: string[] | null;
  /** City companies fully in scope (for city-level records such as departments), or null for all. */
  cityCompanyIds: string[] | null;
  departmentId: string | null;
  extension: string | null;
  mustChangePassword: boolean;
  sessionId: string;
}

/** An actor for work no signed-in person does (the CTI path, command-line tools): it sees everything. */
export function systemActor(username: string, displayName: string): Actor {
  return {
    userId: '', username, displayName, roles: [], scopeKind: 'group', scopeIds: [], projectIds: null, cityCompanyIds: null,
    departmentId: null, extension: null, mustChangePassword: false, sessionId: '',
  };
}

/** Sessions are stored by the hash of their token, so a database leak yields no live cookies. */
export const sessionIdOf = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

/** Resolves a user's roles and scope into an Actor; null when the user is unknown or inactive. */
export async function loadActor(db: Kysely<DB>, userId: string, sessionId: string): Promise<Actor | null> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!user || !fromFlag(user.active)) return null;
  const [roles, scopes] = await Promise.all([
    db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute(),
    db.selectFrom('user_scopes').select('scope_id').where('user_id', '=', userId).execute(),
  ]);
  const scopeKind = user.scope_kind as ScopeKind;
  const scopeIds = scopes.map((s) => s.scope_id);
  let projectIds: string[] | null = null;
  let cityCompanyIds: string[] | null = null;
  if (scopeKind === 'city_company') {
    cityCompanyIds = scopeIds;
    projectIds = scopeIds.length
      ? (await db.selectFrom('projects').select('id').where('city_company_id', 'in', scopeIds).execute()).map((p) => p.id)
      : [];
  } else if (scopeKind === 'project') {
    cityCompanyIds = [];
    projectIds = scopeIds;
  }
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    roles: roles.map((r) => r.role as StaffRole),
    scopeKind,
    scopeIds,
    projectIds,
    cityCompanyIds,
    departmentId: user.department_id,
    extension: user.extension,
    mustChangePassword: fromFlag(user.must_change_password),
    sessionId,
  };
}

/**
 * Finds the live session for a token, sliding its idle expiry. Returns null when the session
 * is unknown, revoked, idle too long or past its absolute lifetime.
 */
export async function resumeSession(
  db: Kysely<DB>,
  token: string,
  nowMs: number,
  policy: SessionPolicy,
): Promise<Actor | null> {
  const id = sessionIdOf(token);
  const s = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s || s.revoked_at !== null) return null;
  if (nowMs >= Number(s.expires_at) || nowMs - Number(s.last_seen_at) >= policy.idleMs) return null;
  // Touch at most once a minute: a write per request would cost the hot read paths.
  if (nowMs - Number(s.last_seen_at) > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: nowMs }).where('id', '=', id).execute();
  }
  return loadActor(db, s.user_id, id);
}

/** True when the actor holds at least one of the roles. */
export const hasAnyRole = (actor: Actor, roles: readonly StaffRole[]): boolean => roles.some((r) => actor.roles.includes(r));

/** True when the project is within the actor's data scope. */
export const projectInScope = (actor: Actor, projectId: string): boolean =>
  actor.projectIds === null || actor.projectIds.includes(projectId);

/** True when the city company is entirely within the actor's scope. */
export const cityCompanyInScope = (actor: Actor, cityCompanyId: string): boolean =>
  actor.cityCompanyIds === null || actor.cityCompanyIds.includes(cityCompanyId);
