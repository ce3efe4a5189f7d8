import { CompiledQuery, sql, type Kysely } from 'kysely';
import { maskIdNumber, type StaffRole } from '@qiaoliang/shared';
import type { Deps } from '../deps.js';
import type { DB } from '../db/schema.js';
import { loadWorkCalendar } from '../modules/calendar/calendar.service.js';
import { DEFAULT_REQUIRED_FIELDS, missingArchiveFields } from '../modules/customers/customers.rules.js';
import { idNumberHash, nameInitials } from '../modules/customers/customers.service.js';
import { sealPhone } from '../modules/customers/customer-phones.repo.js';
import { currentPolicy } from '../modules/tickets/sla-policies.service.js';
import { computeDues } from '../modules/tickets/tickets.service.js';
import { appendAudit } from '../platform/audit.js';
import { encryptField, hashPassword } from '../platform/crypto.js';
import { offsetMs, zonedDate, zonedDayStart } from '../platform/time.js';
import { chineseName, idNumber, mobile, Random } from './random.js';
import { searchTokens } from '../platform/search.js';

/**
 * The benchmark dataset: a large group's real scale (`--scale bench`: 200k customers, 150k
 * units in 40 projects, 1M tickets over 5 years with their events, work orders, replies,
 * callbacks, ratings and visits), written straight into the database in large transactions
 * with multi-row inserts. Deterministic for a seed and a clock: the same rows (ids included)
 * on every machine, except the encrypted ID numbers and the password hash, which are salted.
 */

const MIN = 60_000;
const H = 3_600_000;
const DAY = 24 * H;

export interface BenchScaleOptions {
  customers: number;
  units: number;
  projects: number;
  tickets: number;
  years: number;
  seed: number;
}

export const BENCH_SCALES = {
  bench: { customers: 200_000, units: 150_000, projects: 40, tickets: 1_000_000, years: 5 },
  'bench-small': { customers: 20_000, units: 15_000, projects: 40, tickets: 100_000, years: 5 },
} as const satisfies Record<string, Omit<BenchScaleOptions, 'seed'>>;
export type BenchScaleName = keyof typeof BENCH_SCALES;

export type BenchCounts = Record<string, number>;

/**
 * UUIDv7 ids stamped with the instant of the record they name (a ticket of 2022 gets a 2022
 * id, as it would have had when it was registered), with the layout of platform/ids.ts. The
 * "random" bits come from a seeded PRNG and a sequence number, so ids are reproducible and
 * unique.
 */
