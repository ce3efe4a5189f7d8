import ExcelJS from 'exceljs';
import { phonesOf } from './customer-phones.repo.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { multipart } from '../../test/multipart.js';
import { exportFile } from '../../test/exports.js';

let t: TestApp;
let sup: string;
const HEAD = '姓名,手机号,身份证号,楼栋,单元,房号,合同编号,签约日期,实际交付日期';
const csv = (...rows: string[]) => Buffer.from([HEAD, ...rows].join('\n'), 'utf8');
const baseline = new Map<string, number>();
const rawCount = async (table: 'customers' | 'customer_units' | 'customer_phones') =>
  Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
/** Rows added since the test world was loaded. */
const count = async (table: 'customers' | 'customer_units' | 'customer_phones') => (await rawCount(table)) - (baseline.get(table) ?? 0);

beforeAll(async () => {
  t = await createTestApp();
  sup = await t.login('supervisor_a');
  for (const table of ['customers', 'customer_units', 'customer_phones'] as const) baseline.set(table, await rawCount(table));
  const root = await t.login('root');
  for (const room of ['1502', '1503', '1601']) {
    const r = await t.as(root, { method: 'POST', url: `/api/buildings/${t.world.buildingA}/units`, payload: { entrance: '1', floor: Number(room.slice(0, 2)), roomNumber: room } });
    expect(r.statusCode).toBe(201);
  }
});
afterAll(async () => t.close());

const upload = (file: Buffer, query = '', name = 'buyers.csv') =>
  t.as(sup, { method: 'POST', url: `/api/projects/${t.world.projectA}/customers/import${query}`, ...multipart(name, file) });

