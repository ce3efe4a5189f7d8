import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { ScopeKind, StaffRole } from '@qiaoliang/shared';
import type { DB } from '../db/schema.js';
import { fromFlag, isPostgres } from '../db/dialect.js';
import { precompiled } from '../db/precompiled.js';

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

/** A JSON array column: text on SQLite, parsed on PostgreSQL. */
const jsonList = (v: unknown): string[] => (typeof v === 'string' ? JSON.parse(v) : v ?? []) as string[];

/** A user with roles, scope ids and the projects of city-company scopes, in one statement. */
function actorQuery(db: Kysely<DB>, userId: string) {
  const agg = isPostgres(db) ? sql`coalesce(json_agg(x.v), '[]')` : sql`json_group_array(x.v)`;
  const list = (inner: string) => sql<string>`(select ${agg} from (${sql.raw(inner)}) as x)`;
  return db.selectFrom('users as u')
    .select(['u.id', 'u.username', 'u.display_name', 'u.active', 'u.scope_kind', 'u.department_id', 'u.extension', 'u.must_change_password'])
    .select([
      list('select r.role as v from user_roles r where r.user_id = u.id').as('roles'),
      list('select s.scope_id as v from user_scopes s where s.user_id = u.id').as('scopes'),
      list('select p.id as v from projects p where p.city_company_id in (select s2.scope_id from user_scopes s2 where s2.user_id = u.id)').as('city_projects'),
    ])
    .where('u.id', '=', userId);
}
const runActor = precompiled(actorQuery);

/** Resolves a user's roles and scope into an Actor; null when the user is unknown or inactive. */
export async function loadActor(db: Kysely<DB>, userId: string, sessionId: string): Promise<Actor | null> {
  const [user] = await runActor(db, userId);
  if (!user || !fromFlag(user.active)) return null;
  const scopeKind = user.scope_kind as ScopeKind;
  const scopeIds = jsonList(user.scopes);
  let projectIds: string[] | null = null;
  let cityCompanyIds: string[] | null = null;
  if (scopeKind === 'city_company') {
    cityCompanyIds = scopeIds;
    projectIds = jsonList(user.city_projects);
  } else if (scopeKind === 'project') {
    cityCompanyIds = [];
    projectIds = scopeIds;
  }
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    roles: jsonList(user.roles) as StaffRole[],
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

const runSession = precompiled((db, id) => db.selectFrom('sessions').select(['id', 'user_id', 'revoked_at', 'expires_at', 'last_seen_at']).where('id', '=', id));

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
  const [s] = await runSession(db, id);
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

/**
 * The ids of a scope filter `column in (…)`, never empty: an empty scope sees nothing, but
 * `in ()` is a syntax error and dropping the filter would show everything, so an empty list
 * becomes one id no row has. Use it for every scope list (security rule: one helper).
 */
export const scopeIn = (ids: readonly string[]): string[] => (ids.length ? [...ids] : ['']);

/** True when the project is within the actor's data scope. */
export const projectInScope = (actor: Actor, projectId: string): boolean =>
  actor.projectIds === null || actor.projectIds.includes(projectId);

/** True when the city company is entirely within the actor's scope. */
export const cityCompanyInScope = (actor: Actor, cityCompanyId: string): boolean =>
  actor.cityCompanyIds === null || actor.cityCompanyIds.includes(cityCompanyId);
