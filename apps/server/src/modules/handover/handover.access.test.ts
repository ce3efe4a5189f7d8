import { accessMatrix, mentions, type Where } from '../../test/access-matrix.js';
import type { TestApp } from '../../test/app.js';
import { storeFile } from '../../platform/files.js';
import { ensureDefaultTemplate } from './handover.service.js';

const STAFF = ['agent', 'supervisor', 'manager', 'admin'] as const;
const TASKS = [...STAFF, 'handler'] as const;

/** The records each call acts on, made fresh before every call: a batch, its unit and a defect assigned to the project's handler department. */
const current = { in: { batch: '', unit: '', defect: '' }, out: { batch: '', unit: '', defect: '' } };
async function insertFixture(t: TestApp, where: Where) {
  const w = t.world;
  const [projectId, unitId, buildingId, dept] = where === 'in' ? [w.projectA, w.unitA, w.buildingA, w.deptPropA] : [w.projectB, w.unitB, w.buildingB, w.deptPropB];
  const db = t.deps.db;
  const now = t.clock.now().getTime();
  const s = { version: 1, created_at: now, updated_at: now };
  const ids = { batch: t.deps.ids.next(), unit: t.deps.ids.next(), defect: t.deps.ids.next() };
  await db.insertInto('handover_batches').values({ id: ids.batch, project_id: projectId, name: '批次', window_from: '2026-11-01', window_to: '2026-12-31', template_id: await ensureDefaultTemplate(db, t.deps), status: 'open', created_by: w.users.root!, ...s }).execute();
  await db.insertInto('handover_units').values({
    id: ids.unit, batch_id: ids.batch, unit_id: unitId, project_id: projectId, building_id: buildingId, status: 'inspected', sign_status: 'unsigned', sign_reason: null,
    signature_attachment_id: null, meters: null, first_inspected_at: now, inspected_by: null, passed_items: 0, handover_date: null, keys_to: null, refusal_reason: null, refusal_ticket_id: null, ...s,
  }).execute();
  await db.insertInto('handover_defects').values({
    id: ids.defect, batch_id: ids.batch, handover_unit_id: ids.unit, unit_id: unitId, project_id: projectId, building_id: buildingId, room: '客厅', item: '墙面', description: '开裂',
    severity: 'minor', pin_x: null, pin_y: null, contractor_id: dept, status: 'to_rectify', registered_at: now, due_at: now + 86_400_000, fixed_at: null, closed_at: null,
    reinspect_failures: 0, warned_at: null, created_by: w.users.root!, ...s,
  }).execute();
  current[where] = ids;
}
const prepare = async (t: TestApp, where: Where) => insertFixture(t, where);
const both = async (t: TestApp) => { await insertFixture(t, 'in'); await insertFixture(t, 'out'); };
const version = async () => 1;
const projectOf = (w: TestApp['world'], where: Where) => (where === 'in' ? w.projectA : w.projectB);

let attachmentIn = '';
let attachmentOut = '';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
async function withPhotos(t: TestApp) {
  await both(t);
  for (const where of ['in', 'out'] as const) {
    const id = t.deps.ids.next();
    const stored = storeFile(t.deps.config.dataDir, id, 'p.png', PNG);
    await t.deps.db.insertInto('attachments').values({
      id, owner_type: 'handover_defect', owner_id: current[where].defect, project_id: where === 'in' ? t.world.projectA : t.world.projectB, filename: stored.filename,
      content_type: stored.contentType, size: stored.size, sha256: stored.sha256, storage_key: stored.storageKey, created_by: t.world.users.root!, created_at: t.clock.now().getTime(),
    }).execute();
    if (where === 'in') attachmentIn = id; else attachmentOut = id;
  }
}

