import type { ExpressionBuilder, Kysely } from 'kysely';
import { pinyin } from 'pinyin-pro';
import {
  maskIdNumber, type ArchiveField, type CustomerCreate, type CustomerKind, type CustomerSearchQuery, type CustomerUnitCreate,
  personNameProblem, phoneProblem, type CustomerUnitUpdate, type CustomerUpdate, type CustomerSummary, type RevealField, type StaffRole,
} from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { CustomersTable, DB } from '../../db/schema.js';
import { fromFlag, isPostgres, toFlag } from '../../db/dialect.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../http/app-error.js';
import { pageOf } from '../../http/pagination.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { projectInScope, type Actor, scopeIn } from '../../platform/auth.js';
import { decryptField, encryptField, keyedHash } from '../../platform/crypto.js';
import { enqueueMessage } from '../../platform/outbox.js';
import { toE164 } from '../../platform/phone.js';
import { getSetting } from '../../platform/settings.js';
import { cachedReference } from '../../platform/reference-cache.js';
import { entitiesWithTokens, indexComplete, indexText, insertTokens, queryTokens, unindex, type BackfillSource } from '../../platform/search.js';
import { zonedDate, zonedDayStart } from '../../platform/time.js';
import { unitLabel } from '../org/org.presenter.js';
import {
  customerScope, latestArchiveStates, nameContains, prefixUpperBound, unitLinksOf,
} from './customers.repo.js';
import {
  customerIdsByPhoneSuffix, customersWithPhone, deletePhone, hasPhone, movePhone, phoneHash, phonesOf, replacePhones, sharedPhoneCounts,
} from './customer-phones.repo.js';
import { presentCustomer, presentSummary } from './customers.presenter.js';
import { correctSnapshots, snapshotCustomersToday } from './scope-snapshots.service.js';
import { addMonths, DEFAULT_CURRENCY_MONTHS, DEFAULT_REQUIRED_FIELDS, isArchiveCurrent, missingArchiveFields, normalizeIdNumber, parseUnitAddress, relationHeldOn, type RequiredFields } from './customers.rules.js';
import { recordTimeline } from './timeline.service.js';
import { updateVersioned } from '../../db/versioned.js';

export const ARCHIVE_RULES_KEY = 'archive.rules';
export const PRIVACY_KEY = 'privacy';

export interface ArchiveRulesValue {
  requiredFields: RequiredFields;
  currencyMonths: number;
}
export const DEFAULT_ARCHIVE_RULES: ArchiveRulesValue = { requiredFields: DEFAULT_REQUIRED_FIELDS, currencyMonths: DEFAULT_CURRENCY_MONTHS };

export interface PrivacyValue {
  phoneRevealRoles: StaffRole[];
  idNumberRevealRoles: StaffRole[];
  dailyRevealQuota: number;
}
export const DEFAULT_PRIVACY: PrivacyValue = { phoneRevealRoles: ['agent', 'supervisor', 'manager'], idNumberRevealRoles: [], dailyRevealQuota: 50 };

/**
 * Tables that point at a customer. A merge re-points every one of them; a module that adds
 * such a table adds it here.
 */
export const CUSTOMER_REFERENCES: { table: keyof DB; column: string }[] = [
  { table: 'customer_units', column: 'customer_id' },
  { table: 'timeline_entries', column: 'customer_id' },
  { table: 'survey_invitations', column: 'customer_id' },
  { table: 'survey_responses', column: 'customer_id' },
  { table: 'tickets', column: 'customer_id' },
  { table: 'calls', column: 'customer_id' },
  { table: 'call_back_tasks', column: 'customer_id' },
  { table: 'callbacks', column: 'customer_id' },
  { table: 'ratings', column: 'customer_id' },
  { table: 'visits', column: 'customer_id' },
  { table: 'visit_tasks', column: 'customer_id' },
  { table: 'visit_attempts', column: 'customer_id' },
  // kpi_scope_snapshots is history: a merge does not rewrite who was in scope on a past date.
];

/** The key for ID-number lookups, derived from the field key so it can't be used to decrypt. */
const idHashKey = (deps: Deps) => keyedHash(deps.config.fieldKey, 'qiaoliang:id-number-hash:v1');
export const idNumberHash = (deps: Deps, id: string): string => keyedHash(Buffer.from(idHashKey(deps), 'hex'), id);

/** Lower-case pinyin initials of a Chinese name ("王芳华" → "wfh"), for search. */
export function nameInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase().replace(/[^a-z0-9]/g, '');
}

export const today = (deps: Deps): string => zonedDate(deps.clock.now().getTime(), deps.config.timeZone);

/**
 * Validated phone list: normalized, deduplicated, exactly one primary. Entries given by `id`
 * keep the customer's existing number, so editing never needs a reveal.
 */
