import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

/*
 * The labelled search set (issue 6): every ticket whose number, title, description or customer
 * name contains the words must be found — 1-, 2- and 3-character Chinese words and a phrase —
 * and nothing else, only within the searcher's projects, through every keyset page.
 */

let t: TestApp;
let agentA: string;
let agentB: string;

const TEXTS = [
  { key: 'leak-bath', description: '卫生间天花板漏水，已经两天了' },
  { key: 'leak-window', description: '窗台雨天渗漏，墙面发霉' },
  { key: 'leak-pipe', title: '厨房水管漏了', description: '厨房下水管接口滴水' },
  { key: 'fee', type: 'inquiry', description: '物业费怎么在线缴纳？' },
  { key: 'fee-dispute', type: 'complaint', description: '今年物业费上涨没有公示' },
  { key: 'fee-split', type: 'inquiry', description: '物业 费用清单看不懂' },
  { key: 'lift', type: 'complaint', description: '3号楼电梯经常停在半层，老人很害怕' },
  { key: 'lift-other', type: 'complaint', description: '电梯停在半层两次了' },
  { key: 'percent', type: 'inquiry', description: '优惠是否打八折（20%）？' },
  { key: 'noise', type: 'complaint', description: '楼上装修噪音太大' },
] as const;

const ids = new Map<string, string>();

async function register(cookie: string, projectId: string, body: Record<string, unknown>) {
  const res = await t.as(cookie, { method: 'POST', url: '/api/tickets', payload: { type: 'repair', severity: 'routine', channel: 'hotline', projectId, ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; number: string };
}

/** Every ticket a query returns, following the keyset through pages of 2. */
async function search(cookie: string, q: string, view = 'all'): Promise<string[]> {
  const found: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const url = `/api/tickets?view=${view}&limit=2&q=${encodeURIComponent(q)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await t.as(cookie, { method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: { id: string }[]; nextCursor: string | null };
    found.push(...body.items.map((x) => x.id));
    cursor = body.nextCursor;
    if (!cursor) return found;
  }
  throw new Error('more than 50 pages');
}

const keysOf = (found: string[]) => found.map((id) => [...ids].find(([, v]) => v === id)?.[0] ?? `unknown ${id}`).sort();

beforeAll(async () => {
  t = await createTestApp();
  agentA = await t.login('agent_a');
  agentB = await t.login('agent_b');
  for (const [i, x] of TEXTS.entries()) {
    t.clock.set(new Date(Date.parse('2026-11-27T02:00:00Z') + i * 60_000));
    const { key, ...body } = x;
    const ticket = await register(agentA, t.world.projectA, { customerId: i % 2 ? t.world.customerA : undefined, ...body });
    ids.set(key, ticket.id);
  }
  // Same words in another project: never shown to project A's agent.
  const other = await register(agentB, t.world.projectB, { customerId: t.world.customerB, description: '卫生间漏水，物业费也有问题' });
  ids.set('other-project', other.id);
});
afterAll(async () => t.close());

describe('ticket search (labelled set)', () => {
  const cases: [string, string[]][] = [
    ['漏', ['leak-bath', 'leak-pipe', 'leak-window']],
    ['漏水', ['leak-bath']],
    ['物业费', ['fee', 'fee-dispute']],
    ['电梯经常停在半层', ['lift']],
    ['停在半层', ['lift', 'lift-other']],
    ['水管', ['leak-pipe']],
    ['20%', ['percent']],
    ['%', ['percent']],
    ['_', []],
    ['甲业主', ['fee', 'fee-split', 'leak-window', 'lift-other', 'noise']],
    ['不存在的词', []],
  ];
  for (const [q, expected] of cases) {
    it(`「${q}」 finds exactly ${expected.length ? expected.join(', ') : 'nothing'}`, async () => {
      expect(keysOf(await search(agentA, q))).toEqual([...expected].sort());
    });
  }

  it('finds by ticket number, in the open-ticket queues too, and only in the searcher\'s projects', async () => {
    const number = (await t.as(agentA, { method: 'GET', url: `/api/tickets/${ids.get('noise')}` })).json().number as string;
    expect(keysOf(await search(agentA, number))).toEqual(['noise']);
    expect(keysOf(await search(agentA, '漏', 'team'))).toEqual(['leak-bath', 'leak-pipe', 'leak-window']);
    expect(keysOf(await search(agentB, '漏水'))).toEqual(['other-project']);
    expect(keysOf(await search(agentB, '电梯'))).toEqual([]);
  });
});
