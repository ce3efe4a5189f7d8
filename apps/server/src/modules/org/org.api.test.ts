import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { multipart } from '../../test/multipart.js';

let t: TestApp;
let root: string;
let adminA: string;
beforeAll(async () => {
  t = await createTestApp();
  root = await t.login('root');
  adminA = await t.login('admin_a');
});
afterAll(async () => t.close());

const auditCount = async (action: string, entityId?: string) => {
  let q = t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action);
  if (entityId) q = q.where('entity_id', '=', entityId);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

describe('projects, buildings, units', () => {
  it('creates a project, a building and a unit, each audited with its after-image', async () => {
    const p = await t.as(root, { method: 'POST', url: '/api/projects', payload: { cityCompanyId: t.world.cityC1, name: '观澜府', code: 'GLF', address: '龙华区观澜大道 1 号' } });
    expect(p.statusCode, p.body).toBe(201);
    const project = p.json();
    expect(project).toMatchObject({ name: '观澜府', cityCompanyName: '一号城市公司', buildingCount: 0, unitCount: 0, version: 1 });
    expect(await auditCount('project.created', project.id)).toBe(1);

    const b = await t.as(root, { method: 'POST', url: `/api/projects/${project.id}/buildings`, payload: { name: '3', floors: 33 } });
    expect(b.statusCode, b.body).toBe(201);
    const u = await t.as(root, { method: 'POST', url: `/api/buildings/${b.json().id}/units`, payload: { entrance: '2', floor: 15, roomNumber: '1501', area: 128.5, layout: '三室两厅' } });
    expect(u.statusCode, u.body).toBe(201);
    expect(u.json()).toMatchObject({ label: '3栋2单元1501', area: 128.5, projectId: project.id });
    const row = await t.deps.db.selectFrom('units').selectAll().where('id', '=', u.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ entrance: '2', floor: 15, room_number: '1501', building_id: b.json().id });
    expect(await auditCount('unit.created', u.json().id)).toBe(1);

    const detail = await t.as(root, { method: 'GET', url: `/api/projects/${project.id}` });
    expect(detail.json()).toMatchObject({ buildingCount: 1, unitCount: 1 });
    expect(detail.headers.etag).toBe('"1"');
  });

  it('refuses a duplicate unit with 409 and writes nothing', async () => {
    const before = await auditCount('unit.created');
    const res = await t.as(root, { method: 'POST', url: `/api/buildings/${t.world.buildingA}/units`, payload: { entrance: '1', floor: 15, roomNumber: '1501' } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'org.duplicate_unit' });
    expect(res.json().detail).toContain('已存在');
    expect(await auditCount('unit.created')).toBe(before);
  });

  it('requires If-Match on updates (428), refuses a stale version (412) and bumps the version', async () => {
    const url = `/api/projects/${t.world.projectA}`;
    expect((await t.as(adminA, { method: 'PATCH', url, payload: { address: 'X' } })).statusCode).toBe(428);
    const ok = await t.as(adminA, { method: 'PATCH', url, headers: { 'if-match': '"1"' }, payload: { address: '新地址' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ address: '新地址', version: 2 });
    expect(ok.headers.etag).toBe('"2"');
    const stale = await t.as(adminA, { method: 'PATCH', url, headers: { 'if-match': '"1"' }, payload: { address: '覆盖' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('request.precondition_failed');
    const row = await t.deps.db.selectFrom('projects').select(['address', 'version']).where('id', '=', t.world.projectA).executeTakeFirstOrThrow();
    expect(row).toEqual({ address: '新地址', version: 2 });
    const audit = await t.deps.db.selectFrom('audit_log').select(['before_json', 'after_json']).where('action', '=', 'project.updated').where('entity_id', '=', t.world.projectA).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json!).address).toBeNull();
    expect(JSON.parse(audit.after_json!)).toEqual({ address: '新地址' });
  });

  it('a project-scoped admin sees only their projects and cannot create in another city company', async () => {
    const list = await t.as(adminA, { method: 'GET', url: '/api/projects' });
    expect(list.json().items.map((p: { id: string }) => p.id)).toEqual([t.world.projectA]);
    expect(list.json().total).toBe(1);
    const res = await t.as(adminA, { method: 'POST', url: '/api/projects', payload: { cityCompanyId: t.world.cityC2, name: '越权项目', code: 'BAD' } });
    expect(res.statusCode).toBe(403);
    expect(await t.deps.db.selectFrom('projects').select('id').where('code', '=', 'BAD').executeTakeFirst()).toBeUndefined();
  });

  it('pages and searches units', async () => {
    for (let i = 1; i <= 25; i++) {
      const r = await t.as(root, { method: 'POST', url: `/api/buildings/${t.world.buildingA}/units`, payload: { entrance: '1', floor: 2 + Math.floor(i / 3), roomNumber: `P${String(i).padStart(2, '0')}` } });
      expect(r.statusCode).toBe(201);
    }
    const page2 = await t.as(root, { method: 'GET', url: `/api/units?buildingId=${t.world.buildingA}&page=2&pageSize=10` });
    expect(page2.json()).toMatchObject({ total: 26, page: 2, pageSize: 10 });
    expect(page2.json().items).toHaveLength(10);
    const found = await t.as(root, { method: 'GET', url: `/api/units?projectId=${t.world.projectA}&q=P2` });
    expect(found.json().items.map((u: { roomNumber: string }) => u.roomNumber).sort()).toEqual(['P20', 'P21', 'P22', 'P23', 'P24', 'P25']);
    expect((await t.as(root, { method: 'GET', url: '/api/units' })).statusCode).toBe(400);
  });
});

describe('departments and common areas', () => {
  it('creates a project department and lists the departments that can serve a project', async () => {
    const d = await t.as(adminA, { method: 'POST', url: '/api/departments', payload: { name: '甲工程组', kind: 'engineering', level: 'project', projectId: t.world.projectA } });
    expect(d.statusCode, d.body).toBe(201);
    expect(d.json()).toMatchObject({ level: 'project', projectId: t.world.projectA, cityCompanyId: t.world.cityC1, active: true });
    const list = await t.as(adminA, { method: 'GET', url: `/api/departments?projectId=${t.world.projectA}` });
    const ids = list.json().map((x: { id: string }) => x.id);
    expect(ids).toEqual(expect.arrayContaining([d.json().id, t.world.deptPropA, t.world.deptEngC1, t.world.deptGroup]));
    expect(ids).not.toContain(t.world.deptPropB);
    // Another project of the same city company has its own property office: not this project's.
    const a2 = await t.as(adminA, { method: 'GET', url: `/api/departments?projectId=${t.world.projectA}` });
    const other = await t.as(await t.login('root'), { method: 'POST', url: '/api/departments', payload: { name: '甲二物业', kind: 'property', level: 'project', projectId: t.world.projectA2 } });
    expect(other.statusCode).toBe(201);
    expect((await t.as(adminA, { method: 'GET', url: `/api/departments?projectId=${t.world.projectA}` })).json().map((x: { id: string }) => x.id)).not.toContain(other.json().id);
    expect(a2.statusCode).toBe(200);
    expect(ids).not.toContain(t.world.deptEngC2);
    const group = await t.as(adminA, { method: 'POST', url: '/api/departments', payload: { name: '集团部门', kind: 'legal', level: 'group' } });
    expect(group.statusCode).toBe(403);
  });

  it('deactivates a department instead of deleting it', async () => {
    const res = await t.as(adminA, { method: 'PATCH', url: `/api/departments/${t.world.deptPropA}`, headers: { 'if-match': '1' }, payload: { active: false } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().active).toBe(false);
    expect(await t.deps.db.selectFrom('departments').select('active').where('id', '=', t.world.deptPropA).executeTakeFirstOrThrow()).toEqual({ active: 0 });
  });

  it('refuses a common area on a building of another project', async () => {
    const res = await t.as(root, { method: 'POST', url: `/api/projects/${t.world.projectA}/common-areas`, payload: { name: '电梯厅', buildingId: t.world.buildingB } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('buildingId');
  });
});

describe('unit inventory import', () => {
  const csv = (rows: string[]) => Buffer.from(['楼栋,单元,楼层,房号,建筑面积,户型', ...rows].join('\r\n'), 'utf8');

  it('dry run reports what would be created and writes nothing; the real run creates buildings and units', async () => {
    const file = csv(['8栋,1,2,201,89.5,两室两厅', '8,1,2,202,,', '9,2单元,3,301,120,三室两厅']);
    const dry = await t.as(root, { method: 'POST', url: `/api/projects/${t.world.projectA2}/units/import?dryRun=true`, ...multipart('units.csv', file) });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, totalRows: 3, validRows: 3, createdBuildings: 2, createdUnits: 3, errors: [] });
    expect(await t.deps.db.selectFrom('units').select('id').where('project_id', '=', t.world.projectA2).execute()).toHaveLength(0);

    const real = await t.as(root, { method: 'POST', url: `/api/projects/${t.world.projectA2}/units/import`, ...multipart('units.csv', file) });
    expect(real.statusCode, real.body).toBe(200);
    expect(real.json()).toMatchObject({ dryRun: false, createdBuildings: 2, createdUnits: 3 });
    const units = await t.deps.db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id')
      .select(['b.name', 'u.entrance', 'u.room_number', 'u.area']).where('u.project_id', '=', t.world.projectA2).orderBy('u.room_number').execute();
    expect(units).toEqual([
      { name: '8', entrance: '1', room_number: '201', area: 89.5 },
      { name: '8', entrance: '1', room_number: '202', area: null },
      { name: '9', entrance: '2', room_number: '301', area: 120 },
    ]);
    expect(await auditCount('unit.imported', t.world.projectA2)).toBe(1);
  });

  it('rejects a file with any bad row as a whole, listing every error in Chinese by row', async () => {
    const before = await t.deps.db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const file = csv(['10,1,5,501,100,', '10,1,abc,502,100,', '10,1,5,501,90,', ',1,5,503,,', '10,1,6,601,-3,', '8,1,2,201,89,']);
    const res = await t.as(root, { method: 'POST', url: `/api/projects/${t.world.projectA2}/units/import`, ...multipart('units.csv', file) });
    expect(res.statusCode).toBe(422);
    const errors = res.json().errors as { row: number; column: string; message: string }[];
    expect(errors.map((e) => [e.row, e.column])).toEqual([[3, '楼层'], [4, '房号'], [5, '楼栋'], [6, '建筑面积'], [7, '房号']]);
    expect(errors[1]!.message).toBe('与第 2 行重复');
    expect(errors[4]!.message).toContain('已存在');
    const after = await t.deps.db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await t.deps.db.selectFrom('buildings').select('id').where('name', '=', '10').execute()).toHaveLength(0);
  });

  it('imports .xlsx and refuses formula cells without evaluating them', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('房屋');
    ws.addRow(['楼栋', '单元', '楼层', '房号', '建筑面积', '户型']);
    ws.addRow(['11', '1', 3, '301', 95, '三室一厅']);
    ws.addRow(['11', '1', 3, { formula: 'HYPERLINK("http://evil","302")' }, 95, '三室一厅']);
    const bad = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await t.as(root, { method: 'POST', url: `/api/projects/${t.world.projectA2}/units/import`, ...multipart('units.xlsx', bad) });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ row: 3, column: '房号', message: '单元格不能包含公式' });

    ws.spliceRows(3, 1);
    const good = Buffer.from(await wb.xlsx.writeBuffer());
    const ok = await t.as(root, { method: 'POST', url: `/api/projects/${t.world.projectA2}/units/import`, ...multipart('units.xlsx', good) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().createdUnits).toBe(1);
  });

  it('answers 400 for an unreadable file, a missing column or an unknown type', async () => {
    const garbage = await t.as(root, { method: 'POST', url: `/api/projects/${t.world.projectA2}/units/import`, ...multipart('units.xlsx', Buffer.from('not a zip')) });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().code).toBe('import.invalid_file');
    const missing = await t.as(root, { method: 'POST', url: `/api/projects/${t.world.projectA2}/units/import`, ...multipart('u.csv', Buffer.from('楼栋,房号\n1,101')) });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toContain('单元');
    const exe = await t.as(root, { method: 'POST', url: `/api/projects/${t.world.projectA2}/units/import`, ...multipart('u.exe', Buffer.from('MZ')) });
    expect(exe.statusCode).toBe(400);
  });

  it('refuses files over the upload limit with 413', async () => {
    const big = Buffer.alloc(11 * 1024 * 1024, 0x41);
    const res = await t.as(root, { method: 'POST', url: `/api/projects/${t.world.projectA2}/units/import`, ...multipart('big.csv', big) });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});

