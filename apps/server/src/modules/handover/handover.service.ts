import type { Kysely } from 'kysely';
import type { StaffRole } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { DB } from '../../db/schema.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../http/app-error.js';
import { staleVersion } from '../../http/versioning.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { projectInScope, type Actor } from '../../platform/auth.js';
import { storeFile } from '../../platform/files.js';
import { enqueueJob } from '../../platform/jobs.js';
import { enqueueMessage } from '../../platform/outbox.js';
import { zonedDate } from '../../platform/time.js';
import { loadWorkCalendar } from '../calendar/calendar.service.js';
import { getProject } from '../org/org.service.js';
import { registerTicket } from '../tickets/tickets.service.js';
import { presentBatch, presentDefect, presentHandoverUnit, presentTemplate } from './handover.presenter.js';
import { defectsQuery, handoverUnitsQuery, type DefectRow } from './handover.repo.js';
import {
  ageBucket, AGE_BUCKETS, checklistErrors, DEADLINE_BUCKET_LABELS, deadlineBucket, DEFAULT_CHECKLIST, isFlagged, isOpenDefect, nextDefectStatus, rectificationDueAt, share,
  type ChecklistItem, type DeadlineBucket, type DefectAction, type DefectSeverity, type DefectStatus,
} from './handover.rules.js';

/** Who runs deliveries in the console. */
export const HANDOVER_STAFF: readonly StaffRole[] = ['agent', 'supervisor', 'manager', 'admin'];
/** Staff and the contractors' handlers (who see only their own department's tasks). */
export const HANDOVER_TASKS: readonly StaffRole[] = [...HANDOVER_STAFF, 'handler'];
export const OVERDUE_JOB = 'handover.defect_overdue';

const isStaff = (actor: Actor) => actor.roles.some((r) => HANDOVER_STAFF.includes(r));

// ---------- templates ----------

/** The default template (code `default`), inserted once; used by batches that name none. */
export async function ensureDefaultTemplate(db: Kysely<DB>, deps: Pick<Deps, 'ids' | 'clock'>): Promise<string> {
  const found = await db.selectFrom('handover_templates').select('id').where('code', '=', 'default').orderBy('version_no', 'desc').executeTakeFirst();
  if (found) return found.id;
  const id = deps.ids.next();
  await db.insertInto('handover_templates').values({
    id, code: 'default', version_no: 1, name: '标准验房检查表', items: JSON.stringify(DEFAULT_CHECKLIST), created_by: null, created_at: deps.clock.now().getTime(),
  }).onConflict((oc) => oc.columns(['code', 'version_no']).doNothing()).execute();
  return (await db.selectFrom('handover_templates').select('id').where('code', '=', 'default').where('version_no', '=', 1).executeTakeFirstOrThrow()).id;
}

export async function listTemplates(deps: Deps) {
  await ensureDefaultTemplate(deps.db, deps);
  const rows = await deps.db.selectFrom('handover_templates').selectAll().orderBy('code').orderBy('version_no', 'desc').execute();
  return rows.map(presentTemplate);
}

