import type { Deps } from '../../deps.js';
import { enqueueMessage } from '../../platform/outbox.js';
import { zonedDate } from '../../platform/time.js';
import { addDays, weekday } from './calendar.rules.js';

/** The scheduled job that reminds admins of a missing working calendar. */
export const CALENDAR_WARNING_JOB = 'calendar.missing_warning';

/**
 * The year whose working calendar admins must be reminded of on a date: from 1 November the
 * State Council's calendar of next year is due (it is published each November/December), so
 * November and December ask for next year. Null before November. Pure.
 */
export function calendarYearDue(today: string): number | null {
  const month = Number(today.slice(5, 7));
  return month >= 11 ? Number(today.slice(0, 4)) + 1 : null;
}

/** The Monday of a date's week: one reminder per admin and week. Pure. */
export function weekOf(today: string): string {
  return addDays(today, -((weekday(today) + 6) % 7));
}

/** True when the official calendar of a year has at least one day (it is published and loaded). */
export async function officialCalendarLoaded(deps: Pick<Deps, 'db'>, year: number): Promise<boolean> {
  const row = await deps.db.selectFrom('calendar_days').select('date').where('source', '=', 'official')
    .where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).limit(1).executeTakeFirst();
  return Boolean(row);
}

/**
 * From 1 November, while next year's working calendar is missing, every active admin gets a
 * notification in the app and by e-mail, once a week (the job runs daily; the outbox key is per
 * week). Returns how many admins were reminded (0 when nothing is due).
 */
export async function remindMissingCalendar(deps: Deps): Promise<{ year: number | null; admins: number }> {
  const today = zonedDate(deps.clock.now().getTime(), deps.config.timeZone);
  const year = calendarYearDue(today);
  if (year === null || (await officialCalendarLoaded(deps, year))) return { year: null, admins: 0 };
  const week = weekOf(today);
  const admins = await deps.db.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select(['u.id', 'u.email'])
    .where('r.role', '=', 'admin').where('u.active', '=', 1).execute();
  const subject = `${year} 年工作日历尚未导入`;
  const body = `国务院办公厅通常在每年 11 月至 12 月公布下一年的节假日安排。请在「工作日历」中导入或录入 ${year} 年的节假日和调休，否则按工作日计算的时限将按普通周一至周五计算。`;
  await deps.db.transaction().execute(async (trx) => {
    for (const a of admins) {
      await enqueueMessage(trx, deps, { channel: 'in_app', recipient: a.id, subject, body, link: '/settings/calendar', idempotencyKey: `calendar-missing:${year}:${week}:${a.id}` });
      if (a.email) {
        await enqueueMessage(trx, deps, { channel: 'email', recipient: a.email, subject, body, link: '/settings/calendar', idempotencyKey: `calendar-missing-mail:${year}:${week}:${a.id}` });
      }
    }
  });
  deps.log.warn({ year, admins: admins.length }, 'next year\'s working calendar is missing: admins reminded');
  return { year, admins: admins.length };
}

/** Says in the log at start when next year's working calendar is due and missing. */
export async function logCalendarStatus(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>): Promise<void> {
  const today = zonedDate(deps.clock.now().getTime(), deps.config.timeZone);
  const year = calendarYearDue(today);
  if (year !== null && !(await officialCalendarLoaded(deps, year))) {
    deps.log.warn({ year }, `the working calendar of ${year} is missing: deadlines in working days will count Monday to Friday only; admins are reminded weekly`);
  }
}
