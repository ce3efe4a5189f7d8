import type { Kysely } from 'kysely';
import {
  K3_ANNUAL_TARGET, OWNER_RELATIONS, VISIT_ATTEMPT_OUTCOME_LABELS, VISIT_KIND_LABELS, type Visit, type VisitAttempt, type VisitAttemptCreate, type VisitCreate, type VisitKind, type VisitPlanRules,
} from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { DB, VisitAttemptsTable, VisitsTable } from '../../db/schema.js';
import { badRequest, conflict, forbidden, notFound } from '../../http/app-error.js';
import { iso, isoOrNull } from '../../http/pagination.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { projectInScope, type Actor, scopeIn } from '../../platform/auth.js';
import { zonedDate } from '../../platform/time.js';
import { recordTimeline } from '../customers/timeline.service.js';
import { primaryPhoneMasked } from '../customers/customer-phones.repo.js';
import { visibleCustomer } from '../customers/customers.service.js';
import { isUniqueViolation, readWinner } from '../../db/dialect.js';
import { updateVersioned } from '../../db/versioned.js';

export const DEFAULT_VISIT_RULES: VisitPlanRules = { vipExtra: 1, complainerExtra: 1, newHandoverExtra: 1, complainerDays: 90 };

/** Writes one contact with a customer (inside the caller's transaction) and its timeline entry. */
export async function insertVisit(
  trx: Kysely<DB>, deps: Deps, ctx: AuditContext,
  v: { customerId: string; projectId: string; kinds: VisitKind[]; at: number; notes: string | null; satisfaction: number | null; source: string | null; sourceId: string | null; taskId: string | null },
): Promise<string> {
  const id = deps.ids.next();
  await trx.insertInto('visits').values({
    id, customer_id: v.customerId, project_id: v.projectId, kinds: JSON.stringify(v.kinds), at: v.at, notes: v.notes, satisfaction: v.satisfaction,
    source: v.source, source_id: v.sourceId, task_id: v.taskId, actor_id: ctx.actorId ?? '', actor_name: ctx.actorName ?? '', version: 1, created_at: deps.clock.now().getTime(),
  }).execute();
  await recordTimeline(trx, deps, ctx, { customerId: v.customerId, kind: 'visit.recorded', title: v.kinds.map((k) => VISIT_KIND_LABELS[k]).join('、'), body: v.notes, refType: 'visit', refId: id, projectId: v.projectId, at: v.at });
  return id;
}

function presentVisit(r: VisitsTable & { customer_name: string; project_name: string }): Visit {
  return {
    id: r.id, customerId: r.customer_id, customerName: r.customer_name, projectId: r.project_id, projectName: r.project_name, kinds: JSON.parse(r.kinds) as VisitKind[],
    at: iso(r.at), notes: r.notes, satisfaction: r.satisfaction, actorName: r.actor_name, version: r.version,
  };
}

/** Records a visit (phone, home, event contact); with a task, the task is done. */
export async function createVisit(deps: Deps, actor: Actor, ctx: AuditContext, body: VisitCreate) {
  if (!projectInScope(actor, body.projectId)) throw forbidden('该项目不在您的数据范围内');
  await visibleCustomer(deps, actor, body.customerId);
  const now = deps.clock.now().getTime();
  const at = body.at ? Date.parse(body.at) : now;
  if (at > now + 60_000) throw badRequest('拜访时间不能晚于现在', [{ field: 'at', message: '不能是将来的时间' }]);
  let id = '';
  await deps.db.transaction().execute(async (trx) => {
    if (body.taskId) {
      const task = await trx.selectFrom('visit_tasks').selectAll().where('id', '=', body.taskId).executeTakeFirst();
      if (!task || task.customer_id !== body.customerId) throw badRequest('拜访任务与客户不符', [{ field: 'taskId', message: '拜访任务无效' }]);
      if (task.status !== 'open') throw conflict('resource.conflict', '该拜访任务已完成');
    }
    id = await insertVisit(trx, deps, ctx, { customerId: body.customerId, projectId: body.projectId, kinds: body.kinds, at, notes: body.notes ?? null, satisfaction: body.satisfaction ?? null, source: 'manual', sourceId: null, taskId: body.taskId ?? null });
    if (body.taskId) await trx.updateTable('visit_tasks').set((eb) => ({ status: 'done', visit_id: id, version: eb('version', '+', 1), updated_at: now })).where('id', '=', body.taskId!).execute();
    await appendAudit(trx, deps, ctx, { action: 'visit.recorded', entityType: 'visit', entityId: id, after: { ...body } });
  });
  return getVisit(deps, actor, id);
}

