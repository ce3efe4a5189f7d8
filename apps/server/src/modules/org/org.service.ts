import type {
  BuildingCreate, BuildingUpdate, CityCompanyCreate, CityCompanyUpdate, CommonAreaCreate, CommonAreaUpdate,
  DepartmentCreate, DepartmentUpdate, ProjectCreate, ProjectListQuery, ProjectUpdate, UnitCreate, UnitListQuery, UnitUpdate,
} from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import { isUniqueViolation, toFlag } from '../../db/dialect.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../http/app-error.js';
import { pageOf } from '../../http/pagination.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { cityCompanyInScope, projectInScope, type Actor, scopeIn } from '../../platform/auth.js';
import {
  buildingsQuery, findBuilding, findCityCompany, findCommonArea, findDepartment, findProject, findUnit, ilike, projectsQuery, unitsQuery,
} from './org.repo.js';
import {
  presentBuilding, presentCityCompany, presentCommonArea, presentDepartment, presentProject, presentUnit,
} from './org.presenter.js';
import { updateVersioned } from '../../db/versioned.js';

/** Building and entrance names are stored bare: "3栋" and "3" are the same building, "2单元" and "2" the same entrance. */
export const bareBuilding = (name: string): string => name.trim().replace(/(栋|幢|座|号楼)$/, '').trim() || name.trim();
export const bareEntrance = (name: string): string => name.trim().replace(/单元$/, '').trim() || name.trim();

/** Runs a write, turning unique violations into a 409 with the given Chinese detail. */
async function uniquely<T>(fn: () => Promise<T>, code: 'org.duplicate_name' | 'org.duplicate_unit', detail: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(code, detail);
    throw err;
  }
}

/** The project, or 404 when it does not exist or lies outside the actor's scope. */
async function projectInScopeOr404(deps: Deps, actor: Actor, id: string) {
  const p = await findProject(deps.db, id);
  if (!p || !projectInScope(actor, p.id)) throw notFound('项目不存在或不在您的数据范围内');
  return p;
}

// ---------- city companies ----------

/** City companies the actor can see. */
export async function listCityCompanies(deps: Deps, actor: Actor) {
  let q = deps.db.selectFrom('city_companies').selectAll().orderBy('code');
  if (actor.projectIds !== null) {
    const visible = deps.db.selectFrom('projects').select('city_company_id').where('id', 'in', scopeIn(actor.projectIds));
    q = q.where((eb) => eb.or([eb('id', 'in', scopeIn(actor.cityCompanyIds ?? [])), eb('id', 'in', visible)]));
  }
  return (await q.execute()).map(presentCityCompany);
}

export async function createCityCompany(deps: Deps, actor: Actor, ctx: AuditContext, body: CityCompanyCreate) {
  if (actor.scopeKind !== 'group') throw forbidden('只有集团范围的管理员可以新建城市公司');
  const now = deps.clock.now().getTime();
  const row = { id: deps.ids.next(), name: body.name.trim(), code: body.code, version: 1, created_at: now, updated_at: now };
  await uniquely(
    () => deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('city_companies').values(row).execute();
      await appendAudit(trx, deps, ctx, { action: 'city_company.created', entityType: 'city_company', entityId: row.id, after: row });
    }),
    'org.duplicate_name', '城市公司名称或编码已存在',
  );
  return presentCityCompany(row);
}

export async function updateCityCompany(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: CityCompanyUpdate) {
  const before = await findCityCompany(deps.db, id);
  if (!before || !cityCompanyInScope(actor, id)) throw notFound('城市公司不存在或不在您的数据范围内');
  const now = deps.clock.now().getTime();
  const patch = { ...(body.name !== undefined ? { name: body.name.trim() } : {}), ...(body.code !== undefined ? { code: body.code } : {}) };
  await uniquely(
    () => deps.db.transaction().execute(async (trx) => {
      await updateVersioned(trx, 'city_companies', { id, version }, patch as never, now);
      await appendAudit(trx, deps, ctx, { action: 'city_company.updated', entityType: 'city_company', entityId: id, before, after: patch });
    }),
    'org.duplicate_name', '城市公司名称或编码已存在',
  );
  return presentCityCompany((await findCityCompany(deps.db, id))!);
}

