import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

/** Issue #18: registration, dispatch and text-limit defects of the console, at the API. */
let t: TestApp;
let agent: string;

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.login('agent_a');
});
afterAll(async () => t.close());

const base = () => ({ severity: 'routine', channel: 'hotline', projectId: t.world.projectA, customerId: t.world.customerA, unitId: t.world.unitA });
const post = (payload: object) => t.as(agent, { method: 'POST', url: '/api/tickets', payload });
const count = async () => Number((await t.deps.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('defect 2: no default type, an auto-title that does not cut words', () => {
  it('refuses a registration without a type, in Chinese, and registers nothing', async () => {
    const before = await count();
    const res = await post({ ...base(), description: '卫生间天花板漏水' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(res.json())).toMatch(/type/);
    expect(res.json().title).toMatch(/[\u4e00-\u9fff]/);
    expect(await count()).toBe(before);
  });

  it('titles a long description at a punctuation boundary with an ellipsis', async () => {
    const description = '业主反映卫生间天花板漏水，楼上邻居说没有用水，请工程部尽快上门查看并处理防水问题';
    const res = await post({ ...base(), type: 'complaint', description });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().title).toBe('投诉：业主反映卫生间天花板漏水，楼上邻居说没有用水…');
  });
});
