import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { seedHandoverPeople, type HandoverPeople } from '../../test/handover-fixture.js';
import { multipart } from '../../test/multipart.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const DAY = 86_400_000;

let t: TestApp;
let p: HandoverPeople;
let sup: string;
let c1: string;
let c2: string;

beforeAll(async () => {
  t = await createTestApp();
  p = await seedHandoverPeople(t);
  [sup, c1, c2] = await Promise.all([t.login('supervisor_a'), t.login('contractor_1'), t.login('contractor_2')]);
});
afterAll(async () => t.close());

const post = (cookie: string, url: string, payload: unknown, version?: number) =>
  t.as(cookie, { method: 'POST', url, payload: payload as Record<string, unknown>, headers: version === undefined ? {} : { 'if-match': `"${version}"` } });
const get = (cookie: string, url: string) => t.as(cookie, { method: 'GET', url });

async function newBatch(unitIds: string[]) {
  const res = await post(sup, '/api/handover/batches', { projectId: t.world.projectA, name: `一期交付 ${Math.random()}`, windowFrom: '2026-12-01', windowTo: '2026-12-20', unitIds });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; progress: { units: number } };
}
const unitsOf = async (batchId: string) => (await get(sup, `/api/handover/batches/${batchId}/units`)).json() as { id: string; unitId: string; version: number; status: string }[];
const act = async (cookie: string, id: string, action: string, body: Record<string, unknown> = {}) => {
  const cur = await get(cookie, `/api/handover/defects/${id}`);
  return post(cookie, `/api/handover/defects/${id}/${action}`, body, cur.json().version as number);
};