/** A new version of a template (or its first): versions are never edited, each one audited. */
export async function saveTemplate(deps: Deps, ctx: AuditContext, body: { code: string; name: string; items: ChecklistItem[] }) {
  const items = body.items.map((i) => ({ room: i.room.trim(), item: i.item.trim(), criterion: i.criterion.trim(), warrantyComponent: i.warrantyComponent.trim(), trade: i.trade.trim() }));
  const errors = checklistErrors(items);
  if (errors.length) throw new AppError(400, 'handover.invalid_template', '请检查标出的检查项', errors);
  const id = deps.ids.next();
  await deps.db.transaction().execute(async (trx) => {
    const last = await trx.selectFrom('handover_templates').select('version_no').where('code', '=', body.code).orderBy('version_no', 'desc').executeTakeFirst();
    const versionNo = Number(last?.version_no ?? 0) + 1;
    await trx.insertInto('handover_templates').values({ id, code: body.code, version_no: versionNo, name: body.name.trim(), items: JSON.stringify(items), created_by: ctx.actorId, created_at: deps.clock.now().getTime() }).execute();
    await appendAudit(trx, deps, ctx, { action: 'handover.template_saved', entityType: 'handover_template', entityId: id, after: { code: body.code, versionNo, name: body.name, items } });
  });
  return presentTemplate((await deps.db.selectFrom('handover_templates').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
}

async function templateItems(db: Kysely<DB>, templateId: string): Promise<ChecklistItem[]> {
  const t = await db.selectFrom('handover_templates').select('items').where('id', '=', templateId).executeTakeFirstOrThrow();
  return JSON.parse(t.items) as ChecklistItem[];
}

// ---------- batches ----------

const batchesQuery = (db: Kysely<DB>) => db.selectFrom('handover_batches as hb').innerJoin('projects as p', 'p.id', 'hb.project_id').selectAll('hb').select('p.name as project_name');

async function visibleBatch(deps: Deps, actor: Actor, id: string) {
  const row = await batchesQuery(deps.db).where('hb.id', '=', id).executeTakeFirst();
  if (!row || !projectInScope(actor, row.project_id)) throw notFound('交付批次不存在或不在您的数据范围内');
  return row;
}

/** A batch of a project in scope: the named units (or every unit of the named buildings) join it as 未检查. */
export async function createBatch(deps: Deps, actor: Actor, ctx: AuditContext, body: { projectId: string; name: string; windowFrom: string; windowTo: string; templateId?: string; buildingIds?: string[]; unitIds?: string[] }) {
  await getProject(deps, actor, body.projectId);
  if (body.windowTo < body.windowFrom) throw badRequest('交付结束日期不能早于开始日期', [{ field: 'windowTo', message: '早于开始日期' }]);
  const templateId = body.templateId ?? (await ensureDefaultTemplate(deps.db, deps));
  if (!(await deps.db.selectFrom('handover_templates').select('id').where('id', '=', templateId).executeTakeFirst())) {
    throw new AppError(400, 'handover.invalid_reference', '验房模板不存在', [{ field: 'templateId', message: '模板不存在' }]);
  }
  let uq = deps.db.selectFrom('units').select(['id', 'building_id', 'project_id']).where('project_id', '=', body.projectId);
  if (body.unitIds?.length) uq = uq.where('id', 'in', body.unitIds);
  else if (body.buildingIds?.length) uq = uq.where('building_id', 'in', body.buildingIds);
  else throw badRequest('请选择交付的楼栋或房屋', [{ field: 'buildingIds', message: '未选择' }]);
  const units = await uq.execute();
  if (body.unitIds?.length && units.length !== new Set(body.unitIds).size) throw new AppError(400, 'handover.invalid_reference', '部分房屋不属于该项目', [{ field: 'unitIds', message: '房屋不属于该项目' }]);
  if (!units.length) throw badRequest('所选楼栋没有房屋', [{ field: 'buildingIds', message: '没有房屋' }]);
  const now = deps.clock.now().getTime();
  const id = deps.ids.next();
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('handover_batches').values({
      id, project_id: body.projectId, name: body.name.trim(), window_from: body.windowFrom, window_to: body.windowTo, template_id: templateId, status: 'open',
      created_by: actor.userId, version: 1, created_at: now, updated_at: now,
    }).execute();
    for (let i = 0; i < units.length; i += 200) {
      await trx.insertInto('handover_units').values(units.slice(i, i + 200).map((u) => ({
        id: deps.ids.next(), batch_id: id, unit_id: u.id, project_id: u.project_id, building_id: u.building_id, status: 'not_inspected', sign_status: 'unsigned',
        sign_reason: null, signature_attachment_id: null, meters: null, first_inspected_at: null, inspected_by: null, passed_items: 0, handover_date: null, keys_to: null,
        refusal_reason: null, refusal_ticket_id: null, version: 1, created_at: now, updated_at: now,
      }))).execute();
    }
    await appendAudit(trx, deps, ctx, { action: 'handover.batch_created', entityType: 'handover_batch', entityId: id, after: { projectId: body.projectId, name: body.name, units: units.length, templateId } });
  });
  return getBatch(deps, actor, id);
}

/** Batches of the projects in scope, with their progress. */
export async function listBatches(deps: Deps, actor: Actor, q: { projectId?: string }) {
  let query = batchesQuery(deps.db).orderBy('hb.created_at', 'desc');
  if (actor.projectIds !== null) query = query.where('hb.project_id', 'in', actor.projectIds.length ? actor.projectIds : ['']);
  if (q.projectId) query = query.where('hb.project_id', '=', q.projectId);
  const rows = await query.execute();
  return Promise.all(rows.map(async (r) => ({ ...presentBatch(r), progress: await batchProgress(deps.db, r.id) })));
}