export async function getVisit(deps: Deps, actor: Actor, id: string) {
  const r = await deps.db.selectFrom('visits as v').innerJoin('customers as c', 'c.id', 'v.customer_id').innerJoin('projects as p', 'p.id', 'v.project_id')
    .selectAll('v').select(['c.name as customer_name', 'p.name as project_name']).where('v.id', '=', id).executeTakeFirst();
  if (!r || !projectInScope(actor, r.project_id)) throw notFound('拜访记录不存在');
  return presentVisit(r);
}

/** Adds kinds to a contact already recorded (the callback was also an event contact): still one visit. */
export async function addVisitKinds(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, kinds: VisitKind[]) {
  const v = await getVisit(deps, actor, id);
  const merged = [...new Set([...v.kinds, ...kinds])];
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'visits', { id, version }, { kinds: JSON.stringify(merged) });
    await appendAudit(trx, deps, ctx, { action: 'visit.updated', entityType: 'visit', entityId: id, before: { kinds: v.kinds }, after: { kinds: merged } });
  });
  return getVisit(deps, actor, id);
}

export async function listVisits(deps: Deps, actor: Actor, q: { customerId?: string | undefined; projectId?: string | undefined; limit?: number | undefined }) {
  let query = deps.db.selectFrom('visits as v').innerJoin('customers as c', 'c.id', 'v.customer_id').innerJoin('projects as p', 'p.id', 'v.project_id')
    .selectAll('v').select(['c.name as customer_name', 'p.name as project_name']);
  if (actor.projectIds !== null) query = query.where('v.project_id', 'in', scopeIn(actor.projectIds));
  if (q.customerId) query = query.where('v.customer_id', '=', q.customerId);
  if (q.projectId) query = query.where('v.project_id', '=', q.projectId);
  return (await query.orderBy('v.at', 'desc').limit(q.limit ?? 100).execute()).map(presentVisit);
}

/** Customers holding a current owner or prospective-owner relation in a project on a date. */
export async function ownersOn(db: Kysely<DB>, projectId: string, date: string) {
  return db.selectFrom('customer_units as cu').innerJoin('customers as c', 'c.id', 'cu.customer_id')
    .select(['cu.customer_id', 'c.vip', 'cu.actual_handover_date']).distinct()
    .where('cu.project_id', '=', projectId).where('cu.relation', 'in', [...OWNER_RELATIONS]).where('cu.from_date', '<=', date)
    .where((eb) => eb.or([eb('cu.to_date', 'is', null), eb('cu.to_date', '>', date)])).where('c.merged_into_id', 'is', null).execute();
}

/** The annual visit plan of a project (made with the default rules on first access). */
export async function getOrCreatePlan(deps: Deps, actor: Actor, projectId: string, year: number) {
  if (!projectInScope(actor, projectId)) throw notFound('项目不存在或不在您的数据范围内');
  // A group-wide actor's scope admits any id: the project must also exist (else the insert below fails on its foreign key).
  if (!(await deps.db.selectFrom('projects').select('id').where('id', '=', projectId).executeTakeFirst())) throw notFound('项目不存在或不在您的数据范围内');
  let plan = await deps.db.selectFrom('visit_plans').selectAll().where('project_id', '=', projectId).where('year', '=', year).executeTakeFirst();
  if (!plan) {
    const now = deps.clock.now().getTime();
    const row = { id: deps.ids.next(), project_id: projectId, year, target_rate: K3_ANNUAL_TARGET, rules: JSON.stringify(DEFAULT_VISIT_RULES), generated_at: null, version: 1, created_at: now, updated_at: now };
    try {
      await deps.db.insertInto('visit_plans').values(row).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    plan = await readWinner(deps.db, (trx) => trx.selectFrom('visit_plans').selectAll().where('project_id', '=', projectId).where('year', '=', year).executeTakeFirstOrThrow());
  }
  const [tasks, done, owners] = await Promise.all([
    deps.db.selectFrom('visit_tasks').select((eb) => eb.fn.countAll<number>().as('n')).where('plan_id', '=', plan.id).executeTakeFirstOrThrow(),
    deps.db.selectFrom('visit_tasks').select((eb) => eb.fn.countAll<number>().as('n')).where('plan_id', '=', plan.id).where('status', '=', 'done').executeTakeFirstOrThrow(),
    ownersOn(deps.db, projectId, `${year}-12-31` < zonedDate(deps.clock.now().getTime(), deps.config.timeZone) ? `${year}-12-31` : zonedDate(deps.clock.now().getTime(), deps.config.timeZone)),
  ]);
  return {
    id: plan.id, projectId, year, targetRate: Number(plan.target_rate), rules: JSON.parse(plan.rules) as VisitPlanRules, generatedAt: isoOrNull(plan.generated_at),
    tasks: Number(tasks.n), done: Number(done.n), customersInScope: new Set(owners.map((o) => o.customer_id)).size, version: plan.version,
  };
}

/** Changes the plan's rules (If-Match). */
export async function updatePlanRules(deps: Deps, actor: Actor, ctx: AuditContext, projectId: string, year: number, version: number, rules: VisitPlanRules) {
  const plan = await getOrCreatePlan(deps, actor, projectId, year);
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'visit_plans', { id: plan.id, version }, { rules: JSON.stringify(rules) }, deps.clock.now().getTime());
    await appendAudit(trx, deps, ctx, { action: 'visit_plan.updated', entityType: 'visit_plan', entityId: plan.id, before: plan.rules, after: rules });
  });
  return getOrCreatePlan(deps, actor, projectId, year);
}

