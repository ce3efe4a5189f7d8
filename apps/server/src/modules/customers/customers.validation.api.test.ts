import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personNameProblem, phoneProblem } from '@qiaoliang/shared';
import { createTestApp, type TestApp } from '../../test/app.js';

/** Issue #18 defect 6: no silently dropped characters in phones, no emoji-only names. */
let t: TestApp;
let agent: string;
beforeAll(async () => {
  t = await createTestApp();
  agent = await t.login('agent_a');
});
afterAll(async () => t.close());

const create = (body: object) => t.as(agent, { method: 'POST', url: '/api/customers', payload: { kind: 'owner', projectId: t.world.projectA, phones: [], ...body } });
const count = async () => Number((await t.deps.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('the shared rules', () => {
  it('refuse letters and wrong lengths, accept the usual ways of writing a number', () => {
    expect(phoneProblem('1371234567a')).toMatch(/只能包含数字/);
    expect(phoneProblem('1371234567')).toMatch(/11 位/);
    expect(phoneProblem('12345')).not.toBeNull();
    for (const ok of ['13712345678', '137-1234-5678', '+86 137 1234 5678', '8613712345678', '0755-86123456', '(010) 12345678', '4008001234', '+85291234567']) expect(phoneProblem(ok), ok).toBeNull();
  });
  it('refuse names without a letter or 汉字', () => {
    for (const bad of ['😀', '😀😀😀', '123', '---', ' ', '张😀']) expect(personNameProblem(bad), bad).not.toBeNull();
    for (const ok of ['张三', 'Li Wei', '深圳某某科技有限公司', '欧阳·娜娜']) expect(personNameProblem(ok), ok).toBeNull();
  });
});

describe('POST /api/customers', () => {
  it('refuses 1371234567a (the letter is not dropped) with a Chinese message, creating nothing', async () => {
    const before = await count();
    const res = await create({ name: '钱卫东', phones: [{ phone: '1371234567a' }] });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors[0]).toMatchObject({ field: 'phones.0.phone' });
    expect(res.json().errors[0].message).toMatch(/只能包含数字/);
    expect(await count()).toBe(before);
    expect((await create({ name: '钱卫东', phones: [{ phone: '1371234567' }] })).statusCode).toBe(400);
  });

  it('refuses an emoji-only name, and on edit too', async () => {
    const res = await create({ name: '😀😀' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'name', message: '姓名须包含汉字或字母，不能只有表情、数字或符号' });
    const ok = await create({ name: '孙丽', phones: [{ phone: '137 1234 5678' }] });
    expect(ok.statusCode, ok.body).toBe(201);
    const c = ok.json();
    const edit = await t.as(agent, { method: 'PATCH', url: `/api/customers/${c.id}`, headers: { 'if-match': `"${c.version}"` }, payload: { name: '🙂' } });
    expect(edit.statusCode).toBe(400);
  });
});
