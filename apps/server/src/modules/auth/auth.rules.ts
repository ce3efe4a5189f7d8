/*
 * Login throttling (security finding 5, ASVS 2.2.1) instead of a hard lockout. A failure streak
 * is counted per account name (known or not, so the answers cannot tell them apart) and per
 * client address. The first failures are free; after them, each attempt must wait a delay that
 * doubles with every further failure, up to a cap; a correct password after the wait logs in.
 * A streak is forgotten once it has been quiet for an hour; a success ends an account's streak.
 */
export const LOGIN_THROTTLE = {
  /** Failures of one account name before its attempts are delayed. */
  accountFreeFailures: 5,
  /** Failures from one address (any account names) before its attempts are delayed: an office behind one NAT address makes typos too. */
  ipFreeFailures: 50,
  firstDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
} as const;

/** A failure streak as stored: how many failures, the last one's instant (epoch ms). */
export interface FailureStreak {
  failures: number;
  lastFailureAt: number;
}

/** The wait after the n-th failure of a streak before the next attempt: 0 while failures are free, then doubling, capped. */
export function throttleDelayMs(failures: number, freeFailures: number): number {
  if (failures < freeFailures) return 0;
  const doublings = Math.min(failures - freeFailures, 30);
  return Math.min(LOGIN_THROTTLE.firstDelayMs * 2 ** doublings, LOGIN_THROTTLE.maxDelayMs);
}

/** True when a streak whose last failure was at `lastFailureAt` is over at `nowMs` (counting starts again). */
export function streakOver(lastFailureAt: number, nowMs: number): boolean {
  return nowMs - lastFailureAt >= LOGIN_THROTTLE.forgetAfterMs;
}

/** How long (ms) an attempt at `nowMs` must still wait for this streak; 0 = it may try. */
export function throttleWaitMs(streak: FailureStreak | null, freeFailures: number, nowMs: number): number {
  if (!streak || streakOver(streak.lastFailureAt, nowMs)) return 0;
  return Math.max(0, streak.lastFailureAt + throttleDelayMs(streak.failures, freeFailures) - nowMs);
}

/** A wait in Chinese for the login form: whole seconds under a minute, else whole minutes (rounded up). */
export function waitText(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 60 ? `${s} 秒` : `${Math.ceil(s / 60)} 分钟`;
}

/** Shortest password accepted (ASVS 2.1.1 asks for at least 12 of any characters; 10 with letters and digits). */
export const MIN_PASSWORD_LENGTH = 10;

/** Words guessed first against this product, besides the common-password list. */
const PRODUCT_WORDS = ['qiaoliang', 'kefu', 'kfzx', 'admin', 'welcome'];

/**
 * Why a password is too weak (a Chinese sentence for the form), or null when it is acceptable:
 * too short, without letters and digits, containing the user name, or a common password —
 * also when only digits and symbols were added around one (`password1`, `qiaoliang2026!`).
 */
export function passwordWeakness(password: string, username: string | null, common: ReadonlySet<string>): string | null {
  if (password.length < MIN_PASSWORD_LENGTH || !/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) {
    return `密码至少 ${MIN_PASSWORD_LENGTH} 位，且须同时包含字母和数字`;
  }
  const lower = password.toLowerCase();
  if (username && username.length >= 2 && lower.includes(username.toLowerCase())) return '密码不能包含用户名';
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (common.has(lower) || (core.length >= 4 && common.has(core)) || PRODUCT_WORDS.some((w) => core === w || lower.includes(w))) {
    return '密码过于常见，容易被猜中，请换一个';
  }
  return null;
}