/** Units inspected, accepted, refused, with open defects, of a batch. */
async function batchProgress(db: Kysely<DB>, batchId: string) {
  const byStatus = await db.selectFrom('handover_units').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('batch_id', '=', batchId).groupBy('status').execute();
  const n = (s: string) => Number(byStatus.find((r) => r.status === s)?.n ?? 0);
  const withOpen = await db.selectFrom('handover_defects').select((eb) => eb.fn.count<number>('handover_unit_id').distinct().as('n'))
    .where('batch_id', '=', batchId).where('status', 'in', ['unassigned', 'to_rectify', 'in_progress', 'to_verify', 'disputed']).executeTakeFirstOrThrow();
  const total = byStatus.reduce((a, r) => a + Number(r.n), 0);
  return { units: total, notInspected: n('not_inspected'), inspected: total - n('not_inspected'), accepted: n('accepted'), refused: n('refused'), withOpenDefects: Number(withOpen.n) };
}

export async function getBatch(deps: Deps, actor: Actor, id: string) {
  const b = await visibleBatch(deps, actor, id);
  return { ...presentBatch(b), progress: await batchProgress(deps.db, id), checklist: await templateItems(deps.db, b.template_id) };
}

export async function listBatchUnits(deps: Deps, actor: Actor, batchId: string, q: { status?: string; buildingId?: string }) {
  await visibleBatch(deps, actor, batchId);
  let query = handoverUnitsQuery(deps.db).where('h.batch_id', '=', batchId).orderBy('b.name').orderBy('u.room_number');
  if (q.status) query = query.where('h.status', '=', q.status);
  if (q.buildingId) query = query.where('h.building_id', '=', q.buildingId);
  return (await query.execute()).map(presentHandoverUnit);
}

// ---------- units ----------

async function visibleHandoverUnit(deps: Deps, actor: Actor, id: string) {
  const row = await handoverUnitsQuery(deps.db).where('h.id', '=', id).executeTakeFirst();
  if (!row || !projectInScope(actor, row.project_id)) throw notFound('交付房屋不存在或不在您的数据范围内');
  return row;
}

export async function getHandoverUnit(deps: Deps, actor: Actor, id: string) {
  const h = await visibleHandoverUnit(deps, actor, id);
  const b = await deps.db.selectFrom('handover_batches').select('template_id').where('id', '=', h.batch_id).executeTakeFirstOrThrow();
  const defects = await defectsQuery(deps.db).where('d.handover_unit_id', '=', id).orderBy('d.created_at').execute();
  return { ...presentHandoverUnit(h), checklist: await templateItems(deps.db, b.template_id), defects: defects.map(presentDefect) };
}

/** Compare-and-set on a handover unit's version; 412 when someone else changed it. */
async function bumpUnit(trx: Kysely<DB>, id: string, version: number, patch: Partial<DB['handover_units']>, now: number) {
  const res = await trx.updateTable('handover_units').set({ ...patch, version: version + 1, updated_at: now }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw staleVersion();
}

/** Records the result of walking the checklist: items passed, 三表 readings, the owner's signature state (拒签 needs a reason). */
export async function recordInspection(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: { passedItems: number; meters?: { water?: number; electricity?: number; gas?: number }; signStatus: 'unsigned' | 'signed' | 'refused'; signReason?: string }) {
  const h = await visibleHandoverUnit(deps, actor, id);
  if (h.version !== version) throw staleVersion();
  if (h.status === 'accepted' || h.status === 'refused') throw conflict('handover.already_decided', '该房屋已收楼或已拒收，不能再修改查验结果');
  if (body.signStatus === 'refused' && !body.signReason?.trim()) throw badRequest('业主拒签时必须填写原因', [{ field: 'signReason', message: '请填写拒签原因' }]);
  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    await bumpUnit(trx, id, version, {
      status: 'inspected', passed_items: body.passedItems, meters: body.meters ? JSON.stringify(body.meters) : h.meters, sign_status: body.signStatus,
      sign_reason: body.signStatus === 'refused' ? body.signReason!.trim() : null, first_inspected_at: h.first_inspected_at ?? now, inspected_by: h.inspected_by ?? actor.userId,
    }, now);
    await appendAudit(trx, deps, ctx, { action: 'handover.inspected', entityType: 'handover_unit', entityId: id, before: { status: h.status, signStatus: h.sign_status }, after: body });
  });
  return getHandoverUnit(deps, actor, id);
}

