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
}

export type K1Verdict = 'on_time' | 'late' | 'not_due';

/**
 * Judges one complaint at an instant: on time when its target was met by the deadline; late
 * when met after it, or not met and the deadline has passed; not yet due otherwise.
 */
export function k1Verdict(c: K1Complaint, now: number): K1Verdict {
  const met = c.severity === 'major' ? c.firstRepliedAt : c.status === 'reopened' ? null : c.resolvedAt;
  if (met !== null) return met <= c.dueAt ? 'on_time' : 'late';
  return c.dueAt <= now ? 'late' : 'not_due';
}

/** Complaints that count for K1: every complaint except cancelled ones and duplicates merged away. */
export const countsForK1 = (status: string): boolean => status !== 'cancelled' && status !== 'merged';

/**
 * K1 over the complaints whose deadline fell in [from, to) and has passed by `now`:
 * on-time complaints / those complaints.
 */
export function timeliness(complaints: readonly K1Complaint[], from: number, to: number, now: number) {
  const inPeriod = complaints.filter((c) => countsForK1(c.status) && c.dueAt >= from && c.dueAt < to);
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
