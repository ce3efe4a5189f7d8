import { describe, expect, it } from 'vitest';
import { scopeIn } from './auth.js';

describe('scopeIn (the scope filter of every list)', () => {
  it('keeps the ids of a non-empty scope', () => {
    expect(scopeIn(['p1', 'p2'])).toEqual(['p1', 'p2']);
  });

  it('turns an empty scope into a list no row matches, never into "no filter"', () => {
    const ids = scopeIn([]);
    expect(ids).toHaveLength(1);
    expect(ids).not.toContain(undefined);
    expect(['p1', 'p2', 'any-uuid'].some((id) => ids.includes(id))).toBe(false);
  });

  it('does not hand out the caller’s own array', () => {
    const mine = ['p1'];
    scopeIn(mine).push('p2');
    expect(mine).toEqual(['p1']);
  });
});
