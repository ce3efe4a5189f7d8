import type { SlaTarget, SlaUnit } from '@qiaoliang/shared';
import { addWorkingDays, type WorkCalendar } from '../calendar/calendar.rules.js';

/** One target of a policy: e.g. resolve within 24 calendar hours, or reply within 3 working days. */
export interface SlaTargetSpec {
  value: number;
  unit: SlaUnit;
}

/** A versioned SLA policy for one ticket type and severity. */
export interface SlaPolicySpec {
  firstResponse: SlaTargetSpec | null;
  reply: SlaTargetSpec | null;
  resolution: SlaTargetSpec | null;
  /** Warn when this share of the time has passed (default 0.8). */
  warnAt: number;
  /**
   * Escalation after a breach, as shares of the target's duration past the deadline: level 1
   * (supervisor) at the first, level 2 (manager) at the second, level 3 (general manager).
   */
  escalateAfter: [number, number, number];
}

const HOUR = 3_600_000;

/** The instant a target falls due, before any pause. */
export function baseDueAt(registeredAt: number, target: SlaTargetSpec, cal: WorkCalendar): number {
  // Instants are whole milliseconds in bigint columns; a fractional hour setting must not break that.
  return target.unit === 'calendar_hours' ? registeredAt + Math.round(target.value * HOUR) : addWorkingDays(cal, registeredAt, Math.ceil(target.value));
}

/** The due instant with time spent waiting on the customer added (mission K1). */
export function dueAt(registeredAt: number, target: SlaTargetSpec, cal: WorkCalendar, pausedMs: number): number {
  return baseDueAt(registeredAt, target, cal) + pausedMs;
}

/**
 * A deadline as known at an instant: while the ticket waits on the customer (since `pausedAt`),
 * the time waited so far is added, so waiting never makes it late (mission K1). Resuming adds the
 * whole wait to the stored deadline, which is the same instant.
 */
export function dueWhileWaiting(due: number, pausedAt: number | null, now: number): number {
  return pausedAt === null ? due : due + Math.max(0, now - pausedAt);
}

/** Overdue at an instant: the deadline as known then has passed (a waiting ticket only if it was late when it began waiting). */
export function isOverdueAt(due: number, pausedAt: number | null, now: number): boolean {
  return dueWhileWaiting(due, pausedAt, now) < now;
}

/** When to warn that a target is close: `warnAt` of the way from registration to the deadline. */
export function warnAtInstant(registeredAt: number, due: number, share: number): number {
  return registeredAt + Math.floor((due - registeredAt) * share);
}

/** The instants of the escalation ladder after a breach (levels 1, 2, 3). */
export function escalationInstants(registeredAt: number, due: number, steps: readonly number[]): number[] {
  const span = due - registeredAt;
  return steps.map((s) => due + Math.floor(span * s));
}

/** The escalation level a ticket should have reached at an instant (0 = none). */
export function escalationLevelAt(registeredAt: number, due: number, steps: readonly number[], now: number): number {
  return escalationInstants(registeredAt, due, steps).filter((t) => t <= now).length;
}

/**
 * The defaults of mission.md and the issue: routine complaints resolved within 24 hours, major
 * complaints replied within 3 days (72 h), urgent repairs responded within 2 hours. The other
 * targets are reasonable starting points an admin adjusts.
 */
export function defaultPolicy(type: string, severity: string): SlaPolicySpec {
  const base: SlaPolicySpec = { firstResponse: null, reply: null, resolution: null, warnAt: 0.8, escalateAfter: [0, 0.5, 1] };
  if (type === 'complaint' && severity === 'major') return { ...base, reply: { value: 72, unit: 'calendar_hours' }, resolution: { value: 10, unit: 'working_days' } };
  if (type === 'complaint') return { ...base, resolution: { value: 24, unit: 'calendar_hours' } };
  if (type === 'repair' && severity === 'urgent') return { ...base, firstResponse: { value: 2, unit: 'calendar_hours' }, resolution: { value: 24, unit: 'calendar_hours' } };
  if (type === 'repair') return { ...base, resolution: { value: 3, unit: 'working_days' } };
  if (type === 'inquiry') return { ...base, resolution: { value: 1, unit: 'working_days' } };
  return { ...base, resolution: { value: 5, unit: 'working_days' } };
}

/** The target K1 judges: a major complaint by its reply, every other complaint by its resolution. */
export function k1Target(severity: string): SlaTarget {
  return severity === 'major' ? 'reply' : 'resolution';
}
