import type { Kysely } from 'kysely';
import type { Deps } from '../deps.js';
import type { DB } from '../db/schema.js';
import { loadWorkCalendar } from '../modules/calendar/calendar.service.js';
import { currentPolicy } from '../modules/tickets/sla-policies.service.js';
import { computeDues } from '../modules/tickets/tickets.service.js';
import { zonedDate } from '../platform/time.js';
import type { Random } from './random.js';

const H = 3_600_000;
const DAY = 24 * H;

/** What owners say, by category name: realistic texts for the demo. */
const TEXTS: Record<string, string[]> = {
  渗漏: ['卫生间天花板漏水，楼上邻居说没有用水', '下雨后客厅窗台渗水，墙面起皮', '阳台地漏返水，地面积水'],
  墙面开裂: ['客厅墙面出现多条裂缝，担心结构问题', '卧室墙角开裂，裂缝越来越长'],
  空鼓: ['厨房地砖空鼓，踩上去有响声', '卫生间墙砖空鼓脱落'],
  门窗: ['入户门关不严，密封条脱落', '主卧窗户推拉困难，五金件损坏'],
  水电: ['厨房插座没电', '热水器进水管漏水'],
  保洁: ['楼道垃圾两天没人清理', '电梯轿厢有异味'],
  安保: ['夜间小区门岗无人值守', '陌生人随意进出单元门'],
  收费: ['物业费账单金额与合同不符', '停车费上调没有提前公示'],
  服务态度: ['物业前台人员态度冷淡，不理睬业主诉求'],
  交付标准: ['交付的橱柜品牌与样板间不一致', '合同约定的地暖没有安装'],
  配套设施: ['承诺的幼儿园至今没有开工', '小区会所一直没有开放'],
  延期交付: ['交房时间一再推迟，要求说明原因并赔偿'],
  噪音: ['隔壁工地夜间施工噪音大，影响休息'],
  漏水: ['厨房水槽下水管漏水', '空调冷凝水管滴水到楼下'],
  电路: ['卫生间灯不亮，开关烧了', '家里频繁跳闸'],
  电梯: ['3号电梯经常停在半层', '电梯按钮失灵'],
  照明: ['地下车库B区灯不亮', '单元门口路灯坏了'],
  产权办证: ['请问房产证什么时候可以办理', '不动产登记需要准备哪些材料'],
  物业费: ['物业费可以按季度缴纳吗', '空置房物业费怎么收取'],
  法律法规: ['开发商逾期交房应承担什么责任', '房屋保修期从什么时候开始计算'],
  产品设计: ['建议增加单元门口的无障碍坡道', '建议地下车库增设充电桩'],
  园林配套: ['建议中心花园增加儿童游乐设施'],
  员工: ['感谢维修师傅小王认真负责，半夜赶来处理漏水'],
};
const FALLBACK = ['业主来电反映相关问题，请跟进处理'];

/**
 * A year of tickets for the demo projects, registered by each project's agents, following the
 * SLA rules: most handled in time, some late (so K1 is below target in some projects), the
 * recent ones still open, complaints partly escalated.
 */
