import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, type WorkCalendar } from '../calendar/calendar.rules.js';
import { officialDays } from '../calendar/official.js';
import { baseDueAt, defaultPolicy, dueAt, escalationInstants, escalationLevelAt, k1Target, warnAtInstant } from './sla.rules.js';

const TZ = 'Asia/Shanghai';
const cal: WorkCalendar = { timeZone: TZ, overrides: new Map(officialDays().map((d) => [d.date, d.working])) };
/** An instant given as Beijing wall time. */
const bj = (s: string) => Date.parse(`${s}+08:00`);
const show = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('working days (official 2026 calendar)', () => {
  it('knows holidays and adjusted working weekends', () => {
    expect(isWorkingDay(cal, '2026-01-01')).toBe(false); // New Year
    expect(isWorkingDay(cal, '2026-01-04')).toBe(true); // Sunday worked for New Year
    expect(isWorkingDay(cal, '2026-02-14')).toBe(true); // Saturday worked for Spring Festival
    expect(isWorkingDay(cal, '2026-02-17')).toBe(false); // Spring Festival
    expect(isWorkingDay(cal, '2026-10-01')).toBe(false); // National Day
    expect(isWorkingDay(cal, '2026-10-10')).toBe(true); // Saturday worked for National Day
    expect(isWorkingDay(cal, '2026-11-28')).toBe(false); // an ordinary Saturday
  });

  it('Friday 10:00 + 1 working day is Monday 10:00', () => {
    expect(show(addWorkingDays(cal, bj('2026-11-27T10:00'), 1))).toBe('2026-11-30 10:00');
  });

  it('a Saturday registration + 1 working day ends with Monday', () => {
    expect(show(addWorkingDays(cal, bj('2026-11-28T15:30'), 1))).toBe('2026-12-01 00:00');
  });

  it('crosses the year boundary and the New Year holiday', () => {
    // Wed 31 Dec 2025 + 1 → Jan 1–3 are holidays, Sun 4 Jan is a working day.
    expect(show(addWorkingDays(cal, bj('2025-12-31T09:00'), 1))).toBe('2026-01-04 09:00');
    expect(show(addWorkingDays(cal, bj('2025-12-31T09:00'), 2))).toBe('2026-01-05 09:00');
  });

  it('jumps the Spring Festival and counts the adjusted Saturdays', () => {
    // Fri 13 Feb + 1 → Sat 14 Feb is a working day.
    expect(show(addWorkingDays(cal, bj('2026-02-13T16:00'), 1))).toBe('2026-02-14 16:00');
    // Sat 14 Feb (working) + 1 → 15–23 Feb off → Tue 24 Feb.
    expect(show(addWorkingDays(cal, bj('2026-02-14T16:00'), 1))).toBe('2026-02-24 16:00');
    // Registered during the holiday: counts from the first working day, ends with it.
    expect(show(addWorkingDays(cal, bj('2026-02-18T11:00'), 1))).toBe('2026-02-25 00:00');
    // Fri 27 Feb + 1 → Sat 28 Feb is a working day.
    expect(show(addWorkingDays(cal, bj('2026-02-27T09:00'), 1))).toBe('2026-02-28 09:00');
  });

  it('spans National Day: 3 working days from Tue 29 Sep', () => {
    // 30 Sep, then 1–7 Oct off, 8 Oct (Thu), 9 Oct (Fri).
    expect(show(addWorkingDays(cal, bj('2026-09-29T14:00'), 3))).toBe('2026-10-09 14:00');
    // … and the deadline that crosses the 调休 Saturday 10 Oct.
    expect(show(addWorkingDays(cal, bj('2026-10-09T14:00'), 1))).toBe('2026-10-10 14:00');
    expect(show(addWorkingDays(cal, bj('2026-10-09T14:00'), 2))).toBe('2026-10-12 14:00');
  });

  it('follows a local closure an admin added', () => {
    const local: WorkCalendar = { timeZone: TZ, overrides: new Map([...cal.overrides, ['2026-11-30', false]]) };
    expect(show(addWorkingDays(local, bj('2026-11-27T10:00'), 1))).toBe('2026-12-01 10:00');
  });
});

describe('SLA deadlines', () => {
  it('routine complaint: resolved within 24 calendar hours, even over a weekend', () => {
    const p = defaultPolicy('complaint', 'routine');
    expect(show(baseDueAt(bj('2026-11-27T18:00'), p.resolution!, cal))).toBe('2026-11-28 18:00');
    expect(k1Target('routine')).toBe('resolution');
  });

  it('major complaint: replied within 72 hours', () => {
    const p = defaultPolicy('complaint', 'major');
    expect(show(baseDueAt(bj('2026-11-27T09:00'), p.reply!, cal))).toBe('2026-11-30 09:00');
    expect(k1Target('major')).toBe('reply');
  });

  it('urgent repair: responded within 2 hours', () => {
    const p = defaultPolicy('repair', 'urgent');
    expect(show(baseDueAt(bj('2026-12-31T23:30'), p.firstResponse!, cal))).toBe('2027-01-01 01:30');
  });

  it('keeps instants whole milliseconds for fractional hour settings', () => {
    const due = baseDueAt(bj('2026-11-27T10:00'), { value: 1 / 3, unit: 'calendar_hours' }, cal);
    expect(Number.isInteger(due)).toBe(true);
    expect(due - bj('2026-11-27T10:00')).toBe(1_200_000);
  });

  it('waiting on the customer extends the deadline by the time spent waiting', () => {
    const p = defaultPolicy('complaint', 'routine');
    expect(show(dueAt(bj('2026-11-27T10:00'), p.resolution!, cal, 5 * 3_600_000))).toBe('2026-11-28 15:00');
  });

  it('warns at 80% and escalates supervisor → manager → general manager after the breach', () => {
    const reg = bj('2026-11-27T10:00');
    const due = reg + 10 * 3_600_000;
    expect(show(warnAtInstant(reg, due, 0.8))).toBe('2026-11-27 18:00');
    expect(escalationInstants(reg, due, [0, 0.5, 1]).map(show)).toEqual(['2026-11-27 20:00', '2026-11-28 01:00', '2026-11-28 06:00']);
    expect(escalationLevelAt(reg, due, [0, 0.5, 1], due - 1)).toBe(0);
    expect(escalationLevelAt(reg, due, [0, 0.5, 1], due)).toBe(1);
    expect(escalationLevelAt(reg, due, [0, 0.5, 1], due + 5 * 3_600_000)).toBe(2);
    expect(escalationLevelAt(reg, due, [0, 0.5, 1], due + 10 * 3_600_000)).toBe(3);
  });
});