function normalizePhones(input: CustomerCreate['phones'], existing: Map<string, string> = new Map()): { phone: string; label: string | null; primary: boolean }[] {
  const out: { phone: string; label: string | null; primary: boolean }[] = [];
  input.forEach((p, i) => {
    if (p.id && !p.phone) {
      const kept = existing.get(p.id);
      if (!kept) throw new AppError(400, 'customer.invalid_phone', '要保留的电话号码不属于该客户', [{ field: `phones.${i}.id`, message: '电话不存在' }]);
      if (!out.some((o) => o.phone === kept)) out.push({ phone: kept, label: p.label ?? null, primary: Boolean(p.isPrimary) });
      return;
    }
    if (!p.phone) throw new AppError(400, 'customer.invalid_phone', '请填写电话号码', [{ field: `phones.${i}.phone`, message: '必填' }]);
    const problem = phoneProblem(p.phone);
    const e164 = problem ? null : toE164(p.phone);
    if (!e164) throw new AppError(400, 'customer.invalid_phone', `「${p.phone}」不是有效的电话号码：${problem ?? '号码不存在'}`, [{ field: `phones.${i}.phone`, message: problem ?? '电话号码无效' }]);
    if (!out.some((o) => o.phone === e164)) out.push({ phone: e164, label: p.label ?? null, primary: Boolean(p.isPrimary) });
  });
  if (out.length && !out.some((o) => o.primary)) out[0]!.primary = true;
  let seen = false;
  for (const o of out) {
    if (o.primary && seen) o.primary = false;
    if (o.primary) seen = true;
  }
  return out;
}

function sealIdNumber(deps: Deps, raw: string | null | undefined) {
  if (raw === undefined) return undefined;
  if (raw === null || raw.trim() === '') return { id_number_enc: null, id_number_hash: null, id_number_masked: null };
  const id = normalizeIdNumber(raw);
  if (!id) throw new AppError(400, 'customer.invalid_id_number', '身份证号无效（请检查位数、出生日期和校验位）', [{ field: 'idNumber', message: '身份证号无效' }]);
  return { id_number_enc: encryptField(deps.config.fieldKey, id), id_number_hash: idNumberHash(deps, id), id_number_masked: maskIdNumber(id) };
}

/** The archive rules (cached; saved through `changeReference(…, ['setting:archive.rules'])`). */
export async function loadArchiveRules(db: Kysely<DB>) {
  return cachedReference(db, `setting:${ARCHIVE_RULES_KEY}`, () => getSetting(db, ARCHIVE_RULES_KEY, DEFAULT_ARCHIVE_RULES));
}
/** Who may see personal data (cached; saved through `changeReference(…, ['setting:privacy'])`). */
export async function loadPrivacy(db: Kysely<DB>) {
  return cachedReference(db, `setting:${PRIVACY_KEY}`, () => getSetting(db, PRIVACY_KEY, DEFAULT_PRIVACY));
}

/**
 * Recomputes a customer's archive state and, when it changed, appends it to the history that
 * K4 reads. Runs in the transaction of every write that can change the archive.
 */
export async function refreshArchiveState(trx: Kysely<DB>, deps: Deps, customerId: string, rules?: ArchiveRulesValue): Promise<void> {
  const r = rules ?? (await loadArchiveRules(trx)).value;
  const c = await trx.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirstOrThrow();
  const [phone, links] = await Promise.all([
    hasPhone(trx, customerId),
    trx.selectFrom('customer_units').selectAll().where('customer_id', '=', customerId).execute(),
  ]);
  const day = today(deps);
  const missing = missingArchiveFields({
    kind: c.kind as CustomerKind,
    name: c.name,
    hasPhone: Boolean(phone),
    hasIdNumber: Boolean(c.id_number_enc),
    email: c.email,
    wechatId: c.wechat_id,
    address: c.address,
    preferredChannel: c.preferred_channel,
    currentUnits: links.filter((l) => relationHeldOn(l.from_date, l.to_date, day)).map((l) => ({
      contractNo: l.contract_no, contractDate: l.contract_date, contractedHandoverDate: l.contracted_handover_date,
      actualHandoverDate: l.actual_handover_date, warrantyStartDate: l.warranty_start_date,
    })),
  }, r.requiredFields);
  const touchedAt = Math.max(Number(c.updated_at), Number(c.archive_confirmed_at ?? 0));
  const last = (await latestArchiveStates(trx, [customerId])).get(customerId);
  const missingJson = JSON.stringify(missing);
  if (!last || Number(last.touched_at) !== touchedAt || last.missing !== missingJson) {
    await trx.insertInto('customer_archive_states').values({
      id: deps.ids.next(), customer_id: customerId, at: deps.clock.now().getTime(), complete: toFlag(missing.length === 0), missing: missingJson, touched_at: touchedAt,
    }).execute();
  }
  // Today's K3/K4 snapshot keeps the customer as this write leaves it (issue #20 defect 3).
  await snapshotCustomersToday(trx, deps, [customerId]);
}

/** The customer, or 404 when unknown, merged away, or outside the actor's scope. */
export async function visibleCustomer(deps: Deps, actor: Actor, id: string): Promise<CustomersTable> {
  let q = deps.db.selectFrom('customers as c').selectAll('c').where('c.id', '=', id).where('c.merged_into_id', 'is', null);
  const scope = customerScope(actor);
  if (scope) q = q.where(scope);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('客户不存在或不在您的数据范围内');
  return row;
}