// ---------- projects ----------

export async function listProjects(deps: Deps, actor: Actor, query: ProjectListQuery) {
  const { page, pageSize, offset } = pageOf(query);
  let base = deps.db.selectFrom('projects as p');
  if (actor.projectIds !== null) base = base.where('p.id', 'in', scopeIn(actor.projectIds));
  if (query.cityCompanyId) base = base.where('p.city_company_id', '=', query.cityCompanyId);
  if (query.ids) base = base.where('p.id', 'in', query.ids.split(',').slice(0, 200));
  if (query.q) base = base.where((eb) => eb.or([ilike('p.name', query.q!), ilike('p.code', query.q!)]));
  const ids = base.select('p.id');
  const [items, total] = await Promise.all([
    projectsQuery(deps.db).where('p.id', 'in', ids).orderBy('p.code').limit(pageSize).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items.map(presentProject), total: Number(total.n), page, pageSize };
}

export async function getProject(deps: Deps, actor: Actor, id: string) {
  await projectInScopeOr404(deps, actor, id);
  return presentProject((await projectsQuery(deps.db).where('p.id', '=', id).executeTakeFirst())!);
}

export async function createProject(deps: Deps, actor: Actor, ctx: AuditContext, body: ProjectCreate) {
  const city = await findCityCompany(deps.db, body.cityCompanyId);
  if (!city) throw badRequest('城市公司不存在', [{ field: 'cityCompanyId', message: '城市公司不存在' }]);
  if (!cityCompanyInScope(actor, city.id)) throw forbidden('该城市公司不在您的数据范围内');
  const now = deps.clock.now().getTime();
  const row = { id: deps.ids.next(), city_company_id: city.id, name: body.name.trim(), code: body.code, address: body.address ?? null, version: 1, created_at: now, updated_at: now };
  await uniquely(
    () => deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('projects').values(row).execute();
      await appendAudit(trx, deps, ctx, { action: 'project.created', entityType: 'project', entityId: row.id, after: row });
    }),
    'org.duplicate_name', '项目名称或编码已存在',
  );
  return presentProject({ ...row, city_company_name: city.name, building_count: 0, unit_count: 0 });
}

export async function updateProject(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: ProjectUpdate) {
  const before = await projectInScopeOr404(deps, actor, id);
  const now = deps.clock.now().getTime();
  const patch = {
    ...(body.name !== undefined ? { name: body.name.trim() } : {}),
    ...(body.code !== undefined ? { code: body.code } : {}),
    ...(body.address !== undefined ? { address: body.address } : {}),
  };
  await uniquely(
    () => deps.db.transaction().execute(async (trx) => {
      await updateVersioned(trx, 'projects', { id, version }, patch as never, now);
      await appendAudit(trx, deps, ctx, { action: 'project.updated', entityType: 'project', entityId: id, before, after: patch });
    }),
    'org.duplicate_name', '项目名称或编码已存在',
  );
  return getProject(deps, actor, id);
}

// ---------- buildings ----------

export async function listBuildings(deps: Deps, actor: Actor, projectId: string) {
  await projectInScopeOr404(deps, actor, projectId);
  const rows = await buildingsQuery(deps.db).where('b.project_id', '=', projectId).execute();
  // Natural order: 2栋 before 10栋.
  rows.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN', { numeric: true }));
  return rows.map(presentBuilding);
}

export async function createBuilding(deps: Deps, actor: Actor, ctx: AuditContext, projectId: string, body: BuildingCreate) {
  await projectInScopeOr404(deps, actor, projectId);
  const now = deps.clock.now().getTime();
  const row = { id: deps.ids.next(), project_id: projectId, name: bareBuilding(body.name), floors: body.floors ?? null, version: 1, created_at: now, updated_at: now };
  await uniquely(
    () => deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('buildings').values(row).execute();
      await appendAudit(trx, deps, ctx, { action: 'building.created', entityType: 'building', entityId: row.id, after: row });
    }),
    'org.duplicate_name', `本项目已有楼栋「${row.name}」`,
  );
  return presentBuilding({ ...row, unit_count: 0 });
}

