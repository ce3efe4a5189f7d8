import { describe, expect, it } from 'vitest';
import { LOGIN_THROTTLE, throttleDelayMs, throttleWaitMs, waitText } from './auth.rules.js';

describe('login throttle rules (security finding 5)', () => {
  it('lets the free failures through, then doubles the delay from 30 s up to 15 minutes', () => {
    expect([0, 1, 4].map((n) => throttleDelayMs(n, 5))).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10, 11, 500].map((n) => throttleDelayMs(n, 5) / 1000)).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('waits from the last failure, and not at all once the streak has been quiet for an hour', () => {
    const streak = { failures: 6, lastFailureAt: 1_000_000 };
    expect(throttleWaitMs(null, 5, 0)).toBe(0);
    expect(throttleWaitMs(streak, 5, 1_000_000)).toBe(60_000);
    expect(throttleWaitMs(streak, 5, 1_045_000)).toBe(15_000);
    expect(throttleWaitMs(streak, 5, 1_060_000)).toBe(0);
    expect(throttleWaitMs({ failures: 500, lastFailureAt: 0 }, 5, LOGIN_THROTTLE.forgetAfterMs)).toBe(0);
    expect(throttleWaitMs({ failures: 4, lastFailureAt: 0 }, 5, 1)).toBe(0);
  });

  it('says the wait in Chinese, rounded up', () => {
    expect(waitText(1)).toBe('1 秒');
    expect(waitText(30_000)).toBe('30 秒');
    expect(waitText(61_000)).toBe('2 分钟');
    expect(waitText(900_000)).toBe('15 分钟');
  });
});
