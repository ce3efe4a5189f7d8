/** Lockout: 5 failed logins within 15 minutes lock the account until the oldest ages out. */
export const LOCKOUT = { maxFailures: 5, windowMs: 15 * 60_000 } as const;

/** Decides from the recent failure instants (newest first) whether the account is locked. */
export function lockoutState(failuresNewestFirst: number[], nowMs: number): { locked: boolean; retryAfterMs: number } {
  const recent = failuresNewestFirst.filter((t) => nowMs - t < LOCKOUT.windowMs);
  if (recent.length < LOCKOUT.maxFailures) return { locked: false, retryAfterMs: 0 };
  const oldestCounted = recent[LOCKOUT.maxFailures - 1]!;
  return { locked: true, retryAfterMs: oldestCounted + LOCKOUT.windowMs - nowMs };
}