/**
 * Generates the year's visit tasks: every owner household once (spread over the months), plus
 * extra visits for VIPs, recent complainers and owners of newly handed-over units. Idempotent:
 * running it again adds only what is missing.
 */
export async function generateTasks(deps: Deps, actor: Actor, ctx: AuditContext, projectId: string, year: number) {
  const plan = await getOrCreatePlan(deps, actor, projectId, year);
  const now = deps.clock.now().getTime();
  const today = zonedDate(now, deps.config.timeZone);
  const owners = await ownersOn(deps.db, projectId, today);
  const sinceComplaint = now - plan.rules.complainerDays * 86_400_000;
  const complainers = new Set((await deps.db.selectFrom('tickets').select('customer_id').where('project_id', '=', projectId).where('type', '=', 'complaint')
    .where('registered_at', '>=', sinceComplaint).where('customer_id', 'is not', null).execute()).map((r) => r.customer_id!));
  const seen = new Set<string>();
  const tasks: DB['visit_tasks'][] = [];
  const add = (customerId: string, reason: string, month: number) => {
    const due = `${year}-${String(Math.min(12, Math.max(1, month))).padStart(2, '0')}-28`;
    tasks.push({ id: deps.ids.next(), plan_id: plan.id, customer_id: customerId, project_id: projectId, reason, due_date: due, status: 'open', assignee_id: null, visit_id: null, version: 1, created_at: now, updated_at: now });
  };
  let i = 0;
  for (const o of owners) {
    if (seen.has(o.customer_id)) continue;
    seen.add(o.customer_id);
    add(o.customer_id, 'annual', (i++ % 12) + 1);
    for (let k = 0; k < plan.rules.vipExtra && o.vip === 1; k++) add(o.customer_id, 'vip', 6 + k * 3);
    if (complainers.has(o.customer_id)) for (let k = 0; k < plan.rules.complainerExtra; k++) add(o.customer_id, 'complainer', Number(today.slice(5, 7)) + 1 + k);
    if (o.actual_handover_date && o.actual_handover_date.startsWith(String(year))) {
      for (let k = 0; k < plan.rules.newHandoverExtra; k++) add(o.customer_id, 'new_handover', Number(o.actual_handover_date.slice(5, 7)) + 1 + k);
    }
  }
  let added = 0;
  await deps.db.transaction().execute(async (trx) => {
    for (let j = 0; j < tasks.length; j += 300) {
      const res = await trx.insertInto('visit_tasks').values(tasks.slice(j, j + 300))
        .onConflict((oc) => oc.columns(['plan_id', 'customer_id', 'reason', 'due_date']).doNothing()).executeTakeFirst();
      added += Number(res.numInsertedOrUpdatedRows ?? 0);
    }
    await trx.updateTable('visit_plans').set({ generated_at: now }).where('id', '=', plan.id).execute();
    await appendAudit(trx, deps, ctx, { action: 'visit_plan.generated', entityType: 'visit_plan', entityId: plan.id, after: { added, total: tasks.length } });
  });
  return { added, plan: await getOrCreatePlan(deps, actor, projectId, year) };
}

