import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { maskPhone, USERNAME_PATTERN, type StaffRole, type User, type UserCreate, type UserListQuery, type UserUpdate } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { DB, UsersTable } from '../../db/schema.js';
import { fromFlag, ilike, isUniqueViolation, toFlag } from '../../db/dialect.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../http/app-error.js';
import { iso, isoOrNull, pageOf } from '../../http/pagination.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { cityCompanyInScope, projectInScope, systemActor, type Actor, scopeIn } from '../../platform/auth.js';
import { hashPassword } from '../../platform/crypto.js';
import { toE164 } from '../../platform/phone.js';
import { assertStrongPassword, clearLoginThrottle, passwordProblem } from '../auth/auth.service.js';
import { assertDepartmentUsable } from '../org/org.service.js';
import { updateVersioned } from '../../db/versioned.js';

/** Roles that may see staff phone numbers in full. */
const PHONE_VISIBLE_TO: readonly StaffRole[] = ['admin'];

/** Normalizes a mainland phone to E.164 (+86…); null when empty; 400 when invalid. */
export function normalizePhone(raw: string | null | undefined, field = 'phone'): string | null {
  if (!raw || !raw.trim()) return null;
  const e164 = toE164(raw);
  if (!e164) throw badRequest('电话号码无效', [{ field, message: `「${raw}」不是有效的电话号码` }]);
  return e164;
}

function present(row: UsersTable, roles: string[], scopeIds: string[], actor: Actor): User {
  const seePhone = actor.roles.some((r) => PHONE_VISIBLE_TO.includes(r)) || actor.userId === row.id;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    phone: seePhone ? row.phone : maskPhone(row.phone),
    email: row.email,
    roles: roles as User['roles'],
    scopeKind: row.scope_kind as User['scopeKind'],
    scopeIds,
    departmentId: row.department_id,
    extension: row.extension,
    active: fromFlag(row.active),
    version: row.version,
    createdAt: iso(row.created_at),
    lastLoginAt: isoOrNull(row.last_login_at),
  };
}

async function rolesAndScopes(db: Kysely<DB>, ids: string[]) {
  if (!ids.length) return { roles: new Map<string, string[]>(), scopes: new Map<string, string[]>() };
  const [r, s] = await Promise.all([
    db.selectFrom('user_roles').select(['user_id', 'role']).where('user_id', 'in', ids).execute(),
    db.selectFrom('user_scopes').select(['user_id', 'scope_id']).where('user_id', 'in', ids).execute(),
  ]);
  const roles = new Map<string, string[]>();
  const scopes = new Map<string, string[]>();
  for (const x of r) roles.set(x.user_id, [...(roles.get(x.user_id) ?? []), x.role]);
  for (const x of s) scopes.set(x.user_id, [...(scopes.get(x.user_id) ?? []), x.scope_id]);
  return { roles, scopes };
}

/**
 * A staff user is visible to an admin when the user's whole scope lies within the admin's:
 * a project-scoped admin manages the staff of their projects, not the group's.
 */
function userWithinScope(actor: Actor, scopeKind: string, scopeIds: string[], projectIdsOfCities: string[]): boolean {
  if (actor.projectIds === null) return true;
  if (scopeKind === 'group') return false;
  if (scopeKind === 'city_company') return scopeIds.every((c) => cityCompanyInScope(actor, c));
  return scopeIds.concat(projectIdsOfCities).every((p) => projectInScope(actor, p));
}

async function loadVisibleUser(deps: Deps, actor: Actor, id: string) {
  const row = await deps.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('用户不存在');
  const { roles, scopes } = await rolesAndScopes(deps.db, [id]);
  const scopeIds = scopes.get(id) ?? [];
  if (!userWithinScope(actor, row.scope_kind, scopeIds, [])) throw notFound('用户不存在或不在您的数据范围内');
  return { row, roles: roles.get(id) ?? [], scopeIds };
}

/** Validates that the scope ids exist and lie within the actor's own scope. */
async function checkScope(deps: Deps, actor: Actor, kind: string, ids: string[]): Promise<void> {
  if (kind === 'group') {
    if (ids.length) throw badRequest('集团范围不需要选择组织', [{ field: 'scopeIds', message: '集团范围不需要选择组织' }]);
    if (actor.scopeKind !== 'group') throw forbidden('您不能授予集团范围');
    return;
  }
  if (!ids.length) throw new AppError(400, 'user.invalid_scope', '请选择数据范围', [{ field: 'scopeIds', message: '请至少选择一个' }]);
  const table = kind === 'city_company' ? 'city_companies' : 'projects';
  const found = await deps.db.selectFrom(table).select('id').where('id', 'in', ids).execute();
  if (found.length !== ids.length) throw new AppError(400, 'user.invalid_scope', '数据范围中有不存在的组织', [{ field: 'scopeIds', message: '有不存在的组织' }]);
  const ok = kind === 'city_company' ? ids.every((c) => cityCompanyInScope(actor, c)) : ids.every((p) => projectInScope(actor, p));
  if (!ok) throw forbidden('您不能授予超出自己数据范围的权限');
}