/** One customer as lists and the screen pop show it; 404 outside the actor's scope. */
export async function customerSummary(deps: Deps, actor: Actor, id: string): Promise<CustomerSummary> {
  const [s] = await summaries(deps, [await visibleCustomer(deps, actor, id)]);
  return s!;
}

async function summaries(deps: Deps, rows: CustomersTable[]) {
  const ids = rows.map((r) => r.id);
  const [phones, links, states, rules] = await Promise.all([phonesOf(deps.db, deps.config.fieldKey, ids), unitLinksOf(deps.db, ids), latestArchiveStates(deps.db, ids), loadArchiveRules(deps.db)]);
  const day = today(deps);
  const now = deps.clock.now().getTime();
  return rows.map((r) => presentSummary(r, phones.filter((p) => p.customer_id === r.id), links.filter((l) => l.customer_id === r.id), states.get(r.id), day, now, rules.value.currencyMonths, deps.config.timeZone));
}

/** Customers in id order with the text the search index holds for them (their name): the backfill's source. */
export const customersToIndex: BackfillSource = async (db, afterId, limit) => {
  let q = db.selectFrom('customers').select(['id', 'name as text']).where('merged_into_id', 'is', null).orderBy('id').limit(limit);
  if (afterId) q = q.where('id', '>', afterId);
  return q.execute();
};

/**
 * Finds customers by what an agent types: a unit address (3栋2单元1501, 观澜府 3-2-1501), a full
 * phone, its last digits, an ID number, pinyin initials, or part of a name.
 */
