import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Me } from '@qiaoliang/shared';
import type { DB } from '../../db/schema.js';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/app-error.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { loadActor, sessionIdOf, type Actor } from '../../platform/auth.js';
import { DUMMY_PASSWORD_HASH, hashPassword, randomToken, verifyPassword } from '../../platform/crypto.js';
import { fromFlag } from '../../db/dialect.js';
import { LOGIN_THROTTLE, passwordWeakness, throttleWaitMs, waitText } from './auth.rules.js';
import { enqueueMessage } from '../../platform/outbox.js';
import { loadPrivacy } from '../customers/customers.service.js';

export interface LoginResult {
  token: string;
  expiresAt: number;
  actor: Actor;
}

/** The one answer to every wrong user name or password: nothing tells a known account from an unknown one. */
const invalidCredentials = () => new AppError(401, 'auth.invalid_credentials');

/** The throttle row key of an account name or a client address (their SHA-256: no names or addresses at rest). */
export const throttleKey = (kind: 'account' | 'ip', value: string) => createHash('sha256').update(`${kind}:${value}`).digest('hex');

/**
 * Verifies credentials and opens a session. Every failure gets the same 401 (unknown names are
 * checked against a dummy hash, so they take as long); failures are counted per account name
 * and per address, and past the free ones an attempt waits a growing delay (429 + Retry-After)
 * before its password is even checked.
 */
export async function login(
  deps: Deps,
  ctx: Omit<AuditContext, 'actorId' | 'actorName'> & { userAgent: string | null },
  username: string,
  password: string,
): Promise<LoginResult> {
  const now = deps.clock.now().getTime();
  const name = username.trim();
  const accountKey = throttleKey('account', name);
  const ipKey = ctx.ip ? throttleKey('ip', ctx.ip) : null;
  const streaks = await deps.db.selectFrom('login_throttles').selectAll().where('key', 'in', ipKey ? [accountKey, ipKey] : [accountKey]).execute();
  const streakOf = (key: string | null) => {
    const row = streaks.find((r) => r.key === key);
    return row ? { failures: Number(row.failures), lastFailureAt: Number(row.last_failure_at) } : null;
  };
  const wait = Math.max(
    throttleWaitMs(streakOf(accountKey), LOGIN_THROTTLE.accountFreeFailures, now),
    throttleWaitMs(streakOf(ipKey), LOGIN_THROTTLE.ipFreeFailures, now),
  );
  if (wait > 0) {
    throw new AppError(429, 'auth.throttled', `登录失败次数过多，请 ${waitText(wait)}后再试`, undefined, { 'Retry-After': String(Math.ceil(wait / 1000)) });
  }

  const user = await deps.db.selectFrom('users').selectAll().where('username', '=', name).executeTakeFirst();
  const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) {
    await deps.db.transaction().execute(async (trx) => {
      const account = await countFailure(trx, accountKey, now);
      const ip = ipKey ? await countFailure(trx, ipKey, now) : null;
      if (user) {
        await appendAudit(trx, deps, { ...ctx, actorId: user.id, actorName: user.display_name }, { action: 'auth.login_failed', entityType: 'user', entityId: user.id });
      }
      if (account.failures === LOGIN_THROTTLE.accountFreeFailures) {
        await alertAdmins(trx, deps, 'account', `${accountKey}:${account.streakStartedAt}`, user
          ? `账号 ${user.username}（${user.display_name}）连续 ${account.failures} 次登录失败，之后的登录尝试将逐次延迟。如非本人输错，可能有人在猜测密码。`
          : null);
      }
      if (ip && ip.failures === LOGIN_THROTTLE.ipFreeFailures) {
        await alertAdmins(trx, deps, 'ip', `${ipKey}:${ip.streakStartedAt}`,
          `来自地址 ${ctx.ip} 的登录连续失败 ${ip.failures} 次（可涉及多个账号），该地址之后的登录尝试将逐次延迟。`);
      }
    });
    throw invalidCredentials();
  }
  if (!fromFlag(user.active)) throw new AppError(403, 'auth.inactive', '账号已停用，请联系系统管理员');

  const actorCtx = { ...ctx, actorId: user.id, actorName: user.display_name };
  const token = randomToken();
  const expiresAt = now + deps.config.sessionAbsoluteHours * 3_600_000;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sessions')
      .values({ id: sessionIdOf(token), user_id: user.id, created_at: now, last_seen_at: now, expires_at: expiresAt, revoked_at: null, ip: ctx.ip, user_agent: ctx.userAgent?.slice(0, 300) ?? null })
      .execute();
    // A success ends the account's streak; the address's stays (one's own account must not reset a spraying address).
    await trx.deleteFrom('login_throttles').where('key', '=', accountKey).execute();
    await trx.updateTable('users').set({ last_login_at: now }).where('id', '=', user.id).execute();
    await appendAudit(trx, deps, actorCtx, { action: 'auth.login', entityType: 'user', entityId: user.id });
  });
  const actor = await loadActor(deps.db, user.id, sessionIdOf(token));
  if (!actor) throw new AppError(403, 'auth.inactive', '账号已停用，请联系系统管理员');
  return { token, expiresAt, actor };
}

/**
 * Counts one failure in a key's streak, atomically (concurrent failures all count): a streak
 * quiet for longer than the forget window starts again at 1.
 */
export async function countFailure(trx: Kysely<DB>, key: string, now: number): Promise<{ failures: number; streakStartedAt: number }> {
  const stale = now - LOGIN_THROTTLE.forgetAfterMs;
  const row = await trx
    .insertInto('login_throttles')
    .values({ key, failures: 1, streak_started_at: now, last_failure_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({
      failures: eb.case().when('login_throttles.last_failure_at', '<=', stale).then(1).else(eb('login_throttles.failures', '+', 1)).end(),
      streak_started_at: eb.case().when('login_throttles.last_failure_at', '<=', stale).then(now).else(eb.ref('login_throttles.streak_started_at')).end(),
      last_failure_at: now,
    })))
    .returning(['failures', 'streak_started_at'])
    .executeTakeFirstOrThrow();
  return { failures: Number(row.failures), streakStartedAt: Number(row.streak_started_at) };
}

/**
 * Tells the administrators of a likely password-guessing attack, once per streak (the outbox key
 * holds the streak), in the app; the log line carries neither the account name nor the address.
 * An unknown account name alerts nobody (the address alert covers spraying), but is logged.
 */
async function alertAdmins(trx: Kysely<DB>, deps: Deps, kind: 'account' | 'ip', streakId: string, body: string | null): Promise<void> {
  const threshold = kind === 'account' ? LOGIN_THROTTLE.accountFreeFailures : LOGIN_THROTTLE.ipFreeFailures;
  deps.log.warn({ event: 'auth.login_throttled', kind, failures: threshold }, 'repeated login failures: attempts are now delayed');
  if (!body) return;
  const admins = await trx.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select('u.id').where('r.role', '=', 'admin').where('u.active', '=', 1).execute();
  for (const a of admins) {
    await enqueueMessage(trx, deps, {
      channel: 'in_app', recipient: a.id, subject: '疑似密码猜测', body,
      link: '/audit?action=auth.login_failed', idempotencyKey: `login-throttle:${streakId}:${a.id}`,
    });
  }
}

/** Ends an account's login delay (an administrator set a new password for it). */
export async function clearLoginThrottle(trx: Kysely<DB>, username: string): Promise<void> {
  await trx.deleteFrom('login_throttles').where('key', '=', throttleKey('account', username.trim())).execute();
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
