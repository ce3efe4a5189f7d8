import type { StaffRole } from '@qiaoliang/shared';
import type { Deps } from '../deps.js';
import { sealPhone } from '../modules/customers/customer-phones.repo.js';
import { hashPassword } from '../platform/crypto.js';
import { insertTokens } from '../platform/search.js';

export const TEST_PASSWORD = 'test1234';

/**
 * The standard test world: city company C1 with projects A and A2, city company C2 with
 * project B. For every staff role there is a user scoped to project A (`<role>_a`), one
 * scoped to project B (`<role>_b`), a group-wide admin `root`, a city-company admin
 * `admin_c1`, and `target_a`/`target_b` for tests to act upon.
 */
export interface World {
  cityC1: string;
  cityC2: string;
  projectA: string;
  projectA2: string;
  projectB: string;
  buildingA: string;
  buildingB: string;
  unitA: string;
  unitB: string;
  commonAreaA: string;
  commonAreaB: string;
  deptEngC1: string;
  deptEngC2: string;
  deptPropA: string;
  deptPropB: string;
  deptGroup: string;
  customerA: string;
  customerB: string;
  linkA: string;
  linkB: string;
  users: Record<string, string>;
}

const STAFF: StaffRole[] = ['agent', 'supervisor', 'manager', 'handler', 'executive', 'admin'];

let cachedHash: Promise<string> | null = null;

/** Inserts the standard world directly (no HTTP, no audit) for API tests to act on. */
export async function seedWorld(deps: Deps): Promise<World> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const hash = await cachedHash;
  const now = deps.clock.now().getTime();
  const s = { version: 1, created_at: now, updated_at: now };
  const id = () => deps.ids.next();
  const w = {
    cityC1: id(), cityC2: id(), projectA: id(), projectA2: id(), projectB: id(), buildingA: id(), buildingB: id(), unitA: id(), unitB: id(),
    commonAreaA: id(), commonAreaB: id(), deptEngC1: id(), deptEngC2: id(), deptPropA: id(), deptPropB: id(), deptGroup: id(),
    customerA: id(), customerB: id(), linkA: id(), linkB: id(), users: {} as Record<string, string>,
  };
  const db = deps.db;
  await db.insertInto('city_companies').values([
    { id: w.cityC1, name: '一号城市公司', code: 'C1', ...s },
    { id: w.cityC2, name: '二号城市公司', code: 'C2', ...s },
  ]).execute();
  await db.insertInto('projects').values([
    { id: w.projectA, city_company_id: w.cityC1, name: '甲项目', code: 'PA', address: null, ...s },
    { id: w.projectA2, city_company_id: w.cityC1, name: '甲二项目', code: 'PA2', address: null, ...s },
    { id: w.projectB, city_company_id: w.cityC2, name: '乙项目', code: 'PB', address: null, ...s },
  ]).execute();
  await db.insertInto('buildings').values([
    { id: w.buildingA, project_id: w.projectA, name: '1', floors: 18, ...s },
    { id: w.buildingB, project_id: w.projectB, name: '1', floors: 18, ...s },
  ]).execute();
  await db.insertInto('units').values([
    { id: w.unitA, project_id: w.projectA, building_id: w.buildingA, entrance: '1', floor: 15, room_number: '1501', area: 120, layout: '三室两厅', ...s },
    { id: w.unitB, project_id: w.projectB, building_id: w.buildingB, entrance: '1', floor: 15, room_number: '1501', area: 120, layout: '三室两厅', ...s },
  ]).execute();
  await db.insertInto('common_areas').values([
    { id: w.commonAreaA, project_id: w.projectA, building_id: null, name: '地下车库', description: null, ...s },
    { id: w.commonAreaB, project_id: w.projectB, building_id: null, name: '地下车库', description: null, ...s },
  ]).execute();
  await db.insertInto('departments').values([
    { id: w.deptEngC1, name: '一号工程部', kind: 'engineering', level: 'city_company', city_company_id: w.cityC1, project_id: null, active: 1, ...s },
    { id: w.deptEngC2, name: '二号工程部', kind: 'engineering', level: 'city_company', city_company_id: w.cityC2, project_id: null, active: 1, ...s },
    { id: w.deptPropA, name: '甲物业', kind: 'property', level: 'project', city_company_id: w.cityC1, project_id: w.projectA, active: 1, ...s },
    { id: w.deptPropB, name: '乙物业', kind: 'property', level: 'project', city_company_id: w.cityC2, project_id: w.projectB, active: 1, ...s },
    { id: w.deptGroup, name: '集团设计院', kind: 'design', level: 'group', city_company_id: null, project_id: null, active: 1, ...s },
  ]).execute();

  for (const [cid, pid, uid, lid, phone, name] of [
    [w.customerA, w.projectA, w.unitA, w.linkA, '+8613900000001', '甲业主'],
    [w.customerB, w.projectB, w.unitB, w.linkB, '+8613900000002', '乙业主'],
  ] as const) {
    await db.insertInto('customers').values({
      id: cid, kind: 'owner', name, name_initials: '', project_id: pid, id_number_enc: null, id_number_hash: null, id_number_masked: null, email: null, wechat_id: null,
      preferred_channel: null, preferred_time: null, address: null, tags: '[]', vip: 0, notes: null, preferences: null, archive_confirmed_at: null,
      archive_confirmed_by: null, merged_into_id: null, ...s,
    }).execute();
    await insertTokens(db, 'customer', [{ id: cid, text: name }]);
    await db.insertInto('customer_phones').values({ id: id(), customer_id: cid, ...sealPhone(deps.config.fieldKey, phone), label: null, is_primary: 1, created_at: now }).execute();
    await db.insertInto('customer_units').values({
      id: lid, customer_id: cid, unit_id: uid, project_id: pid, relation: 'owner', share: null, from_date: '2025-01-01', to_date: null, contract_no: null, contract_date: null,
      contracted_handover_date: null, actual_handover_date: null, warranty_start_date: null, ...s,
    }).execute();
  }

  const addUser = async (username: string, roles: StaffRole[], scopeKind: string, scopeIds: string[], departmentId: string | null) => {
    const uid = id();
    await db.insertInto('users').values({
      id: uid, username, display_name: username, password_hash: hash, phone: '+8613800138000', email: null, department_id: departmentId,
      extension: null, scope_kind: scopeKind, active: 1, must_change_password: 0, ...s, last_login_at: null,
    }).execute();
    await db.insertInto('user_roles').values(roles.map((role) => ({ user_id: uid, role }))).execute();
    if (scopeIds.length) await db.insertInto('user_scopes').values(scopeIds.map((scope_id) => ({ user_id: uid, scope_id }))).execute();
    w.users[username] = uid;
  };
  await addUser('root', ['admin'], 'group', [], null);
  for (const role of STAFF) {
    await addUser(`${role}_a`, [role], 'project', [w.projectA], role === 'handler' ? w.deptPropA : null);
    await addUser(`${role}_b`, [role], 'project', [w.projectB], role === 'handler' ? w.deptPropB : null);
  }
  await addUser('admin_c1', ['admin'], 'city_company', [w.cityC1], null);
  // Users that tests act upon (deactivate, reset), never sign in as.
  await addUser('target_a', ['agent'], 'project', [w.projectA], null);
  await addUser('target_b', ['agent'], 'project', [w.projectB], null);
  return w;
}
