import type { Kysely } from 'kysely';
import type { StaffRole } from '@qiaoliang/shared';
import type { Deps } from '../deps.js';
import type { DB } from '../db/schema.js';
import { appendAudit } from '../platform/audit.js';
import { hashPassword } from '../platform/crypto.js';
import { chineseName, mobile, Random } from './random.js';

/** The demo accounts printed at start; all share DEMO_PASSWORD. */
export const DEMO_ACCOUNTS: { username: string; label: string; roles: StaffRole[] }[] = [
  { username: 'admin', label: '系统管理员（集团）', roles: ['admin'] },
  { username: 'manager', label: '客服经理（深圳城市公司）', roles: ['manager'] },
  { username: 'supervisor', label: '客服主管（观澜府、云湖苑）', roles: ['supervisor'] },
  { username: 'agent', label: '客服专员（观澜府、云湖苑，分机 8001）', roles: ['agent'] },
  { username: 'handler', label: '部门处理人（深圳工程部）', roles: ['handler'] },
  { username: 'executive', label: '领导（集团）', roles: ['executive'] },
];

const CITIES = [
  { code: 'SZ', name: '深圳城市公司', projects: [['GLF', '观澜府', '深圳市龙华区观澜大道 188 号'], ['YHY', '云湖苑', '深圳市南山区沙河西路 66 号'], ['JPHT', '江畔华庭', '深圳市福田区滨河大道 9 号']] },
  { code: 'GZ', name: '广州城市公司', projects: [['TYW', '天悦湾', '广州市天河区珠江新城华夏路 28 号'], ['CLYJ', '翠林雅居', '广州市番禺区市桥街 108 号'], ['JXHY', '锦绣花园', '广州市海珠区新港东路 520 号']] },
] as const;

const LAYOUTS = [['两室两厅', 78], ['三室两厅', 96], ['三室两厅', 118], ['四室两厅', 143], ['五室三厅', 186]] as const;

/** True when no user exists yet: the first start of a fresh database. */
export async function isDatabaseEmpty(db: Kysely<DB>): Promise<boolean> {
  return !(await db.selectFrom('users').select('id').limit(1).executeTakeFirst());
}

export interface SeedCounts {
  cityCompanies: number;
  projects: number;
  buildings: number;
  units: number;
  departments: number;
  users: number;
}

/**
 * Loads the demo organization deterministically: 2 city companies, 6 projects, their
 * buildings and about 5,000 units, departments, and staff for every role.
 */
