import type { Kysely } from 'kysely';
import type { StaffRole } from '@qiaoliang/shared';
import type { Deps } from '../deps.js';
import type { DB } from '../db/schema.js';
import { appendAudit } from '../platform/audit.js';
import { hashPassword } from '../platform/crypto.js';
import { chineseName, idNumber, mobile, Random } from './random.js';
import { encryptField } from '../platform/crypto.js';
import { DEFAULT_REQUIRED_FIELDS, missingArchiveFields } from '../modules/customers/customers.rules.js';
import { idNumberHash, nameInitials } from '../modules/customers/customers.service.js';
import { sealPhone } from '../modules/customers/customer-phones.repo.js';
import { maskIdNumber } from '@qiaoliang/shared';
import { seedDemoTickets } from './demo-tickets.js';
import { seedDemoHandover } from './demo-handover.js';
import { seedDemoSurvey } from './demo-survey.js';
import { seedDemoReplyTemplates } from './demo-reply-templates.js';
import { zonedDate } from '../platform/time.js';
import { insertTokens } from '../platform/search.js';

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

/** The demo owner's mobile number for the owner portal (its sign-in code appears in the development SMS sink). */
export const DEMO_OWNER_PHONE = '+8613800001234';

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
  customers: number;
  tickets: number;
}

/**
 * Loads the demo organization deterministically: 2 city companies, 6 projects, their
 * buildings and about 5,000 units, departments, and staff for every role.
 */
export async function seedDemo(deps: Deps, opts: { scale: 'demo'; seed?: number }): Promise<SeedCounts> {
  const r = new Random(opts.seed ?? 20261127);
  const now = deps.clock.now().getTime();
  const stamp = { version: 1, created_at: now, updated_at: now };
  const counts: SeedCounts = { cityCompanies: 0, projects: 0, buildings: 0, units: 0, departments: 0, users: 0, customers: 0, tickets: 0 };
  const projectIds = new Map<string, string>();
  const cityIds = new Map<string, string>();
  const departmentIds = new Map<string, string>();
  const soldUnits: { id: string; projectId: string }[] = [];

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
        for (const u of units) if (r.chance(0.8)) soldUnits.push({ id: u.id, projectId });
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

    counts.customers = await seedCustomers(trx, deps, r, soldUnits, now);
    counts.tickets = await seedDemoTickets(trx, deps, r, now);
    await seedDemoSurvey(trx, deps, r, now);
    await seedDemoReplyTemplates(trx, deps, now);
    await seedDemoHandover(trx, deps, r, now, passwordHash);

    await appendAudit(trx, deps, { actorId: null, actorName: '系统', ip: null, requestId: null }, {
      action: 'seed.demo', entityType: 'system', entityId: null, after: counts,
    });
  });
  return counts;
}

const DAY = 86_400_000;

/**
 * Owners for about 80% of the units: most handed over (owners), the rest prospective owners,
 * some co-owners and family members, with realistic gaps (no ID number, no contract number,
 * archives not confirmed for over a year) so that K4 is below target.
 */