export class TimeOrderedIds {
  private readonly r: Random;
  private seq = 0;
  private readonly buf = Buffer.alloc(16);
  constructor(seed: number) {
    this.r = new Random((seed ^ 0x5eed1d5) >>> 0);
  }
  at(ms: number): string {
    const b = this.buf;
    b.writeUIntBE(Math.max(0, Math.floor(ms)), 0, 6);
    const ra = Math.floor(this.r.next() * 0x1000);
    b[6] = 0x70 | (ra >> 8);
    b[7] = ra & 0xff;
    b.writeUInt32BE((0x80000000 | Math.floor(this.r.next() * 0x40000000)) >>> 0, 8);
    b.writeUInt32BE(this.seq++ >>> 0, 12);
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

type Row = Record<string, unknown>;

/**
 * Buffers rows per table and writes them with multi-row INSERTs: as many rows per statement
 * as the bound-parameter limit allows (SQLite 32,766; PostgreSQL 65,535).
 */
class BulkWriter {
  private readonly buffers = new Map<string, { cols: string[]; rows: unknown[][] }>();
  private readonly sqlCache = new Map<string, string>();
  readonly written: BenchCounts = {};
  constructor(private readonly dialect: 'sqlite' | 'postgres') {}

  add(table: keyof DB, row: Row): void {
    let b = this.buffers.get(table);
    if (!b) {
      b = { cols: Object.keys(row), rows: [] };
      this.buffers.set(table, b);
    }
    b.rows.push(b.cols.map((c) => row[c] ?? null));
  }

  pending(): number {
    let n = 0;
    for (const b of this.buffers.values()) n += b.rows.length;
    return n;
  }

  /** Writes every buffered row, tables in the order given (parents before children). */
  async flush(db: Kysely<DB>, order: readonly (keyof DB)[]): Promise<void> {
    const tables = [...order, ...[...this.buffers.keys()].filter((t) => !order.includes(t as keyof DB))];
    for (const table of tables) {
      const b = this.buffers.get(table);
      if (!b || !b.rows.length) continue;
      const per = Math.max(1, Math.floor((this.dialect === 'sqlite' ? 32_000 : 65_000) / b.cols.length));
      for (let i = 0; i < b.rows.length; i += per) {
        const chunk = b.rows.slice(i, i + per);
        const params: unknown[] = [];
        for (const r of chunk) for (const v of r) params.push(v);
        await db.executeQuery(CompiledQuery.raw(this.insertSql(table, b.cols, chunk.length), params));
      }
      this.written[table] = (this.written[table] ?? 0) + b.rows.length;
      b.rows = [];
    }
  }

  private insertSql(table: string, cols: string[], n: number): string {
    const key = `${table}:${n}`;
    const hit = this.sqlCache.get(key);
    if (hit) return hit;
    const tuples: string[] = [];
    let p = 1;
    for (let i = 0; i < n; i++) {
      const ph = cols.map(() => (this.dialect === 'sqlite' ? '?' : `$${p++}`));
      tuples.push(`(${ph.join(',')})`);
    }
    const text = `insert into "${table}" (${cols.map((c) => `"${c}"`).join(',')}) values ${tuples.join(',')}`;
    if (n > 1) this.sqlCache.set(key, text);
    return text;
  }
}

/** Parents first, so that foreign keys hold statement by statement. */
const TABLE_ORDER: readonly (keyof DB)[] = [
  'city_companies', 'projects', 'buildings', 'units', 'common_areas', 'departments', 'users', 'user_roles', 'user_scopes',
  'customers', 'search_tokens', 'customer_phones', 'customer_units', 'customer_archive_states',
  'tickets', 'ticket_events', 'ticket_replies', 'work_orders', 'work_order_updates', 'callbacks', 'ratings', 'visits', 'timeline_entries',
];

const CITIES = [
  { code: 'SZ', name: '深圳城市公司', districts: ['龙华区', '南山区', '福田区', '宝安区', '龙岗区'] },
  { code: 'GZ', name: '广州城市公司', districts: ['天河区', '番禺区', '海珠区', '白云区', '黄埔区'] },
  { code: 'DG', name: '东莞城市公司', districts: ['南城街道', '松山湖', '长安镇', '塘厦镇'] },
  { code: 'FS', name: '佛山城市公司', districts: ['顺德区', '南海区', '禅城区'] },
  { code: 'CS', name: '长沙城市公司', districts: ['岳麓区', '雨花区', '开福区', '天心区'] },
] as const;

const PROJECT_HEADS = ['观澜', '云湖', '江畔', '天悦', '翠林', '锦绣', '御景', '星河', '碧桂', '紫荆', '金域', '万象', '滨江', '雅居', '悦府', '君澜', '海岸', '麓山', '湖畔', '东方'];
const PROJECT_TAILS = ['府', '苑', '华庭', '湾', '雅居', '花园', '名邸', '公馆', '一号', '壹品'];
const STREETS = ['大道', '路', '街', '大街'];
const LAYOUTS = [['两室两厅', 78], ['三室两厅', 96], ['三室两厅', 118], ['四室两厅', 143], ['五室三厅', 186]] as const;

/** What owners say: [location, problem, detail] parts by category name; many combinations, in realistic Chinese. */
const ROOMS = ['卫生间', '厨房', '主卧', '次卧', '客厅', '阳台', '书房', '餐厅', '储物间'];
const ASKS = ['，请尽快安排人员上门查看', '，已经持续一周了', '，影响正常生活', '，之前报过一次没有解决', '，希望今天能处理', '，业主情绪比较激动', '，请物业协助跟进', ''];
const TEXTS: Record<string, string[]> = {
  渗漏: ['天花板漏水，楼上邻居说没有用水', '墙角渗水，墙面起皮发霉', '窗台下雨后渗水', '地漏返水，地面积水', '外墙渗漏导致内墙潮湿'],
  墙面开裂: ['墙面出现多条裂缝，担心结构问题', '墙角开裂，裂缝越来越长', '吊顶开裂掉灰'],
  空鼓: ['地砖空鼓，踩上去有响声', '墙砖空鼓脱落', '木地板起拱'],
  门窗: ['入户门关不严，密封条脱落', '窗户推拉困难，五金件损坏', '阳台推拉门漏风'],
  水电: ['插座没电', '热水器进水管漏水', '开关面板烧焦'],
  地面: ['地面不平，瓷砖有色差', '地板踢脚线脱落'],
  保洁: ['楼道垃圾两天没人清理', '电梯轿厢有异味', '地下车库积水没人清扫'],
  安保: ['夜间小区门岗无人值守', '陌生人随意进出单元门', '快递在门口丢失'],
  收费: ['物业费账单金额与合同不符', '停车费上调没有提前公示', '物业费滞纳金计算有误'],
  服务态度: ['物业前台人员态度冷淡，不理睬业主诉求', '维修师傅上门迟到且态度差'],
  交付标准: ['交付的橱柜品牌与样板间不一致', '合同约定的地暖没有安装', '精装修材料与宣传不符'],
  配套设施: ['承诺的幼儿园至今没有开工', '小区会所一直没有开放', '承诺的商业配套没有落地'],
  面积差异: ['实测面积比合同面积少了三平方米', '公摊面积计算有异议'],
  延期交付: ['交房时间一再推迟，要求说明原因并赔偿', '延期交付违约金一直没有支付'],
  交付流程: ['收房时发现问题太多，要求整改后再收', '交付预约排队时间太长'],
  噪音: ['隔壁工地夜间施工噪音大，影响休息', '楼上装修周末一早就开始电钻'],
  粉尘: ['施工粉尘很大，窗户都不敢开', '渣土车经过小区门口扬尘严重'],
  漏水: ['水槽下水管漏水', '空调冷凝水管滴水到楼下', '马桶底座漏水', '暖气片接口漏水', '水表后阀门漏水'],
  电路: ['灯不亮，开关烧了', '家里频繁跳闸', '插座漏电，有麻手感'],
  门窗五金: ['门锁坏了打不开', '窗户把手断了', '合页松动门下垂'],
  卫浴洁具: ['马桶冲水无力', '花洒出水小', '浴室柜门脱落'],
  墙面地面: ['墙面返潮发霉', '地砖开裂'],
  电梯: ['电梯经常停在半层', '电梯按钮失灵', '电梯运行有异响'],
  照明: ['地下车库灯不亮', '单元门口路灯坏了', '楼道感应灯不亮'],
  消防设施: ['消防通道被杂物堵塞', '灭火器过期没有更换'],
  道路园林: ['小区道路破损积水', '绿化带杂草丛生'],
  产权办证: ['请问房产证什么时候可以办理', '不动产登记需要准备哪些材料', '办证进度如何查询'],
  物业费: ['物业费可以按季度缴纳吗', '空置房物业费怎么收取', '物业费发票怎么开'],
  法律法规: ['开发商逾期交房应承担什么责任', '房屋保修期从什么时候开始计算'],
  产品设计: ['建议增加单元门口的无障碍坡道', '建议地下车库增设充电桩'],
  园林配套: ['建议中心花园增加儿童游乐设施', '建议增加健身器材'],
  服务: ['建议物业开通线上报修渠道', '希望延长前台服务时间'],
  员工: ['感谢维修师傅认真负责，半夜赶来处理漏水', '表扬保安大哥帮忙搬运重物', '感谢管家耐心解答'],
};
const FALLBACK = ['业主来电反映相关问题，请跟进处理', '业主咨询相关事宜，已记录', '业主反映情况需要核实'];

/** A realistic, varied description for a category. */
function textFor(r: Random, type: string, category: string | null): string {
  const list = (category && TEXTS[category]) || FALLBACK;
  const core = r.pick(list);
  const room = IN_HOME.has(category ?? '') ? r.pick(ROOMS) : '';
  const tail = type === 'complaint' || type === 'repair' ? r.pick(ASKS) : r.pick(['', '', '，谢谢', '，请回电告知']);
  return `${room}${core}${tail}`;
}
const IN_HOME = new Set(['渗漏', '墙面开裂', '空鼓', '门窗', '水电', '漏水', '电路', '门窗五金', '卫浴洁具', '墙面地面', '地面']);

interface Project {
  id: string;
  code: string;
  name: string;
  cityId: string;
  cityCode: string;
  units: { id: string; buildingId: string }[];
  commonAreas: string[];
  deliveredAt: number;
  links: { customerId: string; unitId: string }[];
  agents: { id: string; name: string }[];
  depts: { id: string; name: string; kind: string }[];
  weight: number;
}

/** The parameters of a named scale with overrides. */
export function benchScale(name: BenchScaleName, over: Partial<BenchScaleOptions> = {}): BenchScaleOptions {
  const base = { ...BENCH_SCALES[name], seed: 20261127 };
  const o = { ...base, ...Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined)) } as BenchScaleOptions;
  // Units follow customers unless set: about three units for every four customers.
  if (over.customers !== undefined && over.units === undefined) o.units = Math.max(50, Math.round(o.customers * 0.75));
  return o;
}