async function buildingInScopeOr404(deps: Deps, actor: Actor, id: string) {
  const b = await findBuilding(deps.db, id);
  if (!b || !projectInScope(actor, b.project_id)) throw notFound('楼栋不存在或不在您的数据范围内');
  return b;
}

export async function updateBuilding(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: BuildingUpdate) {
  const before = await buildingInScopeOr404(deps, actor, id);
  const now = deps.clock.now().getTime();
  const patch = { ...(body.name !== undefined ? { name: bareBuilding(body.name) } : {}), ...(body.floors !== undefined ? { floors: body.floors } : {}) };
  await uniquely(
    () => deps.db.transaction().execute(async (trx) => {
      await updateVersioned(trx, 'buildings', { id, version }, patch as never, now);
      await appendAudit(trx, deps, ctx, { action: 'building.updated', entityType: 'building', entityId: id, before, after: patch });
    }),
    'org.duplicate_name', '本项目已有同名楼栋',
  );
  return presentBuilding((await buildingsQuery(deps.db).where('b.id', '=', id).executeTakeFirst())!);
}

// ---------- units ----------

export async function listUnits(deps: Deps, actor: Actor, query: UnitListQuery) {
  const { page, pageSize, offset } = pageOf(query);
  if (!query.projectId && !query.buildingId) throw badRequest('请指定项目或楼栋', [{ field: 'projectId', message: '请指定项目或楼栋' }]);
  if (query.projectId) await projectInScopeOr404(deps, actor, query.projectId);
  if (query.buildingId) await buildingInScopeOr404(deps, actor, query.buildingId);
  let base = deps.db.selectFrom('units as u');
  if (query.projectId) base = base.where('u.project_id', '=', query.projectId);
  if (query.buildingId) base = base.where('u.building_id', '=', query.buildingId);
  if (query.q) base = base.where((eb) => eb.or([ilike('u.room_number', query.q!), ilike('u.layout', query.q!)]));
  const [items, total] = await Promise.all([
    unitsQuery(deps.db)
      .where('u.id', 'in', base.select('u.id'))
      .orderBy('b.name').orderBy('u.entrance').orderBy('u.floor').orderBy('u.room_number')
      .limit(pageSize).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items.map(presentUnit), total: Number(total.n), page, pageSize };
}

export async function createUnit(deps: Deps, actor: Actor, ctx: AuditContext, buildingId: string, body: UnitCreate) {
  const building = await buildingInScopeOr404(deps, actor, buildingId);
  const now = deps.clock.now().getTime();
  const row = {
    id: deps.ids.next(), project_id: building.project_id, building_id: building.id, entrance: bareEntrance(body.entrance), floor: body.floor,
    room_number: body.roomNumber.trim(), area: body.area ?? null, layout: body.layout ?? null, version: 1, created_at: now, updated_at: now,
  };
  await uniquely(
    () => deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('units').values(row).execute();
      await appendAudit(trx, deps, ctx, { action: 'unit.created', entityType: 'unit', entityId: row.id, after: row });
    }),
    'org.duplicate_unit', `房屋 ${building.name}栋${row.entrance}单元${row.room_number} 已存在`,
  );
  return presentUnit({ ...row, building_name: building.name });
}