/** A project's visit tasks for a month (or all open ones), with masked phones for calling. */
export async function listVisitTasks(deps: Deps, actor: Actor, q: { projectId: string; year: number; month?: number | undefined; status?: string | undefined }) {
  if (!projectInScope(actor, q.projectId)) throw notFound('项目不存在或不在您的数据范围内');
  let query = deps.db.selectFrom('visit_tasks as vt').innerJoin('visit_plans as vp', 'vp.id', 'vt.plan_id').innerJoin('customers as c', 'c.id', 'vt.customer_id')
    .selectAll('vt').select(['c.name as customer_name'])
    .select(primaryPhoneMasked('vt.customer_id').as('phone'))
    .where('vt.project_id', '=', q.projectId).where('vp.year', '=', q.year);
  if (q.month) query = query.where('vt.due_date', 'like', `${q.year}-${String(q.month).padStart(2, '0')}-%`);
  if (q.status) query = query.where('vt.status', '=', q.status);
  const rows = await query.orderBy('vt.due_date').orderBy('c.name').limit(500).execute();
  return rows.map((r) => ({ id: r.id, customerId: r.customer_id, customerName: r.customer_name, customerPhone: r.phone, reason: r.reason, dueDate: r.due_date, status: r.status, visitId: r.visit_id, version: r.version }));
}


function presentAttempt(r: VisitAttemptsTable & { customer_name: string; project_name: string }): VisitAttempt {
  return {
    id: r.id, customerId: r.customer_id, customerName: r.customer_name, projectId: r.project_id, projectName: r.project_name, kind: r.kind as VisitAttempt['kind'],
    outcome: r.outcome as VisitAttempt['outcome'], at: iso(r.at), notes: r.notes, taskId: r.task_id, actorName: r.actor_name,
  };
}

/**
 * Records a visit attempt that did not reach the customer (not at home, refused, wrong number,
 * no answer). It never counts for K3 and is reported beside it; a task it was made for stays open.
 */
export async function createVisitAttempt(deps: Deps, actor: Actor, ctx: AuditContext, body: VisitAttemptCreate) {
  if (!projectInScope(actor, body.projectId)) throw forbidden('该项目不在您的数据范围内');
  await visibleCustomer(deps, actor, body.customerId);
  const now = deps.clock.now().getTime();
  const at = body.at ? Date.parse(body.at) : now;
  if (at > now + 60_000) throw badRequest('拜访时间不能晚于现在', [{ field: 'at', message: '不能是将来的时间' }]);
  const id = deps.ids.next();
  await deps.db.transaction().execute(async (trx) => {
    if (body.taskId) {
      const task = await trx.selectFrom('visit_tasks').selectAll().where('id', '=', body.taskId).executeTakeFirst();
      if (!task || task.customer_id !== body.customerId) throw badRequest('拜访任务与客户不符', [{ field: 'taskId', message: '拜访任务无效' }]);
    }
    await trx.insertInto('visit_attempts').values({
      id, customer_id: body.customerId, project_id: body.projectId, kind: body.kind, outcome: body.outcome, at, notes: body.notes?.trim() || null, task_id: body.taskId ?? null,
      actor_id: ctx.actorId ?? '', actor_name: ctx.actorName ?? '', created_at: now,
    }).execute();
    await recordTimeline(trx, deps, ctx, {
      customerId: body.customerId, kind: 'visit.attempted', title: `${VISIT_KIND_LABELS[body.kind]}未成功：${VISIT_ATTEMPT_OUTCOME_LABELS[body.outcome]}`, body: body.notes ?? null,
      refType: 'visit_attempt', refId: id, projectId: body.projectId, at,
    });
    await appendAudit(trx, deps, ctx, { action: 'visit_attempt.recorded', entityType: 'visit_attempt', entityId: id, after: { ...body } });
  });
  const r = await attemptsQuery(deps.db).where('a.id', '=', id).executeTakeFirstOrThrow();
  return presentAttempt(r);
}

const attemptsQuery = (db: Kysely<DB>) => db.selectFrom('visit_attempts as a').innerJoin('customers as c', 'c.id', 'a.customer_id').innerJoin('projects as p', 'p.id', 'a.project_id')
  .selectAll('a').select(['c.name as customer_name', 'p.name as project_name']);

/** Visit attempts that did not reach the customer, newest first, in the caller's projects. */
export async function listVisitAttempts(deps: Deps, actor: Actor, q: { customerId?: string | undefined; projectId?: string | undefined; from?: number | undefined; to?: number | undefined; limit?: number | undefined }) {
  let query = attemptsQuery(deps.db);
  if (actor.projectIds !== null) query = query.where('a.project_id', 'in', scopeIn(actor.projectIds));
  if (q.customerId) query = query.where('a.customer_id', '=', q.customerId);
  if (q.projectId) query = query.where('a.project_id', '=', q.projectId);
  if (q.from !== undefined) query = query.where('a.at', '>=', q.from);
  if (q.to !== undefined) query = query.where('a.at', '<', q.to);
  return (await query.orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(q.limit ?? 100).execute()).map(presentAttempt);
}