/**
 * Generates the benchmark dataset into an empty database (after migrations and reference
 * data). `progress` receives one line per step.
 */
export async function seedBenchScale(deps: Deps, opts: BenchScaleOptions, progress: (line: string) => void = () => {}): Promise<BenchCounts> {
  const started = Date.now();
  const r = new Random(opts.seed);
  const ids = new TimeOrderedIds(opts.seed);
  const now = deps.clock.now().getTime();
  const tz = deps.config.timeZone;
  // The platform's zonedDate builds an Intl formatter per call; millions of calls need a cache:
  // the zone's offset once per UTC day (exact unless it changes that day, then the slow path).
  const offsetCache = new Map<number, number | null>();
  const startCache = new Map<string, number>();
  const dayOf = (ms: number) => {
    const utcDay = Math.floor(ms / DAY);
    let off = offsetCache.get(utcDay);
    if (off === undefined) {
      const a = offsetMs(utcDay * DAY, tz);
      offsetCache.set(utcDay, (off = a === offsetMs(utcDay * DAY + DAY - 1, tz) ? a : null));
    }
    const date = off === null ? zonedDate(ms, tz) : new Date(ms + off).toISOString().slice(0, 10);
    let start = startCache.get(date);
    if (start === undefined) startCache.set(date, (start = zonedDayStart(date, tz)));
    return { date, start };
  };
  const dateOf = (ms: number) => dayOf(ms).date;
  if (deps.dialect === 'sqlite') {
    // A large page cache for the load only (this connection); durability settings are unchanged.
    await sql`pragma cache_size = -1048576`.execute(deps.db);
    await sql`pragma temp_store = memory`.execute(deps.db);
    await sql`pragma wal_autocheckpoint = 20000`.execute(deps.db);
  }
  const w = new BulkWriter(deps.dialect);
  const start = now - Math.round(opts.years * 365.25 * DAY);
  const orgAt = start - 400 * DAY;
  const stamp = (at: number) => ({ version: 1, created_at: at, updated_at: at });
  const say = (what: string) => progress(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${what}`);

  // ---------- organization ----------
  const projects: Project[] = [];
  const passwordHash = await hashPassword(deps.config.demoPassword);
  const cityIds = new Map<string, string>();
  const usedNames = new Set<string>();
  for (const city of CITIES) {
    const id = ids.at(orgAt);
    cityIds.set(city.code, id);
    w.add('city_companies', { id, name: city.name, code: city.code, ...stamp(orgAt) });
  }
  const unitsPerProject = Math.floor(opts.units / opts.projects);
  for (let i = 0; i < opts.projects; i++) {
    const city = CITIES[i % CITIES.length]!;
    let name = i === 0 ? '观澜府' : i === 1 ? '云湖苑' : '';
    while (!name || usedNames.has(name)) name = r.pick(PROJECT_HEADS) + r.pick(PROJECT_TAILS);
    usedNames.add(name);
    const code = i === 0 ? 'GLF' : i === 1 ? 'YHY' : `P${String(i + 1).padStart(2, '0')}`;
    // Deliveries spread from before the window to its last year, so volume grows over time.
    const deliveredAt = orgAt + Math.floor(r.next() * (now - orgAt) * 0.75);
    const id = ids.at(orgAt);
    const p: Project = {
      id, code, name, cityId: cityIds.get(city.code)!, cityCode: city.code, units: [], commonAreas: [], deliveredAt, links: [], agents: [], depts: [], weight: 0,
    };
    projects.push(p);
    w.add('projects', { id, city_company_id: p.cityId, name, code, address: `${city.name.replace('城市公司', '市')}${r.pick(city.districts)}${r.pick(PROJECT_HEADS)}${r.pick(STREETS)}${r.int(1, 399)} 号`, ...stamp(orgAt) });
    const quota = i === opts.projects - 1 ? opts.units - unitsPerProject * (opts.projects - 1) : unitsPerProject;
    let b = 0;
    while (p.units.length < quota) {
      b++;
      const buildingId = ids.at(orgAt);
      const floors = r.pick([11, 18, 26, 32, 33]);
      w.add('buildings', { id: buildingId, project_id: id, name: String(b), floors, ...stamp(orgAt) });
      const entrances = r.int(1, 2);
      const perFloor = r.int(2, 4);
      const layout = r.pick(LAYOUTS);
      for (let e = 1; e <= entrances && p.units.length < quota; e++) {
        for (let f = 2; f <= floors && p.units.length < quota; f++) {
          for (let u = 1; u <= perFloor && p.units.length < quota; u++) {
            const unitId = ids.at(orgAt);
            w.add('units', {
              id: unitId, project_id: id, building_id: buildingId, entrance: String(e), floor: f, room_number: `${f}${String(u).padStart(2, '0')}`,
              area: layout[1] + r.int(0, 6) / 2, layout: layout[0], ...stamp(orgAt),
            });
            p.units.push({ id: unitId, buildingId });
          }
        }
      }
    }
    for (const area of ['地下车库', '中心花园', '会所', '小区主出入口', '消防通道']) {
      const caId = ids.at(orgAt);
      p.commonAreas.push(caId);
      w.add('common_areas', { id: caId, project_id: id, building_id: null, name: area, description: null, ...stamp(orgAt) });
    }
    const deptId = ids.at(orgAt);
    p.depts.push({ id: deptId, name: `${name}物业服务中心`, kind: 'property' });
    w.add('departments', { id: deptId, name: `${name}物业服务中心`, kind: 'property', level: 'project', city_company_id: p.cityId, project_id: id, active: 1, ...stamp(orgAt) });
  }
  const cityDepts = new Map<string, { id: string; name: string; kind: string }[]>();
  for (const city of CITIES) {
    const list: { id: string; name: string; kind: string }[] = [];
    for (const [kind, label] of [['engineering', '工程部'], ['sales', '营销部'], ['finance', '财务部']] as const) {
      const id = ids.at(orgAt);
      const name = `${city.name.replace('城市公司', '')}${label}`;
      list.push({ id, name, kind });
      w.add('departments', { id, name, kind, level: 'city_company', city_company_id: cityIds.get(city.code)!, project_id: null, active: 1, ...stamp(orgAt) });
    }
    cityDepts.set(city.code, list);
  }
  for (const [kind, name] of [['design', '集团设计院'], ['legal', '集团法务部'], ['other', '集团品牌部']] as const) {
    w.add('departments', { id: ids.at(orgAt), name, kind, level: 'group', city_company_id: null, project_id: null, active: 1, ...stamp(orgAt) });
  }
  for (const p of projects) p.depts.push(...cityDepts.get(p.cityCode)!);

  // Staff: the demo accounts (same usernames, roles and scopes as the demo seed) and a team per project.
  const userNames = new Map<string, string>();
  const addUser = (u: { username: string; roles: StaffRole[]; scopeKind: 'group' | 'city_company' | 'project'; scopeIds: string[]; departmentId?: string; extension?: string }) => {
    const id = ids.at(orgAt);
    const displayName = u.username === 'admin' ? '系统管理员' : chineseName(r);
    userNames.set(id, displayName);
    w.add('users', {
      id, username: u.username, display_name: displayName, password_hash: passwordHash, phone: mobile(r), email: `${u.username}@bench.qiaoliang.local`,
      department_id: u.departmentId ?? null, extension: u.extension ?? null, scope_kind: u.scopeKind, active: 1, must_change_password: 0, ...stamp(orgAt), last_login_at: null,
    });
    for (const role of u.roles) w.add('user_roles', { user_id: id, role });
    for (const scopeId of u.scopeIds) w.add('user_scopes', { user_id: id, scope_id: scopeId });
    return { id, name: displayName };
  };
  const [glf, yhy] = [projects[0]!, projects[1] ?? projects[0]!];
  addUser({ username: 'admin', roles: ['admin'], scopeKind: 'group', scopeIds: [] });
  addUser({ username: 'manager', roles: ['manager'], scopeKind: 'city_company', scopeIds: [cityIds.get('SZ')!] });
  addUser({ username: 'supervisor', roles: ['supervisor'], scopeKind: 'project', scopeIds: [...new Set([glf.id, yhy.id])] });
  const demoAgent = addUser({ username: 'agent', roles: ['agent'], scopeKind: 'project', scopeIds: [...new Set([glf.id, yhy.id])], extension: '8001' });
  addUser({ username: 'handler', roles: ['handler'], scopeKind: 'city_company', scopeIds: [cityIds.get('SZ')!], departmentId: cityDepts.get('SZ')![0]!.id });
  addUser({ username: 'executive', roles: ['executive'], scopeKind: 'group', scopeIds: [] });
  glf.agents.push(demoAgent);
  if (yhy !== glf) yhy.agents.push(demoAgent);
  let ext = 8002;
  for (const p of projects) {
    const lower = p.code.toLowerCase();
    if (p !== glf && p !== yhy) addUser({ username: `sup_${lower}`, roles: ['supervisor'], scopeKind: 'project', scopeIds: [p.id] });
    for (let i = 1; i <= 3; i++) p.agents.push(addUser({ username: `agent_${lower}${i}`, roles: ['agent'], scopeKind: 'project', scopeIds: [p.id], extension: String(ext++) }));
    addUser({ username: `wy_${lower}`, roles: ['handler'], scopeKind: 'project', scopeIds: [p.id], departmentId: p.depts[0]!.id });
  }
  for (const city of CITIES) addUser({ username: `gc_${city.code.toLowerCase()}`, roles: ['handler'], scopeKind: 'city_company', scopeIds: [cityIds.get(city.code)!], departmentId: cityDepts.get(city.code)![0]!.id });
  await deps.db.transaction().execute((trx) => w.flush(trx, TABLE_ORDER));
  say(`organization: ${projects.length} projects, ${w.written.units ?? 0} units, ${w.written.users ?? 0} users`);

  // ---------- customers ----------
  const initials = new Map<string, string>();
  const initialsOf = (name: string) => {
    let v = initials.get(name);
    if (v === undefined) initials.set(name, (v = nameInitials(name)));
    return v;
  };
  let customerCount = 0;
  const addPerson = (kind: string, projectId: string, createdAt: number, hasId: boolean, confirmedAt: number | null) => {
    const id = ids.at(createdAt);
    const name = chineseName(r);
    const ini = initialsOf(name);
    const idn = hasId ? idNumber(r) : null;
    const email = r.chance(0.3) ? `${ini}${r.int(10, 999)}@example.com` : null;
    const wechat = r.chance(0.4) ? `wx_${ini}${r.int(100, 9999)}` : null;
    const channel = r.chance(0.5) ? r.pick(['phone', 'wechat', 'sms']) : null;
    const updatedAt = Math.min(now - MIN, createdAt + r.int(0, 400) * DAY);
    w.add('customers', {
      id, kind, name, name_initials: ini, project_id: projectId,
      id_number_enc: idn ? encryptField(deps.config.fieldKey, idn) : null, id_number_hash: idn ? idNumberHash(deps, idn) : null, id_number_masked: idn ? maskIdNumber(idn) : null,
      email, wechat_id: wechat, preferred_channel: channel, preferred_time: r.chance(0.3) ? r.pick(['工作日晚上', '周末白天', '任何时间']) : null,
      address: null, tags: r.chance(0.05) ? '["老业主"]' : '[]', vip: r.chance(0.03) ? 1 : 0, notes: null, preferences: null,
      archive_confirmed_at: confirmedAt, archive_confirmed_by: null, merged_into_id: null, version: 1, created_at: createdAt, updated_at: Math.max(updatedAt, confirmedAt ?? 0),
    });
    for (const token of searchTokens(name)) w.add('search_tokens', { kind: 'customer', token, entity_id: id });
    const phone = mobile(r);
    w.add('customer_phones', { id: ids.at(createdAt), customer_id: id, ...sealPhone(deps.config.fieldKey, phone), label: null, is_primary: 1, created_at: createdAt });
    if (r.chance(0.15)) {
      const second = mobile(r);
      w.add('customer_phones', { id: ids.at(createdAt), customer_id: id, ...sealPhone(deps.config.fieldKey, second), label: '备用', is_primary: 0, created_at: createdAt });
    }
    w.add('timeline_entries', { id: ids.at(createdAt), customer_id: id, at: createdAt, kind: 'customer.created', title: '从销售系统导入', body: null, ref_type: null, ref_id: null, project_id: projectId, actor_id: null, actor_name: '系统' });
    customerCount++;
    return { id, hasId, email, wechat, channel, updatedAt: Math.max(updatedAt, confirmedAt ?? 0) };
  };
  const addState = (customerId: string, at: number, missing: string[]) => {
    w.add('customer_archive_states', { id: ids.at(at), customer_id: customerId, at, complete: missing.length ? 0 : 1, missing: JSON.stringify(missing), touched_at: at });
  };
  const flushCustomers = async () => {
    await deps.db.transaction().execute((trx) => w.flush(trx, TABLE_ORDER));
  };
  // Owners (and some co-owners or family) for most units, then tenants, then callers without a unit.
  const allUnits: { p: Project; unitId: string }[] = [];
  for (const p of projects) for (const u of p.units) allUnits.push({ p, unitId: u.id });
  for (const { p, unitId } of allUnits) {
    if (customerCount >= opts.customers) break;
    if (!r.chance(0.85)) continue;
    const contractMs = Math.min(now - 2 * DAY, p.deliveredAt - r.int(30, 500) * DAY);
    const handedOver = p.deliveredAt < now && r.chance(0.9);
    const createdAt = Math.min(now - DAY, contractMs + r.int(1, 60) * DAY);
    const confirmed = r.chance(0.6) ? Math.min(now - MIN, now - r.int(0, 700) * DAY) : null;
    const person = addPerson(handedOver ? 'owner' : 'prospective_owner', p.id, createdAt, r.chance(0.9), confirmed !== null && confirmed > createdAt ? confirmed : null);
    const handover = handedOver ? dateOf(Math.max(p.deliveredAt, contractMs + DAY)) : null;
    const contractNo = r.chance(0.93) ? `HT${dateOf(contractMs).replace(/-/g, '')}${r.int(1000, 9999)}` : null;
    const link = {
      id: ids.at(createdAt), customer_id: person.id, unit_id: unitId, project_id: p.id, relation: handedOver ? 'owner' : 'prospective_owner', share: null,
      from_date: dateOf(contractMs), to_date: null, contract_no: contractNo, contract_date: dateOf(contractMs), contracted_handover_date: dateOf(contractMs + 540 * DAY),
      actual_handover_date: handover, warranty_start_date: handover, ...stamp(createdAt),
    };
    w.add('customer_units', link);
    p.links.push({ customerId: person.id, unitId });
    const missing = missingArchiveFields({
      kind: handedOver ? 'owner' : 'prospective_owner', name: 'x', hasPhone: true, hasIdNumber: person.hasId, email: person.email, wechatId: person.wechat, address: null, preferredChannel: person.channel,
      currentUnits: [{ contractNo, contractDate: link.contract_date, contractedHandoverDate: link.contracted_handover_date, actualHandoverDate: handover, warrantyStartDate: handover }],
    }, DEFAULT_REQUIRED_FIELDS);
    addState(person.id, person.updatedAt, missing);
    if (customerCount < opts.customers && r.chance(0.12)) {
      const relation = r.chance(0.5) ? 'co_owner' : 'family';
      const fam = addPerson(relation, p.id, createdAt, r.chance(0.5), null);
      w.add('customer_units', { ...link, id: ids.at(createdAt), customer_id: fam.id, relation, contract_no: relation === 'co_owner' ? contractNo : null, share: relation === 'co_owner' ? 50 : null });
      addState(fam.id, fam.updatedAt, missingArchiveFields({
        kind: relation as 'family', name: 'x', hasPhone: true, hasIdNumber: fam.hasId, email: fam.email, wechatId: fam.wechat, address: null, preferredChannel: fam.channel,
        currentUnits: [{ contractNo: null, contractDate: null, contractedHandoverDate: null, actualHandoverDate: handover, warrantyStartDate: null }],
      }, DEFAULT_REQUIRED_FIELDS));
    }
    if (w.pending() > 60_000) await flushCustomers();
  }
  while (customerCount < opts.customers) {
    const { p, unitId } = allUnits[r.int(0, allUnits.length - 1)]!;
    const tenant = r.chance(0.6);
    const createdAt = Math.min(now - DAY, Math.max(p.deliveredAt, start) + r.int(0, Math.max(1, Math.floor((now - Math.max(p.deliveredAt, start)) / DAY))) * DAY);
    const person = addPerson(tenant ? 'tenant' : 'other', p.id, createdAt, r.chance(0.3), null);
    if (tenant) {
      w.add('customer_units', {
        id: ids.at(createdAt), customer_id: person.id, unit_id: unitId, project_id: p.id, relation: 'tenant', share: null, from_date: dateOf(createdAt), to_date: null,
        contract_no: null, contract_date: null, contracted_handover_date: null, actual_handover_date: null, warranty_start_date: null, ...stamp(createdAt),
      });
      p.links.push({ customerId: person.id, unitId });
    }
    addState(person.id, person.updatedAt, ['unit']);
    if (w.pending() > 60_000) await flushCustomers();
  }
  await flushCustomers();
  say(`customers: ${w.written.customers ?? 0} customers, ${w.written.customer_phones ?? 0} phones, ${w.written.customer_units ?? 0} unit links`);

  // ---------- tickets, month by month, oldest first ----------
  const categories = await deps.db.selectFrom('ticket_categories').select(['id', 'type', 'name', 'parent_id']).execute();
  const leaves = new Map<string, { id: string; name: string }[]>();
  for (const c of categories) {
    if (categories.some((x) => x.parent_id === c.id)) continue;
    const list = leaves.get(c.type) ?? [];
    list.push({ id: c.id, name: c.name });
    leaves.set(c.type, list);
  }
  for (const list of leaves.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const cal = await loadWorkCalendar(deps);
  // Due instants are linear in the time of day within one calendar day (or constant on a day
  // off, for working-day targets): two exact samples per day, type and severity give them all.
  type Dues = ReturnType<typeof computeDues>;
  const duesCache = new Map<string, [Dues, Dues]>();
  const duesAt = (spec: Parameters<typeof computeDues>[0], type: string, severity: string, at: number): Dues => {
    const d = dayOf(at);
    const key = `${type}:${severity}:${d.date}`;
    let s = duesCache.get(key);
    if (!s) duesCache.set(key, (s = [computeDues(spec, type, severity, d.start, 0, cal), computeDues(spec, type, severity, d.start + H, 0, cal)]));
    const off = at - d.start;
    const f = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a === H ? a + off : a);
    return {
      first_response_due: f(s[0].first_response_due, s[1].first_response_due), reply_due: f(s[0].reply_due, s[1].reply_due),
      resolution_due: f(s[0].resolution_due, s[1].resolution_due), k1_due: f(s[0].k1_due, s[1].k1_due),
    };
  };
  const policies = new Map<string, Awaited<ReturnType<typeof currentPolicy>>>();
  for (const type of ['complaint', 'repair', 'inquiry', 'suggestion', 'praise']) {
    for (const sev of ['routine', 'major', 'urgent']) policies.set(`${type}:${sev}`, await currentPolicy(deps.db, deps, type, sev));
  }
  const lateShare = new Map(projects.map((p, i) => [p.id, [0.04, 0.12, 0.25, 0.08, 0.18, 0.06, 0.1, 0.15][i % 8]!]));
  for (const p of projects) p.weight = 0.3 + r.next();

  const months: { from: number; to: number }[] = [];
  for (let m = start; m < now; m += 30 * DAY) months.push({ from: m, to: Math.min(now - 15 * MIN, m + 30 * DAY) });
  const monthWeights = months.map((_, i) => 0.55 + (0.9 * i) / Math.max(1, months.length - 1));
  const weightSum = monthWeights.reduce((a, b) => a + b, 0);
  const counters = new Map<string, number>();
  let ticketsLeft = opts.tickets;
  let ticketCount = 0;
  let openCount = 0;
  const TYPES = ['complaint', 'complaint', 'complaint', 'repair', 'repair', 'repair', 'repair', 'inquiry', 'inquiry', 'inquiry', 'suggestion', 'praise'];
  const CHANNELS = ['hotline', 'hotline', 'hotline', 'hotline', 'walk_in', 'wechat', 'wechat', 'portal', 'visit', 'email'];
  for (const [mi, month] of months.entries()) {
    const count = mi === months.length - 1 ? ticketsLeft : Math.min(ticketsLeft, Math.round((opts.tickets * monthWeights[mi]!) / weightSum));
    ticketsLeft -= count;
    const live = projects.filter((p) => p.links.length && p.deliveredAt - 90 * DAY < month.to);
    if (!live.length || count <= 0) continue;
    const liveWeight = live.reduce((s, p) => s + p.weight, 0);
    const instants: number[] = [];
    for (let i = 0; i < count; i++) {
      // Office hours on most days; the hotline is 24/7, so some at night.
      const dayStart = month.from + Math.floor(r.next() * ((month.to - month.from) / DAY)) * DAY;
      const at = dayStart + (r.chance(0.85) ? r.int(0, 11) * H : r.int(12, 23) * H) + r.int(0, 59) * MIN + r.int(0, 59_999);
      instants.push(Math.min(month.to - 1, at));
    }
    instants.sort((a, b) => a - b);
    for (const registeredAt of instants) {
      let x = r.next() * liveWeight;
      let p = live[live.length - 1]!;
      for (const q of live) if ((x -= q.weight) < 0) { p = q; break; }
      const type = r.pick(TYPES);
      const severity = type === 'complaint' ? (r.chance(0.15) ? 'major' : 'routine') : type === 'repair' && r.chance(0.12) ? 'urgent' : 'routine';
      const cats = leaves.get(type) ?? [];
      const cat = cats.length ? r.pick(cats) : null;
      const agent = r.pick(p.agents);
      const link = r.pick(p.links);
      const commonArea = (type === 'repair' || type === 'complaint') && r.chance(0.1) ? r.pick(p.commonAreas) : null;
      const pol = policies.get(`${type}:${severity}`)!;
      const dues = duesAt(pol.spec, type, severity, registeredAt);
      const mainDue = dues.k1_due ?? dues.resolution_due ?? dues.first_response_due ?? registeredAt + DAY;
      const span = mainDue - registeredAt;
      const isLate = r.chance(lateShare.get(p.id)!);
      const recent = now - registeredAt < span * 2.5 + 2 * DAY;
      const stale = !recent && r.chance(0.002);
      const stillOpen = (recent && r.chance(0.6)) || stale;
      const resolvedAt = stillOpen ? null : Math.round(Math.min(now - MIN, registeredAt + (isLate ? span * (1.05 + r.next()) : span * (0.1 + r.next() * 0.85))));
      const replyDue = dues.reply_due === null ? null : Number(dues.reply_due);
      const firstRepliedAt = type === 'complaint' && severity === 'major' && replyDue !== null
        ? (resolvedAt === null && r.chance(0.5) ? null : Math.round(Math.min(now - MIN, registeredAt + (isLate ? replyDue - registeredAt + 6 * H : (replyDue - registeredAt) * r.next() * 0.9))))
        : resolvedAt;
      const day = dateOf(registeredAt);
      const n = (counters.get(day) ?? 0) + 1;
      counters.set(day, n);
      const number = `KS${day.replace(/-/g, '')}-${String(n).padStart(4, '0')}`;
      const id = ids.at(registeredAt);
      const text = textFor(r, type, cat?.name ?? null);
      const title = text.split('，')[0]!.slice(0, 30);
      const ended = resolvedAt !== null && r.chance(0.015) ? r.pick(['cancelled', 'cancelled', 'merged']) : null;
      const closed = ended === null && resolvedAt !== null && now - resolvedAt > 3 * DAY && r.chance(0.9);
      let status: string;
      if (stillOpen) status = stale ? r.pick(['in_progress', 'waiting_customer', 'dispatched']) : r.pick(['registered', 'dispatched', 'in_progress', 'result_returned', 'replied', 'waiting_customer']);
      else status = ended ?? (closed ? 'closed' : 'resolved');
      if (stillOpen) openCount++;
      const breachedLevel = isLate && (type === 'complaint' || type === 'repair') ? r.int(1, 3) : 0;
      const closedAt = closed ? Math.min(now - MIN, resolvedAt! + r.int(1, 3) * DAY) : null;
      const pausedAt = status === 'waiting_customer' ? Math.min(now - MIN, registeredAt + r.int(1, 48) * H) : null;
      const firstResponded = status === 'registered' ? null : Math.min(now - MIN, registeredAt + r.int(5, 90) * MIN);
      const updatedAt = Math.max(registeredAt, closedAt ?? resolvedAt ?? firstResponded ?? registeredAt, pausedAt ?? 0);
      const channel = r.pick(CHANNELS);
      w.add('tickets', {
        id, number, type, category_id: cat?.id ?? null, severity, channel, status, resume_status: status === 'waiting_customer' ? 'in_progress' : null,
        customer_id: link.customerId, project_id: p.id, unit_id: commonArea ? null : link.unitId, common_area_id: commonArea, title, description: text,
        owner_id: agent.id, registered_by: agent.id, registered_at: registeredAt, sla_policy_id: pol.row.id, ...dues,
        paused_ms: 0, paused_at: pausedAt, first_responded_at: firstResponded, first_replied_at: ended ? null : firstRepliedAt, resolved_at: ended ? null : resolvedAt, closed_at: closedAt,
        escalation_level: breachedLevel, breached: isLate ? 1 : 0, valid: type === 'complaint' && r.chance(0.03) ? 0 : 1, end_reason: ended ? (ended === 'merged' ? '重复登记，已合并' : '登记错误') : null,
        merged_into_id: null, call_id: null, imported: 0, idempotency_key: null, version: 1 + (resolvedAt ? 2 : 0) + (closed ? 1 : 0), created_at: registeredAt, updated_at: updatedAt,
      });
      ticketCount++;
      const ev = (at: number, kind: string, from: string | null, to: string | null, data?: unknown) =>
        w.add('ticket_events', { id: ids.at(at), ticket_id: id, at, kind, from_status: from, to_status: to, actor_id: agent.id, actor_name: agent.name, data: data === undefined ? null : JSON.stringify(data) });
      ev(registeredAt, 'registered', null, 'registered', { channel, severity, policyVersion: 1 });
      w.add('timeline_entries', { id: ids.at(registeredAt), customer_id: link.customerId, at: registeredAt, kind: 'ticket.registered', title: `登记工单 ${number}`, body: title, ref_type: 'ticket', ref_id: id, project_id: p.id, actor_id: agent.id, actor_name: agent.name });
      if (ended) {
        ev(resolvedAt!, ended, 'registered', ended, { reason: ended === 'merged' ? '重复登记' : '登记错误' });
        continue;
      }
      if ((type === 'complaint' || type === 'repair') && status !== 'registered') {
        const depts = type === 'repair' ? p.depts.filter((d) => d.kind === 'property' || d.kind === 'engineering') : p.depts;
        const dept = r.pick(depts);
        const dispatchedAt = registeredAt + r.int(10, 120) * MIN;
        const done = resolvedAt !== null || status === 'result_returned';
        const completedAt = done ? Math.max(dispatchedAt + MIN, Math.min(now - 2 * MIN, (resolvedAt ?? now) - r.int(30, 240) * MIN)) : null;
        const woId = ids.at(dispatchedAt);
        w.add('work_orders', {
          id: woId, ticket_id: id, department_id: dept.id, project_id: p.id, status: done ? 'completed' : status === 'dispatched' ? 'pending' : 'accepted',
          instructions: `请尽快处理：${text}`, due_at: Math.round(Math.max(dispatchedAt + H, Math.min(mainDue, dispatchedAt + span / 2))), assignee_id: null,
          accepted_at: status === 'dispatched' ? null : dispatchedAt + 30 * MIN, completed_at: completedAt, rejected_reason: null, result: done ? '已处理完毕，业主确认' : null,
          created_by: agent.id, version: done ? 3 : 1, created_at: dispatchedAt, updated_at: completedAt ?? dispatchedAt,
        });
        ev(dispatchedAt, 'dispatched', 'registered', 'dispatched', { workOrderId: woId, department: dept.name });
      }
      if (firstRepliedAt !== null) {
        w.add('ticket_replies', { id: ids.at(firstRepliedAt), ticket_id: id, at: firstRepliedAt, channel: 'phone', content: '已向业主说明处理进展和结果', substantive: 1, actor_id: agent.id, actor_name: agent.name });
        ev(firstRepliedAt, 'replied', null, null, { channel: 'phone', substantive: true });
      }
      if (breachedLevel && mainDue < now) ev(mainDue, 'escalated', null, null, { level: breachedLevel });
      if (status === 'waiting_customer') ev(pausedAt!, 'waiting', 'in_progress', 'waiting_customer', { reason: '业主不在家，约定时间上门' });
      if (resolvedAt !== null) {
        ev(resolvedAt, 'resolved', null, 'resolved', { summary: '已解决' });
        w.add('timeline_entries', { id: ids.at(resolvedAt), customer_id: link.customerId, at: resolvedAt, kind: 'ticket.resolved', title: `${number} 已解决`, body: null, ref_type: 'ticket', ref_id: id, project_id: p.id, actor_id: agent.id, actor_name: agent.name });
        if (closedAt !== null) ev(closedAt, 'closed', 'resolved', 'closed', { note: '回访满意，关闭归档' });
        // The callback after resolution: mostly reached and rated; late projects are rated lower.
        const cbAt = Math.min(now - MIN, resolvedAt + r.int(2, 40) * H);
        const reached = closedAt !== null || r.chance(0.5);
        const unreachable = !reached && r.chance(0.3);
        const sat = isLate ? r.pick([1, 2, 3, 4, 4, 5]) : r.pick([3, 4, 4, 5, 5, 5, 5, 5]);
        const cbId = ids.at(resolvedAt);
        w.add('callbacks', {
          id: cbId, ticket_id: id, customer_id: link.customerId, project_id: p.id, assignee_id: agent.id, status: reached ? 'done' : unreachable ? 'unreachable' : 'open',
          due_at: resolvedAt + 2 * DAY, attempts: reached ? 1 : unreachable ? 3 : 0, max_attempts: 3, satisfaction: reached ? sat : null, comment: null,
          completed_at: reached || unreachable ? cbAt : null, completed_by: reached || unreachable ? agent.id : null, version: reached || unreachable ? 2 : 1, created_at: resolvedAt, updated_at: reached || unreachable ? cbAt : resolvedAt,
        });
        if (reached) {
          w.add('ratings', { id: ids.at(cbAt), ticket_id: id, customer_id: link.customerId, project_id: p.id, source: 'callback', source_id: cbId, satisfaction: sat, comment: sat <= 2 ? '处理速度太慢' : null, at: cbAt, actor_id: agent.id });
          w.add('visits', { id: ids.at(cbAt), customer_id: link.customerId, project_id: p.id, kinds: '["callback"]', at: cbAt, notes: null, satisfaction: sat, source: 'callback', source_id: cbId, task_id: null, actor_id: agent.id, actor_name: agent.name, version: 1, created_at: cbAt });
        }
      }
    }
    // Visits beyond callbacks: phone and home visits, a month's share of each project's yearly programme.
    for (const p of live) {
      const count = Math.round(((p.links.length * (0.3 + (p.weight % 0.5))) / 12) * (month.to - month.from) / (30 * DAY));
      for (let k = 0; k < count; k++) {
        const agent = r.pick(p.agents);
        const at = month.from + Math.floor(r.next() * (month.to - month.from));
        const kind = r.pick(['phone_visit', 'phone_visit', 'phone_visit', 'home_visit', 'event_contact']);
        w.add('visits', {
          id: ids.at(at), customer_id: r.pick(p.links).customerId, project_id: p.id, kinds: JSON.stringify([kind]), at, notes: kind === 'home_visit' ? '上门拜访，了解居住情况' : null,
          satisfaction: r.chance(0.5) ? r.pick([3, 4, 5, 5]) : null, source: 'manual', source_id: null, task_id: null, actor_id: agent.id, actor_name: agent.name, version: 1, created_at: at,
        });
      }
    }
    if (w.pending() > 150_000 || mi === months.length - 1) await deps.db.transaction().execute((trx) => w.flush(trx, TABLE_ORDER));
    if (mi % 6 === 5 || mi === months.length - 1) {
      const secs = (Date.now() - started) / 1000;
      say(`tickets: ${ticketCount.toLocaleString('en')} / ${opts.tickets.toLocaleString('en')} (through ${dateOf(month.to)}), events ${(w.written.ticket_events ?? 0).toLocaleString('en')}, ${Math.round(Object.values(w.written).reduce((a, b) => a + b, 0) / secs).toLocaleString('en')} rows/s`);
    }
  }

  // ---------- counters and the audit record ----------
  const counts: BenchCounts = { ...w.written, openTickets: openCount };
  await deps.db.transaction().execute(async (trx) => {
    const days = [...counters.entries()];
    for (let i = 0; i < days.length; i += 500) {
      await trx.insertInto('ticket_counters').values(days.slice(i, i + 500).map(([day, n]) => ({ day, n })))
        .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({ n: eb.ref('excluded.n') }))).execute();
    }
    await appendAudit(trx, deps, { actorId: null, actorName: '系统', ip: null, requestId: null }, {
      action: 'seed.bench', entityType: 'system', entityId: null, after: { ...opts, counts },
    });
  });
  if (deps.dialect === 'postgres') {
    // Fresh statistics, as autovacuum would gather soon after a bulk load: without them the
    // planner picks pathological plans (K4's latest archive state took 93 s per 500 customers
    // instead of 2 ms).
    await sql`analyze`.execute(deps.db);
    say('analyze: statistics gathered');
  }
  say(`done: ${Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  return counts;
}
