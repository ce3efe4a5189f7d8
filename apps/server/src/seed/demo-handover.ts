import type { Kysely } from 'kysely';
import type { Deps } from '../deps.js';
import type { DB } from '../db/schema.js';
import type { WorkCalendar } from '../modules/calendar/calendar.rules.js';
import { officialDays } from '../modules/calendar/official.js';
import { ensureDefaultTemplate } from '../modules/handover/handover.service.js';
import { rectificationDueAt, type DefectSeverity } from '../modules/handover/handover.rules.js';
import { zonedDate } from '../platform/time.js';
import { chineseName, type Random } from './random.js';

const DAY = 86_400_000;
/** The project whose delivery batch is in progress in the demo. */
const PROJECT_CODE = 'JPHT';
const UNITS = 200;

/** Contractors by trade; 华美装饰 and 安居门窗 do clearly worse (slow, fail re-inspections). */
const CONTRACTORS = [
  { key: '土建', name: '中建八局江畔项目部', worse: false, user: 'sg_tj' },
  { key: '装饰', name: '华美装饰工程有限公司', worse: true, user: 'sg_zs' },
  { key: '门窗', name: '安居门窗有限公司', worse: true, user: 'sg_mc' },
  { key: '水电', name: '深圳恒通水电安装公司', worse: false, user: 'sg_sd' },
  { key: '防水', name: '东方雨虹防水工程公司', worse: false, user: 'sg_fs' },
] as const;

/** Realistic defects per item (渗漏, 空鼓, 门窗, 墙面开裂 …) with the trade that fixes them and a typical severity. */
const DEFECTS: { item: string; rooms: string[]; text: string[]; trade: string; weight: number; severity: DefectSeverity[] }[] = [
  { item: '墙面', rooms: ['客厅', '卧室', '厨房', '卫生间', '阳台'], text: ['墙面空鼓', '墙面开裂', '墙面乳胶漆污染', '阴阳角不顺直', '墙面有渗水痕迹'], trade: '装饰', weight: 30, severity: ['minor', 'minor', 'minor', 'serious'] },
  { item: '地面', rooms: ['客厅', '卧室', '厨房', '卫生间', '阳台'], text: ['地砖空鼓', '地面起砂', '地砖破损', '地面不平整'], trade: '土建', weight: 20, severity: ['minor', 'minor', 'serious'] },
  { item: '门窗', rooms: ['客厅', '卧室', '厨房', '卫生间', '阳台'], text: ['窗扇关闭不严', '玻璃划伤', '门锁五金缺失', '推拉门滑轨卡顿', '窗框密封胶开裂'], trade: '门窗', weight: 22, severity: ['minor', 'minor', 'serious', 'blocking'] },
  { item: '给排水', rooms: ['厨房', '卫生间', '阳台'], text: ['下水管接口渗漏', '地漏排水不畅', '水龙头接口渗水'], trade: '水电', weight: 10, severity: ['minor', 'serious', 'blocking'] },
  { item: '电气', rooms: ['客厅', '卧室', '厨房', '卫生间'], text: ['插座不通电', '开关面板松动', '回路标识缺失'], trade: '水电', weight: 8, severity: ['minor', 'serious'] },
  { item: '防水', rooms: ['厨房', '卫生间', '阳台'], text: ['闭水试验楼下渗漏', '卫生间门槛石渗水', '阳台反坎渗漏'], trade: '防水', weight: 10, severity: ['serious', 'blocking'] },
];

/**
 * One delivery batch of 江畔华庭 in progress: 200 units, about 1,500 defects. Most units are
 * inspected, many handed over, a few refused; defects at every stage, some overdue; 华美装饰 and
 * 安居门窗 are late more often and fail re-inspections. Bulk inserts only (a few hundred ms).
 */
