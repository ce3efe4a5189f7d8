/**
 * The four service KPIs of mission.md, as pure functions over plain records. Services load the
 * records (scoped, for a period) and these decide what counts.
 */

import { isSatisfied, K3_ANNUAL_TARGET } from '@qiaoliang/shared';
import { dueWhileWaiting } from '../tickets/sla.rules.js';

export { isSatisfied, K3_ANNUAL_TARGET };

// ---------- K1 timeliness ----------

/** What K1 needs to know about one complaint. */
export interface K1Complaint {
  id: string;
  severity: string;
  status: string;
  /** The deadline K1 judges: reply due for major, resolution due for the others (pauses included). */
  dueAt: number;
  /** For major complaints: the first substantive reply to the customer. */
  firstRepliedAt: number | null;
  /** The last resolution (a reopened complaint is judged by its last resolution). */
  resolvedAt: number | null;
  /** While waiting on the customer: since when (the deadline keeps moving until it resumes). */
  waitingSince?: number | null | undefined;
}

export type K1Verdict = 'on_time' | 'late' | 'not_due';

/**
 * The instant a complaint's K1 target was met: a major complaint's first substantive reply, any
 * other complaint's last resolution. A reopened complaint keeps its last resolution until it is
 * resolved again (mission K1: a reopening alone does not turn an on-time complaint late).
 */
export function k1MetAt(c: Pick<K1Complaint, 'severity' | 'firstRepliedAt' | 'resolvedAt'>): number | null {
  return c.severity === 'major' ? c.firstRepliedAt : c.resolvedAt;
}

/**
 * A complaint's K1 deadline as known at an instant: time waiting on the customer extends it also
 * while the complaint still waits, so a waiting complaint is never late for the time it waited.
 */
export function k1DueAt(c: Pick<K1Complaint, 'dueAt' | 'waitingSince'>, now: number): number {
  return dueWhileWaiting(c.dueAt, c.waitingSince ?? null, now);
}

/**
 * Judges one complaint at an instant: on time when its target was met by the deadline; late
 * when met after it, or not met and the deadline has passed; not yet due otherwise.
 */
export function k1Verdict(c: K1Complaint, now: number): K1Verdict {
  const met = k1MetAt(c);
  const due = k1DueAt(c, now);
  if (met !== null) return met <= due ? 'on_time' : 'late';
  return due <= now ? 'late' : 'not_due';
}

/** Complaints that count for K1: every complaint except cancelled ones and duplicates merged away. */
export const countsForK1 = (status: string): boolean => status !== 'cancelled' && status !== 'merged';

/**
 * K1 over the complaints whose deadline fell in [from, to) and has passed by `now`:
 * on-time complaints / those complaints.
 */
export function timeliness(complaints: readonly K1Complaint[], from: number, to: number, now: number) {
  const inPeriod = complaints.filter((c) => countsForK1(c.status) && k1DueAt(c, now) >= from && k1DueAt(c, now) < to);
  const judged = inPeriod.map((c) => ({ c, v: k1Verdict(c, now) })).filter((x) => x.v !== 'not_due');
  const onTime = judged.filter((x) => x.v === 'on_time').map((x) => x.c.id);
  return {
    numerator: onTime.length,
    denominator: judged.length,
    rate: judged.length ? onTime.length / judged.length : null,
    onTime,
    late: judged.filter((x) => x.v === 'late').map((x) => x.c.id),
    notDue: inPeriod.filter((c) => k1Verdict(c, now) === 'not_due').map((c) => c.id),
  };
}

// ---------- K2 satisfaction ----------

/** What K2 needs to know about one complaint. */
export interface K2Complaint {
  id: string;
  status: string;
  valid: boolean;
  /** The latest completed rating (callback, portal …): its instant and 1–5 satisfaction. */
  latestRating: { at: number; satisfaction: number } | null;
  /** The latest callback ended as unreachable (after the allowed attempts). */
  unreachableAt: number | null;
}

/**
 * K2 = valid complaints whose latest completed rating is satisfied / valid complaints whose
 * latest completed rating fell in [from, to). Unreachable customers are counted beside, not in.
 */
export function satisfaction(complaints: readonly K2Complaint[], from: number, to: number) {
  const valid = complaints.filter((c) => c.valid && countsForK1(c.status));
  const rated = valid.filter((c) => c.latestRating && c.latestRating.at >= from && c.latestRating.at < to);
  const satisfied = rated.filter((c) => isSatisfied(c.latestRating!.satisfaction));
  const unreachable = valid.filter((c) => !c.latestRating && c.unreachableAt !== null && c.unreachableAt >= from && c.unreachableAt < to);
  return {
    numerator: satisfied.length,
    denominator: rated.length,
    rate: rated.length ? satisfied.length / rated.length : null,
    satisfied: satisfied.map((c) => c.id),
    dissatisfied: rated.filter((c) => !isSatisfied(c.latestRating!.satisfaction)).map((c) => c.id),
    unreachable: unreachable.map((c) => c.id),
  };
}

// ---------- K3 visit coverage ----------

/** The target for a period: the annual target pro rata by days (a full calendar year gets 120%). */
export function visitTarget(fromDate: string, toDateInclusive: string): number {
  const days = Math.round((Date.parse(`${toDateInclusive}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / 86_400_000) + 1;
  const year = Number(fromDate.slice(0, 4));
  const daysInYear = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
  return days >= daysInYear ? K3_ANNUAL_TARGET : (K3_ANNUAL_TARGET * days) / daysInYear;
}

/**
 * K3 = completed visits in [from, to) to customers in scope / customers in scope. A contact
 * is one visit record however many kinds it was (callback and event contact at once).
 */
export function visitCoverage(visits: readonly { id: string; customerId: string; at: number }[], inScope: ReadonlySet<string>, from: number, to: number) {
  const counted = visits.filter((v) => v.at >= from && v.at < to && inScope.has(v.customerId));
  return { numerator: counted.length, denominator: inScope.size, rate: inScope.size ? counted.length / inScope.size : null, visits: counted.map((v) => v.id) };
}

/**
 * Beside K3, never in it: the visit attempts in [from, to) that did not reach a customer in scope
 * (not at home, refused, wrong number, no answer), as unreachable callbacks are beside K2.
 */
export function unsuccessfulVisits(attempts: readonly { id: string; customerId: string; at: number }[], inScope: ReadonlySet<string>, from: number, to: number): string[] {
  return attempts.filter((a) => a.at >= from && a.at < to && inScope.has(a.customerId)).map((a) => a.id);
}

// ---------- K4 archive rate ----------

/** K4 for one population: complete and current archives over customers in scope. */
export function archiveRate(states: { complete: boolean; current: boolean }[]): { numerator: number; denominator: number; rate: number | null } {
  const numerator = states.filter((s) => s.complete && s.current).length;
  const denominator = states.length;
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}
