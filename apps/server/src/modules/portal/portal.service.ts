import type { Kysely } from 'kysely';
import {
  OPEN_STATUSES, PORTAL_PHOTOS_MAX, TICKET_TYPE_LABELS, UNIT_RELATION_LABELS, maskPhone,
  type PortalCategory, type PortalCommonArea, type PortalHome, type PortalMatter, type PortalMatterSummary, type PortalMe, type PortalNotice,
  type PortalPhoto, type PortalRateBody, type PortalReportBody, type PortalTimelineEntry, type TicketType, type UnitRelation,
} from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { DB, TicketsTable } from '../../db/schema.js';
import { AppError, badRequest, notFound } from '../../http/app-error.js';
import { iso, isoOrNull } from '../../http/pagination.js';
import type { AuditContext } from '../../platform/audit.js';
import { appendAudit } from '../../platform/audit.js';
import { loadActor, systemActor } from '../../platform/auth.js';
import { deleteStoredFile, readStoredFile, storeFile } from '../../platform/files.js';
import { enqueueMessage } from '../../platform/outbox.js';
import type { OwnerActor } from '../../platform/owner-auth.js';
import { zonedTime } from './portal.time.js';
import { firstPhoneOf } from '../customers/customer-phones.repo.js';
import { recordCallbackResult } from '../callbacks/callbacks.service.js';
import { listCategories } from '../tickets/categories.service.js';
import { registerTicket, staffOfProject, ticketHooks } from '../tickets/tickets.service.js';
import { descriptionProblem, maskName, nextAgent, ownerStage, relationRights, STAGE_LABELS } from './portal.rules.js';

/** Photos an owner may attach: images only, 5 MB each (the portal compresses before upload). */
export const PORTAL_PHOTO_MAX_BYTES = 5 * 1024 * 1024;
const PORTAL_UPLOAD = 'portal_upload';
const notFoundMatter = () => notFound('报事记录不存在');

const projectsOf = (owner: OwnerActor) => [...new Set(owner.units.map((u) => u.projectId))];

/** The owner and their homes, each with its open and past matters. */
export async function me(deps: Deps, owner: OwnerActor): Promise<PortalMe> {
  const phone = (await firstPhoneOf(deps.db, deps.config.fieldKey, [owner.customerId])).get(owner.customerId) ?? null;
  const unitIds = owner.units.map((u) => u.unitId);
  const rows = unitIds.length
    ? await deps.db.selectFrom('customer_units as cu').innerJoin('units as u', 'u.id', 'cu.unit_id').innerJoin('buildings as b', 'b.id', 'u.building_id').innerJoin('projects as p', 'p.id', 'u.project_id')
      .select(['cu.unit_id', 'cu.project_id', 'cu.relation', 'cu.actual_handover_date', 'cu.warranty_start_date', 'p.name as project_name', 'b.name as building_name', 'u.entrance', 'u.room_number'])
      .where('cu.customer_id', '=', owner.customerId).where('cu.unit_id', 'in', unitIds).orderBy('p.name').orderBy('b.name').orderBy('u.room_number').execute()
    : [];
  const counts = unitIds.length
    ? await deps.db.selectFrom('tickets').select(['unit_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('customer_id', '=', owner.customerId).where('unit_id', 'in', unitIds).groupBy(['unit_id', 'status']).execute()
    : [];
  const unread = await deps.db.selectFrom('portal_notices').select((eb) => eb.fn.countAll<number>().as('n')).where('customer_id', '=', owner.customerId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  const seen = new Set<string>();
  const homes: PortalHome[] = [];
  for (const r of rows) {
    if (seen.has(r.unit_id)) continue;
    seen.add(r.unit_id);
    const rights = relationRights(r.relation);
    const mine = counts.filter((c) => c.unit_id === r.unit_id);
    const open = mine.filter((c) => (OPEN_STATUSES as readonly string[]).includes(c.status)).reduce((a, c) => a + Number(c.n), 0);
    const all = mine.reduce((a, c) => a + Number(c.n), 0);
    homes.push({
      unitId: r.unit_id, projectId: r.project_id, projectName: r.project_name, buildingName: r.building_name, entrance: r.entrance || null, roomNumber: r.room_number,
      relation: r.relation, relationLabel: UNIT_RELATION_LABELS[r.relation as UnitRelation] ?? r.relation,
      handoverDate: rights.seeUnitDetails ? r.actual_handover_date : null, warrantyStartDate: rights.seeUnitDetails ? r.warranty_start_date : null,
      mayReport: rights.report, openMatters: open, pastMatters: all - open,
    });
  }
  return { customerId: owner.customerId, displayName: maskName(owner.name), phone: maskPhone(phone) ?? '', homes, unreadNotices: Number(unread.n) };
}

/** The category tree of the portal's types (the console's tree, active categories only). */
export async function categories(deps: Deps): Promise<PortalCategory[]> {
  const all = await listCategories(deps.db);
  return all.filter((c) => c.active && c.type !== 'other').map((c) => ({ id: c.id, type: c.type, name: c.name, parentId: c.parentId }));
}

/** The common areas of the owner's projects. */
export async function commonAreas(deps: Deps, owner: OwnerActor): Promise<PortalCommonArea[]> {
  const projects = projectsOf(owner);
  if (!projects.length) return [];
  const rows = await deps.db.selectFrom('common_areas').select(['id', 'project_id', 'name']).where('project_id', 'in', projects).orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, projectId: r.project_id, name: r.name }));
}

