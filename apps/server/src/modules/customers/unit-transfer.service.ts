import type { Kysely } from 'kysely';
import { OWNER_RELATIONS, type UnitHistoryEntry, type UnitRelation, type UnitTransfer, type UnitTransferResult } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { DB } from '../../db/schema.js';
import { badRequest, conflict, notFound } from '../../http/app-error.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { projectInScope, type Actor } from '../../platform/auth.js';
import { zonedDayStart } from '../../platform/time.js';
import { unitLabel } from '../org/org.presenter.js';
import { relationHeldOn } from './customers.rules.js';
import { refreshArchiveState, today, visibleCustomer } from './customers.service.js';
import { correctSnapshots } from './scope-snapshots.service.js';
import { recordTimeline } from './timeline.service.js';

async function visibleUnit(deps: Deps, actor: Actor, unitId: string) {
  const unit = await deps.db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').select(['u.id', 'u.project_id', 'b.name', 'u.entrance', 'u.room_number'])
    .where('u.id', '=', unitId).executeTakeFirst();
  if (!unit || !projectInScope(actor, unit.project_id)) throw notFound('房屋不存在或不在您的数据范围内');
  return unit;
}

async function historyOf(db: Kysely<DB>, unitId: string, day: string): Promise<UnitHistoryEntry[]> {
  const rows = await db.selectFrom('customer_units as cu').innerJoin('customers as c', 'c.id', 'cu.customer_id')
    .select(['cu.id', 'cu.customer_id', 'c.name', 'cu.relation', 'cu.from_date', 'cu.to_date', 'cu.contract_no'])
    .where('cu.unit_id', '=', unitId).orderBy('cu.from_date', 'desc').orderBy('cu.id', 'desc').execute();
  return rows.map((r) => ({
    id: r.id, customerId: r.customer_id, customerName: r.name, relation: r.relation as UnitRelation, fromDate: r.from_date, toDate: r.to_date,
    current: relationHeldOn(r.from_date, r.to_date, day), contractNo: r.contract_no,
  }));
}

/** Every relation a unit has had (owners, prospective owners, family, tenants), newest first. */
export async function unitHistory(deps: Deps, actor: Actor, unitId: string): Promise<UnitHistoryEntry[]> {
  await visibleUnit(deps, actor, unitId);
  return historyOf(deps.db, unitId, today(deps));
}

/**
 * 过户 in one command: the owner relations held on the date end on it and the buyer's starts on
 * it, both kept in the unit's history, so K3/K4 scope (relations held at the end of a day) moves
 * exactly at that date. A transfer dated in the past is entered as of that date: the buyer's
 * relation is recorded as known from the start of it, as the sellers' ending is, so that both
 * sides of the sale move together in the past periods it corrects (the audit keeps the real time).
 */
export async function transferUnit(deps: Deps, actor: Actor, ctx: AuditContext, unitId: string, body: UnitTransfer): Promise<UnitTransferResult> {
  const unit = await visibleUnit(deps, actor, unitId);
  await visibleCustomer(deps, actor, body.buyerId);
  const day = today(deps);
  if (body.date > day) throw badRequest('过户日期不能晚于今天', [{ field: 'date', message: '不能是将来的日期' }]);
  const now = deps.clock.now().getTime();
  const label = unitLabel(unit.name, unit.entrance, unit.room_number);
  let startedId = '';
  let endedIds: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const links = await trx.selectFrom('customer_units').selectAll().where('unit_id', '=', unitId).where('relation', 'in', [...OWNER_RELATIONS]).execute();
    const sellers = links.filter((l) => relationHeldOn(l.from_date, l.to_date, body.date));
    if (!sellers.length) throw conflict('unit.transfer_invalid', '该房屋在过户日期没有业主，请直接关联房屋', [{ field: 'date', message: '该日期没有业主' }]);
    if (sellers.some((l) => l.customer_id === body.buyerId)) throw conflict('unit.transfer_invalid', '买方已是该房屋的业主', [{ field: 'buyerId', message: '买方已是业主' }]);
    const sameDay = sellers.find((l) => l.from_date === body.date);
    if (sameDay) throw badRequest(`过户日期须晚于卖方关系的开始日期 ${sameDay.from_date}`, [{ field: 'date', message: `须晚于 ${sameDay.from_date}` }]);
    if (links.some((l) => l.from_date > body.date)) throw conflict('unit.transfer_invalid', '该房屋在过户日期之后已有其他业主关系', [{ field: 'date', message: '之后已有业主关系' }]);
    for (const s of sellers) {
      await trx.updateTable('customer_units').set({ to_date: body.date, version: s.version + 1, updated_at: now }).where('id', '=', s.id).where('version', '=', s.version).execute();
    }
    endedIds = sellers.map((s) => s.id);
    startedId = deps.ids.next();
    const row = {
      id: startedId, customer_id: body.buyerId, unit_id: unitId, project_id: unit.project_id, relation: body.relation ?? 'owner', share: body.share ?? null, from_date: body.date, to_date: null,
      contract_no: body.contractNo ?? null, contract_date: body.contractDate ?? null, contracted_handover_date: null, actual_handover_date: body.actualHandoverDate ?? null, warranty_start_date: null,
      version: 1, created_at: Math.min(now, zonedDayStart(body.date, deps.config.timeZone)), updated_at: now,
    };
    await trx.insertInto('customer_units').values(row).execute();
    const buyer = await trx.selectFrom('customers').select('name').where('id', '=', body.buyerId).executeTakeFirstOrThrow();
    for (const id of new Set([...sellers.map((s) => s.customer_id), body.buyerId])) {
      await trx.updateTable('customers').set((eb) => ({ version: eb('version', '+', 1), updated_at: now })).where('id', '=', id).execute();
      await refreshArchiveState(trx, deps, id);
    }
    for (const s of sellers) {
      await recordTimeline(trx, deps, ctx, { customerId: s.customer_id, kind: 'customer.unit_ended', title: `${label} 于 ${body.date} 过户给 ${buyer.name}`, projectId: unit.project_id, refType: 'unit', refId: unitId });
    }
    await recordTimeline(trx, deps, ctx, { customerId: body.buyerId, kind: 'customer.unit_added', title: `${body.date} 受让房屋 ${label}（过户）`, projectId: unit.project_id, refType: 'unit', refId: unitId });
    // A transfer dated in the past corrects the taken snapshots from its date on, for both sides.
    const correctedDays = body.date < day ? await correctSnapshots(trx, deps, [...new Set([...sellers.map((s) => s.customer_id), body.buyerId])], body.date) : 0;
    await appendAudit(trx, deps, ctx, {
      action: 'unit.transferred', entityType: 'unit', entityId: unitId,
      before: { owners: sellers.map((s) => ({ linkId: s.id, customerId: s.customer_id, relation: s.relation, fromDate: s.from_date, toDate: s.to_date })) },
      after: { date: body.date, ended: sellers.map((s) => s.id), started: row, correctedDays },
    });
  });
  const history = await historyOf(deps.db, unitId, day);
  return { unitId, date: body.date, ended: history.filter((h) => endedIds.includes(h.id)), started: history.find((h) => h.id === startedId)!, history };
}
