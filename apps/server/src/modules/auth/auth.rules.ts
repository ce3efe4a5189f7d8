/** Lockout: 5 failed logins within 15 minutes lock the account until the oldest ages out. */
export const LOCKOUT = { maxFailures: 5, windowMs: 15 * 60_000 } as const;

/** Decides from the recent failure instants (newest first) whether the account is locked. */
export function lockoutState(failuresNewestFirst: number[], nowMs: number): { locked: boolean; retryAfterMs: number } {
  const recent = failuresNewestFirst.filter((t) => nowMs - t < LOCKOUT.windowMs);
  if (recent.length < LOCKOUT.maxFailures) return { locked: false, retryAfterMs: 0 };
  const oldestCounted = recent[LOCKOUT.maxFailures - 1]!;
  return { locked: true, retryAfterMs: oldestCounted + LOCKOUT.windowMs - nowMs };
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