/** Stores a photo for a report not sent yet: an image by its content, at most 5 MB. */
export async function uploadPhoto(deps: Deps, owner: OwnerActor, ctx: AuditContext, filename: string, data: Buffer): Promise<PortalPhoto> {
  const project = owner.units[0]?.projectId;
  if (!project) throw new AppError(403, 'access.forbidden', '您名下暂无房屋，不能上传照片');
  if (data.length > PORTAL_PHOTO_MAX_BYTES) throw new AppError(413, 'request.too_large', `照片不能超过 ${PORTAL_PHOTO_MAX_BYTES / 1024 / 1024} MB`);
  const id = deps.ids.next();
  const stored = storeFile(deps.config.dataDir, id, filename || 'photo.jpg', data);
  if (!stored.contentType.startsWith('image/')) {
    deleteStoredFile(deps.config.dataDir, stored.storageKey);
    throw new AppError(415, 'attachment.invalid', '只能上传 JPG、PNG、WEBP 或 GIF 照片', [{ field: 'file', message: '不是图片' }]);
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('attachments').values({
      id, owner_type: PORTAL_UPLOAD, owner_id: owner.customerId, project_id: project, filename: stored.filename, content_type: stored.contentType, size: stored.size,
      sha256: stored.sha256, storage_key: stored.storageKey, created_by: `customer:${owner.customerId}`, created_at: deps.clock.now().getTime(),
    }).execute();
    await appendAudit(trx, deps, ctx, { action: 'attachment.added', entityType: 'customer', entityId: owner.customerId, after: { id, size: stored.size, sha256: stored.sha256, via: 'portal' } });
  });
  return { id, contentType: stored.contentType, size: stored.size };
}

/** A photo the owner uploaded or one of their own matters' photos; 404 otherwise. */
export async function readPhoto(deps: Deps, owner: OwnerActor, id: string): Promise<{ contentType: string; data: Buffer }> {
  const a = await deps.db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) throw notFound('照片不存在');
  if (a.owner_type === PORTAL_UPLOAD) {
    if (a.owner_id !== owner.customerId) throw notFound('照片不存在');
  } else if (a.owner_type === 'ticket') {
    await visibleMatter(deps, owner, a.owner_id).catch(() => { throw notFound('照片不存在'); });
  } else {
    throw notFound('照片不存在');
  }
  if (!a.content_type.startsWith('image/')) throw notFound('照片不存在');
  return { contentType: a.content_type, data: readStoredFile(deps.config.dataDir, a.storage_key) };
}

/** The agent a new portal ticket of the project goes to: round robin among the project's agents. */
async function routeAgent(trx: Kysely<DB>, deps: Deps, projectId: string): Promise<string> {
  const agents = (await staffOfProject({ ...deps, db: trx }, systemActor('portal', '业主门户'), projectId, 'agent')).map((a) => a.id);
  const cursor = await trx.selectFrom('portal_routing').select('last_user_id').where('project_id', '=', projectId).executeTakeFirst();
  const next = nextAgent(agents, cursor?.last_user_id ?? null);
  if (!next) throw new AppError(409, 'portal.no_agent', '该项目暂无客服在线受理，请拨打客服热线');
  return next;
}

