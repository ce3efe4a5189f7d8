import { zonedDate, zonedDayStart } from '../../platform/time.js';

/** Which calendar days are working days: explicit entries win, otherwise Monday to Friday. */
export interface WorkCalendar {
  timeZone: string;
  /** date (YYYY-MM-DD) → true for a working day, false for a day off. */
  overrides: ReadonlyMap<string, boolean>;
}

/** The day of the week (0 = Sunday) of a calendar date. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Adds whole calendar days to a date. Safe for any year 0–9999 (no two-digit-year mapping, no throw past 9999). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d + days);
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** YYYY-MM-DD with a zero-padded year of at least four digits. */
export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** True when the date is a working day: an adjusted working weekend (调休) counts, a holiday does not. */
export function isWorkingDay(cal: WorkCalendar, date: string): boolean {
  const o = cal.overrides.get(date);
  if (o !== undefined) return o;
  const w = weekday(date);
  return w !== 0 && w !== 6;
}

/** The first working day on or after a date. */
export function nextWorkingDay(cal: WorkCalendar, date: string): string {
  let d = date;
  // A calendar never has more than a few weeks off in a row; the bound guards bad data.
  for (let i = 0; i < 366 && !isWorkingDay(cal, d); i++) d = addDays(d, 1);
  return d;
}

/**
 * The instant N working days after `start`. A start on a working day keeps its time of day
 * (Friday 10:00 + 1 working day = Monday 10:00); a start on a day off counts from the
 * beginning of the next working day (Saturday + 1 = the end of Monday, i.e. Tuesday 00:00).
 */
export function addWorkingDays(cal: WorkCalendar, start: number, days: number): number {
  const startDate = zonedDate(start, cal.timeZone);
  let date: string;
  let timeOfDay: number;
  if (isWorkingDay(cal, startDate)) {
    date = startDate;
    timeOfDay = start - zonedDayStart(startDate, cal.timeZone);
  } else {
    date = nextWorkingDay(cal, startDate);
    timeOfDay = 0;
  }
  for (let i = 0; i < days; i++) date = nextWorkingDay(cal, addDays(date, 1));
  return zonedDayStart(date, cal.timeZone) + timeOfDay;
}