async function assertContractor(db: Kysely<DB>, contractorId: string, projectId: string) {
  const d = await db.selectFrom('departments').select(['kind', 'active', 'project_id', 'city_company_id']).where('id', '=', contractorId).executeTakeFirst();
  const project = await db.selectFrom('projects').select('city_company_id').where('id', '=', projectId).executeTakeFirstOrThrow();
  const reachable = d && (d.project_id === projectId || (d.project_id === null && (d.city_company_id === null || d.city_company_id === project.city_company_id)));
  if (!d || d.kind !== 'contractor' || !d.active || !reachable) {
    throw new AppError(400, 'handover.invalid_reference', '整改单位须为该项目可用的施工单位', [{ field: 'contractorId', message: '不是该项目的施工单位' }]);
  }
}

async function addEvent(trx: Kysely<DB>, deps: Deps, actor: Actor, defectId: string, kind: string, body: string | null) {
  await trx.insertInto('handover_defect_events').values({ id: deps.ids.next(), defect_id: defectId, at: deps.clock.now().getTime(), kind, body, actor_id: actor.userId, actor_name: actor.displayName }).execute();
}

/** The overdue warning at the deadline (the job checks the defect is still open; the key holds the failure round so a re-opened defect warns again). */
async function scheduleOverdue(trx: Kysely<DB>, deps: Deps, defectId: string, dueAt: number, round: number) {
  await enqueueJob(trx, deps, { kind: OVERDUE_JOB, payload: { defectId }, runAt: dueAt, dedupeKey: `${OVERDUE_JOB}:${defectId}:${round}` });
}

/** A defect found at inspection. The unit must belong to the batch and the room × item to its checklist; the deadline follows the severity policy on working days. */
export async function addDefect(deps: Deps, actor: Actor, ctx: AuditContext, batchId: string, body: { unitId: string; room: string; item: string; description: string; severity: DefectSeverity; pinX?: number; pinY?: number; contractorId?: string }) {
  const b = await visibleBatch(deps, actor, batchId);
  const h = await deps.db.selectFrom('handover_units').selectAll().where('batch_id', '=', batchId).where('unit_id', '=', body.unitId).executeTakeFirst();
  if (!h) throw new AppError(400, 'handover.unit_not_in_batch', '该房屋不在本交付批次内', [{ field: 'unitId', message: '房屋不在本批次' }]);
  if (h.status === 'accepted' || h.status === 'refused') throw conflict('handover.already_decided', '该房屋已收楼或已拒收，新问题请按保修报修登记');
  const items = await templateItems(deps.db, b.template_id);
  if (!items.some((i) => i.room === body.room && i.item === body.item)) throw new AppError(400, 'handover.invalid_reference', '检查表中没有该房间和检查项', [{ field: 'item', message: '不在检查表中' }]);
  if (body.contractorId) await assertContractor(deps.db, body.contractorId, b.project_id);
  const now = deps.clock.now().getTime();
  const due = rectificationDueAt(now, body.severity, await loadWorkCalendar(deps));
  const id = deps.ids.next();
  const status: DefectStatus = body.contractorId ? 'to_rectify' : 'unassigned';
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('handover_defects').values({
      id, batch_id: batchId, handover_unit_id: h.id, unit_id: h.unit_id, project_id: h.project_id, building_id: h.building_id, room: body.room, item: body.item,
      description: body.description.trim(), severity: body.severity, pin_x: body.pinX ?? null, pin_y: body.pinY ?? null, contractor_id: body.contractorId ?? null, status,
      registered_at: now, due_at: due, fixed_at: null, closed_at: null, reinspect_failures: 0, warned_at: null, created_by: actor.userId, version: 1, created_at: now, updated_at: now,
    }).execute();
    if (h.status === 'not_inspected') await trx.updateTable('handover_units').set({ status: 'inspected', first_inspected_at: now, inspected_by: actor.userId, version: h.version + 1, updated_at: now }).where('id', '=', h.id).execute();
    await addEvent(trx, deps, actor, id, 'registered', body.description.trim());
    await scheduleOverdue(trx, deps, id, due, 0);
    await appendAudit(trx, deps, ctx, { action: 'handover.defect_added', entityType: 'handover_defect', entityId: id, after: { ...body, dueAt: due } });
  });
  return getDefect(deps, actor, id);
}

// ---------- defects ----------