export async function listUsers(deps: Deps, actor: Actor, query: UserListQuery) {
  const { page, pageSize, offset } = pageOf(query);
  let base = deps.db.selectFrom('users as u');
  if (query.q) base = base.where((eb) => eb.or([ilike('u.username', query.q!), ilike('u.display_name', query.q!)]));
  if (query.role) base = base.where('u.id', 'in', deps.db.selectFrom('user_roles').select('user_id').where('role', '=', query.role));
  if (query.active !== undefined) base = base.where('u.active', '=', toFlag(query.active));
  if (actor.projectIds !== null) {
    // Users whose scope names only organizations inside the actor's scope.
    const allowedIds = [...actor.projectIds, ...(actor.cityCompanyIds ?? [])];
    base = base
      .where('u.scope_kind', '!=', 'group')
      .where((eb) => eb.not(eb.exists(
        eb.selectFrom('user_scopes as s').select('s.scope_id').whereRef('s.user_id', '=', 'u.id').where('s.scope_id', 'not in', scopeIn(allowedIds)),
      )));
  }
  const [rows, total] = await Promise.all([
    base.selectAll('u').orderBy('u.username').limit(pageSize).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const { roles, scopes } = await rolesAndScopes(deps.db, rows.map((r) => r.id));
  return { items: rows.map((r) => present(r, roles.get(r.id) ?? [], scopes.get(r.id) ?? [], actor)), total: Number(total.n), page, pageSize };
}

export async function getUser(deps: Deps, actor: Actor, id: string) {
  const { row, roles, scopeIds } = await loadVisibleUser(deps, actor, id);
  return present(row, roles, scopeIds, actor);
}

export async function createUser(deps: Deps, actor: Actor, ctx: AuditContext, body: UserCreate) {
  assertStrongPassword(body.password, 'password', body.username);
  await checkScope(deps, actor, body.scopeKind, body.scopeIds);
  if (body.departmentId) await assertDepartmentUsable(deps, actor, body.departmentId);
  if (body.roles.includes('handler') && !body.departmentId) {
    throw badRequest('部门处理人须指定所属部门', [{ field: 'departmentId', message: '部门处理人须指定所属部门' }]);
  }
  const now = deps.clock.now().getTime();
  const row: UsersTable = {
    id: deps.ids.next(),
    username: body.username,
    display_name: body.displayName.trim(),
    password_hash: await hashPassword(body.password),
    phone: normalizePhone(body.phone),
    email: body.email ?? null,
    department_id: body.departmentId ?? null,
    extension: body.extension ?? null,
    scope_kind: body.scopeKind,
    active: 1,
    must_change_password: 1,
    version: 1,
    created_at: now,
    updated_at: now,
    last_login_at: null,
  };
  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(row).execute();
      await trx.insertInto('user_roles').values(body.roles.map((role) => ({ user_id: row.id, role }))).execute();
      if (body.scopeIds.length) await trx.insertInto('user_scopes').values(body.scopeIds.map((scope_id) => ({ user_id: row.id, scope_id }))).execute();
      const { password_hash: _p, ...safe } = row;
      await appendAudit(trx, deps, ctx, { action: 'user.created', entityType: 'user', entityId: row.id, after: { ...safe, phone: maskPhone(safe.phone), roles: body.roles, scopeIds: body.scopeIds } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('user.duplicate_username', `用户名「${body.username}」已存在`, [{ field: 'username', message: '用户名已存在' }]);
    throw err;
  }
  return present(row, body.roles, body.scopeIds, actor);
}

export async function updateUser(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: UserUpdate) {
  const before = await loadVisibleUser(deps, actor, id);
  const scopeKind = body.scopeKind ?? before.row.scope_kind;
  const scopeIds = body.scopeIds ?? (body.scopeKind ? [] : before.scopeIds);
  if (body.scopeKind !== undefined || body.scopeIds !== undefined) await checkScope(deps, actor, scopeKind, scopeIds);
  if (body.departmentId) await assertDepartmentUsable(deps, actor, body.departmentId);
  const roles = body.roles ?? before.roles;
  const departmentId = body.departmentId !== undefined ? body.departmentId : before.row.department_id;
  if (roles.includes('handler') && !departmentId) throw badRequest('部门处理人须指定所属部门', [{ field: 'departmentId', message: '部门处理人须指定所属部门' }]);
  if (id === actor.userId && body.roles && !body.roles.includes('admin')) throw forbidden('不能移除自己的管理员角色');
  const now = deps.clock.now().getTime();
  const patch: Partial<UsersTable> = {
    ...(body.displayName !== undefined ? { display_name: body.displayName.trim() } : {}),
    ...(body.phone !== undefined ? { phone: normalizePhone(body.phone) } : {}),
    ...(body.email !== undefined ? { email: body.email } : {}),
    ...(body.departmentId !== undefined ? { department_id: body.departmentId } : {}),
    ...(body.extension !== undefined ? { extension: body.extension } : {}),
    ...(body.scopeKind !== undefined ? { scope_kind: body.scopeKind } : {}),
  };
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'users', { id, version }, patch, now);
    if (body.roles) {
      await trx.deleteFrom('user_roles').where('user_id', '=', id).execute();
      await trx.insertInto('user_roles').values(body.roles.map((role) => ({ user_id: id, role }))).execute();
    }
    if (body.scopeIds !== undefined || body.scopeKind !== undefined) {
      await trx.deleteFrom('user_scopes').where('user_id', '=', id).execute();
      if (scopeIds.length) await trx.insertInto('user_scopes').values(scopeIds.map((scope_id) => ({ user_id: id, scope_id }))).execute();
    }
    const { password_hash: _p, ...safeBefore } = before.row;
    await appendAudit(trx, deps, ctx, {
      action: 'user.updated', entityType: 'user', entityId: id,
      before: { ...safeBefore, phone: maskPhone(safeBefore.phone), roles: before.roles, scopeIds: before.scopeIds },
      after: { ...patch, ...(patch.phone !== undefined ? { phone: maskPhone(patch.phone) } : {}), roles, scopeIds },
    });
  });
  return getUser(deps, actor, id);
}