describe('bad input', () => {
  it('rejects unknown fields, wrong types and empty names, listing the fields', async () => {
    const res = await t.as(root, { method: 'POST', url: '/api/projects', payload: { cityCompanyId: 'not-a-uuid', name: '', code: 'A B', hacker: 1 } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['cityCompanyId', 'code', 'hacker', 'name']);
  });

  it('stores SQL and HTML in text fields verbatim without executing them', async () => {
    const name = `'); drop table projects; -- <script>alert(1)</script>`;
    const res = await t.as(root, { method: 'POST', url: '/api/projects', payload: { cityCompanyId: t.world.cityC1, name, code: 'SQLI' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().name).toBe(name);
    expect(await t.deps.db.selectFrom('projects').select('name').where('code', '=', 'SQLI').executeTakeFirstOrThrow()).toEqual({ name });
  });

  it('answers 415 for a wrong content type and 413 for an oversized JSON body', async () => {
    const text = await t.as(root, { method: 'POST', url: '/api/city-companies', headers: { 'content-type': 'text/plain' }, payload: 'name=x' });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('request.unsupported_media_type');
    const big = await t.as(root, { method: 'POST', url: '/api/city-companies', payload: { name: 'x'.repeat(2 * 1024 * 1024), code: 'BIG' } });
    expect(big.statusCode).toBe(413);
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const res = await t.as(root, { method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'request.not_found', status: 404 });
  });

  it('answers a malformed id with 400, not 500', async () => {
    const res = await t.as(root, { method: 'GET', url: '/api/projects/%27%20or%201=1' });
    expect(res.statusCode).toBe(400);
  });
});

describe('names as agents type them', () => {
  it('stores building and entrance names bare, so "3栋" and "3" are one building', async () => {
    const b = await t.as(root, { method: 'POST', url: `/api/projects/${t.world.projectA2}/buildings`, payload: { name: '12栋' } });
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json().name).toBe('12');
    const dup = await t.as(root, { method: 'POST', url: `/api/projects/${t.world.projectA2}/buildings`, payload: { name: '12' } });
    expect(dup.statusCode).toBe(409);
    const u = await t.as(root, { method: 'POST', url: `/api/buildings/${b.json().id}/units`, payload: { entrance: '2单元', floor: 3, roomNumber: '301' } });
    expect(u.json()).toMatchObject({ entrance: '2', label: '12栋2单元301' });
  });

  it('filters projects by ids for pickers', async () => {
    const res = await t.as(root, { method: 'GET', url: `/api/projects?ids=${t.world.projectA},${t.world.projectB}` });
    expect(res.json().items.map((p: { id: string }) => p.id).sort()).toEqual([t.world.projectA, t.world.projectB].sort());
    expect((await t.as(root, { method: 'GET', url: '/api/projects?ids=drop%20table' })).statusCode).toBe(400);
  });
});
