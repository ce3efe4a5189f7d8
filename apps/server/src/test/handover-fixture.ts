import type { TestApp } from './app.js';

export interface HandoverPeople { contractor1: string; contractor2: string; user1: string; user2: string; units: string[] }

/**
 * Two contractors (departments of kind contractor) of project A with one handler each
 * (`contractor_1`, `contractor_2`, password as the world's), and four more units in building A.
 */
export async function seedHandoverPeople(t: TestApp): Promise<HandoverPeople> {
  const db = t.deps.db;
  const now = t.clock.now().getTime();
  const s = { version: 1, created_at: now, updated_at: now };
  const hash = (await db.selectFrom('users').select('password_hash').where('username', '=', 'handler_a').executeTakeFirstOrThrow()).password_hash;
  const id = () => t.deps.ids.next();
  const contractor1 = id();
  const contractor2 = id();
  await db.insertInto('departments').values([
    { id: contractor1, name: '甲建工', kind: 'contractor', level: 'project', city_company_id: t.world.cityC1, project_id: t.world.projectA, active: 1, ...s },
    { id: contractor2, name: '乙装饰', kind: 'contractor', level: 'project', city_company_id: t.world.cityC1, project_id: t.world.projectA, active: 1, ...s },
  ]).execute();
  const users: string[] = [];
  for (const [name, dept] of [['contractor_1', contractor1], ['contractor_2', contractor2]] as const) {
    const uid = id();
    await db.insertInto('users').values({
      id: uid, username: name, display_name: name, password_hash: hash, phone: null, email: null, department_id: dept, extension: null, scope_kind: 'project',
      active: 1, must_change_password: 0, ...s, last_login_at: null,
    }).execute();
    await db.insertInto('user_roles').values({ user_id: uid, role: 'handler' }).execute();
    await db.insertInto('user_scopes').values({ user_id: uid, scope_id: t.world.projectA }).execute();
    users.push(uid);
  }
  const units = [t.world.unitA];
  for (const room of ['1502', '1601', '1602', '1701']) {
    const uid = id();
    await db.insertInto('units').values({ id: uid, project_id: t.world.projectA, building_id: t.world.buildingA, entrance: '1', floor: Number(room.slice(0, 2)), room_number: room, area: 100, layout: '三室两厅', ...s }).execute();
    units.push(uid);
  }
  return { contractor1, contractor2, user1: users[0]!, user2: users[1]!, units };
}
