import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customersToIndex } from '../modules/customers/customers.service.js';
import { createTestApp, type TestApp } from '../test/app.js';
import { referenceCache } from './reference-cache.js';
import { backfillSearchIndex, indexComplete, queryTokens, searchTokens } from './search.js';

describe('search tokens', () => {
  it('a text holds its Han characters and adjacent pairs, once each; other characters none', () => {
    expect(searchTokens('王小明').sort()).toEqual(['小', '小明', '明', '王', '王小'].sort());
    expect(searchTokens('卫生间漏水，漏水严重 3栋').sort()).toEqual(['3', '卫', '卫生', '生', '生间', '间', '间漏', '漏', '漏水', '水', '水严', '严', '严重', '重', '栋'].filter((t) => t !== '3').sort());
    expect(searchTokens('John Smith')).toEqual([]);
  });

  it('a query of Han characters asks for its character or its pairs; anything else is not indexable', () => {
    expect(queryTokens('吴')).toEqual(['吴']);
    expect(queryTokens(' 静丽 ')).toEqual(['静丽']);
    expect(queryTokens('付静丽')).toEqual(['付静', '静丽']);
    expect(queryTokens('哈哈哈')).toEqual(['哈哈']);
    expect(queryTokens('王a')).toBeNull();
    expect(queryTokens('wang')).toBeNull();
    expect(queryTokens('')).toBeNull();
  });
});

describe('customer search through the token index', () => {
  let t: TestApp;
  let agent: string;
  let supervisor: string;
  const names = (res: { json(): unknown }) => ((res.json() as { items: { name: string }[] }).items.map((c) => c.name)).sort();
  const search = (q: string) => t.as(agent, { method: 'GET', url: `/api/customers?q=${encodeURIComponent(q)}&pageSize=100` });
  const create = async (name: string) => {
    const res = await t.as(agent, { method: 'POST', url: '/api/customers', payload: { kind: 'owner', name, projectId: t.world.projectA, phones: [] } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; version: number };
  };
  beforeAll(async () => {
    t = await createTestApp();
    agent = await t.login('agent_a');
    supervisor = await t.login('supervisor_a');
    for (const n of ['付静丽', '张静丽', '丽静', '王文', '文王小']) await create(n);
  });
  afterAll(async () => t.close());

  it('a new database starts with a complete index', async () => {
    expect(await indexComplete(t.deps.db, 'customer')).toBe(true);
  });

  it('finds by one character, by two, and by three in their order only', async () => {
    expect(names(await search('静'))).toEqual(['丽静', '付静丽', '张静丽']);
    expect(names(await search('静丽'))).toEqual(['付静丽', '张静丽']);
    expect(names(await search('付静丽'))).toEqual(['付静丽']);
    // 文王小 holds the pairs 文王 and 王小, but not 王文.
    expect(names(await search('王文'))).toEqual(['王文']);
    expect(names(await search('王小文'))).toEqual([]);
  });

  it('follows a rename and a merge', async () => {
    const c = await create('赵一鸣');
    expect(names(await search('一鸣'))).toEqual(['赵一鸣']);
    const renamed = await t.as(agent, { method: 'PATCH', url: `/api/customers/${c.id}`, headers: { 'if-match': `"${c.version}"` }, payload: { name: '赵二鸣' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(names(await search('一鸣'))).toEqual([]);
    expect(names(await search('二鸣'))).toEqual(['赵二鸣']);
    const target = await create('赵二鸣');
    const merged = await t.as(supervisor, { method: 'POST', url: `/api/customers/${target.id}/merge`, payload: { sourceId: c.id } });
    expect(merged.statusCode, merged.body).toBeLessThan(300);
    expect((await search('二鸣')).json().items.map((x: { id: string }) => x.id)).toEqual([target.id]);
  });

  it('rows from before the index are found by scanning until the backfill, which resumes where it stopped, completes it', async () => {
    await t.deps.db.deleteFrom('search_tokens').execute();
    await t.deps.db.updateTable('settings').set({ value: JSON.stringify({ complete: false }) }).where('key', '=', 'search.customer').execute();
    referenceCache(t.deps.db).clear();
    expect(names(await search('静丽'))).toEqual(['付静丽', '张静丽']);
    const first = await backfillSearchIndex(t.deps, 'customer', customersToIndex, { batch: 2, maxBatches: 2 });
    expect(first).toEqual({ indexed: 4, complete: false });
    expect(await indexComplete(t.deps.db, 'customer')).toBe(false);
    const rest = await backfillSearchIndex(t.deps, 'customer', customersToIndex, { batch: 2 });
    expect(rest.complete).toBe(true);
    const total = await t.deps.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).where('merged_into_id', 'is', null).executeTakeFirstOrThrow();
    expect(first.indexed + rest.indexed).toBe(Number(total.n));
    expect(await indexComplete(t.deps.db, 'customer')).toBe(true);
    expect(names(await search('静丽'))).toEqual(['付静丽', '张静丽']);
    // Now the index answers: a record whose tokens are gone is not found any more.
    const zhang = (await search('张静丽')).json().items[0].id as string;
    await t.deps.db.deleteFrom('search_tokens').where('entity_id', '=', zhang).execute();
    expect(names(await search('静丽'))).toEqual(['付静丽']);
  });
});
