import { describe, expect, it } from 'vitest';
import { descriptionProblem, maskName, nextAgent, ownerStage, relationRights } from './portal.rules.js';

describe('portal rules', () => {
  it('maps ticket statuses to the owner stages', () => {
    expect(ownerStage('registered', { rated: false, callbackOpen: false })).toBe('accepted');
    expect(ownerStage('dispatched', { rated: false, callbackOpen: false })).toBe('in_progress');
    expect(ownerStage('replied', { rated: false, callbackOpen: false })).toBe('replied');
    expect(ownerStage('registered', { rated: false, callbackOpen: false, replied: true })).toBe('replied');
    expect(ownerStage('resolved', { rated: false, callbackOpen: true })).toBe('to_rate');
    expect(ownerStage('resolved', { rated: true, callbackOpen: false })).toBe('resolved');
    expect(ownerStage('closed', { rated: true, callbackOpen: false })).toBe('done');
    expect(ownerStage('reopened', { rated: true, callbackOpen: false })).toBe('in_progress');
  });

  it('refuses emoji-only, too short and too long descriptions', () => {
    expect(descriptionProblem('😀😀😀😀😀😀')).toMatch(/文字/);
    expect(descriptionProblem('！！！？？？')).toMatch(/文字/);
    expect(descriptionProblem('漏水')).toMatch(/5 个字/);
    expect(descriptionProblem('漏'.repeat(10_000))).toMatch(/最多 500 字/);
    expect(descriptionProblem('卫生间顶棚漏水，滴到地面 😢')).toBeNull();
  });

  it('rotates agents round robin and survives an agent leaving', () => {
    expect(nextAgent([], null)).toBeNull();
    expect(nextAgent(['b', 'a', 'c'], null)).toBe('a');
    expect(nextAgent(['b', 'a', 'c'], 'a')).toBe('b');
    expect(nextAgent(['b', 'a', 'c'], 'c')).toBe('a');
    expect(nextAgent(['a', 'c'], 'b')).toBe('c');
  });

  it('lets family report but not see unit details; other relations neither', () => {
    expect(relationRights('owner')).toEqual({ seeUnitDetails: true, report: true });
    expect(relationRights('family')).toEqual({ seeUnitDetails: false, report: true });
    expect(relationRights('other')).toEqual({ seeUnitDetails: false, report: false });
  });

  it('masks names', () => {
    expect(maskName('甲业主')).toBe('甲**');
    expect(maskName('王')).toBe('王');
  });
});