/** A defect the actor may see: staff by project scope, a contractor's handler only its own department's (404 otherwise). */
async function visibleDefect(deps: Deps, actor: Actor, id: string): Promise<DefectRow> {
  const d = await defectsQuery(deps.db).where('d.id', '=', id).executeTakeFirst();
  const ok = d && projectInScope(actor, d.project_id) && (isStaff(actor) || (actor.departmentId !== null && d.contractor_id === actor.departmentId));
  if (!ok) throw notFound('问题不存在或不在您的数据范围内');
  return d;
}

export async function getDefect(deps: Deps, actor: Actor, id: string) {
  const d = await visibleDefect(deps, actor, id);
  const [events, photos] = await Promise.all([
    deps.db.selectFrom('handover_defect_events').selectAll().where('defect_id', '=', id).orderBy('at').orderBy('id').execute(),
    deps.db.selectFrom('attachments').select(['id', 'filename', 'content_type', 'size']).where('owner_type', '=', 'handover_defect').where('owner_id', '=', id).orderBy('created_at').execute(),
  ]);
  return {
    ...presentDefect(d),
    events: events.map((e) => ({ at: new Date(Number(e.at)).toISOString(), kind: e.kind, body: e.body, actorName: e.actor_name })),
    photos: photos.map((p) => ({ id: p.id, filename: p.filename, contentType: p.content_type, size: Number(p.size) })),
  };
}

/** Defects in scope; a contractor's handler sees only its own department's tasks. */
export async function listDefects(deps: Deps, actor: Actor, q: { batchId?: string; contractorId?: string; status?: string; handoverUnitId?: string; overdue?: boolean }) {
  let query = defectsQuery(deps.db).orderBy('d.registered_at', 'desc').orderBy('d.id', 'desc').limit(1000);
  if (actor.projectIds !== null) query = query.where('d.project_id', 'in', actor.projectIds.length ? actor.projectIds : ['']);
  if (!isStaff(actor)) query = query.where('d.contractor_id', '=', actor.departmentId ?? '');
  if (q.batchId) query = query.where('d.batch_id', '=', q.batchId);
  if (q.contractorId) query = query.where('d.contractor_id', '=', q.contractorId);
  if (q.status) query = query.where('d.status', '=', q.status);
  if (q.handoverUnitId) query = query.where('d.handover_unit_id', '=', q.handoverUnitId);
  if (q.overdue) query = query.where('d.due_at', '<', deps.clock.now().getTime()).where('d.status', 'in', ['to_rectify', 'in_progress', 'unassigned']);
  return (await query.execute()).map(presentDefect);
}

const ACTION_TEXT: Record<DefectAction, string> = {
  assign: '分配整改单位', start: '开始整改', report_fix: '整改完成', reinspect_pass: '复验通过', reinspect_fail: '复验不通过', cancel: '取消', dispute: '标记争议',
};

/**
 * One step of the defect's life (If-Match). Contractors may only start and report a fix of
 * their own tasks; assigning, re-inspecting, cancelling and disputes are the center's.
 */