export async function updateUnit(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: UnitUpdate) {
  const before = await findUnit(deps.db, id);
  if (!before || !projectInScope(actor, before.project_id)) throw notFound('房屋不存在或不在您的数据范围内');
  const now = deps.clock.now().getTime();
  const patch = {
    ...(body.entrance !== undefined ? { entrance: bareEntrance(body.entrance) } : {}),
    ...(body.floor !== undefined ? { floor: body.floor } : {}),
    ...(body.roomNumber !== undefined ? { room_number: body.roomNumber.trim() } : {}),
    ...(body.area !== undefined ? { area: body.area } : {}),
    ...(body.layout !== undefined ? { layout: body.layout } : {}),
  };
  await uniquely(
    () => deps.db.transaction().execute(async (trx) => {
      await updateVersioned(trx, 'units', { id, version }, patch as never, now);
      await appendAudit(trx, deps, ctx, { action: 'unit.updated', entityType: 'unit', entityId: id, before, after: patch });
    }),
    'org.duplicate_unit', '同一楼栋单元下已有该房号',
  );
  return presentUnit((await unitsQuery(deps.db).where('u.id', '=', id).executeTakeFirst())!);
}

export async function getUnit(deps: Deps, actor: Actor, id: string) {
  const row = await unitsQuery(deps.db).where('u.id', '=', id).executeTakeFirst();
  if (!row || !projectInScope(actor, row.project_id)) throw notFound('房屋不存在或不在您的数据范围内');
  return presentUnit(row);
}

// ---------- common areas ----------

export async function listCommonAreas(deps: Deps, actor: Actor, projectId: string) {
  await projectInScopeOr404(deps, actor, projectId);
  const rows = await deps.db.selectFrom('common_areas').selectAll().where('project_id', '=', projectId).orderBy('name').execute();
  return rows.map(presentCommonArea);
}

export async function createCommonArea(deps: Deps, actor: Actor, ctx: AuditContext, projectId: string, body: CommonAreaCreate) {
  await projectInScopeOr404(deps, actor, projectId);
  if (body.buildingId) {
    const b = await findBuilding(deps.db, body.buildingId);
    if (!b || b.project_id !== projectId) throw badRequest('楼栋不属于该项目', [{ field: 'buildingId', message: '楼栋不属于该项目' }]);
  }
  const now = deps.clock.now().getTime();
  const row = { id: deps.ids.next(), project_id: projectId, building_id: body.buildingId ?? null, name: body.name.trim(), description: body.description ?? null, version: 1, created_at: now, updated_at: now };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('common_areas').values(row).execute();
    await appendAudit(trx, deps, ctx, { action: 'common_area.created', entityType: 'common_area', entityId: row.id, after: row });
  });
  return presentCommonArea(row);
}

export async function updateCommonArea(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: CommonAreaUpdate) {
  const before = await findCommonArea(deps.db, id);
  if (!before || !projectInScope(actor, before.project_id)) throw notFound('公共部位不存在或不在您的数据范围内');
  const now = deps.clock.now().getTime();
  const patch = { ...(body.name !== undefined ? { name: body.name.trim() } : {}), ...(body.description !== undefined ? { description: body.description } : {}) };
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'common_areas', { id, version }, patch as never, now);
    await appendAudit(trx, deps, ctx, { action: 'common_area.updated', entityType: 'common_area', entityId: id, before, after: patch });
  });
  return presentCommonArea((await findCommonArea(deps.db, id))!);
}

// ---------- departments ----------

/** True when the actor may see the department: group-level ones, or ones within their scope. */
async function departmentVisible(deps: Deps, actor: Actor, d: { level: string; city_company_id: string | null; project_id: string | null }): Promise<boolean> {
  if (actor.projectIds === null || d.level === 'group') return true;
  if (d.project_id) return projectInScope(actor, d.project_id);
  if (d.city_company_id) {
    if (cityCompanyInScope(actor, d.city_company_id)) return true;
    const p = await deps.db.selectFrom('projects').select('id').where('city_company_id', '=', d.city_company_id)
      .where('id', 'in', scopeIn(actor.projectIds)).executeTakeFirst();
    return Boolean(p);
  }
  return false;
}