describe('the whole loop: batch → inspect → dispatch → fix → re-inspect fail → fix → pass → keys', () => {
  it('ends with the warranty start set from the handover date', async () => {
    const batch = await newBatch([p.units[1]!]);
    expect(batch.progress.units).toBe(1);
    const [hu] = await unitsOf(batch.id);

    // Inspect with two defects, one dispatched at once.
    const d1res = await post(sup, `/api/handover/batches/${batch.id}/defects`, { unitId: hu!.unitId, room: '卫生间', item: '防水', description: '闭水试验楼下渗漏', severity: 'serious', contractorId: p.contractor1, pinX: 0.3, pinY: 0.6 });
    expect(d1res.statusCode, d1res.body).toBe(201);
    const d1 = d1res.json();
    expect(d1.status).toBe('to_rectify');
    // 5 working days from Thursday 2026-11-26 (the test clock's day) → Thursday 2026-12-03.
    expect(d1.dueAt.slice(0, 10)).toBe(new Date(t.clock.now().getTime() + 7 * DAY).toISOString().slice(0, 10));
    const d2 = (await post(sup, `/api/handover/batches/${batch.id}/defects`, { unitId: hu!.unitId, room: '客厅', item: '墙面', description: '墙面空鼓', severity: 'minor' })).json();
    expect(d2.status).toBe('unassigned');
    const photo = await t.as(sup, { method: 'POST', url: `/api/handover/defects/${d1.id}/photos`, ...multipart('渗漏.png', PNG) });
    expect(photo.statusCode, photo.body).toBe(201);

    const unit = (await get(sup, `/api/handover/units/${hu!.id}`)).json();
    expect(unit.status).toBe('inspected');
    const insp = await post(sup, `/api/handover/units/${hu!.id}/inspection`, { passedItems: 24, meters: { water: 1.2, electricity: 10, gas: 0 }, signStatus: 'signed' }, unit.version);
    expect(insp.statusCode, insp.body).toBe(200);
    expect(insp.json().meters).toEqual({ water: 1.2, electricity: 10, gas: 0 });

    expect((await act(sup, d2.id, 'assign', { contractorId: p.contractor2 })).json().status).toBe('to_rectify');

    // Contractor 1 fixes, the center re-inspects: fail, then pass.
    expect((await act(c1, d1.id, 'start')).json().status).toBe('in_progress');
    const after = await t.as(c1, { method: 'POST', url: `/api/handover/defects/${d1.id}/photos`, ...multipart('整改后.png', PNG) });
    expect(after.statusCode).toBe(201);
    expect((await act(c1, d1.id, 'report-fix', { note: '重做防水层' })).json().status).toBe('to_verify');
    const failed = await act(sup, d1.id, 'reinspect-fail', { note: '仍有渗水' });
    expect(failed.json()).toMatchObject({ status: 'to_rectify', reinspectFailures: 1, dueAt: d1.dueAt, flagged: false });
    expect((await act(c1, d1.id, 'report-fix', { note: '再次处理' })).json().status).toBe('to_verify');
    const passed = (await act(sup, d1.id, 'reinspect-pass', { note: '业主确认' })).json();
    expect(passed.status).toBe('closed');
    const detail = (await get(sup, `/api/handover/defects/${d1.id}`)).json();
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['registered', 'start', 'report_fix', 'reinspect_fail', 'report_fix', 'reinspect_pass']);
    expect(detail.photos).toHaveLength(2);

    // Keys: signature image, then 收楼 (the open defect d2 carries on).
    const sig = await t.as(sup, { method: 'POST', url: `/api/handover/units/${hu!.id}/signature`, ...multipart('签名.png', PNG) });
    expect(sig.statusCode, sig.body).toBe(201);
    const v = (await get(sup, `/api/handover/units/${hu!.id}`)).json().version;
    const acc = await post(sup, `/api/handover/units/${hu!.id}/accept`, { handoverDate: '2026-11-28', keysTo: '业主本人', signatureAttachmentId: sig.json().id }, v);
    expect(acc.statusCode, acc.body).toBe(200);
    expect(acc.json()).toMatchObject({ status: 'accepted', signStatus: 'signed', actualHandoverDate: '2026-11-28', warrantyStartDate: '2026-11-28' });
    const row = await t.deps.db.selectFrom('units').select(['actual_handover_date', 'warranty_start_date']).where('id', '=', hu!.unitId).executeTakeFirstOrThrow();
    expect(row).toEqual({ actual_handover_date: '2026-11-28', warranty_start_date: '2026-11-28' });
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('entity_id', '=', hu!.id).execute();
    expect(audit.map((a) => a.action)).toContain('handover.accepted');
  });

  it('拒收 with reasons registers a complaint ticket', async () => {
    const batch = await newBatch([p.units[2]!]);
    const [hu] = await unitsOf(batch.id);
    await post(sup, `/api/handover/batches/${batch.id}/defects`, { unitId: hu!.unitId, room: '客厅', item: '门窗', description: '窗框变形', severity: 'blocking', contractorId: p.contractor2 });
    const v = (await get(sup, `/api/handover/units/${hu!.id}`)).json().version;
    const res = await post(sup, `/api/handover/units/${hu!.id}/refuse`, { reasons: '窗户变形影响入住' }, v);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('refused');
    const ticket = await t.deps.db.selectFrom('tickets').selectAll().where('id', '=', res.json().refusalTicketId).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ type: 'complaint', channel: 'handover', unit_id: hu!.unitId, project_id: t.world.projectA });
    expect(ticket.description).toContain('窗户变形影响入住');
  });
});

describe('contractor scope', () => {
  it('a contractor sees and works only its own tasks', async () => {
    const batch = await newBatch([p.units[3]!]);
    const [hu] = await unitsOf(batch.id);
    const mine = (await post(sup, `/api/handover/batches/${batch.id}/defects`, { unitId: hu!.unitId, room: '厨房', item: '给排水', description: '下水管渗漏', severity: 'minor', contractorId: p.contractor1 })).json();
    const theirs = (await post(sup, `/api/handover/batches/${batch.id}/defects`, { unitId: hu!.unitId, room: '厨房', item: '墙面', description: '瓷砖空鼓', severity: 'minor', contractorId: p.contractor2 })).json();
    const list1 = (await get(c1, `/api/handover/defects?batchId=${batch.id}`)).json() as { id: string }[];
    expect(list1.map((d) => d.id)).toEqual([mine.id]);
    const list2 = (await get(c2, `/api/handover/defects?batchId=${batch.id}`)).json() as { id: string }[];
    expect(list2.map((d) => d.id)).toEqual([theirs.id]);
    expect((await get(c1, `/api/handover/defects/${theirs.id}`)).statusCode).toBe(404);
    expect((await post(c1, `/api/handover/defects/${theirs.id}/start`, {}, 1)).statusCode).toBe(404);
    expect((await t.as(c1, { method: 'POST', url: `/api/handover/defects/${theirs.id}/photos`, ...multipart('x.png', PNG) })).statusCode).toBe(404);
    // Contractors neither re-inspect nor close their own work.
    await act(c1, mine.id, 'report-fix', { note: '已修' });
    expect((await act(c1, mine.id, 'reinspect-pass')).statusCode).toBe(403);
    // Nor see batches and units.
    expect((await get(c1, `/api/handover/batches/${batch.id}`)).statusCode).toBe(403);
    // Staff of another project see nothing of it.
    const supB = await t.login('supervisor_b');
    expect((await get(supB, `/api/handover/defects/${mine.id}`)).statusCode).toBe(404);
    expect((await get(supB, `/api/handover/batches/${batch.id}`)).statusCode).toBe(404);
  });
});