export async function actOnDefect(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, action: DefectAction, body: { contractorId?: string; note?: string }) {
  const d = await visibleDefect(deps, actor, id);
  const contractorAction = action === 'start' || action === 'report_fix';
  if (!isStaff(actor) && !contractorAction) throw forbidden('施工单位只能开始整改和报告整改完成；复验、销项由客服中心办理');
  if (d.version !== version) throw staleVersion();
  const to = nextDefectStatus(d.status as DefectStatus, action);
  if (!to) {
    const detail = action.startsWith('reinspect') ? '只有已报整改完成（待销项）的问题才能复验' : `问题当前状态不允许“${ACTION_TEXT[action]}”`;
    throw conflict('handover.invalid_transition', detail);
  }
  if ((action === 'cancel' || action === 'dispute' || action === 'reinspect_fail') && !body.note?.trim()) throw badRequest('请填写原因', [{ field: 'note', message: '请填写原因' }]);
  if (action === 'assign') {
    if (!body.contractorId) throw badRequest('请选择整改单位', [{ field: 'contractorId', message: '请选择' }]);
    await assertContractor(deps.db, body.contractorId, d.project_id);
  }
  const now = deps.clock.now().getTime();
  const failures = Number(d.reinspect_failures) + (action === 'reinspect_fail' ? 1 : 0);
  const patch: Partial<DB['handover_defects']> = {
    status: to,
    ...(action === 'assign' ? { contractor_id: body.contractorId! } : {}),
    ...(action === 'report_fix' ? { fixed_at: now } : {}),
    ...(action === 'reinspect_pass' ? { closed_at: now } : {}),
    ...(action === 'cancel' ? { closed_at: now } : {}),
    // Back to the contractor with the deadline kept; the fix no longer counts as done.
    ...(action === 'reinspect_fail' ? { fixed_at: null, reinspect_failures: failures } : {}),
  };
  await deps.db.transaction().execute(async (trx) => {
    const res = await trx.updateTable('handover_defects').set({ ...patch, version: version + 1, updated_at: now }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw staleVersion();
    await addEvent(trx, deps, actor, id, action, body.note?.trim() || null);
    if (action === 'reinspect_fail' && d.due_at !== null) {
      // Already past the kept deadline: warn again now; otherwise at the deadline.
      await scheduleOverdue(trx, deps, id, Math.max(Number(d.due_at), now), failures);
      if (isFlagged(failures)) await notifyContractor(trx, deps, { ...d, reinspect_failures: failures }, `第 ${failures} 次复验不通过`);
    }
    await appendAudit(trx, deps, ctx, { action: `handover.defect_${action}`, entityType: 'handover_defect', entityId: id, before: { status: d.status, contractorId: d.contractor_id }, after: { status: to, ...body } });
  });
  return getDefect(deps, actor, id);
}

/** In-app notices to the contractor's active users and the batch's creator. */
async function notifyContractor(trx: Kysely<DB>, deps: Deps, d: DefectRow, why: string) {
  const users = d.contractor_id ? await trx.selectFrom('users').select('id').where('department_id', '=', d.contractor_id).where('active', '=', 1).execute() : [];
  const batch = await trx.selectFrom('handover_batches').select('created_by').where('id', '=', d.batch_id).executeTakeFirstOrThrow();
  const recipients = new Set([...users.map((u) => u.id), batch.created_by]);
  for (const uid of recipients) {
    await enqueueMessage(trx, deps, {
      channel: 'in_app', recipient: uid, subject: `交付整改：${why}`, body: `${d.building_name} ${d.room_number} ${d.room}·${d.item}：${d.description}`,
      link: `/handover/defects/${d.id}`, idempotencyKey: `handover:${d.id}:${why}:${Number(d.reinspect_failures)}:${uid}`,
    });
  }
}

/** The overdue job: still open past its deadline → warn the contractor and the batch owner once per round. */
export async function warnOverdue(deps: Deps, defectId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const d = await defectsQuery(trx).where('d.id', '=', defectId).executeTakeFirst();
    const now = deps.clock.now().getTime();
    if (!d || d.due_at === null || !['unassigned', 'to_rectify', 'in_progress'].includes(d.status) || Number(d.due_at) > now) return;
    await notifyContractor(trx, deps, d, '整改超期');
    await trx.updateTable('handover_defects').set({ warned_at: now }).where('id', '=', defectId).execute();
  });
}

/** A photo of a defect (before or after the fix): type by content, ≤10 MB, stored like every attachment. */
export async function addDefectPhoto(deps: Deps, actor: Actor, ctx: AuditContext, id: string, file: () => Promise<{ filename: string; data: Buffer }>) {
  const d = await visibleDefect(deps, actor, id);
  const { filename, data } = await file();
  return storeAttachment(deps, ctx, 'handover_defect', d.id, d.project_id, actor, filename, data);
}

async function storeAttachment(deps: Deps, ctx: AuditContext, ownerType: string, ownerId: string, projectId: string, actor: Actor, filename: string, data: Buffer) {
  const id = deps.ids.next();
  const stored = storeFile(deps.config.dataDir, id, filename, data);
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('attachments').values({
      id, owner_type: ownerType, owner_id: ownerId, project_id: projectId, filename: stored.filename, content_type: stored.contentType, size: stored.size,
      sha256: stored.sha256, storage_key: stored.storageKey, created_by: actor.userId, created_at: deps.clock.now().getTime(),
    }).execute();
    await appendAudit(trx, deps, ctx, { action: 'attachment.added', entityType: ownerType, entityId: ownerId, after: { id, filename: stored.filename, size: stored.size, sha256: stored.sha256 } });
  });
  return { id, filename: stored.filename, contentType: stored.contentType, size: stored.size };
}

