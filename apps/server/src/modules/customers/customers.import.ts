import { insertTokens } from '../../platform/search.js';
import {
  CUSTOMER_KIND_LABELS, maskIdNumber, UNIT_RELATION_LABELS, type CustomerImportReport, type CustomerKind, type ImportRowError, type UnitRelation,
} from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { CustomersTable } from '../../db/schema.js';
import { toFlag } from '../../db/dialect.js';
import { AppError, notFound } from '../../http/app-error.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { projectInScope, type Actor } from '../../platform/auth.js';
import { zonedDayStart } from '../../platform/time.js';
import { encryptField } from '../../platform/crypto.js';
import { toE164 } from '../../platform/phone.js';
import { mapColumns, readTable } from '../../platform/spreadsheet.js';
import { insertPhones, phoneOwners, phonesOf } from './customer-phones.repo.js';
import { normalizeIdNumber } from './customers.rules.js';
import { idNumberHash, loadArchiveRules, nameInitials, refreshArchiveState, today } from './customers.service.js';
import { recordTimeline } from './timeline.service.js';

/** The columns a buyer list from a sales system may have, by their usual Chinese headers. */
export const CUSTOMER_IMPORT_COLUMNS = {
  name: { names: ['姓名', '客户姓名', '业主姓名', 'name'], required: true, label: '姓名' },
  phones: { names: ['手机号', '手机', '电话', '联系电话', 'phone', 'phones'], required: false, label: '手机号' },
  idNumber: { names: ['身份证号', '身份证', '证件号码', 'idnumber'], required: false, label: '身份证号' },
  kind: { names: ['客户类型', '类型', 'kind'], required: false, label: '客户类型' },
  building: { names: ['楼栋', '楼号', 'building'], required: false, label: '楼栋' },
  entrance: { names: ['单元', 'entrance'], required: false, label: '单元' },
  room: { names: ['房号', '房间号', 'room'], required: false, label: '房号' },
  relation: { names: ['关系', '房屋关系', 'relation'], required: false, label: '关系' },
  share: { names: ['产权份额', '份额', 'share'], required: false, label: '产权份额' },
  contractNo: { names: ['合同编号', '合同号', 'contractno'], required: false, label: '合同编号' },
  contractDate: { names: ['签约日期', 'contractdate'], required: false, label: '签约日期' },
  contractedHandoverDate: { names: ['合同交付日期', '约定交付日期', 'contractedhandoverdate'], required: false, label: '合同交付日期' },
  actualHandoverDate: { names: ['实际交付日期', '交付日期', 'actualhandoverdate'], required: false, label: '实际交付日期' },
  warrantyStartDate: { names: ['保修起始日期', '保修开始日期', 'warrantystartdate'], required: false, label: '保修起始日期' },
  email: { names: ['邮箱', '电子邮箱', 'email'], required: false, label: '邮箱' },
  wechatId: { names: ['微信号', '微信', 'wechat'], required: false, label: '微信号' },
  address: { names: ['通讯地址', '地址', 'address'], required: false, label: '通讯地址' },
  vip: { names: ['VIP', '是否VIP', 'vip'], required: false, label: 'VIP' },
  notes: { names: ['备注', 'notes'], required: false, label: '备注' },
  // A migrated archive keeps its real dates for K4 (issue #20 gap 7).
  archiveCreatedAt: { names: ['建档时间', '建档日期', 'archivecreatedat'], required: false, label: '建档时间' },
  archiveConfirmedAt: { names: ['最近确认时间', '最近确认日期', '档案确认时间', 'archiveconfirmedat'], required: false, label: '最近确认时间' },
} as const;
export type ImportField = keyof typeof CUSTOMER_IMPORT_COLUMNS;

const byLabel = <T extends string>(labels: Record<T, string>, text: string): T | null => {
  const hit = (Object.keys(labels) as T[]).find((k) => labels[k] === text || k === text);
  return hit ?? null;
};