describe('bad input: clear Chinese errors, nothing written', () => {
  it('refuses a defect on a unit outside the batch, an unknown item, a non-contractor', async () => {
    const batch = await newBatch([p.units[4]!]);
    const count = async () => Number((await t.deps.db.selectFrom('handover_defects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const outside = await post(sup, `/api/handover/batches/${batch.id}/defects`, { unitId: t.world.unitA, room: '客厅', item: '墙面', description: '开裂', severity: 'minor' });
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ code: 'handover.unit_not_in_batch', detail: '该房屋不在本交付批次内' });
    const item = await post(sup, `/api/handover/batches/${batch.id}/defects`, { unitId: p.units[4], room: '客厅', item: '防水', description: '开裂', severity: 'minor' });
    expect(item.json().code).toBe('handover.invalid_reference');
    const dept = await post(sup, `/api/handover/batches/${batch.id}/defects`, { unitId: p.units[4], room: '客厅', item: '墙面', description: '开裂', severity: 'minor', contractorId: t.world.deptPropA });
    expect(dept.statusCode).toBe(400);
    expect(dept.json().detail).toContain('施工单位');
    expect(await count()).toBe(before);
  });

  it('refuses re-inspection of an open task, closing without a re-inspection, a stale If-Match', async () => {
    const batch = await newBatch([t.world.unitA]);
    const [hu] = await unitsOf(batch.id);
    const d = (await post(sup, `/api/handover/batches/${batch.id}/defects`, { unitId: hu!.unitId, room: '卧室', item: '地面', description: '地面起砂', severity: 'minor', contractorId: p.contractor1 })).json();
    const re = await act(sup, d.id, 'reinspect-pass');
    expect(re.statusCode).toBe(409);
    expect(re.json()).toMatchObject({ code: 'handover.invalid_transition', detail: '只有已报整改完成（待销项）的问题才能复验' });
    // There is no "close" action: only a passed re-inspection closes.
    expect((await post(sup, `/api/handover/defects/${d.id}/close`, {}, d.version)).statusCode).toBe(400);
    const stale = await post(sup, `/api/handover/defects/${d.id}/start`, {}, d.version + 5);
    expect(stale.statusCode).toBe(412);
    const missing = await t.as(sup, { method: 'POST', url: `/api/handover/defects/${d.id}/start`, payload: {} });
    expect(missing.statusCode).toBe(428);
    expect((await get(sup, `/api/handover/defects/${d.id}`)).json()).toMatchObject({ status: 'to_rectify', version: d.version });
    // A photo of the wrong type.
    const html = await t.as(sup, { method: 'POST', url: `/api/handover/defects/${d.id}/photos`, ...multipart('x.html', Buffer.from('<script>')) });
    expect(html.statusCode).toBe(415);
    // 收楼 before the inspection date.
    const v = (await get(sup, `/api/handover/units/${hu!.id}`)).json().version;
    const early = await post(sup, `/api/handover/units/${hu!.id}/accept`, { handoverDate: '2026-01-01', keysTo: '业主' }, v);
    expect(early.statusCode).toBe(400);
    expect((await get(sup, `/api/handover/units/${hu!.id}`)).json().status).toBe('inspected');
  });
});