/** Deactivates (never deletes) or reactivates a user; deactivation ends their sessions. */
export async function setUserActive(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, active: boolean) {
  await loadVisibleUser(deps, actor, id);
  if (!active && id === actor.userId) throw forbidden('不能停用自己的账号');
  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'users', { id, version }, { active: toFlag(active) }, now);
    if (!active) await trx.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
    await appendAudit(trx, deps, ctx, { action: active ? 'user.activated' : 'user.deactivated', entityType: 'user', entityId: id, after: { active } });
  });
  return getUser(deps, actor, id);
}

/** Sets a new password chosen by an admin; the user must change it at next login. */
export async function resetPassword(deps: Deps, actor: Actor, ctx: AuditContext, id: string, newPassword: string): Promise<void> {
  const { row } = await loadVisibleUser(deps, actor, id);
  assertStrongPassword(newPassword, 'newPassword', row.username);
  const hash = await hashPassword(newPassword);
  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: 1, updated_at: now }).where('id', '=', id).execute();
    await trx.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
    await clearLoginThrottle(trx, row.username);
    await appendAudit(trx, deps, ctx, { action: 'user.password_reset', entityType: 'user', entityId: id });
  });
}

/**
 * The first administrator of a production install (`npm run admin:create`): group-wide, with a
 * generated one-time password that must be changed at the first login.
 */
export async function createFirstAdmin(deps: Deps, username: string, displayName: string): Promise<{ password: string }> {
  // 16 characters from an alphabet without look-alikes (0/O, 1/l/I): read off a terminal and typed once.
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  if (!new RegExp(USERNAME_PATTERN).test(username)) {
    throw badRequest('用户名须为 2–32 位字母、数字或 _ . -', [{ field: 'username', message: '2–32 位字母、数字或 _ . -' }]);
  }
  if (!displayName.trim() || displayName.length > 50) throw badRequest('姓名须为 1–50 个字', [{ field: 'displayName', message: '1–50 个字' }]);
  let password = '';
  while (password === '' || passwordProblem(password, username)) password = Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join('');
  const actor = systemActor('admin:create', '命令行');
  const ctx: AuditContext = { actorId: null, actorName: '命令行 admin:create', ip: null, requestId: deps.ids.next() };
  await createUser(deps, actor, ctx, { username, displayName, password, roles: ['admin'], scopeKind: 'group', scopeIds: [] } as UserCreate);
  return { password };
}