export async function listDepartments(deps: Deps, actor: Actor, filter: { projectId?: string | undefined }) {
  let q = deps.db.selectFrom('departments').selectAll().orderBy('level').orderBy('name');
  if (filter.projectId) {
    const p = await projectInScopeOr404(deps, actor, filter.projectId);
    // The departments that can take work for a project: its own, its city company's, the group's.
    q = q.where((eb) => eb.or([
      eb('level', '=', 'group'),
      eb.and([eb('level', '=', 'city_company'), eb('city_company_id', '=', p.city_company_id)]),
      eb('project_id', '=', p.id),
    ]));
  } else if (actor.projectIds !== null) {
    const pids = scopeIn(actor.projectIds);
    const cities = deps.db.selectFrom('projects').select('city_company_id').where('id', 'in', pids);
    q = q.where((eb) => eb.or([
      eb('level', '=', 'group'),
      eb('project_id', 'in', pids),
      eb('city_company_id', 'in', cities),
      eb('city_company_id', 'in', scopeIn(actor.cityCompanyIds ?? [])),
    ]));
  }
  return (await q.execute()).map(presentDepartment);
}

export async function createDepartment(deps: Deps, actor: Actor, ctx: AuditContext, body: DepartmentCreate) {
  let cityCompanyId: string | null = null;
  let projectId: string | null = null;
  if (body.level === 'group') {
    if (actor.scopeKind !== 'group') throw forbidden('只有集团范围的管理员可以新建集团部门');
  } else if (body.level === 'city_company') {
    if (!body.cityCompanyId) throw badRequest('请选择城市公司', [{ field: 'cityCompanyId', message: '必填' }]);
    if (!(await findCityCompany(deps.db, body.cityCompanyId))) throw badRequest('城市公司不存在', [{ field: 'cityCompanyId', message: '城市公司不存在' }]);
    if (!cityCompanyInScope(actor, body.cityCompanyId)) throw forbidden('该城市公司不在您的数据范围内');
    cityCompanyId = body.cityCompanyId;
  } else {
    if (!body.projectId) throw badRequest('请选择项目', [{ field: 'projectId', message: '必填' }]);
    const p = await findProject(deps.db, body.projectId);
    if (!p) throw badRequest('项目不存在', [{ field: 'projectId', message: '项目不存在' }]);
    if (!projectInScope(actor, p.id)) throw forbidden('该项目不在您的数据范围内');
    projectId = p.id;
    cityCompanyId = p.city_company_id;
  }
  const now = deps.clock.now().getTime();
  const row = { id: deps.ids.next(), name: body.name.trim(), kind: body.kind, level: body.level, city_company_id: cityCompanyId, project_id: projectId, active: 1, version: 1, created_at: now, updated_at: now };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('departments').values(row).execute();
    await appendAudit(trx, deps, ctx, { action: 'department.created', entityType: 'department', entityId: row.id, after: row });
  });
  return presentDepartment(row);
}

export async function updateDepartment(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: DepartmentUpdate) {
  const before = await findDepartment(deps.db, id);
  if (!before || !(await departmentVisible(deps, actor, before))) throw notFound('部门不存在或不在您的数据范围内');
  const mayWrite = before.level === 'group' ? actor.scopeKind === 'group'
    : before.project_id ? projectInScope(actor, before.project_id)
    : before.city_company_id ? cityCompanyInScope(actor, before.city_company_id) : false;
  if (!mayWrite) throw forbidden('该部门不在您的管理范围内');
  const now = deps.clock.now().getTime();
  const patch = {
    ...(body.name !== undefined ? { name: body.name.trim() } : {}),
    ...(body.kind !== undefined ? { kind: body.kind } : {}),
    ...(body.active !== undefined ? { active: toFlag(body.active) } : {}),
  };
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'departments', { id, version }, patch as never, now);
    await appendAudit(trx, deps, ctx, { action: 'department.updated', entityType: 'department', entityId: id, before, after: patch });
  });
  return presentDepartment((await findDepartment(deps.db, id))!);
}

/** Thrown by callers that need a department the actor can use (e.g. for a handler user). */
export async function assertDepartmentUsable(deps: Deps, actor: Actor, id: string): Promise<void> {
  const d = await findDepartment(deps.db, id);
  if (!d || !(await departmentVisible(deps, actor, d))) {
    throw new AppError(400, 'request.invalid', '部门不存在或不在您的数据范围内', [{ field: 'departmentId', message: '部门无效' }]);
  }
}
