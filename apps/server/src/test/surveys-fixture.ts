import type { SurveyQuestion } from '@qiaoliang/shared';
import type { DB } from '../db/schema.js';
import { sealPhone } from '../modules/customers/customer-phones.repo.js';
import type { TestApp } from './app.js';
import { insertTokens } from '../platform/search.js';

/** A four-question questionnaire: one of each kind. */
export const SURVEY_QUESTIONS: SurveyQuestion[] = [
  { id: 'q1', kind: 'single', text: '您对物业服务总体满意吗？', options: ['满意', '一般', '不满意'], required: true },
  { id: 'q2', kind: 'multiple', text: '您最关注哪些方面？', options: ['安保', '保洁', '绿化', '维修'], required: false },
  { id: 'q3', kind: 'scale', text: '请为社区环境打分', scaleMax: 5, required: true, scaleMinLabel: '很差', scaleMaxLabel: '很好' },
  { id: 'q4', kind: 'text', text: '其他意见和建议', required: false },
];

export interface SurveyPeople {
  building2: string;
  /** In every segment of project A: the world's owner (building 1, mobile, no handover date). */
  c1: string;
  /** Owner, building 2, handed over 2025-06-01, mobile. */
  c2: string;
  /** Co-owner of c2's unit, handed over 2025-06-01, landline only (no SMS). */
  c3: string;
  /** Prospective owner, building 2, not handed over, mobile. */
  c4: string;
  /** Sold the unit on 2026-01-01: not in any segment. */
  sold: string;
  /** Tenant: not in any segment. */
  tenant: string;
  /** Merged into another customer: not in any segment. */
  merged: string;
  phones: Record<'c1' | 'c2' | 'c4', string>;
}

/**
 * Customers of project A for segment tests, inserted directly (no HTTP): besides the world's
 * owner, a second building with an owner, a co-owner, a prospective owner, and three people
 * who must never be invited (a seller, a tenant, a merged duplicate).
 */
export async function seedSurveyPeople(t: TestApp): Promise<SurveyPeople> {
  const db = t.deps.db;
  const now = t.clock.now().getTime();
  const s = { version: 1, created_at: now, updated_at: now };
  const id = () => t.deps.ids.next();
  const building2 = id();
  await db.insertInto('buildings').values({ id: building2, project_id: t.world.projectA, name: '2', floors: 18, ...s }).execute();
  const units = [id(), id(), id(), id()];
  await db.insertInto('units').values(units.map((u, i) => ({
    id: u, project_id: t.world.projectA, building_id: building2, entrance: '1', floor: 10 + i, room_number: `${10 + i}01`, area: 100, layout: '三室两厅', ...s,
  }))).execute();
  const person = async (name: string, kind: string, phone: string | null, link: { unit: string; relation: string; handover?: string | null; toDate?: string | null }, mergedInto: string | null = null) => {
    const cid = id();
    await db.insertInto('customers').values({
      id: cid, kind, name, name_initials: '', project_id: t.world.projectA, id_number_enc: null, id_number_hash: null, id_number_masked: null, email: null, wechat_id: null,
      preferred_channel: null, preferred_time: null, address: null, tags: '[]', vip: 0, notes: null, preferences: null, archive_confirmed_at: null,
      archive_confirmed_by: null, merged_into_id: mergedInto, ...s,
    }).execute();
    await insertTokens(db, 'customer', [{ id: cid, text: name }]);
    if (phone) await db.insertInto('customer_phones').values({ id: id(), customer_id: cid, ...sealPhone(t.deps.config.fieldKey, phone), label: null, is_primary: 1, created_at: now }).execute();
    const row: DB['customer_units'] = {
      id: id(), customer_id: cid, unit_id: link.unit, project_id: t.world.projectA, relation: link.relation, share: null, from_date: '2024-05-01', to_date: link.toDate ?? null,
      contract_no: null, contract_date: null, contracted_handover_date: null, actual_handover_date: link.handover ?? null, warranty_start_date: null, ...s,
    };
    await db.insertInto('customer_units').values(row).execute();
    return cid;
  };
  const phones = { c1: '+8613900000001', c2: '+8613911112222', c4: '+8615833334444' };
  const c2 = await person('王业主', 'owner', phones.c2, { unit: units[0]!, relation: 'owner', handover: '2025-06-01' });
  const c3 = await person('李共有', 'co_owner', '+862088886666', { unit: units[0]!, relation: 'co_owner', handover: '2025-06-01' });
  const c4 = await person('赵准业主', 'prospective_owner', phones.c4, { unit: units[1]!, relation: 'prospective_owner' });
  const sold = await person('钱已售', 'owner', '+8613955556666', { unit: units[2]!, relation: 'owner', handover: '2025-03-01', toDate: '2026-01-01' });
  const tenant = await person('孙租户', 'tenant', '+8613977778888', { unit: units[3]!, relation: 'tenant' });
  const merged = await person('周重复', 'owner', '+8613966667777', { unit: units[3]!, relation: 'owner', handover: '2026-03-01' }, c2);
  return { building2, c1: t.world.customerA, c2, c3, c4, sold, tenant, merged, phones };
}

/**
 * A survey inserted directly: a draft, or a sent/closed one with an invitation for the
 * project's world customer. Returns its id and that invitation's token.
 */
export async function insertSurvey(t: TestApp, projectId: string, status: 'draft' | 'sent' | 'closed'): Promise<{ id: string; token: string | null }> {
  const db = t.deps.db;
  const now = t.clock.now().getTime();
  const id = t.deps.ids.next();
  const sent = status !== 'draft';
  await db.insertInto('surveys').values({
    id, project_id: projectId, title: '年度满意度调查', intro: null, questions: JSON.stringify(SURVEY_QUESTIONS), segment: '{}', status,
    channel: sent ? 'sms' : null, sent_at: sent ? now : null, closed_at: status === 'closed' ? now : null, invitation_count: sent ? 1 : 0, response_count: 0,
    created_by: t.world.users.root!, version: 1, created_at: now, updated_at: now,
  }).execute();
  if (!sent) return { id, token: null };
  const customerId = projectId === t.world.projectB ? t.world.customerB : t.world.customerA;
  const token = `tok${id.replace(/-/g, '')}`;
  await db.insertInto('survey_invitations').values({ id: t.deps.ids.next(), survey_id: id, customer_id: customerId, token, channel: 'sms', sent_at: now, responded_at: null }).execute();
  return { id, token };
}
