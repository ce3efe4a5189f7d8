import {
  CHANNEL_LABELS, SEVERITY_LABELS, TICKET_STATUS_LABELS, TICKET_TYPE_LABELS, type ImportRowError, type Channel, type Severity, type TicketStatus, type TicketType,
} from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { TicketsTable } from '../../db/schema.js';
import { autoTitle } from './tickets.rules.js';
import { AppError, notFound } from '../../http/app-error.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { projectInScope, type Actor } from '../../platform/auth.js';
import { toE164 } from '../../platform/phone.js';
import { mapColumns, readTable } from '../../platform/spreadsheet.js';
import { zonedDayStart } from '../../platform/time.js';
import { loadWorkCalendar } from '../calendar/calendar.service.js';
import { listCategories } from './categories.service.js';
import { currentPolicy } from './sla-policies.service.js';
import { computeDues } from './tickets.service.js';
import { customersWithPhone } from '../customers/customer-phones.repo.js';

/** The documented columns of a history file from the previous system (docs/ticket-import.md). */
export const TICKET_IMPORT_COLUMNS = {
  legacyNumber: { names: ['原工单号', '工单号'], required: true, label: '原工单号' },
  type: { names: ['类型', '工单类型'], required: true, label: '类型' },
  category: { names: ['分类'], required: false, label: '分类' },
  severity: { names: ['级别'], required: false, label: '级别' },
  channel: { names: ['渠道', '来源'], required: false, label: '渠道' },
  building: { names: ['楼栋'], required: false, label: '楼栋' },
  entrance: { names: ['单元'], required: false, label: '单元' },
  room: { names: ['房号'], required: false, label: '房号' },
  phone: { names: ['客户电话', '电话'], required: false, label: '客户电话' },
  description: { names: ['描述', '内容', '问题描述'], required: true, label: '描述' },
  registeredAt: { names: ['登记时间'], required: true, label: '登记时间' },
  repliedAt: { names: ['首次答复时间', '答复时间'], required: false, label: '首次答复时间' },
  resolvedAt: { names: ['解决时间'], required: false, label: '解决时间' },
  closedAt: { names: ['关闭时间'], required: false, label: '关闭时间' },
  status: { names: ['状态'], required: true, label: '状态' },
  result: { names: ['处理结果'], required: false, label: '处理结果' },
  owner: { names: ['首问责任人', '责任人账号'], required: false, label: '首问责任人' },
} as const;
type Field = keyof typeof TICKET_IMPORT_COLUMNS;

const byLabel = <T extends string>(labels: Record<T, string>, text: string): T | null => (Object.keys(labels) as T[]).find((k) => labels[k] === text || k === text) ?? null;

/** "2025-03-01 14:30" (business time zone) or an ISO instant → epoch ms. */
function parseInstant(text: string, timeZone: string): number | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) return null;
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  if (Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) return null;
  return zonedDayStart(date, timeZone) + (Number(m[4] ?? 0) * 60 + Number(m[5] ?? 0)) * 60_000 + Number(m[6] ?? 0) * 1000;
}

/**
 * Imports the ticket history of the previous system into a project, keeping the historical
 * timestamps, status and results, so that K1 continues across the switch. Every imported
 * ticket is marked as imported; the import is audited. A file with errors imports nothing.
 */
