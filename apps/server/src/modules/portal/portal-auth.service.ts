import { randomInt, timingSafeEqual } from 'node:crypto';
import type { PortalCodeSent } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/app-error.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { sessionIdOf } from '../../platform/auth.js';
import { keyedHash, randomToken } from '../../platform/crypto.js';
import { toE164 } from '../../platform/phone.js';
import { OWNER_SESSION_POLICY } from '../../http/access.js';
import { countFailure, throttleKey } from '../auth/auth.service.js';
import { throttleWaitMs, waitText } from '../auth/auth.rules.js';
import { customersWithPhone, phoneHash } from '../customers/customer-phones.repo.js';
import { PORTAL_CODE } from './portal.rules.js';

type ReqCtx = Omit<AuditContext, 'actorId' | 'actorName'> & { userAgent: string | null };

/** The neutral answer to every code request: it never says whether the number is in the archive. */
const SENT_MESSAGE = '如该手机号已在本中心登记，验证码已发送，请注意查收短信';
const invalidCode = () => new AppError(400, 'portal.code_invalid', '验证码错误或已失效，请重新获取', [{ field: 'code', message: '验证码错误或已失效' }]);

/** A mainland mobile number in E.164, or 400. */
export function mobileE164(raw: string): string {
  const e164 = toE164(raw);
  if (!e164 || !/^\+861\d{10}$/.test(e164)) {
    throw new AppError(400, 'portal.invalid_phone', '请输入 11 位中国大陆手机号', [{ field: 'phone', message: '手机号格式不正确' }]);
  }
  return e164;
}

const codeHash = (deps: Deps, id: string, code: string) => keyedHash(deps.config.sessionSecret, `portal-code:${id}:${code}`);
const ipHashOf = (ip: string | null) => (ip ? throttleKey('ip', `portal:${ip}`) : null);

/** The customer a number signs in as: the earliest-created, not merged, customer holding it. */
async function customerOfPhone(deps: Deps, e164: string): Promise<string | null> {
  const c = await deps.db.selectFrom('customers').select('id').where('id', 'in', customersWithPhone(deps.db, deps.config.fieldKey, e164))
    .where('merged_into_id', 'is', null).orderBy('created_at').orderBy('id').executeTakeFirst();
  return c?.id ?? null;
}

/**
 * Sends a sign-in code to a number of the archive. Unknown numbers get the same answer and
 * count against the same limits (a row without customer, no SMS). Limits: one code per number
 * every 60 s, 5 per number and 30 per address an hour.
 */