/** The owner's signature image for a handover unit (staff only). */
export async function addSignature(deps: Deps, actor: Actor, ctx: AuditContext, id: string, file: () => Promise<{ filename: string; data: Buffer }>) {
  const h = await visibleHandoverUnit(deps, actor, id);
  const { filename, data } = await file();
  if (!/\.(png|jpe?g|webp)$/i.test(filename)) throw new AppError(415, 'attachment.invalid', '签名须为图片（PNG、JPG、WEBP）', [{ field: 'file', message: '须为图片' }]);
  return storeAttachment(deps, ctx, 'handover_signature', h.id, h.project_id, actor, filename, data);
}

/** An attachment of a defect or signature the actor may see (access follows the record). */
export async function handoverAttachment(deps: Deps, actor: Actor, attachmentId: string) {
  const a = await deps.db.selectFrom('attachments').selectAll().where('id', '=', attachmentId).executeTakeFirst();
  if (!a) throw notFound('附件不存在');
  if (a.owner_type === 'handover_defect') await visibleDefect(deps, actor, a.owner_id);
  else if (a.owner_type === 'handover_signature' && isStaff(actor)) await visibleHandoverUnit(deps, actor, a.owner_id);
  else throw notFound('附件不存在');
  return a;
}

// ---------- keys and acceptance ----------

/**
 * 收楼: keys handed over on a date to a person, the owner's signature; the unit's actual
 * handover date and warranty start are set from it. Open defects carry on (as warranty
 * repairs) with their history.
 */
export async function acceptHandover(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: { handoverDate: string; keysTo: string; signatureAttachmentId?: string }) {
  const h = await visibleHandoverUnit(deps, actor, id);
  if (h.version !== version) throw staleVersion();
  if (h.status === 'accepted' || h.status === 'refused') throw conflict('handover.already_decided', '该房屋已收楼或已拒收');
  if (h.status === 'not_inspected') throw conflict('handover.invalid_transition', '请先完成验房再办理收楼');
  const registered = zonedDate(Number(h.first_inspected_at ?? h.created_at), deps.config.timeZone);
  if (body.handoverDate < registered) throw badRequest('收楼日期不能早于验房日期', [{ field: 'handoverDate', message: `不能早于 ${registered}` }]);
  if (body.signatureAttachmentId) {
    const a = await deps.db.selectFrom('attachments').select('id').where('id', '=', body.signatureAttachmentId).where('owner_type', '=', 'handover_signature').where('owner_id', '=', id).executeTakeFirst();
    if (!a) throw new AppError(400, 'handover.invalid_reference', '签名图片不属于该房屋', [{ field: 'signatureAttachmentId', message: '签名无效' }]);
  }
  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    await bumpUnit(trx, id, version, {
      status: 'accepted', handover_date: body.handoverDate, keys_to: body.keysTo.trim(), sign_status: body.signatureAttachmentId ? 'signed' : h.sign_status,
      signature_attachment_id: body.signatureAttachmentId ?? h.signature_attachment_id,
    }, now);
    await trx.updateTable('units').set({ actual_handover_date: body.handoverDate, warranty_start_date: body.handoverDate, updated_at: now }).where('id', '=', h.unit_id).execute();
    await appendAudit(trx, deps, ctx, { action: 'handover.accepted', entityType: 'handover_unit', entityId: id, before: { status: h.status }, after: { ...body, warrantyStartDate: body.handoverDate } });
  });
  return getHandoverUnit(deps, actor, id);
}

/** 拒收: the owner refuses with reasons; a complaint ticket (channel 交付) is registered through the tickets service. */
export async function refuseHandover(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: { reasons: string }) {
  const h = await visibleHandoverUnit(deps, actor, id);
  if (h.version !== version) throw staleVersion();
  if (h.status === 'accepted' || h.status === 'refused') throw conflict('handover.already_decided', '该房屋已收楼或已拒收');
  const owner = await deps.db.selectFrom('customer_units').select('customer_id').where('unit_id', '=', h.unit_id).where('relation', '=', 'owner').where('to_date', 'is', null).executeTakeFirst();
  const { ticket } = await registerTicket(deps, actor, ctx, {
    type: 'complaint', severity: 'major', channel: 'handover', projectId: h.project_id, unitId: h.unit_id, customerId: owner?.customer_id ?? null,
    title: `拒绝收楼：${h.building_name} ${h.room_number}`, description: `业主拒绝收楼。原因：${body.reasons.trim()}`,
  }, `handover-refusal:${id}`);
  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    await bumpUnit(trx, id, version, { status: 'refused', refusal_reason: body.reasons.trim(), refusal_ticket_id: ticket.id }, now);
    await appendAudit(trx, deps, ctx, { action: 'handover.refused', entityType: 'handover_unit', entityId: id, before: { status: h.status }, after: { reasons: body.reasons, ticketId: ticket.id } });
  });
  return getHandoverUnit(deps, actor, id);
}