async function seedCustomers(trx: Kysely<DB>, deps: Deps, r: Random, units: { id: string; projectId: string }[], now: number): Promise<number> {
  const customers: DB['customers'][] = [];
  const phones: DB['customer_phones'][] = [];
  const links: DB['customer_units'][] = [];
  const states: DB['customer_archive_states'][] = [];
  const timeline: DB['timeline_entries'][] = [];
  const dateOf = (ms: number) => zonedDate(ms, deps.config.timeZone);
  const addPerson = (kind: DB['customers']['kind'], projectId: string, opts: { id: boolean; updatedDaysAgo: number }) => {
    const id = deps.ids.next();
    const name = chineseName(r);
    const created = now - (opts.updatedDaysAgo + r.int(0, 200)) * DAY;
    const updated = now - opts.updatedDaysAgo * DAY;
    const idn = opts.id ? idNumber(r) : null;
    customers.push({
      id, kind, name, name_initials: nameInitials(name), project_id: projectId,
      id_number_enc: idn ? encryptField(deps.config.fieldKey, idn) : null, id_number_hash: idn ? idNumberHash(deps, idn) : null, id_number_masked: idn ? maskIdNumber(idn) : null,
      email: r.chance(0.3) ? `${nameInitials(name)}${r.int(10, 99)}@example.com` : null, wechat_id: r.chance(0.4) ? `wx_${nameInitials(name)}${r.int(100, 999)}` : null,
      preferred_channel: r.chance(0.5) ? r.pick(['phone', 'wechat', 'sms']) : null, preferred_time: r.chance(0.3) ? r.pick(['工作日晚上', '周末白天', '任何时间']) : null,
      address: null, tags: JSON.stringify(r.chance(0.05) ? ['老业主'] : []), vip: r.chance(0.04) ? 1 : 0, notes: null, preferences: null,
      archive_confirmed_at: null, archive_confirmed_by: null, merged_into_id: null, version: 1, created_at: created, updated_at: updated,
    });
    const phone = mobile(r);
    phones.push({ id: deps.ids.next(), customer_id: id, ...sealPhone(deps.config.fieldKey, phone), label: null, is_primary: 1, created_at: created });
    if (r.chance(0.15)) {
      const second = mobile(r);
      phones.push({ id: deps.ids.next(), customer_id: id, ...sealPhone(deps.config.fieldKey, second), label: '备用', is_primary: 0, created_at: created });
    }
    timeline.push({ id: deps.ids.next(), customer_id: id, at: created, kind: 'customer.created', title: '从销售系统导入', body: null, ref_type: null, ref_id: null, project_id: projectId, actor_id: null, actor_name: '系统' });
    return { id, created, updated, hasId: Boolean(idn) };
  };

  for (const unit of units) {
    const handedOver = r.chance(0.75);
    const updatedDaysAgo = r.chance(0.2) ? r.int(380, 700) : r.int(0, 330);
    const person = addPerson(handedOver ? 'owner' : 'prospective_owner', unit.projectId, { id: r.chance(0.9), updatedDaysAgo });
    const contractMs = person.created - r.int(30, 400) * DAY;
    const handover = handedOver ? dateOf(Math.min(now - DAY, contractMs + r.int(300, 700) * DAY)) : null;
    const link: DB['customer_units'] = {
      id: deps.ids.next(), customer_id: person.id, unit_id: unit.id, project_id: unit.projectId, relation: handedOver ? 'owner' : 'prospective_owner', share: null,
      from_date: dateOf(contractMs), to_date: null, contract_no: r.chance(0.93) ? `HT${dateOf(contractMs).replace(/-/g, '')}${r.int(1000, 9999)}` : null,
      contract_date: dateOf(contractMs), contracted_handover_date: dateOf(contractMs + 540 * DAY), actual_handover_date: handover, warranty_start_date: handover,
      version: 1, created_at: person.created, updated_at: person.created,
    };
    links.push(link);
    const customer = customers[customers.length - 1]!;
    const missing = missingArchiveFields({
      kind: customer.kind as 'owner', name: customer.name, hasPhone: true, hasIdNumber: person.hasId, email: customer.email, wechatId: customer.wechat_id,
      address: null, preferredChannel: customer.preferred_channel,
      currentUnits: [{ contractNo: link.contract_no, contractDate: link.contract_date, contractedHandoverDate: link.contracted_handover_date, actualHandoverDate: link.actual_handover_date, warrantyStartDate: link.warranty_start_date }],
    }, DEFAULT_REQUIRED_FIELDS);
    states.push({ id: deps.ids.next(), customer_id: person.id, at: person.updated, complete: missing.length ? 0 : 1, missing: JSON.stringify(missing), touched_at: person.updated });
    if (r.chance(0.12)) {
      const family = addPerson(r.chance(0.5) ? 'co_owner' : 'family', unit.projectId, { id: r.chance(0.5), updatedDaysAgo });
      const relation = customers[customers.length - 1]!.kind === 'co_owner' ? 'co_owner' : 'family';
      links.push({ ...link, id: deps.ids.next(), customer_id: family.id, relation, contract_no: relation === 'co_owner' ? link.contract_no : null, share: relation === 'co_owner' ? 50 : null });
      const fc = customers[customers.length - 1]!;
      const fm = missingArchiveFields({
        kind: fc.kind as 'family', name: fc.name, hasPhone: true, hasIdNumber: family.hasId, email: fc.email, wechatId: fc.wechat_id, address: null, preferredChannel: fc.preferred_channel,
        currentUnits: [{ contractNo: null, contractDate: null, contractedHandoverDate: null, actualHandoverDate: handover, warrantyStartDate: null }],
      }, DEFAULT_REQUIRED_FIELDS);
      states.push({ id: deps.ids.next(), customer_id: family.id, at: family.updated, complete: fm.length ? 0 : 1, missing: JSON.stringify(fm), touched_at: family.updated });
    }
  }
  // The demo owner of the portal (README): the first owner gets a known mobile number.
  const demoOwner = links.find((l) => l.relation === 'owner');
  const demoPhone = demoOwner && phones.find((p) => p.customer_id === demoOwner.customer_id && p.is_primary === 1);
  if (demoPhone) Object.assign(demoPhone, sealPhone(deps.config.fieldKey, DEMO_OWNER_PHONE));
  await insertTokens(trx, 'customer', customers.map((c) => ({ id: c.id, text: c.name })));
  for (const [table, rows] of [['customers', customers], ['customer_phones', phones], ['customer_units', links], ['customer_archive_states', states], ['timeline_entries', timeline]] as const) {
    for (let i = 0; i < rows.length; i += 300) await trx.insertInto(table).values(rows.slice(i, i + 300) as never).execute();
  }
  return customers.length;
}
