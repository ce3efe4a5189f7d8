import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackground } from '../../jobs.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { calendarYearDue, logCalendarStatus, weekOf } from './calendar-warning.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.deps.db.updateTable('users').set({ email: 'root@example.com' }).where('username', '=', 'root').execute();
});
afterAll(async () => t.close());

const reminders = () => t.deps.db.selectFrom('outbox').select(['channel', 'recipient', 'subject']).where('idempotency_key', 'like', 'calendar-missing%').orderBy('idempotency_key').execute();
const admins = () => t.deps.db.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select('u.id').where('r.role', '=', 'admin').where('u.active', '=', 1).execute();

/** Runs the daily schedule at an instant, as a process's background work would. */
async function dayAt(iso: string) {
  t.clock.set(iso);
  const { runner, scheduler } = createBackground(t.deps);
  await scheduler.tick();
  await runner.runDue();
}

describe('missing working calendar (issue #20 gap 10)', () => {
  it('asks for next year from 1 November, one reminder a week', () => {
    expect(calendarYearDue('2026-10-31')).toBeNull();
    expect(calendarYearDue('2026-11-01')).toBe(2027);
    expect(calendarYearDue('2026-12-31')).toBe(2027);
    expect(weekOf('2026-11-04')).toBe('2026-11-02');
    expect(weekOf('2026-11-08')).toBe('2026-11-02');
    expect(weekOf('2026-11-09')).toBe('2026-11-09');
  });

  it('from 1 November, when next year\'s calendar is missing, every admin is notified weekly in the app and by e-mail', async () => {
    await dayAt('2026-10-30T02:00:00Z');
    expect(await reminders()).toEqual([]);
    await dayAt('2026-11-02T02:00:00Z');
    const first = await reminders();
    const adminIds = (await admins()).map((a) => a.id).sort();
    expect(first.filter((r) => r.channel === 'in_app').map((r) => r.recipient).sort()).toEqual(adminIds);
    expect(first.filter((r) => r.channel === 'email').map((r) => r.recipient)).toEqual(['root@example.com']);
    expect(first[0]!.subject).toBe('2027 年工作日历尚未导入');
    // The next days of the same week: nothing new.
    await dayAt('2026-11-03T02:00:00Z');
    await dayAt('2026-11-06T02:00:00Z');
    expect(await reminders()).toHaveLength(first.length);
    // A week later: again.
    await dayAt('2026-11-09T02:00:00Z');
    expect(await reminders()).toHaveLength(2 * first.length);
    // Once 2027 is loaded, no more reminders.
    await t.deps.db.insertInto('calendar_days').values({ date: '2027-01-01', working: 0, name: '元旦', source: 'official', updated_at: t.clock.now().getTime(), updated_by: null }).execute();
    await dayAt('2026-11-17T02:00:00Z');
    expect(await reminders()).toHaveLength(2 * first.length);
  });

  it('says so in the log at start', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
    await t.deps.db.deleteFrom('calendar_days').where('date', '>=', '2027-01-01').execute();
    t.clock.set('2026-11-20T02:00:00Z');
    await logCalendarStatus({ ...t.deps, log });
    expect(lines.join('')).toContain('the working calendar of 2027 is missing');
    t.clock.set('2026-06-20T02:00:00Z');
    lines.length = 0;
    await logCalendarStatus({ ...t.deps, log });
    expect(lines).toEqual([]);
  });
});