accessMatrix('handover', [
  { method: 'GET', path: '/api/handover/templates', url: () => '/api/handover/templates', allowed: STAFF, noOutOfScope: true },
  {
    method: 'POST', path: '/api/handover/templates', url: () => '/api/handover/templates', allowed: ['manager', 'admin'], noOutOfScope: true,
    body: (_w, _where, n) => ({ code: `t${n}`, name: '模板', items: [{ room: '客厅', item: '墙面', criterion: '平整', warrantyComponent: 'decoration', trade: '土建' }] }),
  },
  { method: 'POST', path: '/api/handover/batches/:id/exports', url: (_w, where) => `/api/handover/batches/${current[where].batch}/exports`, allowed: STAFF, prepare },
  { method: 'POST', path: '/api/handover/units/:id/signature', url: (_w, where) => `/api/handover/units/${current[where].unit}/signature`, allowed: STAFF, prepare, body: () => ({}) },
  {
    method: 'POST', path: '/api/handover/units/:id/refuse', url: (_w, where) => `/api/handover/units/${current[where].unit}/refuse`, allowed: STAFF, prepare, version,
    body: () => ({ reasons: '窗户变形' }),
  },
  { method: 'POST', path: '/api/handover/defects/:id/photos', url: (_w, where) => `/api/handover/defects/${current[where].defect}/photos`, allowed: TASKS, prepare, body: () => ({}) },
  { method: 'GET', path: '/api/handover/attachments/:id', url: (_w, where) => `/api/handover/attachments/${where === 'in' ? attachmentIn : attachmentOut}`, allowed: TASKS, prepare: withPhotos },
  { method: 'GET', path: '/api/handover/batches', url: () => '/api/handover/batches', allowed: STAFF, prepare: both, leaks: (r, w) => mentions(r, w.projectB) },
  {
    method: 'POST', path: '/api/handover/batches', url: () => '/api/handover/batches', allowed: ['supervisor', 'manager', 'admin'],
    body: (w, where, n) => ({ projectId: projectOf(w, where), name: `批次 ${n}`, windowFrom: '2026-12-01', windowTo: '2026-12-31', buildingIds: [where === 'in' ? w.buildingA : w.buildingB] }),
  },
  { method: 'GET', path: '/api/handover/batches/:id', url: (_w, where) => `/api/handover/batches/${current[where].batch}`, allowed: STAFF, prepare },
  { method: 'GET', path: '/api/handover/batches/:id/units', url: (_w, where) => `/api/handover/batches/${current[where].batch}/units`, allowed: STAFF, prepare },
  { method: 'GET', path: '/api/handover/batches/:id/report', url: (_w, where) => `/api/handover/batches/${current[where].batch}/report`, allowed: STAFF, prepare },
  {
    method: 'POST', path: '/api/handover/batches/:id/defects', url: (_w, where) => `/api/handover/batches/${current[where].batch}/defects`, allowed: STAFF, prepare,
    body: (w, where) => ({ unitId: where === 'in' ? w.unitA : w.unitB, room: '卧室', item: '地面', description: '地面空鼓', severity: 'minor' }),
  },
  { method: 'GET', path: '/api/handover/units/:id', url: (_w, where) => `/api/handover/units/${current[where].unit}`, allowed: STAFF, prepare },
  {
    method: 'POST', path: '/api/handover/units/:id/inspection', url: (_w, where) => `/api/handover/units/${current[where].unit}/inspection`, allowed: STAFF, prepare, version,
    body: () => ({ passedItems: 3, signStatus: 'signed' }),
  },
  {
    method: 'POST', path: '/api/handover/units/:id/accept', url: (_w, where) => `/api/handover/units/${current[where].unit}/accept`, allowed: STAFF, prepare, version,
    body: () => ({ handoverDate: '2026-12-01', keysTo: '业主' }),
  },
  { method: 'GET', path: '/api/handover/defects', url: () => '/api/handover/defects', allowed: TASKS, prepare: both, leaks: (r, w) => mentions(r, w.projectB) },
  { method: 'GET', path: '/api/handover/defects/:id', url: (_w, where) => `/api/handover/defects/${current[where].defect}`, allowed: TASKS, prepare },
  { method: 'POST', path: '/api/handover/defects/:id/:action', url: (_w, where) => `/api/handover/defects/${current[where].defect}/start`, allowed: TASKS, prepare, version, body: () => ({}) },
  {
    method: 'POST', path: '/api/handover/defects/:id/:action', url: (_w, where) => `/api/handover/defects/${current[where].defect}/dispute`, allowed: STAFF, prepare, version,
    // A handler may start and report fixes only: a dispute is the center's (403 on its own task).
    body: () => ({ note: '业主与施工方意见不一致' }),
  },
]);