// ---------- reports ----------

export type ReportGroup = 'building' | 'contractor';

/** The numbers of a batch, overall and per building or contractor (M2). */
export async function batchReport(deps: Deps, actor: Actor, batchId: string, groupBy: ReportGroup = 'building') {
  const b = await visibleBatch(deps, actor, batchId);
  const now = deps.clock.now().getTime();
  const defects = await defectsQuery(deps.db).where('d.batch_id', '=', batchId).where('d.status', '!=', 'cancelled').execute();
  const units = await handoverUnitsQuery(deps.db).where('h.batch_id', '=', batchId).execute();
  const reinspections = await deps.db.selectFrom('handover_defect_events as e').innerJoin('handover_defects as d', 'd.id', 'e.defect_id')
    .select(['e.kind', 'd.building_id', 'd.contractor_id']).where('d.batch_id', '=', batchId).where('e.kind', 'in', ['reinspect_pass', 'reinspect_fail']).execute();

  const summarize = (ds: typeof defects, us: typeof units | null, re: typeof reinspections) => {
    const buckets = Object.fromEntries((Object.keys(DEADLINE_BUCKET_LABELS) as DeadlineBucket[]).map((k) => [k, 0])) as Record<DeadlineBucket, number>;
    for (const d of ds) buckets[deadlineBucket({ due_at: d.due_at === null ? null : Number(d.due_at), fixed_at: d.fixed_at === null ? null : Number(d.fixed_at), status: d.status }, now)]++;
    const ages = Object.fromEntries(AGE_BUCKETS.map((a) => [a.key, 0])) as Record<(typeof AGE_BUCKETS)[number]['key'], number>;
    for (const d of ds) if (isOpenDefect(d.status)) ages[ageBucket(Number(d.registered_at), now)]++;
    const passes = re.filter((r) => r.kind === 'reinspect_pass').length;
    const inspected = us ? us.filter((u) => u.status !== 'not_inspected') : null;
    const unitsWithDefects = new Set(ds.map((d) => d.handover_unit_id));
    const firstPass = inspected ? inspected.filter((u) => !unitsWithDefects.has(u.id)).length : null;
    const finished = buckets.on_time + buckets.late_done;
    return {
      defects: ds.length,
      openDefects: ds.filter((d) => isOpenDefect(d.status)).length,
      closedDefects: ds.filter((d) => d.status === 'closed').length,
      unitsInspected: inspected?.length ?? null,
      defectsPerUnit: inspected ? share(ds.length, inspected.length) : null,
      firstPassRate: inspected ? share(firstPass!, inspected.length) : null,
      onTimeRate: share(buckets.on_time, finished),
      reinspections: re.length,
      reinspectPassRate: share(passes, re.length),
      buckets,
      openByAge: ages,
    };
  };

  const count = (key: (d: (typeof defects)[number]) => string) => {
    const m = new Map<string, number>();
    for (const d of defects) m.set(key(d), (m.get(key(d)) ?? 0) + 1);
    return [...m].map(([k, n]) => ({ key: k, count: n })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  };

  const groups = new Map<string, string>();
  for (const d of defects) {
    if (groupBy === 'building') groups.set(d.building_id, d.building_name);
    else groups.set(d.contractor_id ?? '', d.contractor_name ?? '未分配');
  }
  if (groupBy === 'building') for (const u of units) groups.set(u.building_id, u.building_name);
  const rows = [...groups].map(([id, name]) => {
    const ds = defects.filter((d) => (groupBy === 'building' ? d.building_id : d.contractor_id ?? '') === id);
    const us = groupBy === 'building' ? units.filter((u) => u.building_id === id) : null;
    const re = reinspections.filter((r) => (groupBy === 'building' ? r.building_id : r.contractor_id ?? '') === id);
    return { id, name, ...summarize(ds, us, re) };
  }).sort((a, b) => a.name.localeCompare(b.name, 'zh'));

  return {
    batchId, batchName: b.name, projectName: b.project_name, asOf: new Date(now).toISOString(), groupBy,
    progress: await batchProgress(deps.db, batchId),
    total: summarize(defects, units, reinspections),
    groups: rows,
    byRoom: count((d) => d.room),
    byItem: count((d) => `${d.room}·${d.item}`),
  };
}