export async function seedDemoHandover(trx: Kysely<DB>, deps: Deps, r: Random, now: number, passwordHash: string): Promise<{ units: number; defects: number }> {
  const project = await trx.selectFrom('projects').select(['id', 'city_company_id']).where('code', '=', PROJECT_CODE).executeTakeFirstOrThrow();
  const units = await trx.selectFrom('units').select(['id', 'building_id']).where('project_id', '=', project.id).orderBy('building_id').orderBy('floor').orderBy('room_number').limit(UNITS).execute();
  const admin = await trx.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
  const stamp = { version: 1, created_at: now, updated_at: now };
  const cal: WorkCalendar = { timeZone: deps.config.timeZone, overrides: new Map(officialDays().map((d) => [d.date, d.working])) };

  const contractorOf = new Map<string, { id: string; worse: boolean; name: string }>();
  for (const c of CONTRACTORS) {
    const id = deps.ids.next();
    await trx.insertInto('departments').values({ id, name: c.name, kind: 'contractor', level: 'project', city_company_id: project.city_company_id, project_id: project.id, active: 1, ...stamp }).execute();
    contractorOf.set(c.key, { id, worse: c.worse, name: c.name });
    const uid = deps.ids.next();
    await trx.insertInto('users').values({
      id: uid, username: c.user, display_name: `${chineseName(r)}（${c.key}）`, password_hash: passwordHash, phone: null, email: null, department_id: id, extension: null,
      scope_kind: 'project', active: 1, must_change_password: 0, ...stamp, last_login_at: null,
    }).execute();
    await trx.insertInto('user_roles').values({ user_id: uid, role: 'handler' }).execute();
    await trx.insertInto('user_scopes').values({ user_id: uid, scope_id: project.id }).execute();
  }

  const templateId = await ensureDefaultTemplate(trx, deps);
  const batchId = deps.ids.next();
  const start = now - 25 * DAY;
  await trx.insertInto('handover_batches').values({
    id: batchId, project_id: project.id, name: '江畔华庭 2026 年第一批集中交付', window_from: zonedDate(start, deps.config.timeZone), window_to: zonedDate(now + 20 * DAY, deps.config.timeZone),
    template_id: templateId, status: 'open', created_by: admin.id, ...stamp,
  }).execute();

  const hus: DB['handover_units'][] = [];
  const defects: DB['handover_defects'][] = [];
  const events: DB['handover_defect_events'][] = [];
  const totalWeight = DEFECTS.reduce((a, d) => a + d.weight, 0);
  const pickDefect = () => {
    let x = r.int(1, totalWeight);
    for (const d of DEFECTS) if ((x -= d.weight) <= 0) return d;
    return DEFECTS[0]!;
  };
  const pick = <T>(xs: readonly T[]) => xs[r.int(0, xs.length - 1)]!;

  for (const u of units) {
    const huId = deps.ids.next();
    const inspected = r.chance(0.85);
    const inspectedAt = start + r.int(0, 22) * DAY + r.int(9, 17) * 3_600_000;
    const n = inspected ? (r.chance(0.08) ? 0 : r.int(4, 15)) : 0;
    let open = 0;
    for (let i = 0; i < n; i++) {
      const d = pickDefect();
      const c = contractorOf.get(d.trade)!;
      const severity = pick(d.severity);
      const registered = inspectedAt + i * 60_000;
      const due = rectificationDueAt(registered, severity, cal);
      const id = deps.ids.next();
      // Worse contractors: slower, later, failing re-inspections more often.
      const late = r.chance(c.worse ? 0.55 : 0.1);
      const fixedAt = late ? due + r.int(1, 12) * DAY : registered + Math.floor((due - registered) * r.int(20, 95) / 100);
      let status = 'to_rectify';
      let fixed: number | null = null;
      let closed: number | null = null;
      let failures = 0;
      if (r.chance(0.03)) status = 'unassigned';
      else if (fixedAt < now) {
        failures = r.chance(c.worse ? 0.3 : 0.06) ? (r.chance(0.25) ? 2 : 1) : 0;
        const reinspected = fixedAt + 2 * DAY;
        if (failures === 0 && reinspected < now) { status = 'closed'; fixed = fixedAt; closed = reinspected; }
        else if (failures === 0) { status = 'to_verify'; fixed = fixedAt; }
        else status = r.chance(0.5) ? 'in_progress' : 'to_rectify';
      } else if (r.chance(0.4)) status = 'in_progress';
      if (r.chance(0.01)) status = 'disputed';
      if (status !== 'closed') open++;
      defects.push({
        id, batch_id: batchId, handover_unit_id: huId, unit_id: u.id, project_id: project.id, building_id: u.building_id, room: pick(d.rooms), item: d.item, description: pick(d.text),
        severity, pin_x: r.chance(0.6) ? r.int(5, 95) / 100 : null, pin_y: r.chance(0.6) ? r.int(5, 95) / 100 : null, contractor_id: status === 'unassigned' ? null : c.id, status,
        registered_at: registered, due_at: due, fixed_at: fixed, closed_at: closed, reinspect_failures: failures, warned_at: null, created_by: admin.id, version: 1, created_at: registered, updated_at: now,
      });
      events.push({ id: deps.ids.next(), defect_id: id, at: registered, kind: 'registered', body: null, actor_id: admin.id, actor_name: '系统管理员' });
      for (let f = 0; f < failures; f++) {
        events.push({ id: deps.ids.next(), defect_id: id, at: registered + (f + 1) * DAY, kind: 'report_fix', body: '已整改', actor_id: null, actor_name: c.name });
        events.push({ id: deps.ids.next(), defect_id: id, at: registered + (f + 1) * DAY + 3_600_000, kind: 'reinspect_fail', body: '复验未通过', actor_id: admin.id, actor_name: '系统管理员' });
      }
      if (fixed !== null) events.push({ id: deps.ids.next(), defect_id: id, at: fixed, kind: 'report_fix', body: '已整改', actor_id: null, actor_name: c.name });
      if (closed !== null) events.push({ id: deps.ids.next(), defect_id: id, at: closed, kind: 'reinspect_pass', body: '复验通过', actor_id: admin.id, actor_name: '系统管理员' });
    }
    let status = inspected ? 'inspected' : 'not_inspected';
    let handoverDate: string | null = null;
    if (inspected && (open === 0 || r.chance(0.45))) { status = 'accepted'; handoverDate = zonedDate(inspectedAt, deps.config.timeZone); }
    else if (inspected && open >= 8 && r.chance(0.3)) status = 'refused';
    hus.push({
      id: huId, batch_id: batchId, unit_id: u.id, project_id: project.id, building_id: u.building_id, status, sign_status: inspected ? (status === 'refused' ? 'refused' : 'signed') : 'unsigned',
      sign_reason: status === 'refused' ? '问题较多，整改完成后再收楼' : null, signature_attachment_id: null,
      meters: inspected ? JSON.stringify({ water: r.int(0, 30) / 10, electricity: r.int(5, 60), gas: r.int(0, 5) / 10 }) : null, first_inspected_at: inspected ? inspectedAt : null,
      inspected_by: inspected ? admin.id : null, passed_items: inspected ? 25 - Math.min(n, 20) : 0, handover_date: handoverDate, keys_to: handoverDate ? '业主本人' : null,
      refusal_reason: status === 'refused' ? '问题较多，整改完成后再收楼' : null, refusal_ticket_id: null, ...stamp,
    });
    if (handoverDate) await trx.updateTable('units').set({ actual_handover_date: handoverDate, warranty_start_date: handoverDate }).where('id', '=', u.id).execute();
  }
  for (let i = 0; i < hus.length; i += 200) await trx.insertInto('handover_units').values(hus.slice(i, i + 200)).execute();
  for (let i = 0; i < defects.length; i += 200) await trx.insertInto('handover_defects').values(defects.slice(i, i + 200)).execute();
  for (let i = 0; i < events.length; i += 300) await trx.insertInto('handover_defect_events').values(events.slice(i, i + 300)).execute();
  return { units: hus.length, defects: defects.length };
}