export async function seedDemo(deps: Deps, opts: { scale: 'demo'; seed?: number }): Promise<SeedCounts> {
  const r = new Random(opts.seed ?? 20261127);
  const now = deps.clock.now().getTime();
  const stamp = { version: 1, created_at: now, updated_at: now };
  const counts: SeedCounts = { cityCompanies: 0, projects: 0, buildings: 0, units: 0, departments: 0, users: 0 };
  const projectIds = new Map<string, string>();
  const cityIds = new Map<string, string>();
  const departmentIds = new Map<string, string>();

  const passwordHash = await hashPassword(deps.config.demoPassword);

  await deps.db.transaction().execute(async (trx) => {
    for (const city of CITIES) {
      const cityId = deps.ids.next();
      cityIds.set(city.code, cityId);
      await trx.insertInto('city_companies').values({ id: cityId, name: city.name, code: city.code, ...stamp }).execute();
      counts.cityCompanies++;
      for (const [code, name, address] of city.projects) {
        const projectId = deps.ids.next();
        projectIds.set(code, projectId);
        await trx.insertInto('projects').values({ id: projectId, city_company_id: cityId, name, code, address, ...stamp }).execute();
        counts.projects++;
        const buildingCount = r.int(7, 10);
        const units: DB['units'][] = [];
        for (let b = 1; b <= buildingCount; b++) {
          const floors = r.pick([18, 26, 32, 33]);
          const buildingId = deps.ids.next();
          await trx.insertInto('buildings').values({ id: buildingId, project_id: projectId, name: String(b), floors, ...stamp }).execute();
          counts.buildings++;
          const entrances = r.int(1, 2);
          const perFloor = r.int(2, 3);
          const layout = r.pick(LAYOUTS);
          for (let e = 1; e <= entrances; e++) {
            for (let f = 2; f <= floors; f++) {
              for (let u = 1; u <= perFloor; u++) {
                units.push({
                  id: deps.ids.next(), project_id: projectId, building_id: buildingId, entrance: String(e), floor: f,
                  room_number: `${f}${String(u).padStart(2, '0')}`, area: layout[1] + r.int(0, 6) / 2, layout: layout[0], ...stamp,
                });
              }
            }
          }
        }
        for (let i = 0; i < units.length; i += 500) await trx.insertInto('units').values(units.slice(i, i + 500)).execute();
        counts.units += units.length;
        for (const area of ['地下车库', '中心花园', '会所', '小区主出入口', '消防通道']) {
          await trx.insertInto('common_areas').values({ id: deps.ids.next(), project_id: projectId, building_id: null, name: area, description: null, ...stamp }).execute();
        }
        const propertyId = deps.ids.next();
        departmentIds.set(`property:${code}`, propertyId);
        await trx.insertInto('departments').values({ id: propertyId, name: `${name}物业服务中心`, kind: 'property', level: 'project', city_company_id: cityId, project_id: projectId, active: 1, ...stamp }).execute();
        counts.departments++;
      }
      for (const [kind, label] of [['engineering', '工程部'], ['sales', '营销部'], ['finance', '财务部']] as const) {
        const id = deps.ids.next();
        departmentIds.set(`${kind}:${city.code}`, id);
        await trx.insertInto('departments').values({ id, name: `${city.name.replace('城市公司', '')}${label}`, kind, level: 'city_company', city_company_id: cityId, project_id: null, active: 1, ...stamp }).execute();
        counts.departments++;
      }
    }
    for (const [kind, name] of [['design', '集团设计院'], ['legal', '集团法务部'], ['other', '集团品牌部']] as const) {
      const id = deps.ids.next();
      departmentIds.set(`${kind}:group`, id);
      await trx.insertInto('departments').values({ id, name, kind, level: 'group', city_company_id: null, project_id: null, active: 1, ...stamp }).execute();
      counts.departments++;
    }

    const addUser = async (u: { username: string; displayName: string; roles: StaffRole[]; scopeKind: 'group' | 'city_company' | 'project'; scopeIds: string[]; departmentId?: string; extension?: string }) => {
      const id = deps.ids.next();
      await trx.insertInto('users').values({
        id, username: u.username, display_name: u.displayName, password_hash: passwordHash, phone: mobile(r), email: `${u.username}@demo.qiaoliang.local`,
        department_id: u.departmentId ?? null, extension: u.extension ?? null, scope_kind: u.scopeKind, active: 1, must_change_password: 0, ...stamp, last_login_at: null,
      }).execute();
      await trx.insertInto('user_roles').values(u.roles.map((role) => ({ user_id: id, role }))).execute();
      if (u.scopeIds.length) await trx.insertInto('user_scopes').values(u.scopeIds.map((scope_id) => ({ user_id: id, scope_id }))).execute();
      counts.users++;
    };
    const p = (code: string) => projectIds.get(code)!;
    await addUser({ username: 'admin', displayName: '系统管理员', roles: ['admin'], scopeKind: 'group', scopeIds: [] });
    await addUser({ username: 'manager', displayName: chineseName(r), roles: ['manager'], scopeKind: 'city_company', scopeIds: [cityIds.get('SZ')!] });
    await addUser({ username: 'supervisor', displayName: chineseName(r), roles: ['supervisor'], scopeKind: 'project', scopeIds: [p('GLF'), p('YHY')] });
    await addUser({ username: 'agent', displayName: chineseName(r), roles: ['agent'], scopeKind: 'project', scopeIds: [p('GLF'), p('YHY')], extension: '8001' });
    await addUser({ username: 'handler', displayName: chineseName(r), roles: ['handler'], scopeKind: 'city_company', scopeIds: [cityIds.get('SZ')!], departmentId: departmentIds.get('engineering:SZ')! });
    await addUser({ username: 'executive', displayName: chineseName(r), roles: ['executive'], scopeKind: 'group', scopeIds: [] });
    // The rest of the center's staff, so lists and assignment pickers look like a real team.
    await addUser({ username: 'manager_gz', displayName: chineseName(r), roles: ['manager'], scopeKind: 'city_company', scopeIds: [cityIds.get('GZ')!] });
    let ext = 8002;
    for (const city of CITIES) {
      for (const [code] of city.projects) {
        const lower = code.toLowerCase();
        if (code !== 'GLF' && code !== 'YHY') {
          await addUser({ username: `sup_${lower}`, displayName: chineseName(r), roles: ['supervisor'], scopeKind: 'project', scopeIds: [p(code)] });
        }
        for (let i = 1; i <= 2; i++) {
          await addUser({ username: `agent_${lower}${i}`, displayName: chineseName(r), roles: ['agent'], scopeKind: 'project', scopeIds: [p(code)], extension: String(ext++) });
        }
        await addUser({ username: `wy_${lower}`, displayName: chineseName(r), roles: ['handler'], scopeKind: 'project', scopeIds: [p(code)], departmentId: departmentIds.get(`property:${code}`)! });
      }
      await addUser({ username: `gc_${city.code.toLowerCase()}`, displayName: chineseName(r), roles: ['handler'], scopeKind: 'city_company', scopeIds: [cityIds.get(city.code)!], departmentId: departmentIds.get(`engineering:${city.code}`)! });
    }

    await appendAudit(trx, deps, { actorId: null, actorName: '系统', ip: null, requestId: null }, {
      action: 'seed.demo', entityType: 'system', entityId: null, after: counts,
    });
  });
  return counts;
}