/** Accepts 2026-01-31, 2026/1/31 and 2026.1.31. */
function parseDate(text: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** A date with an optional time (2025-08-15 10:30) as an instant in the business time zone. */
function parseInstant(text: string, timeZone: string): number | null {
  const m = /^(\S+?)(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  const date = m ? parseDate(m[1]!) : null;
  if (!m || !date) return null;
  const [h, min, sec] = [Number(m[2] ?? 0), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  if (h > 23 || min > 59 || sec > 59) return null;
  return zonedDayStart(date, timeZone) + ((h * 60 + min) * 60 + sec) * 1000;
}

interface ParsedRow {
  row: number;
  name: string;
  kind: CustomerKind;
  phones: string[];
  idNumber: string | null;
  unitId: string | null;
  relation: UnitRelation;
  share: number | null;
  dates: { contractDate: string | null; contractedHandoverDate: string | null; actualHandoverDate: string | null; warrantyStartDate: string | null };
  contractNo: string | null;
  email: string | null;
  wechatId: string | null;
  address: string | null;
  vip: boolean;
  notes: string | null;
  /** 建档时间 and 最近确认时间 from the system the archive is migrated from. */
  archiveDates: { createdAt: number | null; confirmedAt: number | null };
}

export interface CustomerImportOptions {
  dryRun: boolean;
  validOnly: boolean;
  /** Header text chosen by the user for a field, overriding the usual names. */
  mapping?: Partial<Record<ImportField, string>>;
}

/**
 * Imports buyers handed over by a sales system into a project. Rows are validated first;
 * people are matched against the archive (same ID number, or same phone and name) and within
 * the file. With errors, nothing is imported unless the user chose to import the valid rows.
 */
export async function importCustomers(
  deps: Deps, actor: Actor, ctx: AuditContext, projectId: string, filename: string, data: Buffer, opts: CustomerImportOptions,
): Promise<CustomerImportReport> {
  const project = await deps.db.selectFrom('projects').select(['id', 'name']).where('id', '=', projectId).executeTakeFirst();
  if (!project || !projectInScope(actor, projectId)) throw notFound('项目不存在或不在您的数据范围内');
  const table = await readTable(data, filename);
  const spec = Object.fromEntries(
    (Object.keys(CUSTOMER_IMPORT_COLUMNS) as ImportField[]).map((k) => {
      const chosen = opts.mapping?.[k];
      const base = CUSTOMER_IMPORT_COLUMNS[k];
      return [k, chosen ? { ...base, names: [chosen] } : base];
    }),
  ) as unknown as Record<ImportField, { names: readonly string[]; required: boolean; label: string }>;
  const { index, missing } = mapColumns(table.headers, spec);
  if (missing.length) throw new AppError(400, 'import.invalid_file', `缺少必需的列：${missing.join('、')}`);
  if (table.rows.length === 0) throw new AppError(400, 'import.invalid_file', '文件中没有数据行');

  const units = await deps.db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id')
    .select(['u.id', 'b.name', 'u.entrance', 'u.room_number']).where('u.project_id', '=', projectId).execute();
  const unitByKey = new Map(units.map((u) => [`${u.name}|${u.entrance}|${u.room_number}`, u.id]));

  const errors: ImportRowError[] = [];
  const warnings: ImportRowError[] = [];
  const parsed: ParsedRow[] = [];
  for (const r of table.rows) {
    const cell = (k: ImportField) => (index[k] >= 0 ? r.cells[index[k]] ?? '' : '');
    const rowErrors: ImportRowError[] = [];
    const err = (column: string, message: string) => rowErrors.push({ row: r.rowNumber, column, message });
    for (const col of r.formulaColumns) err(table.headers[col] ?? '', '单元格不能包含公式');
    const name = cell('name');
    if (!name) err('姓名', '姓名不能为空');
    else if (name.length > 50) err('姓名', '姓名不能超过 50 个字符');
    const phones: string[] = [];
    for (const p of cell('phones').split(/[,，;；/、\s]+/).filter(Boolean)) {
      const e164 = toE164(p);
      if (!e164) err('手机号', `「${p}」不是有效的电话号码`);
      else if (!phones.includes(e164)) phones.push(e164);
    }
    let idNumber: string | null = null;
    if (cell('idNumber')) {
      idNumber = normalizeIdNumber(cell('idNumber'));
      if (!idNumber) err('身份证号', '身份证号无效（位数、出生日期或校验位有误）');
    }
    const dates = { contractDate: null as string | null, contractedHandoverDate: null as string | null, actualHandoverDate: null as string | null, warrantyStartDate: null as string | null };
    for (const k of ['contractDate', 'contractedHandoverDate', 'actualHandoverDate', 'warrantyStartDate'] as const) {
      const text = cell(k);
      if (!text) continue;
      const d = parseDate(text);
      if (!d) err(CUSTOMER_IMPORT_COLUMNS[k].label, `「${text}」不是有效日期（例如 2026-01-31）`);
      dates[k] = d;
    }
    const archiveDates = { createdAt: null as number | null, confirmedAt: null as number | null };
    for (const [k, field] of [['archiveCreatedAt', 'createdAt'], ['archiveConfirmedAt', 'confirmedAt']] as const) {
      const text = cell(k);
      if (!text) continue;
      const at = parseInstant(text, deps.config.timeZone);
      if (at === null) err(CUSTOMER_IMPORT_COLUMNS[k].label, `「${text}」不是有效时间（例如 2025-08-15 或 2025-08-15 10:30）`);
      else if (at > deps.clock.now().getTime()) err(CUSTOMER_IMPORT_COLUMNS[k].label, `「${text}」晚于现在`);
      else archiveDates[field] = at;
    }
    if (archiveDates.createdAt !== null && archiveDates.confirmedAt !== null && archiveDates.confirmedAt < archiveDates.createdAt) {
      err(CUSTOMER_IMPORT_COLUMNS.archiveConfirmedAt.label, '最近确认时间不能早于建档时间');
    }
    const kindText = cell('kind');
    let kind: CustomerKind = dates.actualHandoverDate ? 'owner' : 'prospective_owner';
    if (kindText) {
      const k = byLabel(CUSTOMER_KIND_LABELS, kindText);
      if (!k) err('客户类型', `未知的客户类型「${kindText}」`);
      else kind = k;
    }
    const relText = cell('relation');
    let relation: UnitRelation = kind === 'co_owner' ? 'co_owner' : kind === 'prospective_owner' ? 'prospective_owner' : kind === 'family' ? 'family' : kind === 'tenant' ? 'tenant' : kind === 'other' ? 'other' : 'owner';
    if (relText) {
      const rel = byLabel(UNIT_RELATION_LABELS, relText);
      if (!rel) err('关系', `未知的房屋关系「${relText}」`);
      else relation = rel;
    }
    let unitId: string | null = null;
    const building = cell('building').replace(/栋$|号楼$/, '');
    const entrance = cell('entrance').replace(/单元$/, '') || '1';
    const room = cell('room');
    if (building || room) {
      unitId = unitByKey.get(`${building}|${entrance}|${room}`) ?? null;
      if (!unitId) err('房号', `项目「${project.name}」中没有房屋 ${building}栋${entrance}单元${room}`);
    }
    let share: number | null = null;
    if (cell('share')) {
      share = Number(cell('share').replace('%', ''));
      if (!Number.isFinite(share) || share <= 0 || share > 100) err('产权份额', '产权份额应为 0 到 100 之间的数');
    }
    const email = cell('email') || null;
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) err('邮箱', `「${email}」不是有效的邮箱`);
    if (!phones.length && !idNumber && !rowErrors.length) warnings.push({ row: r.rowNumber, column: '手机号', message: '没有电话号码，无法来电识别' });
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    parsed.push({
      row: r.rowNumber, name, kind, phones, idNumber, unitId, relation, share, dates, contractNo: cell('contractNo') || null, email,
      wechatId: cell('wechatId') || null, address: cell('address') || null, vip: ['是', 'Y', 'y', 'yes', 'VIP', '1', 'true'].includes(cell('vip')), notes: cell('notes') || null,
      archiveDates,
    });
  }

  // Match people: within the file and against the archive, by ID number, or by phone with the same name.
  const idHashes = [...new Set(parsed.filter((p) => p.idNumber).map((p) => idNumberHash(deps, p.idNumber!)))];
  const allPhones = [...new Set(parsed.flatMap((p) => p.phones))];
  const existingById = new Map<string, string>();
  for (let i = 0; i < idHashes.length; i += 500) {
    for (const c of await deps.db.selectFrom('customers').select(['id', 'id_number_hash']).where('id_number_hash', 'in', idHashes.slice(i, i + 500)).where('merged_into_id', 'is', null).execute()) {
      existingById.set(c.id_number_hash!, c.id);
    }
  }
  const existingByPhone = new Map<string, { id: string; name: string }[]>();
  const owners = await phoneOwners(deps.db, deps.config.fieldKey, allPhones);
  const ownerIds = [...new Set(owners.map((o) => o.customerId))];
  const ownerNames = new Map<string, string>();
  for (let i = 0; i < ownerIds.length; i += 500) {
    for (const c of await deps.db.selectFrom('customers').select(['id', 'name']).where('id', 'in', ownerIds.slice(i, i + 500)).where('merged_into_id', 'is', null).execute()) ownerNames.set(c.id, c.name);
  }
  for (const o of owners) {
    const name = ownerNames.get(o.customerId);
    if (name !== undefined) existingByPhone.set(o.phone, [...(existingByPhone.get(o.phone) ?? []), { id: o.customerId, name }]);
  }

  type Person = { key: string; existingId: string | null; rows: ParsedRow[] };
  const people = new Map<string, Person>();
  const keyOf = new Map<string, string>();
  for (const p of parsed) {
    const idKey = p.idNumber ? `id:${idNumberHash(deps, p.idNumber)}` : null;
    const phoneKeys = p.phones.map((ph) => `ph:${ph}|${p.name}`);
    const known = [idKey, ...phoneKeys].filter((k): k is string => Boolean(k)).map((k) => keyOf.get(k)).find(Boolean);
    let existingId: string | null = idKey ? existingById.get(idKey.slice(3)) ?? null : null;
    if (!existingId) {
      for (const ph of p.phones) {
        const same = existingByPhone.get(ph)?.find((c) => c.name === p.name);
        if (same) {
          existingId = same.id;
          break;
        }
        const other = existingByPhone.get(ph)?.find((c) => c.name !== p.name);
        if (other) warnings.push({ row: p.row, column: '手机号', message: `电话与已有客户「${other.name}」相同，将作为不同的人登记` });
      }
    }
    const key = known ?? (existingId ? `ex:${existingId}` : `row:${p.row}`);
    const person = people.get(key) ?? { key, existingId, rows: [] };
    person.rows.push(p);
    people.set(key, person);
    for (const k of [idKey, ...phoneKeys]) if (k) keyOf.set(k, key);
  }

  const errorRows = new Set(errors.map((e) => e.row));
  const report: CustomerImportReport = {
    dryRun: opts.dryRun, validOnly: opts.validOnly, totalRows: table.rows.length, validRows: table.rows.length - errorRows.size,
    created: [...people.values()].filter((p) => !p.existingId).length,
    matched: [...people.values()].filter((p) => p.existingId).length,
    linkedUnits: parsed.filter((p) => p.unitId).length,
    imported: false,
    errors: errors.slice(0, 1000),
    warnings: warnings.slice(0, 1000),
  };
  if (opts.dryRun || (errors.length && !opts.validOnly) || parsed.length === 0) return report;

  const now = deps.clock.now().getTime();
  const day = today(deps);
  const rules = (await loadArchiveRules(deps.db)).value;
  let linked = 0;
  await deps.db.transaction().execute(async (trx) => {
    for (const person of people.values()) {
      const first = person.rows[0]!;
      let customerId = person.existingId;
      const phones = [...new Set(person.rows.flatMap((r) => r.phones))];
      const idNumber = person.rows.find((r) => r.idNumber)?.idNumber ?? null;
      // The archive's own dates when the file brings them: created then, last updated or confirmed then, not today.
      const createdAt = first.archiveDates.createdAt;
      const confirmedAt = person.rows.reduce<number | null>((m, r) => (r.archiveDates.confirmedAt !== null && (m === null || r.archiveDates.confirmedAt > m) ? r.archiveDates.confirmedAt : m), null);
      if (!customerId) {
        customerId = deps.ids.next();
        const row: CustomersTable = {
          id: customerId, kind: first.kind, name: first.name, name_initials: nameInitials(first.name), project_id: projectId,
          id_number_enc: idNumber ? encryptField(deps.config.fieldKey, idNumber) : null, id_number_hash: idNumber ? idNumberHash(deps, idNumber) : null,
          id_number_masked: idNumber ? maskIdNumber(idNumber) : null, email: first.email, wechat_id: first.wechatId, preferred_channel: null, preferred_time: null,
          address: first.address, tags: '[]', vip: toFlag(person.rows.some((r) => r.vip)), notes: first.notes, preferences: null,
          archive_confirmed_at: confirmedAt, archive_confirmed_by: null, merged_into_id: null, version: 1, created_at: createdAt ?? now,
          updated_at: createdAt !== null || confirmedAt !== null ? Math.max(createdAt ?? 0, confirmedAt ?? 0) : now,
        };
        await trx.insertInto('customers').values(row).execute();
        await insertTokens(trx, 'customer', [{ id: customerId, text: row.name }]);
        if (createdAt !== null || confirmedAt !== null) {
          await appendAudit(trx, deps, ctx, {
            action: 'customer.archive_imported', entityType: 'customer', entityId: customerId,
            after: { filename, archiveCreatedAt: createdAt === null ? null : new Date(createdAt).toISOString(), archiveConfirmedAt: confirmedAt === null ? null : new Date(confirmedAt).toISOString() },
          });
        }
        await recordTimeline(trx, deps, ctx, { customerId, kind: 'customer.created', title: `从文件「${filename}」导入`, projectId });
      } else {
        await trx.updateTable('customers').set((eb) => ({ version: eb('version', '+', 1), updated_at: now })).where('id', '=', customerId).execute();
        if (confirmedAt !== null) {
          await trx.updateTable('customers').set({ archive_confirmed_at: confirmedAt }).where('id', '=', customerId)
            .where((eb) => eb.or([eb('archive_confirmed_at', 'is', null), eb('archive_confirmed_at', '<', confirmedAt)])).execute();
        }
        await recordTimeline(trx, deps, ctx, { customerId, kind: 'customer.updated', title: `从文件「${filename}」导入时匹配到本客户`, projectId });
      }
      const have = new Set((await phonesOf(trx, deps.config.fieldKey, [customerId])).map((p) => p.phone));
      const fresh = phones.filter((p) => !have.has(p));
      await insertPhones(trx, deps.config.fieldKey, customerId, fresh.map((phone, i) => ({ id: deps.ids.next(), phone, label: null, primary: have.size === 0 && i === 0, createdAt: now })));
      const held = new Set((await trx.selectFrom('customer_units').select('unit_id').where('customer_id', '=', customerId).where('to_date', 'is', null).execute()).map((u) => u.unit_id));
      for (const r of person.rows) {
        if (!r.unitId || held.has(r.unitId)) continue;
        held.add(r.unitId);
        await trx.insertInto('customer_units').values({
          id: deps.ids.next(), customer_id: customerId, unit_id: r.unitId, project_id: projectId, relation: r.relation, share: r.share,
          from_date: r.dates.contractDate ?? day, to_date: null, contract_no: r.contractNo, contract_date: r.dates.contractDate,
          contracted_handover_date: r.dates.contractedHandoverDate, actual_handover_date: r.dates.actualHandoverDate, warranty_start_date: r.dates.warrantyStartDate,
          version: 1, created_at: now, updated_at: now,
        }).execute();
        linked++;
      }
      await refreshArchiveState(trx, deps, customerId, rules);
    }
    await appendAudit(trx, deps, ctx, {
      action: 'customer.imported', entityType: 'project', entityId: projectId,
      after: { filename, rows: parsed.length, created: report.created, matched: report.matched, linkedUnits: linked, skippedRows: errorRows.size },
    });
  });
  report.linkedUnits = linked;
  report.imported = true;
  return report;
}