export async function requestCode(deps: Deps, ctx: ReqCtx, rawPhone: string): Promise<PortalCodeSent> {
  const e164 = mobileE164(rawPhone);
  const now = deps.clock.now().getTime();
  const hash = phoneHash(deps.config.fieldKey, e164);
  const ipHash = ipHashOf(ctx.ip);
  const since = now - PORTAL_CODE.windowMs;
  const recent = await deps.db.selectFrom('portal_codes').select(['created_at']).where('phone_hash', '=', hash).where('created_at', '>', since)
    .orderBy('created_at', 'desc').execute();
  const last = recent[0] ? Number(recent[0].created_at) : null;
  if (last !== null && now - last < PORTAL_CODE.resendAfterMs) {
    const wait = Math.ceil((last + PORTAL_CODE.resendAfterMs - now) / 1000);
    throw new AppError(429, 'portal.code_too_soon', `请 ${wait} 秒后再获取验证码`, undefined, { 'Retry-After': String(wait) });
  }
  if (recent.length >= PORTAL_CODE.perPhone) {
    const wait = Math.ceil((Number(recent[recent.length - 1]!.created_at) + PORTAL_CODE.windowMs - now) / 1000);
    throw new AppError(429, 'portal.code_limited', `该手机号获取验证码次数过多，请 ${waitText(wait * 1000)}后再试`, undefined, { 'Retry-After': String(wait) });
  }
  if (ipHash) {
    const n = await deps.db.selectFrom('portal_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('ip_hash', '=', ipHash).where('created_at', '>', since).executeTakeFirstOrThrow();
    if (Number(n.n) >= PORTAL_CODE.perIp) {
      throw new AppError(429, 'portal.code_limited', '当前网络获取验证码次数过多，请稍后再试', undefined, { 'Retry-After': '600' });
    }
  }
  const customerId = await customerOfPhone(deps, e164);
  const id = deps.ids.next();
  const code = String(randomInt(0, 10 ** PORTAL_CODE.digits)).padStart(PORTAL_CODE.digits, '0');
  await deps.db.insertInto('portal_codes').values({
    id, phone_hash: hash, customer_id: customerId, code_hash: codeHash(deps, id, customerId ? code : randomToken()), ip_hash: ipHash,
    created_at: now, expires_at: now + PORTAL_CODE.ttlMs, tries: 0, used_at: null,
  }).execute();
  if (customerId) {
    try {
      await deps.notifier.smsSender.send({ to: e164, template: 'login_code', params: { code } });
    } catch (err) {
      deps.log.error({ err: (err as Error).message }, 'portal sign-in SMS failed');
      // The code was not delivered: it must not count against the owner's limits.
      await deps.db.deleteFrom('portal_codes').where('id', '=', id).execute();
      throw new AppError(503, 'portal.sms_failed', '短信发送失败，请稍后再试', undefined, { 'Retry-After': '30' });
    }
  }
  return { message: SENT_MESSAGE, resendAfter: PORTAL_CODE.resendAfterMs / 1000, validMinutes: PORTAL_CODE.ttlMs / 60_000 };
}

/**
 * Checks a code and opens an owner session. The latest unexpired code of the number counts;
 * each wrong try uses one of its 5, and wrong tries per address feed the login throttle.
 */
export async function verifyCode(deps: Deps, ctx: ReqCtx, rawPhone: string, code: string): Promise<{ token: string; expiresAt: number; customerId: string }> {
  const e164 = mobileE164(rawPhone);
  const now = deps.clock.now().getTime();
  const ipKey = ipHashOf(ctx.ip);
  if (ipKey) {
    const streak = await deps.db.selectFrom('login_throttles').selectAll().where('key', '=', ipKey).executeTakeFirst();
    const wait = throttleWaitMs(streak ? { failures: Number(streak.failures), lastFailureAt: Number(streak.last_failure_at) } : null, PORTAL_CODE.ipFreeFailures, now);
    if (wait > 0) throw new AppError(429, 'auth.throttled', `验证码错误次数过多，请 ${waitText(wait)}后再试`, undefined, { 'Retry-After': String(Math.ceil(wait / 1000)) });
  }
  const hash = phoneHash(deps.config.fieldKey, e164);
  const row = await deps.db.selectFrom('portal_codes').selectAll().where('phone_hash', '=', hash).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const fail = async (err: AppError, countTry: boolean) => {
    await deps.db.transaction().execute(async (trx) => {
      if (countTry && row) await trx.updateTable('portal_codes').set((eb) => ({ tries: eb('tries', '+', 1) })).where('id', '=', row.id).execute();
      if (ipKey) await countFailure(trx, ipKey, now);
    });
    throw err;
  };
  if (!row || row.used_at !== null) return fail(invalidCode(), false);
  if (now >= Number(row.expires_at)) return fail(new AppError(400, 'portal.code_expired', '验证码已过期，请重新获取', [{ field: 'code', message: '验证码已过期' }]), false);
  if (row.tries >= PORTAL_CODE.maxTries) return fail(new AppError(400, 'portal.code_invalid', '验证码错误次数过多，请重新获取', [{ field: 'code', message: '请重新获取验证码' }]), false);
  const expected = Buffer.from(row.code_hash, 'hex');
  const given = Buffer.from(codeHash(deps, row.id, code), 'hex');
  if (!row.customer_id || expected.length !== given.length || !timingSafeEqual(expected, given)) {
    const left = PORTAL_CODE.maxTries - row.tries - 1;
    return fail(new AppError(400, 'portal.code_invalid', left > 0 ? `验证码错误，还可尝试 ${left} 次` : '验证码错误次数过多，请重新获取', [{ field: 'code', message: '验证码错误' }]), true);
  }
  const customerId = row.customer_id;
  const token = randomToken();
  const expiresAt = now + OWNER_SESSION_POLICY.absoluteMs;
  await deps.db.transaction().execute(async (trx) => {
    // Compare-and-set: of two requests with the same code, one signs in.
    const used = await trx.updateTable('portal_codes').set({ used_at: now }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) === 0) throw invalidCode();
    await trx.insertInto('portal_sessions').values({
      id: sessionIdOf(token), customer_id: customerId, created_at: now, last_seen_at: now, expires_at: expiresAt, revoked_at: null, ip: ctx.ip, user_agent: ctx.userAgent?.slice(0, 300) ?? null,
    }).execute();
    await appendAudit(trx, deps, { ...ctx, actorId: null, actorName: `业主门户（客户 ${customerId}）` }, { action: 'portal.login', entityType: 'customer', entityId: customerId });
  });
  return { token, expiresAt, customerId };
}

/** Ends an owner session. */
export async function ownerLogout(deps: Deps, sessionId: string, ctx: AuditContext, customerId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('portal_sessions').set({ revoked_at: deps.clock.now().getTime() }).where('id', '=', sessionId).execute();
    await appendAudit(trx, deps, ctx, { action: 'portal.logout', entityType: 'customer', entityId: customerId });
  });
}
