import type { Me } from '@qiaoliang/shared';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/app-error.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { loadActor, sessionIdOf, type Actor } from '../../platform/auth.js';
import { DUMMY_PASSWORD_HASH, hashPassword, randomToken, verifyPassword } from '../../platform/crypto.js';
import { fromFlag } from '../../db/dialect.js';
import { lockoutState, LOCKOUT, passwordWeakness } from './auth.rules.js';
import { loadPrivacy } from '../customers/customers.service.js';

export interface LoginResult {
  token: string;
  expiresAt: number;
  actor: Actor;
}

/** Verifies credentials, applies the lockout rule and opens a session. */
export async function login(
  deps: Deps,
  ctx: Omit<AuditContext, 'actorId' | 'actorName'> & { userAgent: string | null },
  username: string,
  password: string,
): Promise<LoginResult> {
  const now = deps.clock.now().getTime();
  const user = await deps.db.selectFrom('users').selectAll().where('username', '=', username.trim()).executeTakeFirst();
  if (!user) {
    await verifyPassword(password, DUMMY_PASSWORD_HASH);
    throw new AppError(401, 'auth.invalid_credentials', '用户名或密码错误');
  }
  const failures = await deps.db
    .selectFrom('login_failures')
    .select('at')
    .where('user_id', '=', user.id)
    .where('at', '>', now - LOCKOUT.windowMs)
    .orderBy('at', 'desc')
    .limit(LOCKOUT.maxFailures)
    .execute();
  const lock = lockoutState(failures.map((f) => Number(f.at)), now);
  if (lock.locked) {
    const minutes = Math.ceil(lock.retryAfterMs / 60_000);
    throw new AppError(423, 'auth.locked', `连续登录失败次数过多，请 ${minutes} 分钟后再试`, undefined, {
      'Retry-After': String(Math.ceil(lock.retryAfterMs / 1000)),
    });
  }
  const ok = await verifyPassword(password, user.password_hash);
  const actorCtx = { ...ctx, actorId: user.id, actorName: user.display_name };
  if (!ok) {
    await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('login_failures').values({ id: deps.ids.next(), user_id: user.id, at: now, ip: ctx.ip }).execute();
      await appendAudit(trx, deps, actorCtx, { action: 'auth.login_failed', entityType: 'user', entityId: user.id });
    });
    const left = LOCKOUT.maxFailures - failures.length - 1;
    throw new AppError(401, 'auth.invalid_credentials', left > 0 ? `用户名或密码错误，还可尝试 ${left} 次` : '用户名或密码错误，账号已被锁定 15 分钟');
  }
  if (!fromFlag(user.active)) throw new AppError(403, 'auth.inactive', '账号已停用，请联系系统管理员');

  const token = randomToken();
  const expiresAt = now + deps.config.sessionAbsoluteHours * 3_600_000;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sessions')
      .values({ id: sessionIdOf(token), user_id: user.id, created_at: now, last_seen_at: now, expires_at: expiresAt, revoked_at: null, ip: ctx.ip, user_agent: ctx.userAgent?.slice(0, 300) ?? null })
      .execute();
    await trx.deleteFrom('login_failures').where('user_id', '=', user.id).execute();
    await trx.updateTable('users').set({ last_login_at: now }).where('id', '=', user.id).execute();
    await appendAudit(trx, deps, actorCtx, { action: 'auth.login', entityType: 'user', entityId: user.id });
  });
  const actor = await loadActor(deps.db, user.id, sessionIdOf(token));
  if (!actor) throw new AppError(403, 'auth.inactive', '账号已停用，请联系系统管理员');
  return { token, expiresAt, actor };
}

/** Revokes the actor's current session. */
export async function logout(deps: Deps, actor: Actor, ctx: AuditContext): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('sessions').set({ revoked_at: deps.clock.now().getTime() }).where('id', '=', actor.sessionId).execute();
    await appendAudit(trx, deps, ctx, { action: 'auth.logout', entityType: 'user', entityId: actor.userId });
  });
}

/** Changes the actor's own password; other sessions of the user are revoked. */
export async function changePassword(deps: Deps, actor: Actor, ctx: AuditContext, current: string, next: string): Promise<void> {
  const user = await deps.db.selectFrom('users').select(['password_hash']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(current, user.password_hash))) {
    throw new AppError(400, 'auth.wrong_password', '当前密码不正确', [{ field: 'currentPassword', message: '当前密码不正确' }]);
  }
  assertStrongPassword(next, 'newPassword', actor.username);
  const hash = await hashPassword(next);
  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: 0, updated_at: now }).where('id', '=', actor.userId).execute();
    await trx.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', actor.userId).where('id', '!=', actor.sessionId).where('revoked_at', 'is', null).execute();
    await appendAudit(trx, deps, ctx, { action: 'auth.password_changed', entityType: 'user', entityId: actor.userId });
  });
}

let commonPasswords: ReadonlySet<string> | null = null;
/** The common-password list of zxcvbn-ts (~49,000 entries), read once. */
function commonPasswordList(): ReadonlySet<string> {
  commonPasswords ??= new Set(dictionary['passwords-common'] as string[]);
  return commonPasswords;
}

/** Why a password is too weak for this user (passwordWeakness over the common list), or null. */
export function passwordProblem(password: string, username: string | null): string | null {
  return passwordWeakness(password, username, commonPasswordList());
}

/** Refuses a weak password (see passwordWeakness) with 400 on the field. */
export function assertStrongPassword(password: string, field: string, username: string | null): void {
  const why = passwordProblem(password, username);
  if (why) throw new AppError(400, 'auth.weak_password', why, [{ field, message: why }]);
}

/** The signed-in user as the UI needs it, with what the privacy settings let them reveal. */
export async function presentMe(deps: Deps, actor: Actor): Promise<Me> {
  const privacy = (await loadPrivacy(deps.db)).value;
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    roles: actor.roles,
    scopeKind: actor.scopeKind,
    scopeIds: actor.scopeIds,
    departmentId: actor.departmentId,
    extension: actor.extension,
    mustChangePassword: actor.mustChangePassword,
    canRevealPhones: actor.roles.some((r) => privacy.phoneRevealRoles.includes(r)),
    canRevealIdNumber: actor.roles.some((r) => privacy.idNumberRevealRoles.includes(r)),
  };
}
