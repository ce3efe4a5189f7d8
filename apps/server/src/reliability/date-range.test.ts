import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../modules/calendar/calendar.rules.js';
import { monthsOf } from '../modules/kpis/dashboard.service.js';
import { createTestApp, type TestApp } from '../test/app.js';
import { operationsOf } from '../test/reliability/openapi.js';

/*
 * Security finding 8 (external test): the dashboard answered 500 for years below 1000 or for
 * December 9999 (`monthsOf`, `addDays`). Dates, instants, years and months outside 2000–2100
 * are a 400 everywhere, by one shared schema; the rule functions are safe for any date.
 */

let t: TestApp;
let doc: any;
beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.as(null, { method: 'GET', url: '/api/openapi.json' })).json();
});
afterAll(async () => t.close());

/** Every schema node under a value, with the path to it. */
function* nodes(s: any, path: string): Generator<{ path: string; s: any }> {
  if (!s || typeof s !== 'object') return;
  yield { path, s };
  for (const [k, v] of Object.entries(s.properties ?? {})) yield* nodes(v, `${path}.${k}`);
  if (s.items) yield* nodes(s.items, `${path}[]`);
  for (const x of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) yield* nodes(x, path);
}

describe('one date range for the whole API (security finding 8)', () => {
  it('the dashboard answers 400 naming the field, not 500, for years below 1000, December 9999 and 1999', async () => {
    const root = await t.login('root');
    for (const [from, to, field] of [['0999-01-01', '0999-12-31', 'from'], ['0099-12-01', '2026-12-31', 'from'], ['9999-12-01', '9999-12-31', 'from'], ['2026-01-01', '9999-12-31', 'to'], ['1999-12-31', '2026-01-31', 'from'], ['2026-01-01', '2101-01-01', 'to']]) {
      const res = await t.as(root, { method: 'GET', url: `/api/dashboard?from=${from}&to=${to}` });
      expect(res.statusCode, `${from}…${to}: ${res.body.slice(0, 200)}`).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(res.json().errors.find((e: { field: string }) => e.field === field).message).toContain('2000-01-01');
    }
    expect((await t.as(root, { method: 'GET', url: '/api/dashboard?from=2000-01-01&to=2000-01-31' })).statusCode).toBe(200);
    expect((await t.as(root, { method: 'GET', url: '/api/dashboard?from=2100-12-01&to=2100-12-31' })).statusCode).toBe(200);
  });

  it('every date, instant, year and month the API accepts carries the range', () => {
    const loose: string[] = [];
    for (const o of operationsOf(doc)) {
      const where = `${o.method} ${o.path}`;
      for (const p of o.op.parameters ?? []) {
        for (const n of nodes(p.schema, `${p.in}.${p.name}`)) check(n, where, p.name);
      }
      for (const n of nodes(o.op.requestBody?.content?.['application/json']?.schema, 'body')) check(n, where, n.path.split('.').pop()!);
    }
    function check({ path, s }: { path: string; s: any }, where: string, name: string) {
      if (s.format === 'date' && s.pattern !== '^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') loose.push(`${where} ${path} (date)`);
      if (s.format === 'date-time' && !String(s.pattern ?? '').startsWith('^(20[0-9]{2}|2100)-')) loose.push(`${where} ${path} (date-time)`);
      if (/^year$/i.test(name) && (s.minimum !== 2000 || s.maximum !== 2100)) loose.push(`${where} ${path} (year)`);
      if (/^month$/i.test(name) && (s.minimum !== 1 || s.maximum !== 12)) loose.push(`${where} ${path} (month)`);
    }
    expect(loose).toEqual([]);
  });

  it('instants in bodies and query strings are refused outside the range too', async () => {
    const agent = await t.login('agent_a');
    const created = (await t.as(agent, { method: 'POST', url: '/api/tickets', payload: { type: 'repair', severity: 'routine', channel: 'hotline', projectId: t.world.projectA, description: '日期范围' } })).json();
    const dispatch = await t.as(agent, { method: 'POST', url: `/api/tickets/${created.id}/dispatch`, headers: { 'if-match': `"${created.version}"` }, payload: { departmentId: t.world.deptPropA, instructions: '请处理', dueAt: '9999-12-31T23:59:59Z' } });
    expect(dispatch.statusCode, dispatch.body).toBe(400);
    expect(dispatch.json().errors.map((e: { field: string }) => e.field)).toEqual(['dueAt']);
    const root = await t.login('root');
    const audit = await t.as(root, { method: 'GET', url: '/api/audit?from=0001-01-01' });
    expect(audit.statusCode).toBe(400);
    const calendar = await t.as(root, { method: 'GET', url: '/api/calendar?year=1999' });
    expect(calendar.statusCode).toBe(400);
  });
});

describe('the date rules are safe for any calendar date', () => {
  it('addDays crosses years, including years below 1000 and the end of 9999, without throwing', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
    expect(addDays('0999-01-01', -1)).toBe('0998-12-31');
    expect(() => addDays('9999-12-31', 1)).not.toThrow();
  });

  it('monthsOf splits any period into months, December 9999 and year 99 included', () => {
    expect(monthsOf('2026-11-15', '2027-01-10')).toEqual([
      { month: '2026-11', from: '2026-11-15', to: '2026-11-30' },
      { month: '2026-12', from: '2026-12-01', to: '2026-12-31' },
      { month: '2027-01', from: '2027-01-01', to: '2027-01-10' },
    ]);
    expect(monthsOf('9999-12-01', '9999-12-31')).toEqual([{ month: '9999-12', from: '9999-12-01', to: '9999-12-31' }]);
    expect(monthsOf('0099-12-01', '0100-01-31')).toEqual([
      { month: '0099-12', from: '0099-12-01', to: '0099-12-31' },
      { month: '0100-01', from: '0100-01-01', to: '0100-01-31' },
    ]);
  });
});
