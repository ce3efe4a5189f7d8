import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import ExcelJS from 'exceljs';
import { exportFile, runJobs } from '../../test/exports.js';
import { seedHandoverPeople, type HandoverPeople } from '../../test/handover-fixture.js';

const DAY = 86_400_000;
let t: TestApp;
let p: HandoverPeople;
let sup: string;
let batchId: string;
const ids: Record<string, string> = {};

const post = (url: string, payload: unknown, version?: number) =>
  t.as(sup, { method: 'POST', url, payload: payload as Record<string, unknown>, headers: version === undefined ? {} : { 'if-match': `"${version}"` } });
const get = (url: string) => t.as(sup, { method: 'GET', url });
async function act(id: string, action: string, body: Record<string, unknown> = {}) {
  const v = (await get(`/api/handover/defects/${id}`)).json().version as number;
  const res = await post(`/api/handover/defects/${id}/${action}`, body, v);
  expect(res.statusCode, res.body).toBe(200);
}

/**
 * The fixture, counted by hand: 5 units; unit 1 has A (甲, fixed in time, passed) and B (甲, failed
 * once, overdue and open); unit 2 has C (乙, fixed late, passed) and D (cancelled: not counted);
 * units 3 and 4 inspected without defects; unit 5 not inspected. Then 20 days pass.
 */
beforeAll(async () => {
  t = await createTestApp();
  p = await seedHandoverPeople(t);
  sup = await t.login('supervisor_a');
  const b = await post('/api/handover/batches', { projectId: t.world.projectA, name: '报表批次', windowFrom: '2026-11-20', windowTo: '2026-12-31', unitIds: p.units });
  batchId = b.json().id;
  const [u1, u2, u3, u4] = p.units;
  const add = async (key: string, unitId: string, room: string, item: string, severity: string, contractorId: string) => {
    const res = await post(`/api/handover/batches/${batchId}/defects`, { unitId, room, item, description: `${room}${item}问题`, severity, contractorId });
    expect(res.statusCode, res.body).toBe(201);
    ids[key] = res.json().id;
  };
  await add('A', u1!, '卫生间', '防水', 'serious', p.contractor1);
  await add('B', u1!, '客厅', '墙面', 'minor', p.contractor1);
  await add('C', u2!, '卫生间', '防水', 'blocking', p.contractor2);
  await add('D', u2!, '阳台', '门窗', 'minor', p.contractor2);
  t.clock.advance(600_000);
  await act(ids.A!, 'report-fix', { note: '已修' });
  await act(ids.A!, 'reinspect-pass');
  await act(ids.B!, 'report-fix', { note: '已修' });
  await act(ids.B!, 'reinspect-fail', { note: '仍有裂缝' });
  await act(ids.D!, 'cancel', { note: '重复登记' });
  for (const u of [u3!, u4!]) {
    const hu = (await get(`/api/handover/batches/${batchId}/units`)).json().find((x: { unitId: string }) => x.unitId === u);
    expect((await post(`/api/handover/units/${hu.id}/inspection`, { passedItems: 25, signStatus: 'signed' }, hu.version)).statusCode).toBe(200);
  }
  t.clock.advance(20 * DAY);
  sup = await t.login('supervisor_a');
  await act(ids.C!, 'report-fix', { note: '更换' });
  await act(ids.C!, 'reinspect-pass');
});
afterAll(async () => t.close());

describe('batch report equals the hand counts', () => {
  it('totals', async () => {
    const r = (await get(`/api/handover/batches/${batchId}/report`)).json();
    expect(r.progress).toMatchObject({ units: 5, inspected: 4, notInspected: 1, withOpenDefects: 1 });
    expect(r.total).toMatchObject({
      defects: 3, openDefects: 1, closedDefects: 2, unitsInspected: 4, defectsPerUnit: 0.75, firstPassRate: 0.5, onTimeRate: 0.5,
      reinspections: 3, reinspectPassRate: 0.6667,
      buckets: { on_time: 1, late_done: 1, overdue_open: 1, no_deadline: 0, pending: 0 },
      openByAge: { d0_7: 0, d8_15: 0, d16_30: 1, d30p: 0 },
    });
    expect(r.byRoom).toEqual([{ key: '卫生间', count: 2 }, { key: '客厅', count: 1 }]);
    expect(r.byItem[0]).toEqual({ key: '卫生间·防水', count: 2 });
  });

  it('per contractor', async () => {
    const r = (await get(`/api/handover/batches/${batchId}/report?groupBy=contractor`)).json();
    const by = Object.fromEntries(r.groups.map((g: { name: string }) => [g.name, g]));
    expect(by['甲建工']).toMatchObject({ defects: 2, openDefects: 1, buckets: { on_time: 1, overdue_open: 1, late_done: 0 }, reinspections: 2, reinspectPassRate: 0.5, onTimeRate: 1 });
    expect(by['乙装饰']).toMatchObject({ defects: 1, openDefects: 0, buckets: { on_time: 0, late_done: 1 }, reinspections: 1, reinspectPassRate: 1, onTimeRate: 0 });
  });

  it('the overdue open defect warns its contractor once; the ones fixed do not', async () => {
    await runJobs(t);
    await runJobs(t);
    const rows = await t.deps.db.selectFrom('outbox').select(['recipient', 'subject', 'body']).where('subject', 'like', '交付整改%').execute();
    expect(rows.filter((r) => r.recipient === p.user1).map((r) => r.subject)).toEqual(['交付整改：整改超期']);
    expect(rows.filter((r) => r.recipient === p.user2)).toEqual([]);
    const overdue = (await get(`/api/handover/defects?batchId=${batchId}&overdue=true`)).json();
    expect(overdue.map((d: { id: string }) => d.id)).toEqual([ids.B]);
  });

  it('exports to Excel: the summary and the foreman\'s defect list', async () => {
    const { file } = await exportFile(t, sup, `/api/handover/batches/${batchId}/exports`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '问题清单', '检查项排行']);
    const list = wb.getWorksheet('问题清单')!;
    expect(list.rowCount).toBe(5);
    const texts = list.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1, 12).map(String));
    expect(texts.some((r) => r[4] === '客厅墙面问题' && r[6] === '甲建工' && r[9] === '待整改' && r[10] === '超期未完成')).toBe(true);
    const summary = wb.getWorksheet('汇总')!.getRow(2).values as unknown[];
    expect(summary.slice(2, 9)).toEqual([3, 1, 4, 0.75, '50%', '50%', '66.7%']);
  });
});