export async function searchCustomers(deps: Deps, actor: Actor, query: CustomerSearchQuery) {
  const { page, pageSize, offset } = pageOf(query);
  let base = deps.db.selectFrom('customers as c').where('c.merged_into_id', 'is', null);
  const scope = customerScope(actor);
  if (scope) base = base.where(scope);
  if (query.projectId) {
    const pid = query.projectId;
    base = base.where((eb) => eb.or([eb('c.project_id', '=', pid), eb.exists(eb.selectFrom('customer_units as cu2').select('cu2.id').whereRef('cu2.customer_id', '=', 'c.id').where('cu2.project_id', '=', pid))]));
  }
  if (query.kind) base = base.where('c.kind', '=', query.kind);
  if (query.vip !== undefined) base = base.where('c.vip', '=', toFlag(query.vip));
  const q = query.q?.trim();
  if (q) {
    const address = parseUnitAddress(q);
    const digits = q.replace(/[\s-]/g, '');
    const idNumber = normalizeIdNumber(q);
    if (idNumber) {
      base = base.where('c.id_number_hash', '=', idNumberHash(deps, idNumber));
    } else if (/^\+?\d{3,}$/.test(digits) && !address) {
      const e164 = digits.length >= 11 ? toE164(digits) : null;
      if (e164) {
        base = base.where('c.id', 'in', customersWithPhone(deps.db, deps.config.fieldKey, e164));
      } else {
        // Phones are encrypted: a suffix is found through the keyed hash of the last 4 digits,
        // longer ones are then confirmed on the decrypted candidates; 3 digits can't be searched.
        const suffix = digits.replace(/\D/g, '');
        if (suffix.length < 4) {
          throw new AppError(400, 'customer.phone_suffix_too_short', '按电话查找请至少输入号码的后4位', [{ field: 'q', message: '至少输入后4位' }]);
        }
        const ids = await customerIdsByPhoneSuffix(deps.db, deps.config.fieldKey, suffix);
        base = base.where('c.id', 'in', scopeIn(ids));
      }
    } else if (address) {
      let units = deps.db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').innerJoin('projects as p', 'p.id', 'u.project_id')
        .select('u.id').where('b.name', '=', address.building).where('u.room_number', '=', address.room);
      if (address.entrance) units = units.where('u.entrance', '=', address.entrance);
      if (address.project) units = units.where('p.name', 'like', `%${address.project.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      base = base.where('c.id', 'in', deps.db.selectFrom('customer_units').select('customer_id').where('unit_id', 'in', units));
    } else if (/^[a-zA-Z]{1,10}$/.test(q)) {
      const lower = q.toLowerCase();
      base = base.where((eb) => eb.or([eb('c.name_initials', '>=', lower).and('c.name_initials', '<', prefixUpperBound(lower)), nameContains(q)]));
    } else {
      const tokens = queryTokens(q);
      if (tokens && (await indexComplete(deps.db, 'customer'))) {
        base = base.where('c.id', 'in', entitiesWithTokens(deps.db, 'customer', tokens));
        // Pairs prove a 2-character query; longer ones are confirmed on the few candidates.
        if ([...q].length > 2) base = base.where(nameContains(q));
      } else {
        base = base.where(nameContains(q));
      }
    }
  }
  if (query.archive) {
    const rules = (await loadArchiveRules(deps.db)).value;
    const staleBefore = addMonths(deps.clock.now().getTime(), -rules.currencyMonths, deps.config.timeZone);
    const latest = (eb: ExpressionBuilder<DB & { c: CustomersTable }, 'c'>) => eb.selectFrom('customer_archive_states as s').select('s.complete').whereRef('s.customer_id', '=', 'c.id').orderBy('s.at', 'desc').limit(1);
    if (query.archive === 'complete') base = base.where((eb) => eb(latest(eb), '=', 1));
    if (query.archive === 'incomplete') base = base.where((eb) => eb(latest(eb), '=', 0));
    // The later of two values: scalar max() on SQLite, greatest() on PostgreSQL (whose max() is only an aggregate).
    const later = isPostgres(deps.db) ? 'greatest' : 'max';
    if (query.archive === 'stale') base = base.where((eb) => eb(eb.fn(later, [eb.ref('c.updated_at'), eb.fn.coalesce('c.archive_confirmed_at', eb.val(0))]), '<=', staleBefore));
  }
  const [rows, total] = await Promise.all([
    base.selectAll('c').orderBy('c.updated_at', 'desc').orderBy('c.id').limit(pageSize).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await summaries(deps, rows), total: Number(total.n), page, pageSize };
}

/**
 * The hotline screen pop: who is calling from this number, with their current homes. One
 * query joins phones, customers and current unit relations.
 */
export async function lookupCaller(deps: Deps, actor: Actor, rawPhone: string) {
  const phone = toE164(rawPhone);
  if (!phone) throw new AppError(400, 'customer.invalid_phone', `「${rawPhone}」不是有效的电话号码`, [{ field: 'phone', message: '电话号码无效' }]);
  const day = today(deps);
  let q = deps.db
    .selectFrom('customer_phones as ph')
    .innerJoin('customers as c', 'c.id', 'ph.customer_id')
    .leftJoin('customer_units as cu', (j) => j.onRef('cu.customer_id', '=', 'c.id').on('cu.from_date', '<=', day).on((eb) => eb.or([eb('cu.to_date', 'is', null), eb('cu.to_date', '>', day)])))
    .leftJoin('units as u', 'u.id', 'cu.unit_id')
    .leftJoin('buildings as b', 'b.id', 'u.building_id')
    .leftJoin('projects as p', 'p.id', 'cu.project_id')
    .leftJoin('customer_archive_states as s', (j) => j.onRef('s.customer_id', '=', 'c.id').on('s.id', '=', (eb) => eb.selectFrom('customer_archive_states as s2').select((e) => e.fn.max('s2.id').as('m')).whereRef('s2.customer_id', '=', 'c.id')))
    .select([
      'c.id', 'c.kind', 'c.name', 'c.vip', 'c.tags', 'c.updated_at', 'c.archive_confirmed_at', 'ph.phone_masked',
      'cu.unit_id', 'cu.relation', 'p.name as project_name', 'b.name as building_name', 'u.entrance', 'u.room_number', 's.complete', 's.touched_at',
    ])
    .where('ph.phone_hash', '=', phoneHash(deps.config.fieldKey, phone))
    .where('c.merged_into_id', 'is', null);
  const scope = customerScope(actor);
  if (scope) q = q.where(scope as never);
  const rows = await q.orderBy('c.updated_at', 'desc').execute();
  const rules = (await loadArchiveRules(deps.db)).value;
  const now = deps.clock.now().getTime();
  const byId = new Map<string, ReturnType<typeof presentSummary>>();
  for (const r of rows) {
    let s = byId.get(r.id);
    if (!s) {
      const touched = r.touched_at === null ? Math.max(Number(r.updated_at), Number(r.archive_confirmed_at ?? 0)) : Number(r.touched_at);
      s = {
        id: r.id, kind: r.kind as CustomerKind, name: r.name, phone: r.phone_masked ?? maskPhoneSafe(phone), vip: fromFlag(r.vip), tags: JSON.parse(r.tags) as string[], units: [],
        archiveComplete: r.complete === 1, archiveCurrent: isArchiveCurrent(touched, now, rules.currencyMonths, deps.config.timeZone), updatedAt: new Date(Number(r.updated_at)).toISOString(),
      };
      byId.set(r.id, s);
    }
    if (r.unit_id && r.building_name && r.entrance !== null && r.room_number) {
      s.units.push({ unitId: r.unit_id, projectName: r.project_name ?? '', unitLabel: unitLabel(r.building_name, r.entrance, r.room_number), relation: r.relation as never });
    }
  }
  return { phone: maskPhoneSafe(phone), customers: [...byId.values()] };
}

function maskPhoneSafe(phone: string): string {
  const digits = phone.replace(/^\+86/, '');
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** The 360 view of one customer. */
export async function getCustomer(deps: Deps, actor: Actor, id: string) {
  const row = await visibleCustomer(deps, actor, id);
  return presentOne(deps, row);
}

async function presentOne(deps: Deps, row: CustomersTable) {
  const [phones, links, states, rules, confirmer] = await Promise.all([
    phonesOf(deps.db, deps.config.fieldKey, [row.id]), unitLinksOf(deps.db, [row.id]), latestArchiveStates(deps.db, [row.id]), loadArchiveRules(deps.db),
    row.archive_confirmed_by ? deps.db.selectFrom('users').select('display_name').where('id', '=', row.archive_confirmed_by).executeTakeFirst() : undefined,
  ]);
  const shared = await sharedPhoneCounts(deps.db, deps.config.fieldKey, phones.map((p) => p.phone));
  return presentCustomer(row, phones, shared, links, states.get(row.id), today(deps), deps.clock.now().getTime(), rules.value.currencyMonths, confirmer?.display_name ?? null, deps.config.timeZone);
}

async function assertProjectForCustomer(deps: Deps, actor: Actor, projectId: string | null | undefined) {
  if (projectId) {
    const p = await deps.db.selectFrom('projects').select('id').where('id', '=', projectId).executeTakeFirst();
    if (!p) throw badRequest('项目不存在', [{ field: 'projectId', message: '项目不存在' }]);
    if (!projectInScope(actor, projectId)) throw forbidden('该项目不在您的数据范围内');
  } else if (actor.projectIds !== null) {
    throw badRequest('请选择客户所属项目', [{ field: 'projectId', message: '请选择项目' }]);
  }
}

async function writePhones(trx: Kysely<DB>, deps: Deps, customerId: string, phones: ReturnType<typeof normalizePhones>) {
  const now = deps.clock.now().getTime();
  await replacePhones(trx, deps.config.fieldKey, customerId, phones.map((p) => ({ id: deps.ids.next(), phone: p.phone, label: p.label, primary: p.primary, createdAt: now })));
}

/** An audit-safe image of a customer: no phone numbers, no ID number. */
function auditImage(fields: Partial<CustomersTable> & { phones?: unknown }) {
  const { id_number_enc: _e, id_number_hash: _h, phones, ...rest } = fields;
  return { ...rest, ...(phones !== undefined ? { phones: '（已脱敏）' } : {}) };
}

/** The shared name rule (console and portal alike): emoji-only or symbol-only names are refused. */
function assertPersonName(name: string): void {
  const problem = personNameProblem(name);
  if (problem) throw new AppError(400, 'request.invalid', problem, [{ field: 'name', message: problem }]);
}

/** Registers a customer; duplicate phones are allowed (flagged), a duplicate ID number is a 409. */
export async function createCustomer(deps: Deps, actor: Actor, ctx: AuditContext, body: CustomerCreate) {
  assertPersonName(body.name);
  await assertProjectForCustomer(deps, actor, body.projectId);
  const phones = normalizePhones(body.phones);
  const sealed = sealIdNumber(deps, body.idNumber ?? null)!;
  if (sealed.id_number_hash) await assertIdNumberFree(deps, sealed.id_number_hash, null);
  const now = deps.clock.now().getTime();
  const row: CustomersTable = {
    id: deps.ids.next(), kind: body.kind, name: body.name.trim(), name_initials: nameInitials(body.name.trim()), project_id: body.projectId ?? null,
    ...sealed, email: body.email ?? null, wechat_id: body.wechatId ?? null, preferred_channel: body.preferredChannel ?? null, preferred_time: body.preferredTime ?? null,
    address: body.address ?? null, tags: JSON.stringify(body.tags ?? []), vip: toFlag(body.vip ?? false), notes: body.notes ?? null, preferences: body.preferences ?? null,
    archive_confirmed_at: null, archive_confirmed_by: null, merged_into_id: null, version: 1, created_at: now, updated_at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('customers').values(row).execute();
    await insertTokens(trx, 'customer', [{ id: row.id, text: row.name }]);
    await writePhones(trx, deps, row.id, phones);
    await refreshArchiveState(trx, deps, row.id);
    await recordTimeline(trx, deps, ctx, { customerId: row.id, kind: 'customer.created', title: '建立客户档案', projectId: row.project_id });
    await appendAudit(trx, deps, ctx, { action: 'customer.created', entityType: 'customer', entityId: row.id, after: auditImage({ ...row, phones }) });
  });
  return getCustomer(deps, actor, row.id);
}

async function assertIdNumberFree(deps: Deps, hash: string, exceptId: string | null) {
  let q = deps.db.selectFrom('customers').select('id').where('id_number_hash', '=', hash).where('merged_into_id', 'is', null);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const other = await q.executeTakeFirst();
  if (other) throw conflict('resource.conflict', '该身份证号已登记在另一位客户名下，请查找后合并', [{ field: 'idNumber', message: '身份证号已存在' }]);
}

/** Edits a customer with If-Match; the phone list, when given, replaces the old one. */
export async function updateCustomer(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: CustomerUpdate) {
  if (body.name !== undefined) assertPersonName(body.name);
  const before = await visibleCustomer(deps, actor, id);
  if (body.projectId !== undefined && body.projectId !== before.project_id) await assertProjectForCustomer(deps, actor, body.projectId);
  const existingPhones = body.phones ? new Map((await phonesOf(deps.db, deps.config.fieldKey, [id])).map((p) => [p.id, p.phone])) : undefined;
  const phones = body.phones ? normalizePhones(body.phones, existingPhones) : undefined;
  const sealed = sealIdNumber(deps, body.idNumber);
  if (sealed?.id_number_hash) await assertIdNumberFree(deps, sealed.id_number_hash, id);
  const now = deps.clock.now().getTime();
  const patch: Partial<CustomersTable> = {
    ...(body.kind !== undefined ? { kind: body.kind } : {}),
    ...(body.name !== undefined ? { name: body.name.trim(), name_initials: nameInitials(body.name.trim()) } : {}),
    ...(body.projectId !== undefined ? { project_id: body.projectId } : {}),
    ...(sealed ?? {}),
    ...(body.email !== undefined ? { email: body.email } : {}),
    ...(body.wechatId !== undefined ? { wechat_id: body.wechatId } : {}),
    ...(body.preferredChannel !== undefined ? { preferred_channel: body.preferredChannel } : {}),
    ...(body.preferredTime !== undefined ? { preferred_time: body.preferredTime } : {}),
    ...(body.address !== undefined ? { address: body.address } : {}),
    ...(body.tags !== undefined ? { tags: JSON.stringify(body.tags) } : {}),
    ...(body.vip !== undefined ? { vip: toFlag(body.vip) } : {}),
    ...(body.notes !== undefined ? { notes: body.notes } : {}),
    ...(body.preferences !== undefined ? { preferences: body.preferences } : {}),
  };
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'customers', { id, version }, patch, now);
    if (patch.name !== undefined && patch.name !== before.name) await indexText(trx, 'customer', id, patch.name);
    if (phones) await writePhones(trx, deps, id, phones);
    await refreshArchiveState(trx, deps, id);
    // The ID number is stored in three columns (sealed, hash, masked); it is one change.
    const changed = Object.keys({ ...patch, ...(phones ? { phones } : {}) }).filter((k) => k !== 'name_initials' && k !== 'id_number_hash' && k !== 'id_number_masked');
    await recordTimeline(trx, deps, ctx, { customerId: id, kind: 'customer.updated', title: '修改客户档案', body: changed.length ? `修改了 ${changed.length} 项信息` : null, projectId: before.project_id });
    await appendAudit(trx, deps, ctx, { action: 'customer.updated', entityType: 'customer', entityId: id, before: auditImage(before), after: auditImage({ ...patch, ...(phones ? { phones } : {}) }) });
  });
  return getCustomer(deps, actor, id);
}

/** Confirms with the customer that the archive is right: it is current again for N months. */
export async function confirmArchive(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number) {
  const before = await visibleCustomer(deps, actor, id);
  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'customers', { id, version }, { archive_confirmed_at: now, archive_confirmed_by: actor.userId });
    await refreshArchiveState(trx, deps, id);
    await recordTimeline(trx, deps, ctx, { customerId: id, kind: 'customer.archive_confirmed', title: '与客户核实并确认档案', projectId: before.project_id });
    await appendAudit(trx, deps, ctx, { action: 'customer.archive_confirmed', entityType: 'customer', entityId: id });
  });
  return getCustomer(deps, actor, id);
}

async function touchCustomer(trx: Kysely<DB>, deps: Deps, id: string) {
  await trx.updateTable('customers').set((eb) => ({ version: eb('version', '+', 1), updated_at: deps.clock.now().getTime() })).where('id', '=', id).execute();
}

/** Relates a customer to a unit (purchase, co-ownership, tenancy …) with its purchase facts. */
export async function addUnitLink(deps: Deps, actor: Actor, ctx: AuditContext, customerId: string, body: CustomerUnitCreate) {
  await visibleCustomer(deps, actor, customerId);
  const unit = await deps.db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').select(['u.id', 'u.project_id', 'b.name', 'u.entrance', 'u.room_number'])
    .where('u.id', '=', body.unitId).executeTakeFirst();
  if (!unit || !projectInScope(actor, unit.project_id)) throw new AppError(400, 'customer.unit_invalid', '房屋不存在或不在您的数据范围内', [{ field: 'unitId', message: '房屋无效' }]);
  const fromDate = body.fromDate ?? today(deps);
  const existing = await deps.db.selectFrom('customer_units').select(['id', 'to_date']).where('customer_id', '=', customerId).where('unit_id', '=', body.unitId).execute();
  if (existing.some((e) => e.to_date === null || e.to_date > fromDate)) {
    throw conflict('resource.conflict', '该客户与此房屋已有有效关系', [{ field: 'unitId', message: '关系已存在' }]);
  }
  const now = deps.clock.now().getTime();
  const row = {
    id: deps.ids.next(), customer_id: customerId, unit_id: unit.id, project_id: unit.project_id, relation: body.relation, share: body.share ?? null, from_date: fromDate, to_date: null,
    contract_no: body.contractNo ?? null, contract_date: body.contractDate ?? null, contracted_handover_date: body.contractedHandoverDate ?? null,
    actual_handover_date: body.actualHandoverDate ?? null, warranty_start_date: body.warrantyStartDate ?? null, version: 1, created_at: now, updated_at: now,
  };
  const label = unitLabel(unit.name, unit.entrance, unit.room_number);
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('customer_units').values(row).execute();
    await touchCustomer(trx, deps, customerId);
    await refreshArchiveState(trx, deps, customerId);
    await recordTimeline(trx, deps, ctx, { customerId, kind: 'customer.unit_added', title: `关联房屋 ${label}`, projectId: unit.project_id, refType: 'unit', refId: unit.id });
    await appendAudit(trx, deps, ctx, { action: 'customer_unit.added', entityType: 'customer_unit', entityId: row.id, after: row });
  });
  return getCustomer(deps, actor, customerId);
}

/** Edits a relation's facts, or ends it (`toDate`: the unit was sold or the lease ended). */
export async function updateUnitLink(deps: Deps, actor: Actor, ctx: AuditContext, customerId: string, linkId: string, version: number, body: CustomerUnitUpdate) {
  await visibleCustomer(deps, actor, customerId);
  const before = await deps.db.selectFrom('customer_units').selectAll().where('id', '=', linkId).where('customer_id', '=', customerId).executeTakeFirst();
  if (!before || !projectInScope(actor, before.project_id)) throw notFound('房屋关系不存在');
  const fromDate = body.fromDate ?? before.from_date;
  const toDate = body.toDate !== undefined ? body.toDate : before.to_date;
  if (toDate !== null && toDate < fromDate) throw badRequest('结束日期不能早于开始日期', [{ field: 'toDate', message: '结束日期不能早于开始日期' }]);
  // A correction of a past date is the only edit that rewrites the past periods' snapshots.
  const correction = body.correction === true;
  const patch = {
    ...(body.relation !== undefined ? { relation: body.relation } : {}),
    ...(body.share !== undefined ? { share: body.share } : {}),
    ...(body.fromDate !== undefined ? { from_date: body.fromDate } : {}),
    ...(body.toDate !== undefined ? { to_date: body.toDate } : {}),
    ...(body.contractNo !== undefined ? { contract_no: body.contractNo } : {}),
    ...(body.contractDate !== undefined ? { contract_date: body.contractDate } : {}),
    ...(body.contractedHandoverDate !== undefined ? { contracted_handover_date: body.contractedHandoverDate } : {}),
    ...(body.actualHandoverDate !== undefined ? { actual_handover_date: body.actualHandoverDate } : {}),
    ...(body.warrantyStartDate !== undefined ? { warranty_start_date: body.warrantyStartDate } : {}),
  };
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'customer_units', { id: linkId, version }, patch, deps.clock.now().getTime());
    await touchCustomer(trx, deps, customerId);
    await refreshArchiveState(trx, deps, customerId);
    const ended = body.toDate && !before.to_date;
    let corrected = 0;
    if (correction) {
      const dates = [before.from_date, fromDate, before.to_date, toDate].filter((d): d is string => d !== null);
      corrected = await correctSnapshots(trx, deps, [customerId], dates.sort()[0]!);
    }
    await recordTimeline(trx, deps, ctx, {
      customerId, kind: ended ? 'customer.unit_ended' : 'customer.unit_updated', title: `${ended ? `房屋关系于 ${body.toDate} 结束` : '修改房屋关系'}${correction ? '（更正历史）' : ''}`,
      projectId: before.project_id, refType: 'unit', refId: before.unit_id,
    });
    await appendAudit(trx, deps, ctx, { action: correction ? 'customer_unit.corrected' : ended ? 'customer_unit.ended' : 'customer_unit.updated', entityType: 'customer_unit', entityId: linkId, before, after: { ...patch, ...(correction ? { correctedDays: corrected } : {}) } });
  });
  return getCustomer(deps, actor, customerId);
}

/**
 * Shows personal data in clear to a role allowed by the privacy settings, for a stated reason.
 * Every reveal is audited (never with the value); passing the daily quota alerts managers.
 */
export async function revealCustomer(deps: Deps, actor: Actor, ctx: AuditContext, id: string, field: RevealField, reason: string) {
  const privacy = (await loadPrivacy(deps.db)).value;
  const roles = field === 'phones' ? privacy.phoneRevealRoles : privacy.idNumberRevealRoles;
  if (!actor.roles.some((r) => roles.includes(r))) throw new AppError(403, 'customer.reveal_forbidden', field === 'phones' ? '您的角色不能查看完整电话号码' : '您的角色不能查看完整身份证号');
  const row = await visibleCustomer(deps, actor, id);
  const dayStart = zonedDayStart(today(deps), deps.config.timeZone);
  let countToday = 0;
  await deps.db.transaction().execute(async (trx) => {
    await appendAudit(trx, deps, ctx, { action: 'customer.revealed', entityType: 'customer', entityId: id, after: { field, reason: reason.trim() } });
    const n = await trx.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'customer.revealed').where('actor_id', '=', actor.userId).where('at', '>=', dayStart).executeTakeFirstOrThrow();
    countToday = Number(n.n);
    if (countToday > privacy.dailyRevealQuota) await alertRevealQuota(trx, deps, actor, privacy.dailyRevealQuota);
  });
  if (field === 'phones') {
    const phones = await phonesOf(deps.db, deps.config.fieldKey, [id]);
    return { field, phones: phones.map((p) => ({ id: p.id, phone: p.phone })) };
  }
  return { field, idNumber: row.id_number_enc ? decryptField(deps.config.fieldKey, row.id_number_enc) : null };
}

/**
 * Tells the managers responsible for the actor's projects (in-app, through the outbox) that
 * the daily reveal quota was passed; once per actor, manager and day.
 */
async function alertRevealQuota(trx: Kysely<DB>, deps: Deps, actor: Actor, quota: number) {
  let q = trx.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select('u.id').where('r.role', '=', 'manager').where('u.active', '=', 1);
  if (actor.projectIds !== null) {
    const pids = scopeIn(actor.projectIds);
    const cities = trx.selectFrom('projects').select('city_company_id').where('id', 'in', pids);
    q = q.where((eb) => eb.or([
      eb('u.scope_kind', '=', 'group'),
      eb.exists(eb.selectFrom('user_scopes as s').select('s.scope_id').whereRef('s.user_id', '=', 'u.id').where((e) => e.or([e('s.scope_id', 'in', pids), e('s.scope_id', 'in', cities)]))),
    ]));
  }
  const day = today(deps);
  for (const m of await q.execute()) {
    await enqueueMessage(trx, deps, {
      channel: 'in_app', recipient: m.id, subject: '个人信息查看次数超限',
      body: `${actor.displayName}（${actor.username}）今日查看客户个人信息已超过 ${quota} 次，请核实是否必要。`,
      link: `/audit?action=customer.revealed&actorId=${actor.userId}`, idempotencyKey: `reveal-quota:${actor.userId}:${day}:${m.id}`,
    });
  }
}

/**
 * Merges a duplicate (source) into the kept customer (target): phones, unit relations,
 * timeline and every table in CUSTOMER_REFERENCES move over; the source stays as a pointer.
 */
export async function mergeCustomers(deps: Deps, actor: Actor, ctx: AuditContext, targetId: string, sourceId: string) {
  const target = await visibleCustomer(deps, actor, targetId);
  if (targetId === sourceId) throw new AppError(400, 'customer.merge_invalid', '不能与自己合并');
  const source = await visibleCustomer(deps, actor, sourceId);
  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    const targetPhones = new Set((await phonesOf(trx, deps.config.fieldKey, [targetId])).map((p) => p.phone));
    const sourcePhones = await phonesOf(trx, deps.config.fieldKey, [sourceId]);
    for (const p of sourcePhones) {
      if (targetPhones.has(p.phone)) await deletePhone(trx, p.id);
      else await movePhone(trx, p.id, targetId);
    }
    for (const ref of CUSTOMER_REFERENCES) {
      await trx.updateTable(ref.table as 'customer_units').set({ [ref.column]: targetId } as never).where(ref.column as 'customer_id', '=', sourceId).execute();
    }
    const fill: Partial<CustomersTable> = {};
    for (const k of ['id_number_enc', 'id_number_hash', 'id_number_masked', 'email', 'wechat_id', 'preferred_channel', 'preferred_time', 'address', 'notes', 'preferences', 'project_id'] as const) {
      if (target[k] === null && source[k] !== null) (fill as Record<string, unknown>)[k] = source[k];
    }
    const tags = [...new Set([...(JSON.parse(target.tags) as string[]), ...(JSON.parse(source.tags) as string[])])];
    await trx.updateTable('customers').set({ ...fill, tags: JSON.stringify(tags), vip: toFlag(fromFlag(target.vip) || fromFlag(source.vip)), version: target.version + 1, updated_at: now })
      .where('id', '=', targetId).execute();
    await trx.updateTable('customers').set({ merged_into_id: targetId, id_number_hash: null, version: source.version + 1, updated_at: now }).where('id', '=', sourceId).execute();
    await unindex(trx, 'customer', sourceId);
    await refreshArchiveState(trx, deps, targetId);
    await recordTimeline(trx, deps, ctx, { customerId: targetId, kind: 'customer.merged', title: `合并重复客户「${source.name}」`, refType: 'customer', refId: sourceId, projectId: target.project_id });
    await appendAudit(trx, deps, ctx, { action: 'customer.merged', entityType: 'customer', entityId: targetId, before: { source: auditImage(source), target: auditImage(target) }, after: { mergedFrom: sourceId } });
  });
  return getCustomer(deps, actor, targetId);
}

export type { ArchiveField };

/** Each customer's archive state as of `at` (K4 reads it through this module's service, never its repo). */
export { latestArchiveStates } from './customers.repo.js';