function visitWindow(body: PortalReportBody, now: number): { from: number | null; to: number | null } {
  if (!body.visitFrom && !body.visitTo) return { from: null, to: null };
  if (body.type !== 'repair') throw badRequest('只有报修可以预约上门时间', [{ field: 'visitFrom', message: '仅报修可预约' }]);
  if (!body.visitFrom || !body.visitTo) throw badRequest('请同时选择上门时间的开始和结束', [{ field: body.visitFrom ? 'visitTo' : 'visitFrom', message: '请选择时间' }]);
  const from = Date.parse(body.visitFrom);
  const to = Date.parse(body.visitTo);
  if (to <= from) throw badRequest('结束时间须晚于开始时间', [{ field: 'visitTo', message: '须晚于开始时间' }]);
  if (from < now - 60_000) throw badRequest('上门时间不能早于现在', [{ field: 'visitFrom', message: '不能早于现在' }]);
  if (from > now + 30 * 24 * 3_600_000) throw badRequest('只能预约 30 天内的上门时间', [{ field: 'visitFrom', message: '30 天内' }]);
  return { from, to };
}

/**
 * A report (报事报修) becomes a ticket with channel `portal` through the tickets service,
 * registered for the customer and owned at once by the project's next agent (round robin).
 * With the same Idempotency-Key the first report's ticket comes back (double tap, retry).
 */
export async function report(deps: Deps, owner: OwnerActor, ctx: AuditContext, body: PortalReportBody, idempotencyKey: string | undefined) {
  const key = idempotencyKey ? `portal:${owner.customerId}:${idempotencyKey}` : undefined;
  if (key) {
    const existing = await deps.db.selectFrom('tickets').select('id').where('idempotency_key', '=', key).executeTakeFirst();
    if (existing) return { matter: await matter(deps, owner, existing.id), created: false };
  }
  const problem = descriptionProblem(body.description);
  if (problem) throw new AppError(400, 'portal.invalid_description', problem, [{ field: 'description', message: problem }]);
  let projectId: string;
  if (body.unitId && body.commonAreaId) throw badRequest('请选择房屋或公共区域之一', [{ field: 'unitId', message: '只能选一个' }]);
  if (body.unitId) {
    const held = owner.units.find((u) => u.unitId === body.unitId);
    if (!held || !relationRights(held.relation).report) {
      throw new AppError(400, 'portal.unit_not_held', '您名下没有该房屋，或您与该房屋的关系不能报事', [{ field: 'unitId', message: '不是您名下的房屋' }]);
    }
    projectId = held.projectId;
  } else if (body.commonAreaId) {
    const area = await deps.db.selectFrom('common_areas').select('project_id').where('id', '=', body.commonAreaId).executeTakeFirst();
    if (!area || !projectsOf(owner).includes(area.project_id)) throw badRequest('公共区域不在您所在的项目', [{ field: 'commonAreaId', message: '公共区域无效' }]);
    projectId = area.project_id;
  } else {
    throw badRequest('请选择房屋或公共区域', [{ field: 'unitId', message: '请选择报事位置' }]);
  }
  const now = deps.clock.now().getTime();
  const visit = visitWindow(body, now);
  const photoIds = body.photoIds ?? [];
  if (photoIds.length > PORTAL_PHOTOS_MAX) throw badRequest(`最多 ${PORTAL_PHOTOS_MAX} 张照片`, [{ field: 'photoIds', message: '照片过多' }]);
  if (photoIds.length) {
    const mine = await deps.db.selectFrom('attachments').select('id').where('id', 'in', photoIds).where('owner_type', '=', PORTAL_UPLOAD).where('owner_id', '=', owner.customerId).execute();
    if (mine.length !== photoIds.length) throw badRequest('照片无效或已使用，请重新上传', [{ field: 'photoIds', message: '照片无效' }]);
  }
  const agentId = await routeAgent(deps.db, deps, projectId);
  const agent = await loadActor(deps.db, agentId, '');
  if (!agent) throw new AppError(409, 'portal.no_agent', '该项目暂无客服在线受理，请拨打客服热线');
  const description = body.description.trim() + (visit.from !== null ? `\n（期望上门时间：${zonedTime(visit.from, deps.config.timeZone)} 至 ${zonedTime(visit.to!, deps.config.timeZone)}）` : '');
  const { ticket, created } = await registerTicket(deps, agent, ctx, {
    type: body.type, severity: 'routine', channel: 'portal', projectId, customerId: owner.customerId, unitId: body.unitId ?? null, commonAreaId: body.commonAreaId ?? null,
    categoryId: body.categoryId ?? null, description,
  }, key);
  // What the report adds to its ticket; idempotent, so a retry after a crash here completes it.
  await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('portal_tickets').values({ ticket_id: ticket.id, customer_id: owner.customerId, visit_from: visit.from, visit_to: visit.to, created_at: now })
      .onConflict((oc) => oc.column('ticket_id').doNothing()).executeTakeFirst();
    if (photoIds.length) {
      await trx.updateTable('attachments').set({ owner_type: 'ticket', owner_id: ticket.id, project_id: projectId })
        .where('id', 'in', photoIds).where('owner_type', '=', PORTAL_UPLOAD).where('owner_id', '=', owner.customerId).execute();
    }
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
      await trx.insertInto('portal_routing').values({ project_id: projectId, last_user_id: agentId, updated_at: now })
        .onConflict((oc) => oc.column('project_id').doUpdateSet({ last_user_id: agentId, updated_at: now })).execute();
      await enqueueMessage(trx, deps, {
        channel: 'in_app', recipient: ticket.ownerId, subject: '业主门户新报事', body: `${ticket.number} ${ticket.title}`, link: `/tickets/${ticket.id}`,
        idempotencyKey: `portal:${ticket.id}:assigned`,
      });
    }
  });
  return { matter: await matter(deps, owner, ticket.id), created, ownerId: ticket.ownerId, number: ticket.number, title: ticket.title };
}