export async function seedDemoTickets(trx: Kysely<DB>, deps: Deps, r: Random, now: number): Promise<number> {
  const projects = await trx.selectFrom('projects').select(['id', 'city_company_id', 'code']).execute();
  const categories = await trx.selectFrom('ticket_categories').select(['id', 'type', 'name', 'parent_id']).execute();
  const leaf = (type: string) => categories.filter((c) => c.type === type && (c.parent_id !== null || !categories.some((x) => x.parent_id === c.id)));
  const cal = await loadWorkCalendar({ ...deps, db: trx });
  const policies = new Map<string, Awaited<ReturnType<typeof currentPolicy>>>();
  const policy = async (type: string, severity: string) => {
    const k = `${type}:${severity}`;
    if (!policies.has(k)) policies.set(k, await currentPolicy(trx, deps, type, severity));
    return policies.get(k)!;
  };
  const tickets: DB['tickets'][] = [];
  const events: DB['ticket_events'][] = [];
  const workOrders: DB['work_orders'][] = [];
  const replies: DB['ticket_replies'][] = [];
  const timeline: DB['timeline_entries'][] = [];
  const counters = new Map<string, number>();
  const callbacks: DB['callbacks'][] = [];
  const ratings: DB['ratings'][] = [];
  const visits: DB['visits'][] = [];
  // Projects differ in how well they keep deadlines, so the dashboards show contrast.
  const lateShare = new Map(projects.map((p, i) => [p.id, [0.04, 0.12, 0.25, 0.08, 0.18, 0.06][i % 6]!]));

  for (const p of projects) {
    const agents = await trx.selectFrom('users as u').innerJoin('user_roles as ur', 'ur.user_id', 'u.id').innerJoin('user_scopes as s', 's.user_id', 'u.id')
      .select(['u.id', 'u.display_name']).where('ur.role', '=', 'agent').where('s.scope_id', '=', p.id).execute();
    const depts = await trx.selectFrom('departments').select(['id', 'name', 'kind']).where((eb) => eb.or([eb('project_id', '=', p.id), eb.and([eb('city_company_id', '=', p.city_company_id), eb('level', '=', 'city_company')])])).execute();
    const links = await trx.selectFrom('customer_units').select(['customer_id', 'unit_id']).where('project_id', '=', p.id).where('relation', 'in', ['owner', 'prospective_owner']).execute();
    if (!agents.length || !links.length) continue;
    const count = r.int(420, 560);
    for (let i = 0; i < count; i++) {
      const type = r.pick(['complaint', 'complaint', 'complaint', 'repair', 'repair', 'repair', 'repair', 'inquiry', 'inquiry', 'inquiry', 'suggestion', 'praise']);
      const severity = type === 'complaint' ? (r.chance(0.15) ? 'major' : 'routine') : type === 'repair' && r.chance(0.12) ? 'urgent' : 'routine';
      const cats = leaf(type);
      const cat = cats.length ? r.pick(cats) : null;
      const agent = r.pick(agents);
      const link = r.pick(links);
      // Office hours on most days; the hotline is 24/7, so a few at night.
      const dayOffset = r.int(0, 364);
      const registeredAt = now - dayOffset * DAY - r.int(0, 23) * H - r.int(0, 59) * 60_000 - (r.chance(0.8) ? 0 : 10 * H);
      if (registeredAt >= now - 10 * 60_000) continue;
      const pol = await policy(type, severity);
      const dues = computeDues(pol.spec, type, severity, registeredAt, 0, cal);
      const mainDue = dues.k1_due ?? dues.resolution_due ?? dues.first_response_due ?? registeredAt + DAY;
      const span = mainDue - registeredAt;
      const isLate = r.chance(lateShare.get(p.id)!);
      const recent = now - registeredAt < span * 2.5;
      const stillOpen = recent && r.chance(0.6);
      const resolvedAt = stillOpen ? null : Math.round(Math.min(now - 60_000, registeredAt + (isLate ? span * (1.05 + r.next()) : span * (0.1 + r.next() * 0.85))));
      const firstRepliedAt = type === 'complaint' && severity === 'major'
        ? (resolvedAt === null && r.chance(0.5) ? null : Math.round(Math.min(now - 60_000, registeredAt + (isLate ? Number(dues.reply_due) - registeredAt + 6 * H : (Number(dues.reply_due) - registeredAt) * r.next() * 0.9))))
        : resolvedAt;
      const day = zonedDate(registeredAt, deps.config.timeZone);
      const n = (counters.get(day) ?? 0) + 1;
      counters.set(day, n);
      const id = deps.ids.next();
      const text = r.pick(TEXTS[cat?.name ?? ''] ?? FALLBACK);
      const closed = resolvedAt !== null && now - resolvedAt > 3 * DAY && r.chance(0.85);
      const status = stillOpen ? r.pick(['registered', 'dispatched', 'in_progress', 'result_returned']) : closed ? 'closed' : 'resolved';
      const breachedLevel = isLate && (type === 'complaint' || type === 'repair') ? r.int(1, 3) : 0;
      tickets.push({
        id, number: `KS${day.replace(/-/g, '')}-${String(n).padStart(4, '0')}`, type, category_id: cat?.id ?? null, severity, channel: r.pick(['hotline', 'hotline', 'hotline', 'walk_in', 'wechat', 'portal', 'visit']),
        status, resume_status: null, customer_id: link.customer_id, project_id: p.id, unit_id: link.unit_id, common_area_id: null,
        title: `${text.slice(0, 24)}`, description: text, owner_id: agent.id, registered_by: agent.id, registered_at: registeredAt, sla_policy_id: pol.row.id, ...dues,
        paused_ms: 0, paused_at: null, first_responded_at: stillOpen && status === 'registered' ? null : registeredAt + r.int(5, 90) * 60_000,
        first_replied_at: firstRepliedAt, resolved_at: resolvedAt, closed_at: closed ? resolvedAt! + r.int(1, 3) * DAY : null,
        escalation_level: breachedLevel, breached: isLate ? 1 : 0, valid: 1, end_reason: null, merged_into_id: null, call_id: null, imported: 0, idempotency_key: null,
        version: 1, created_at: registeredAt, updated_at: resolvedAt ?? registeredAt,
      });
      const ev = (at: number, kind: string, from: string | null, to: string | null, data?: unknown) =>
        events.push({ id: deps.ids.next(), ticket_id: id, at, kind, from_status: from, to_status: to, actor_id: agent.id, actor_name: agent.display_name, data: data ? JSON.stringify(data) : null });
      ev(registeredAt, 'registered', null, 'registered');
      timeline.push({ id: deps.ids.next(), customer_id: link.customer_id, at: registeredAt, kind: 'ticket.registered', title: `登记工单 ${tickets.at(-1)!.number}`, body: text, ref_type: 'ticket', ref_id: id, project_id: p.id, actor_id: agent.id, actor_name: agent.display_name });
      if ((type === 'complaint' || type === 'repair') && depts.length && status !== 'registered') {
        const dept = r.pick(depts.filter((d) => (type === 'repair' ? d.kind === 'property' || d.kind === 'engineering' : true)).concat(depts[0]!));
        const dispatchedAt = registeredAt + r.int(10, 120) * 60_000;
        const done = resolvedAt !== null || status === 'result_returned';
        const completedAt = done ? Math.min(now - 120_000, (resolvedAt ?? now) - r.int(30, 240) * 60_000) : null;
        workOrders.push({
          id: deps.ids.next(), ticket_id: id, department_id: dept.id, project_id: p.id, status: done ? 'completed' : status === 'in_progress' ? 'accepted' : 'pending',
          instructions: `请尽快处理：${text}`, due_at: Math.round(Math.min(mainDue, dispatchedAt + span / 2)), assignee_id: null, accepted_at: status === 'dispatched' ? null : dispatchedAt + 30 * 60_000,
          completed_at: completedAt && completedAt > dispatchedAt ? completedAt : null, rejected_reason: null, result: done ? '已处理完毕，业主确认' : null,
          created_by: agent.id, version: 1, created_at: dispatchedAt, updated_at: completedAt ?? dispatchedAt,
        });
        ev(dispatchedAt, 'dispatched', 'registered', 'dispatched', { department: dept.name });
      }
      if (firstRepliedAt !== null) {
        replies.push({ id: deps.ids.next(), ticket_id: id, at: firstRepliedAt, channel: 'phone', content: '已向业主说明处理进展和结果', substantive: 1, actor_id: agent.id, actor_name: agent.display_name });
        ev(firstRepliedAt, 'replied', null, null, { channel: 'phone' });
      }
      if (breachedLevel) ev(mainDue, 'escalated', null, null, { level: breachedLevel });
      if (resolvedAt !== null) {
        ev(resolvedAt, 'resolved', null, 'resolved', { summary: '已解决' });
        timeline.push({ id: deps.ids.next(), customer_id: link.customer_id, at: resolvedAt, kind: 'ticket.resolved', title: `${tickets.at(-1)!.number} 已解决`, body: null, ref_type: 'ticket', ref_id: id, project_id: p.id, actor_id: agent.id, actor_name: agent.display_name });
      }
      if (closed) ev(tickets.at(-1)!.closed_at!, 'closed', 'resolved', 'closed');
      if (resolvedAt !== null) {
        // The callback after resolution: mostly reached and rated; projects that are late are rated lower.
        const cbAt = Math.min(now - 60_000, resolvedAt + r.int(2, 40) * H);
        const reached = closed || r.chance(0.5);
        const unreachable = !reached && closed === false && r.chance(0.2);
        const sat = isLate ? r.pick([1, 2, 3, 4, 4, 5]) : r.pick([3, 4, 4, 5, 5, 5, 5, 5]);
        const cbId = deps.ids.next();
        callbacks.push({
          id: cbId, ticket_id: id, customer_id: link.customer_id, project_id: p.id, assignee_id: agent.id, status: reached ? 'done' : unreachable ? 'unreachable' : 'open',
          due_at: resolvedAt + 2 * DAY, attempts: reached ? 1 : unreachable ? 3 : 0, max_attempts: 3, satisfaction: reached ? sat : null, comment: null,
          completed_at: reached || unreachable ? cbAt : null, completed_by: reached || unreachable ? agent.id : null, version: 1, created_at: resolvedAt, updated_at: cbAt,
        });
        if (reached) {
          ratings.push({ id: deps.ids.next(), ticket_id: id, customer_id: link.customer_id, project_id: p.id, source: 'callback', source_id: cbId, satisfaction: sat, comment: null, at: cbAt, actor_id: agent.id });
          visits.push({ id: deps.ids.next(), customer_id: link.customer_id, project_id: p.id, kinds: '["callback"]', at: cbAt, notes: null, satisfaction: sat, source: 'callback', source_id: cbId, task_id: null, actor_id: agent.id, actor_name: agent.display_name, version: 1, created_at: cbAt });
        }
      }
    }
  }
  // Visits beyond callbacks: phone and home visits, more in some projects than in others (K3).
  const coverage = [1.3, 0.9, 0.5, 1.1, 0.7, 1.25];
  for (const [i, p] of projects.entries()) {
    const agents = await trx.selectFrom('users as u').innerJoin('user_roles as ur', 'ur.user_id', 'u.id').innerJoin('user_scopes as s', 's.user_id', 'u.id')
      .select(['u.id', 'u.display_name']).where('ur.role', '=', 'agent').where('s.scope_id', '=', p.id).execute();
    const owners = await trx.selectFrom('customer_units').select('customer_id').distinct().where('project_id', '=', p.id).where('relation', 'in', ['owner', 'prospective_owner']).execute();
    if (!agents.length) continue;
    const count = Math.round(owners.length * coverage[i % coverage.length]!);
    for (let k = 0; k < count; k++) {
      const agent = r.pick(agents);
      const at = now - r.int(1, 360) * DAY - r.int(0, 8) * H;
      const kind = r.pick(['phone_visit', 'phone_visit', 'phone_visit', 'home_visit', 'event_contact']);
      visits.push({ id: deps.ids.next(), customer_id: r.pick(owners).customer_id, project_id: p.id, kinds: JSON.stringify([kind]), at, notes: kind === 'home_visit' ? '上门拜访，了解居住情况' : null, satisfaction: r.chance(0.5) ? r.pick([3, 4, 5, 5]) : null, source: 'manual', source_id: null, task_id: null, actor_id: agent.id, actor_name: agent.display_name, version: 1, created_at: at });
    }
  }
  for (const [table, rows] of [['tickets', tickets], ['ticket_events', events], ['work_orders', workOrders], ['ticket_replies', replies], ['timeline_entries', timeline], ['callbacks', callbacks], ['ratings', ratings], ['visits', visits]] as const) {
    for (let i = 0; i < rows.length; i += 200) await trx.insertInto(table).values(rows.slice(i, i + 200) as never).execute();
  }
  for (const [day, n] of counters) await trx.insertInto('ticket_counters').values({ day, n }).onConflict((oc) => oc.column('day').doUpdateSet({ n })).execute();
  return tickets.length;
}
