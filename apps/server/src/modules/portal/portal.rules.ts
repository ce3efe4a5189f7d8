import { PORTAL_DESCRIPTION_MAX, type PortalStage, type TicketStatus, type UnitRelation } from '@qiaoliang/shared';

/** One-time sign-in codes: 6 digits, 5 minutes, 5 tries, a new one after 60 s. */
export const PORTAL_CODE = {
  digits: 6,
  ttlMs: 5 * 60_000,
  maxTries: 5,
  resendAfterMs: 60_000,
  /** Codes per number and per client address within `windowMs`. */
  perPhone: 5,
  perIp: 30,
  windowMs: 60 * 60_000,
  /** Free wrong codes per address before the login throttle delays it (shared with staff login). */
  ipFreeFailures: 20,
} as const;


/** What a relation to a unit allows in the portal (per issue 12: a co-owner sees the shared unit only). */
export interface RelationRights {
  /** See the unit's handover and warranty dates. */
  seeUnitDetails: boolean;
  /** Report matters for the unit. */
  report: boolean;
}

export function relationRights(relation: UnitRelation | string): RelationRights {
  switch (relation) {
    case 'owner':
    case 'co_owner':
    case 'prospective_owner':
      return { seeUnitDetails: true, report: true };
    case 'family':
    case 'tenant':
      return { seeUnitDetails: false, report: true };
    default:
      return { seeUnitDetails: false, report: false };
  }
}

/** The owner-language stage of a ticket (已受理 → 处理中 → 已答复 → 已解决 → 待评价 → 已完成). */
export function ownerStage(status: TicketStatus | string, opts: { rated: boolean; callbackOpen: boolean; replied?: boolean }): PortalStage {
  switch (status) {
    case 'registered':
      return opts.replied ? 'replied' : 'accepted';
    case 'dispatched':
    case 'in_progress':
    case 'result_returned':
    case 'waiting_customer':
      return opts.replied ? 'replied' : 'in_progress';
    case 'reopened':
      return 'in_progress';
    case 'replied':
      return 'replied';
    case 'resolved':
      return opts.rated ? 'resolved' : opts.callbackOpen ? 'to_rate' : 'resolved';
    case 'closed':
    case 'merged':
      return 'done';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'in_progress';
  }
}

export const STAGE_LABELS: Record<PortalStage, string> = {
  accepted: '已受理', in_progress: '处理中', replied: '已答复', resolved: '已解决', to_rate: '待评价', done: '已完成', cancelled: '已取消',
};

/** Letters, digits or Han characters: a description made only of emoji or punctuation says nothing. */
const MEANINGFUL = /[\p{L}\p{N}]/u;

/** Why a description is refused, or null. Length counts characters as a person sees them (code points). */
export function descriptionProblem(text: string): string | null {
  const t = text.trim();
  const length = [...t].length;
  if (length < 5) return '请至少用 5 个字描述问题';
  if (length > PORTAL_DESCRIPTION_MAX) return `问题描述最多 ${PORTAL_DESCRIPTION_MAX} 字（现为 ${length} 字）`;
  if (!MEANINGFUL.test(t)) return '请用文字描述问题（不能只有表情或符号）';
  return null;
}

/** Round robin: the agent after the last one given a ticket, in a stable order; the first when none or gone. */
export function nextAgent(agentIds: readonly string[], lastId: string | null): string | null {
  if (!agentIds.length) return null;
  const sorted = [...agentIds].sort();
  const i = lastId ? sorted.indexOf(lastId) : -1;
  if (i < 0) {
    // The last one left the rotation: continue with the next id after theirs.
    const after = lastId ? sorted.find((id) => id > lastId) : undefined;
    return after ?? sorted[0]!;
  }
  return sorted[(i + 1) % sorted.length]!;
}

/** A name as the portal shows it back: the family name and stars (张**). */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('') || '业主';
  return chars[0] + '*'.repeat(Math.min(chars.length - 1, 3));
}