/** A ticket the owner may see: their own, on a unit they hold or in a project of theirs (404 otherwise, nothing revealed). */
async function visibleMatter(deps: Deps, owner: OwnerActor, id: string): Promise<TicketsTable> {
  const t = await deps.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!t || t.customer_id !== owner.customerId) throw notFoundMatter();
  const inScope = t.unit_id ? owner.units.some((u) => u.unitId === t.unit_id) : projectsOf(owner).includes(t.project_id);
  if (!inScope) throw notFoundMatter();
  return t;
}

function scopedMatters(deps: Deps, owner: OwnerActor) {
  const units = owner.units.map((u) => u.unitId);
  const projects = projectsOf(owner);
  return deps.db.selectFrom('tickets as t')
    .leftJoin('units as u', 'u.id', 't.unit_id').leftJoin('buildings as b', 'b.id', 'u.building_id').leftJoin('common_areas as ca', 'ca.id', 't.common_area_id')
    .innerJoin('projects as p', 'p.id', 't.project_id')
    .where('t.customer_id', '=', owner.customerId)
    .where((eb) => eb.or([
      eb('t.unit_id', 'in', units.length ? units : ['']),
      eb.and([eb('t.unit_id', 'is', null), eb('t.project_id', 'in', projects.length ? projects : [''])]),
    ]))
    .select(['t.id', 't.number', 't.type', 't.title', 't.status', 't.registered_at', 't.updated_at', 'p.name as project_name', 'b.name as building_name', 'u.room_number', 'ca.name as area_name'])
    .select((eb) => [
      eb.exists(eb.selectFrom('callbacks as cb').select('cb.id').whereRef('cb.ticket_id', '=', 't.id').where('cb.status', '=', 'open')).as('callback_open'),
      eb.exists(eb.selectFrom('ticket_replies as tr').select('tr.id').whereRef('tr.ticket_id', '=', 't.id')).as('has_reply'),
    ]);
}

type MatterRow = Awaited<ReturnType<ReturnType<typeof scopedMatters>['execute']>>[number];
function presentSummary(r: MatterRow, rated: boolean): PortalMatterSummary {
  const stage = ownerStage(r.status, { rated, callbackOpen: Boolean(r.callback_open), replied: Boolean(r.has_reply) });
  const place = r.room_number ? `${r.project_name} ${r.building_name ?? ''} ${r.room_number}` : `${r.project_name} ${r.area_name ?? '公共区域'}`;
  return {
    id: r.id, number: r.number, type: r.type, typeLabel: TICKET_TYPE_LABELS[r.type as TicketType] ?? r.type, title: r.title, stage, stageLabel: STAGE_LABELS[stage],
    place: place.replace(/\s+/g, ' ').trim(), registeredAt: iso(r.registered_at), updatedAt: iso(r.updated_at),
  };
}