export async function importTicketHistory(deps: Deps, actor: Actor, ctx: AuditContext, projectId: string, filename: string, data: Buffer, dryRun: boolean) {
  const project = await deps.db.selectFrom('projects').select(['id', 'name']).where('id', '=', projectId).executeTakeFirst();
  if (!project || !projectInScope(actor, projectId)) throw notFound('项目不存在或不在您的数据范围内');
  const table = await readTable(data, filename);
  const { index, missing } = mapColumns(table.headers, TICKET_IMPORT_COLUMNS);
  if (missing.length) throw new AppError(400, 'import.invalid_file', `缺少必需的列：${missing.join('、')}`);
  const tz = deps.config.timeZone;
  const now = deps.clock.now().getTime();
  const units = await deps.db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').select(['u.id', 'b.name', 'u.entrance', 'u.room_number']).where('u.project_id', '=', projectId).execute();
  const unitByKey = new Map(units.map((u) => [`${u.name}|${u.entrance}|${u.room_number}`, u.id]));
  const categories = await listCategories(deps.db);
  const users = new Map((await deps.db.selectFrom('users').select(['id', 'username']).execute()).map((u) => [u.username, u.id]));
  const existing = new Set((await deps.db.selectFrom('tickets').select('idempotency_key').where('imported', '=', 1).where('project_id', '=', projectId).execute()).map((t) => t.idempotency_key));
  const errors: ImportRowError[] = [];
  const rows: Omit<TicketsTable, 'number' | 'sla_policy_id' | 'first_response_due' | 'reply_due' | 'resolution_due' | 'k1_due'>[] = [];
  const seen = new Set<string>();
  for (const r of table.rows) {
    const cell = (k: Field) => (index[k] >= 0 ? r.cells[index[k]] ?? '' : '');
    const err = (column: string, message: string) => errors.push({ row: r.rowNumber, column, message });
    const before = errors.length;
    for (const col of r.formulaColumns) err(table.headers[col] ?? '', '单元格不能包含公式');
    const legacy = cell('legacyNumber');
    if (!legacy) err('原工单号', '原工单号不能为空');
    // Never cut silently (issue #18 defect 5): the ticket number LS-<原工单号> holds 60 characters.
    else if (Array.from(legacy).length > 57) err('原工单号', `原工单号最多 57 个字符（现为 ${Array.from(legacy).length} 个）`);
    else if (seen.has(legacy) || existing.has(`import:${projectId}:${legacy}`)) err('原工单号', `原工单号 ${legacy} 重复（文件内或已导入）`);
    seen.add(legacy);
    const type = byLabel<TicketType>(TICKET_TYPE_LABELS, cell('type'));
    if (!type) err('类型', `未知的类型「${cell('type')}」`);
    const severity = cell('severity') ? byLabel<Severity>(SEVERITY_LABELS, cell('severity')) : 'routine';
    if (!severity) err('级别', `未知的级别「${cell('severity')}」`);
    const channel = cell('channel') ? byLabel<Channel>(CHANNEL_LABELS, cell('channel')) : 'hotline';
    if (!channel) err('渠道', `未知的渠道「${cell('channel')}」`);
    const status = byLabel<TicketStatus>(TICKET_STATUS_LABELS, cell('status'));
    if (!status || !['resolved', 'closed', 'cancelled', 'registered', 'in_progress'].includes(status)) err('状态', `导入只接受 已解决 / 已关闭 / 已取消 / 已登记 / 处理中（得到「${cell('status')}」）`);
    const times: Record<'registeredAt' | 'repliedAt' | 'resolvedAt' | 'closedAt', number | null> = { registeredAt: null, repliedAt: null, resolvedAt: null, closedAt: null };
    for (const k of ['registeredAt', 'repliedAt', 'resolvedAt', 'closedAt'] as const) {
      if (!cell(k)) continue;
      times[k] = parseInstant(cell(k), tz);
      if (times[k] === null) err(TICKET_IMPORT_COLUMNS[k].label, `「${cell(k)}」不是有效时间（例如 2025-03-01 14:30）`);
      else if (times[k]! > now) err(TICKET_IMPORT_COLUMNS[k].label, '时间不能晚于现在');
    }
    if (times.registeredAt && times.resolvedAt && times.resolvedAt < times.registeredAt) err('解决时间', '解决时间早于登记时间');
    if ((status === 'resolved' || status === 'closed') && !times.resolvedAt) err('解决时间', '已解决或已关闭的工单须有解决时间');
    let unitId: string | null = null;
    if (cell('building') || cell('room')) {
      unitId = unitByKey.get(`${cell('building').replace(/栋$/, '')}|${cell('entrance').replace(/单元$/, '') || '1'}|${cell('room')}`) ?? null;
      if (!unitId) err('房号', `项目「${project.name}」中没有该房屋`);
    }
    const owner = cell('owner') ? users.get(cell('owner')) : actor.userId;
    if (!owner) err('首问责任人', `没有账号「${cell('owner')}」`);
    const category = cell('category') && type ? categories.find((c) => c.type === type && (c.path === cell('category') || c.name === cell('category'))) : undefined;
    if (cell('category') && !category) err('分类', `未知的分类「${cell('category')}」`);
    if (cell('description').length < 2) err('描述', '描述不能为空');
    if (errors.length > before) continue;
    let customerId: string | null = null;
    const phone = cell('phone') ? toE164(cell('phone')) : null;
    if (phone) {
      const c = await deps.db.selectFrom('customers as c').select('c.id').where('c.id', 'in', customersWithPhone(deps.db, deps.config.fieldKey, phone)).where('c.merged_into_id', 'is', null).executeTakeFirst();
      customerId = c?.id ?? null;
    }
    const description = cell('description');
    rows.push({
      id: deps.ids.next(), type: type!, category_id: category?.id ?? null, severity: severity!, channel: channel!, status: status!, resume_status: null, customer_id: customerId,
      project_id: projectId, unit_id: unitId, common_area_id: null, title: autoTitle(description), description: cell('result') ? `${description}\n\n处理结果：${cell('result')}` : description,
      owner_id: owner!, registered_by: actor.userId, registered_at: times.registeredAt!, paused_ms: 0, paused_at: null, first_responded_at: times.repliedAt ?? times.resolvedAt,
      first_replied_at: times.repliedAt, resolved_at: times.resolvedAt, closed_at: times.closedAt, escalation_level: 0, breached: 0, valid: 1, end_reason: null,
      merged_into_id: null, call_id: null, imported: 1, idempotency_key: `import:${projectId}:${legacy}`, version: 1, created_at: now, updated_at: now,
    });
  }
  if (table.rows.length === 0) throw new AppError(400, 'import.invalid_file', '文件中没有数据行');
  const report = { dryRun, totalRows: table.rows.length, validRows: rows.length, imported: 0, errors: errors.slice(0, 1000) };
  if (errors.length || dryRun) return report;
  const cal = await loadWorkCalendar(deps);
  await deps.db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const policy = await currentPolicy(trx, deps, row.type, row.severity);
      const dues = computeDues(policy.spec, row.type, row.severity, row.registered_at, 0, cal);
      const legacy = row.idempotency_key!.split(':').slice(2).join(':');
      await trx.insertInto('tickets').values({ ...row, number: `LS-${legacy}`, sla_policy_id: policy.row.id, ...dues,
        breached: dues.k1_due !== null && (row.severity === 'major' ? (row.first_replied_at ?? Infinity) : (row.resolved_at ?? Infinity)) > dues.k1_due ? 1 : 0 }).execute();
      await trx.insertInto('ticket_events').values({ id: deps.ids.next(), ticket_id: row.id, at: row.registered_at, kind: 'imported', from_status: null, to_status: row.status, actor_id: ctx.actorId, actor_name: ctx.actorName, data: JSON.stringify({ legacyNumber: legacy, filename }) }).execute();
    }
    await appendAudit(trx, deps, ctx, { action: 'ticket.imported', entityType: 'project', entityId: projectId, after: { filename, tickets: rows.length } });
  });
  report.imported = rows.length;
  return report;
}
