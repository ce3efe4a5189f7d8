import { dictionary } from '@zxcvbn-ts/language-common';
import { describe, expect, it } from 'vitest';
import { passwordWeakness } from './auth.rules.js';

const common = new Set(dictionary['passwords-common'] as string[]);

describe('passwordWeakness (security finding 7)', () => {
  it('refuses the passwords the external test got accepted', () => {
    expect(passwordWeakness('password1', 'zhangsan', common)).toMatch(/10 位/);
    expect(passwordWeakness('qiaoliang1', 'zhangsan', common)).toMatch(/常见/);
    expect(passwordWeakness('zhangsan2026', 'zhangsan', common)).toBe('密码不能包含用户名');
    expect(passwordWeakness('ZhangSan-77x', 'zhangsan', common)).toBe('密码不能包含用户名');
  });

  it('refuses common passwords with digits and symbols added around them', () => {
    expect(passwordWeakness('password2026!', null, common)).toMatch(/常见/);
    expect(passwordWeakness('1qaz2wsx3edc', null, common)).toMatch(/常见/);
    expect(passwordWeakness('qiaoliang2026', null, common)).toMatch(/常见/);
  });

  it('refuses short ones and ones without letters or digits', () => {
    expect(passwordWeakness('Ab3-xyz-9', null, common)).toMatch(/10 位/);
    expect(passwordWeakness('abcdefghijkl', null, common)).toMatch(/字母和数字/);
    expect(passwordWeakness('123456789012', null, common)).toMatch(/字母和数字/);
  });

  it('accepts a long, uncommon one', () => {
    expect(passwordWeakness('Lamp-7-orchard', 'zhangsan', common)).toBeNull();
    expect(passwordWeakness('Start2026go', 'wangfang', common)).toBeNull();
  });
});