/** The owner's matters, newest first (at most 100). */
export async function matters(deps: Deps, owner: OwnerActor): Promise<PortalMatterSummary[]> {
  const rows = await scopedMatters(deps, owner).orderBy('t.registered_at', 'desc').orderBy('t.id', 'desc').limit(100).execute();
  return rows.map((r) => presentSummary(r, false));
}

/**
 * One matter in owner language: the stages it went through, the replies the center recorded
 * for the customer, the expected deadline and the photos. Internal notes, work orders and other
 * staff never appear; the handler is the first-contact owner's display name.
 */
export async function matter(deps: Deps, owner: OwnerActor, id: string): Promise<PortalMatter> {
  await visibleMatter(deps, owner, id);
  const r = await scopedMatters(deps, owner).where('t.id', '=', id).executeTakeFirst();
  if (!r) throw notFoundMatter();
  const t = await deps.db.selectFrom('tickets as t').innerJoin('users as o', 'o.id', 't.owner_id').leftJoin('ticket_categories as c', 'c.id', 't.category_id')
    .select(['t.description', 't.resolution_due', 't.status', 'o.display_name as owner_name', 'c.name as category_name']).where('t.id', '=', id).executeTakeFirstOrThrow();
  const [events, replies, photos, extra, rating] = await Promise.all([
    deps.db.selectFrom('ticket_events').select(['id', 'at', 'kind', 'to_status']).where('ticket_id', '=', id).orderBy('at').orderBy('id').execute(),
    deps.db.selectFrom('ticket_replies').select(['id', 'at', 'content']).where('ticket_id', '=', id).orderBy('at').orderBy('id').execute(),
    deps.db.selectFrom('attachments').select(['id', 'content_type', 'size']).where('owner_type', '=', 'ticket').where('owner_id', '=', id).where('content_type', 'like', 'image/%').orderBy('created_at').execute(),
    deps.db.selectFrom('portal_tickets').selectAll().where('ticket_id', '=', id).executeTakeFirst(),
    deps.db.selectFrom('ratings').select(['satisfaction', 'comment', 'at']).where('ticket_id', '=', id).where('customer_id', '=', owner.customerId).orderBy('at', 'desc').orderBy('id', 'desc').executeTakeFirst(),
  ]);
  // Events and replies in the order they happened (ids are time-ordered: a reply and the
  // resolution in the same millisecond keep their order).
  type Item = { id: string; at: number; reply?: string; kind?: string };
  const items: Item[] = [
    ...events.map((e) => ({ id: e.id, at: Number(e.at), kind: e.kind })),
    ...replies.map((r) => ({ id: r.id, at: Number(r.at), reply: r.content })),
  ].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  const timeline: PortalTimelineEntry[] = [];
  let working = false;
  for (const e of items) {
    if (e.reply !== undefined) {
      timeline.push({ at: iso(e.at), stage: 'replied', title: '已答复', text: e.reply });
      continue;
    }
    const at = iso(e.at);
    if (e.kind === 'registered') timeline.push({ at, stage: 'accepted', title: '已受理：客服中心已收到您的报事', text: null });
    else if ((e.kind === 'dispatched' || e.kind === 'resumed') && !working) {
      working = true;
      timeline.push({ at, stage: 'in_progress', title: '处理中：已安排专人处理', text: null });
    } else if (e.kind === 'resolved' || e.kind === 'answered') timeline.push({ at, stage: 'resolved', title: '已解决', text: null });
    else if (e.kind === 'reopened') {
      working = true;
      timeline.push({ at, stage: 'in_progress', title: '处理中：已重新处理', text: null });
    } else if (e.kind === 'closed' || e.kind === 'merged') timeline.push({ at, stage: 'done', title: '已完成', text: null });
    else if (e.kind === 'cancelled') timeline.push({ at, stage: 'cancelled', title: '已取消', text: null });
  }
  const summary = presentSummary(r, Boolean(rating));
  const mayRate = t.status === 'resolved' && Boolean(r.callback_open);
  if (mayRate) timeline.push({ at: summary.updatedAt, stage: 'to_rate', title: '待评价：请对本次服务进行评价', text: null });
  return {
    ...summary,
    description: t.description,
    categoryName: t.category_name,
    handlerName: t.owner_name,
    expectedBy: t.resolution_due === null || t.status === 'closed' ? null : iso(t.resolution_due),
    visitFrom: isoOrNull(extra?.visit_from ?? null),
    visitTo: isoOrNull(extra?.visit_to ?? null),
    photos: photos.map((p) => ({ id: p.id, contentType: p.content_type, size: p.size })),
    timeline,
    mayRate,
    rating: rating ? { satisfaction: rating.satisfaction, comment: rating.comment, at: iso(rating.at) } : null,
  };
}