describe('customer import', () => {
  it('dry run reports people and links without writing', async () => {
    const res = await upload(csv('孙丽,13811112222,11010519491231002X,1,1,1501,HT-001,2024-03-01,2025-06-30', '孙丽,13811112222,,1,1,1502,HT-002,2024/3/1,'), '?dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, totalRows: 2, validRows: 2, created: 1, matched: 0, linkedUnits: 2, imported: false, errors: [] });
    expect(await count('customers')).toBe(0);
  });

  it('imports all-or-nothing: one bad row and nothing is written', async () => {
    const res = await upload(csv('孙丽,13811112222,,1,1,1501,,,', '错误,12345,110105194912310021,9,9,9999,,2024-02-30,'));
    expect(res.statusCode).toBe(422);
    const errors = res.json().errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`);
    expect(errors).toEqual(['3:手机号', '3:身份证号', '3:签约日期', '3:房号']);
    expect(res.json().imported).toBe(false);
    expect(await count('customers')).toBe(0);
    expect(await count('customer_units')).toBe(0);
  });

  it('refuses a file with a NUL character (PostgreSQL text cannot hold it) and writes nothing', async () => {
    const res = await upload(csv('孙\u0000丽,13811112222,,1,1,1501,,,'));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().code).toBe('import.invalid_file');
    expect(res.json().detail).toContain('空字符');
    expect(await count('customers')).toBe(0);
  });

  it('imports only the valid rows when asked', async () => {
    const res = await upload(csv('孙丽,13811112222,11010519491231002X,1,1,1501,HT-001,2024-03-01,2025-06-30', '错误,12345,,1,1,1502,,,'), '?validOnly=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imported: true, created: 1, linkedUnits: 1, validRows: 1 });
    expect(res.json().errors).toHaveLength(1);
    const c = await t.deps.db.selectFrom('customers').selectAll().where('name', '=', '孙丽').executeTakeFirstOrThrow();
    expect(c).toMatchObject({ name: '孙丽', kind: 'owner', id_number_masked: '110***********002X' });
    const link = await t.deps.db.selectFrom('customer_units').selectAll().where('customer_id', '=', c.id).executeTakeFirstOrThrow();
    expect(link).toMatchObject({ relation: 'owner', contract_no: 'HT-001', contract_date: '2024-03-01', actual_handover_date: '2025-06-30', from_date: '2024-03-01' });
    expect(await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'customer.imported').execute()).toHaveLength(1);
  });

  it('dedupes against the archive by ID number and by phone with the same name; warns on a shared phone', async () => {
    const res = await upload(csv(
      '孙丽,13811113333,11010519491231002X,1,1,1502,HT-002,2024-03-01,',
      '孙丽,13811112222,,1,1,1503,HT-003,2024-03-01,',
      '孙丽丈夫,13811112222,,1,1,1601,HT-004,2024-05-01,',
    ));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 1, matched: 1, linkedUnits: 3 });
    expect(res.json().warnings.map((w: { row: number }) => w.row)).toEqual([4]);
    expect(await count('customers')).toBe(2);
    const sun = await t.deps.db.selectFrom('customers').select('id').where('name', '=', '孙丽').executeTakeFirstOrThrow();
    const units = await t.deps.db.selectFrom('customer_units').select('unit_id').where('customer_id', '=', sun.id).execute();
    expect(units).toHaveLength(3);
    const phones = await phonesOf(t.deps.db, t.deps.config.fieldKey, [sun.id]);
    expect(phones.map((p) => p.phone).sort()).toEqual(['+8613811112222', '+8613811113333']);
  });

  it('maps columns the user chose and refuses formula cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('买受人');
    ws.addRow(['买受人', '联系方式', '栋', '单元', '房']);
    ws.addRow(['钱多多', '13922223333', '1', '1', '1601']);
    ws.addRow([{ formula: 'CONCAT("=cmd","")' }, '13922224444', '1', '1', '1601']);
    const mapping = encodeURIComponent(JSON.stringify({ name: '买受人', phones: '联系方式', building: '栋', entrance: '单元', room: '房' }));
    const res = await upload(Buffer.from(await wb.xlsx.writeBuffer()), `?dryRun=true&mapping=${mapping}`, 'buyers.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().errors[0]).toMatchObject({ row: 3, message: '单元格不能包含公式' });
    expect(res.json().validRows).toBe(1);
    const bad = await upload(csv(), `?mapping=${encodeURIComponent('{"nope":"x"}')}`);
    expect(bad.statusCode).toBe(400);
  });

  it('is refused to agents and to projects out of scope', async () => {
    const agent = await t.login('agent_a');
    expect((await t.as(agent, { method: 'POST', url: `/api/projects/${t.world.projectA}/customers/import`, ...multipart('a.csv', csv()) })).statusCode).toBe(403);
    expect((await t.as(sup, { method: 'POST', url: `/api/projects/${t.world.projectB}/customers/import`, ...multipart('a.csv', csv()) })).statusCode).toBe(404);
  });
});

describe('customer export', () => {
  it('exports masked by default, escapes formula-like cells, and audits the export', async () => {
    const agent = await t.login('agent_a');
    const created = await t.as(agent, { method: 'POST', url: '/api/customers', payload: { kind: 'owner', projectId: t.world.projectA, name: '=HYPERLINK("x")', phones: [{ phone: '13700007777' }] } });
    expect(created.statusCode).toBe(201);
    const { file } = await exportFile(t, sup, '/api/customers/exports');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const values = ws.getSheetValues().flat().map(String).join('|');
    expect(values).toContain('138****2222');
    expect(values).not.toContain('13811112222');
    expect(values).toContain(`'=HYPERLINK("x")`);
    expect(ws.getRow(1).getCell(1).value).toBe('姓名');
    const audit = await t.deps.db.selectFrom('audit_log').select('after_json').where('action', '=', 'customer.exported').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toMatchObject({ rows: 4, phonesRevealed: false });
  });

  it('exports full phones only to a permitted role with a reason', async () => {
    const noReason = await t.as(sup, { method: 'POST', url: '/api/customers/exports', payload: { revealPhones: true } });
    expect(noReason.statusCode).toBe(400);
    const { file } = await exportFile(t, sup, '/api/customers/exports', { revealPhones: true, reason: '交付通知客户' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getSheetValues().flat().map(String).join('|')).toContain('13811112222');
    const admin = await t.login('admin_a');
    expect((await t.as(admin, { method: 'POST', url: '/api/customers/exports', payload: { revealPhones: true, reason: '交付通知客户' } })).statusCode).toBe(403);
  });
});

describe('customer import: files that must not hurt (issue 21)', () => {
  it('imports a GBK CSV whose bytes also decode as UTF-8 with the right names (finding 10)', async () => {
    const dec = new TextDecoder('gb18030');
    const table = new Map<string, number[]>();
    for (let hi = 0x81; hi <= 0xfe; hi++) for (let lo = 0x40; lo <= 0xfe; lo++) if (lo !== 0x7f) table.set(dec.decode(Uint8Array.of(hi, lo)), [hi, lo]);
    const gbk = (text: string) => Buffer.from([...text].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : table.get(ch)!)));
    const file = gbk('name,phone\r\n郑伟,13822220001\r\n郑英,13822220002\r\n');
    const res = await upload(file, '', 'gbk.csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imported: true, created: 2 });
    const names = (await t.deps.db.selectFrom('customers').select('name').where('name', 'in', ['郑伟', '郑英']).execute()).map((c) => c.name).sort();
    expect(names).toEqual(['郑伟', '郑英']);
  });

  it('refuses an xlsx that inflates far beyond its size with a Chinese problem+json (finding 6)', async () => {
    const { zipSync, strToU8 } = await import('fflate');
    const sheet = strToU8(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${' '.repeat(40 * 1024 * 1024)}</sheetData></worksheet>`);
    const file = Buffer.from(zipSync({ 'xl/worksheets/sheet1.xml': sheet }, { level: 9 }));
    const res = await upload(file, '?dryRun=true', 'bomb.xlsx');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'import.too_large' });
    expect(res.json().detail).toMatch(/解压后超过/);
  }, 60_000);
});

describe('customer import of a migrated archive', () => {
  it('a migrated customer keeps its real archive dates: 建档时间 and 最近确认时间 are imported and audited', async () => {
    const root = await t.login('root');
    for (const room of ['1701', '1702']) {
      expect((await t.as(root, { method: 'POST', url: `/api/buildings/${t.world.buildingA}/units`, payload: { entrance: '1', floor: 17, roomNumber: room } })).statusCode).toBe(201);
    }
    const head = '姓名,手机号,身份证号,楼栋,单元,房号,合同编号,合同交付日期,实际交付日期,建档时间,最近确认时间';
    const file = (...rows: string[]) => Buffer.from([head, ...rows].join('\n'), 'utf8');
    const bad = await upload(file(
      '周迁,13833334444,11010519491231002X,1,1,1701,HT-701,2025-06-01,2025-06-30,2024-05-01,2030-01-01',
      '吴迁,13833335555,,1,1,1702,HT-702,2025-06-01,2025-06-30,2025-05-01,2024-01-01',
      '郑迁,13833336666,,1,1,1702,HT-702,2025-06-01,2025-06-30,昨天,',
    ), '?dryRun=true');
    expect(bad.json().errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`)).toEqual(['2:最近确认时间', '3:最近确认时间', '4:建档时间']);
    const res = await upload(file(
      '周迁,13833334444,,1,1,1701,HT-701,2025-06-01,2025-06-30,2024-05-01,2025-08-15 10:30',
      '吴迁,13833335555,,1,1,1702,HT-702,2025-06-01,2026-03-30,2026/3/1,',
    ));
    expect(res.statusCode, res.body).toBe(200);
    const zhou = await t.deps.db.selectFrom('customers').selectAll().where('name', '=', '周迁').executeTakeFirstOrThrow();
    expect(Number(zhou.created_at)).toBe(Date.parse('2024-05-01T00:00:00+08:00'));
    expect(Number(zhou.archive_confirmed_at)).toBe(Date.parse('2025-08-15T10:30:00+08:00'));
    const wu = await t.deps.db.selectFrom('customers').selectAll().where('name', '=', '吴迁').executeTakeFirstOrThrow();
    expect(Number(wu.created_at)).toBe(Date.parse('2026-03-01T00:00:00+08:00'));
    expect(wu.archive_confirmed_at).toBeNull();
    // The units' handover dates come along.
    const link = await t.deps.db.selectFrom('customer_units').selectAll().where('customer_id', '=', wu.id).executeTakeFirstOrThrow();
    expect(link).toMatchObject({ contracted_handover_date: '2025-06-01', actual_handover_date: '2026-03-30' });
    // K4 today (2026-11-27): 周迁 last confirmed 15 months ago is not current; 吴迁, archived in March 2026, is.
    const sup2 = await t.login('supervisor_a');
    const records = (await t.as(sup2, { method: 'GET', url: `/api/kpis/archive-rate/records?projectId=${t.world.projectA}&pageSize=200` })).json().items as { name: string; current: boolean; touchedAt: string }[];
    expect(records.find((r) => r.name === '周迁')).toMatchObject({ current: false, touchedAt: '2025-08-15T02:30:00.000Z' });
    expect(records.find((r) => r.name === '吴迁')).toMatchObject({ current: true, touchedAt: '2026-02-28T16:00:00.000Z' });
    const detail = (await t.as(sup2, { method: 'GET', url: `/api/customers/${zhou.id}` })).json();
    expect(detail.archive).toMatchObject({ current: false, currentUntil: '2026-08-15T02:30:00.000Z' });
    // Audited as imported, with the dates the file gave.
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'after_json']).where('entity_id', '=', zhou.id).where('action', '=', 'customer.archive_imported').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ filename: 'buyers.csv', archiveCreatedAt: '2024-04-30T16:00:00.000Z', archiveConfirmedAt: '2025-08-15T02:30:00.000Z' });
  });
});
