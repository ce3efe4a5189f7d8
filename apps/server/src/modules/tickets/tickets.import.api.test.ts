import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { multipart } from '../../test/multipart.js';
import { exportFile } from '../../test/exports.js';

let t: TestApp;
let sup: string;
const HEAD = '原工单号,类型,级别,渠道,楼栋,单元,房号,客户电话,描述,登记时间,首次答复时间,解决时间,关闭时间,状态,首问责任人';
const csv = (...rows: string[]) => Buffer.from([HEAD, ...rows].join('\n'));

beforeAll(async () => {
  t = await createTestApp();
  sup = await t.login('supervisor_a');
});
afterAll(async () => t.close());

const upload = (file: Buffer, q = '') => t.as(sup, { method: 'POST', url: `/api/projects/${t.world.projectA}/tickets/import${q}`, ...multipart('history.csv', file) });

describe('ticket history import', () => {
  it('imports history with its timestamps so that K1 continues, marked as imported and audited', async () => {
    const file = csv(
      'OLD-001,投诉,常规,热线,1,1,1501,13900000001,楼道漏水,2026-10-05 09:00,,2026-10-05 20:00,2026-10-07 10:00,已关闭,agent_a',
      'OLD-002,投诉,常规,热线,,,,,噪音扰民,2026-10-06 09:00,,2026-10-08 09:00,,已解决,',
      'OLD-003,投诉,重大,来访,,,,,交付标准不符,2026-10-10 09:00,2026-10-11 09:00,,,处理中,',
    );
    const dry = await upload(file, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ validRows: 3, imported: 0 });
    const res = await upload(file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().imported).toBe(3);
    const rows = await t.deps.db.selectFrom('tickets').selectAll().where('imported', '=', 1).orderBy('registered_at').execute();
    expect(rows.map((r) => r.number)).toEqual(['LS-OLD-001', 'LS-OLD-002', 'LS-OLD-003']);
    expect(rows[0]).toMatchObject({ status: 'closed', customer_id: t.world.customerA, unit_id: t.world.unitA, owner_id: t.world.users.agent_a });
    expect(new Date(Number(rows[0]!.registered_at)).toISOString()).toBe('2026-10-05T01:00:00.000Z');
    const k1 = (await t.as(sup, { method: 'GET', url: '/api/kpis/k1?from=2026-10-01&to=2026-10-31' })).json();
    // OLD-001 on time (11 h), OLD-002 late (48 h), OLD-003 major replied in 24 h: on time.
    expect(k1).toMatchObject({ numerator: 2, denominator: 3 });
    expect(await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'ticket.imported').execute()).toHaveLength(1);
    // The same history again: refused, nothing doubled.
    const again = await upload(csv('OLD-001,投诉,常规,热线,,,,,楼道漏水,2026-10-05 09:00,,2026-10-05 20:00,,已解决,'));
    expect(again.statusCode).toBe(422);
    expect(await t.deps.db.selectFrom('tickets').select('id').where('imported', '=', 1).execute()).toHaveLength(3);
  });

  it('rejects a file with errors as a whole, listing them by row', async () => {
    const res = await upload(csv(
      'OLD-101,投诉,常规,热线,,,,,好的一行,2026-09-01 09:00,,2026-09-01 10:00,,已解决,',
      'OLD-102,抱怨,常规,热线,,,,,未知类型,2026-09-01 09:00,,,,已登记,',
      'OLD-103,投诉,常规,热线,,,,,时间错,2026-09-31 09:00,,,,已登记,',
      'OLD-104,投诉,常规,热线,,,,,解决早于登记,2026-09-05 09:00,,2026-09-01 09:00,,已解决,nobody',
    ));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`)).toEqual(['3:类型', '4:登记时间', '5:解决时间', '5:首问责任人']);
    expect(await t.deps.db.selectFrom('tickets').select('id').where('number', '=', 'LS-OLD-101').execute()).toHaveLength(0);
  });

  it('exports a queue to Excel and lists the staff who can take over a ticket', async () => {
    const { file } = await exportFile(t, sup, '/api/tickets/exports', { view: 'all' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(4);
    const staff = (await t.as(sup, { method: 'GET', url: `/api/staff?projectId=${t.world.projectA}` })).json();
    const names = staff.map((s: { displayName: string }) => s.displayName);
    expect(names).toEqual(expect.arrayContaining(['agent_a', 'supervisor_a', 'manager_a']));
    expect(names).not.toContain('agent_b');
    expect((await t.as(sup, { method: 'GET', url: `/api/staff?projectId=${t.world.projectB}` })).statusCode).toBe(404);
    expect((await t.as(await t.login('agent_a'), { method: 'POST', url: `/api/projects/${t.world.projectA}/tickets/import`, ...multipart('h.csv', csv()) })).statusCode).toBe(403);
  });
});