/**
 * The owner rates a resolved matter (1–5 with a comment): this completes its callback with
 * channel `portal` — counted in K2 like a phone callback; 1–2 reopens and escalates.
 */
export async function rate(deps: Deps, owner: OwnerActor, ctx: AuditContext, id: string, body: PortalRateBody): Promise<PortalMatter> {
  const t = await visibleMatter(deps, owner, id);
  const cb = await deps.db.selectFrom('callbacks').selectAll().where('ticket_id', '=', t.id).where('status', '=', 'open').executeTakeFirst();
  if (t.status !== 'resolved' || !cb) throw new AppError(409, 'portal.not_ratable', t.status === 'closed' ? '该报事已完成评价或回访' : '报事解决后才能评价');
  const comment = body.comment?.trim() || undefined;
  await deps.db.transaction().execute((trx) => recordCallbackResult(trx, deps, ctx, cb, cb.version, { satisfaction: body.satisfaction, comment }, { userId: null, channel: 'portal' }));
  return matter(deps, owner, id);
}

export async function notices(deps: Deps, owner: OwnerActor): Promise<PortalNotice[]> {
  const rows = await deps.db.selectFrom('portal_notices').selectAll().where('customer_id', '=', owner.customerId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(50).execute();
  return rows.map((n) => ({ id: n.id, ticketId: n.ticket_id, title: n.title, body: n.body, at: iso(n.created_at), read: n.read_at !== null }));
}

export async function markNoticesRead(deps: Deps, owner: OwnerActor): Promise<void> {
  await deps.db.updateTable('portal_notices').set({ read_at: deps.clock.now().getTime() }).where('customer_id', '=', owner.customerId).where('read_at', 'is', null).execute();
}

/**
 * Tells the owner of a portal matter when the center replies or resolves it: an in-portal
 * notice and an SMS through the outbox (both once per change: keyed by the ticket's version).
 */
export async function noticeOnChange(trx: Kysely<DB>, deps: Deps, before: TicketsTable, after: TicketsTable): Promise<void> {
  if (after.channel !== 'portal' || !after.customer_id) return;
  // A reply is written in the change's own transaction just before it (tickets.service).
  const reply = await trx.selectFrom('ticket_replies').select('id').where('ticket_id', '=', after.id).where('at', '=', after.updated_at).orderBy('id', 'desc').executeTakeFirst();
  const resolved = after.status === 'resolved' && before.status !== 'resolved';
  if (!reply && !resolved) return;
  const title = `您的报事 ${after.number} ${resolved ? '已处理完毕，请您评价' : '客服中心已答复'}`;
  const key = resolved ? `portal:${after.id}:resolved:${after.version}` : `portal:${after.id}:reply:${reply!.id}`;
  const res = await trx.insertInto('portal_notices').values({
    id: deps.ids.next(), customer_id: after.customer_id, ticket_id: after.id, idempotency_key: key, title, body: after.title, created_at: deps.clock.now().getTime(), read_at: null,
  }).onConflict((oc) => oc.column('idempotency_key').doNothing()).executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return;
  const phone = (await firstPhoneOf(trx, deps.config.fieldKey, [after.customer_id], true)).get(after.customer_id);
  if (phone) {
    await enqueueMessage(trx, deps, { channel: 'sms', recipient: phone, body: `${title}，请登录业主门户查看。`, link: `/portal/matters/${after.id}`, idempotencyKey: `${key}:sms` });
  }
}

let hooked = false;
/** Registers the notice hook with the tickets module (once per process). */
export function registerPortalHooks(): void {
  if (hooked) return;
  hooked = true;
  ticketHooks.onChanged.push(noticeOnChange);
}
