import { describe, expect, it } from 'vitest';
import type { WorkCalendar } from '../calendar/calendar.rules.js';
import { officialDays } from '../calendar/official.js';
import {
  ageBucket, checklistErrors, DEFAULT_CHECKLIST, DEFECT_ACTIONS, DEFECT_STATUSES, deadlineBucket, isFlagged, isOpenDefect, nextDefectStatus, rectificationDueAt, share,
  type DefectStatus,
} from './handover.rules.js';

const cal: WorkCalendar = { timeZone: 'Asia/Shanghai', overrides: new Map(officialDays().map((d) => [d.date, d.working])) };
const bj = (s: string) => Date.parse(`${s}+08:00`);
const show = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('rectification deadlines on the Chinese working calendar', () => {
  // Thursday 12 February 2026: Spring Festival is 15–23 February, Saturdays 14 and 28 February are worked (调休).
  const registered = bj('2026-02-12T10:00');

  it('影响入住 (2 working days) counts the 调休 Saturday 14 February', () => {
    expect(show(rectificationDueAt(registered, 'blocking', cal))).toBe('2026-02-14 10:00');
  });

  it('严重 (5 working days) skips the whole Spring Festival', () => {
    // 13, 14 (调休), then 24, 25, 26 February.
    expect(show(rectificationDueAt(registered, 'serious', cal))).toBe('2026-02-26 10:00');
  });

  it('一般 (10 working days) counts the second 调休 Saturday 28 February', () => {
    // 13, 14, 24, 25, 26, 27, 28 (调休), 2, 3, 4 March.
    expect(show(rectificationDueAt(registered, 'minor', cal))).toBe('2026-03-04 10:00');
  });

  it('a defect registered on a holiday counts from the next working day', () => {
    expect(show(rectificationDueAt(bj('2026-02-17T09:00'), 'blocking', cal))).toBe('2026-02-26 00:00');
  });

  it('takes a custom policy', () => {
    expect(show(rectificationDueAt(bj('2026-11-27T10:00'), 'minor', cal, { minor: 1, serious: 1, blocking: 1 }))).toBe('2026-11-30 10:00');
  });
});

describe('defect state machine', () => {
  const path: [DefectStatus, (typeof DEFECT_ACTIONS)[number], DefectStatus][] = [
    ['unassigned', 'assign', 'to_rectify'],
    ['to_rectify', 'start', 'in_progress'],
    ['in_progress', 'report_fix', 'to_verify'],
    ['to_rectify', 'report_fix', 'to_verify'],
    ['to_verify', 'reinspect_fail', 'to_rectify'],
    ['to_verify', 'reinspect_pass', 'closed'],
    ['unassigned', 'cancel', 'cancelled'],
    ['to_verify', 'dispute', 'disputed'],
    ['disputed', 'assign', 'to_rectify'],
  ];
  it.each(path)('%s --%s--> %s', (from, action, to) => expect(nextDefectStatus(from, action)).toBe(to));

  it('closing is only possible by a passed re-inspection of a reported fix', () => {
    for (const s of DEFECT_STATUSES) {
      for (const a of DEFECT_ACTIONS) {
        if (nextDefectStatus(s, a) === 'closed') expect([s, a]).toEqual(['to_verify', 'reinspect_pass']);
      }
    }
  });

  it('an open task (not yet reported fixed) cannot be re-inspected', () => {
    for (const s of ['unassigned', 'to_rectify', 'in_progress'] as const) {
      expect(nextDefectStatus(s, 'reinspect_pass')).toBeNull();
      expect(nextDefectStatus(s, 'reinspect_fail')).toBeNull();
    }
  });

  it('closed and cancelled are final', () => {
    for (const a of DEFECT_ACTIONS) {
      expect(nextDefectStatus('closed', a)).toBeNull();
      expect(nextDefectStatus('cancelled', a)).toBeNull();
    }
    expect(isOpenDefect('closed')).toBe(false);
    expect(isOpenDefect('disputed')).toBe(true);
  });

  it('a second failed re-inspection is flagged', () => {
    expect(isFlagged(1)).toBe(false);
    expect(isFlagged(2)).toBe(true);
  });
});

describe('report buckets', () => {
  const due = bj('2026-03-04T10:00');
  it('buckets deadlines like the house-quality system', () => {
    expect(deadlineBucket({ due_at: null, fixed_at: null, status: 'to_rectify' }, due)).toBe('no_deadline');
    expect(deadlineBucket({ due_at: due, fixed_at: due - 1, status: 'closed' }, due + 1e9)).toBe('on_time');
    expect(deadlineBucket({ due_at: due, fixed_at: due + 1, status: 'closed' }, due + 1e9)).toBe('late_done');
    expect(deadlineBucket({ due_at: due, fixed_at: null, status: 'to_rectify' }, due + 1)).toBe('overdue_open');
    expect(deadlineBucket({ due_at: due, fixed_at: null, status: 'to_rectify' }, due - 1)).toBe('pending');
    // A failed re-inspection sends it back: the earlier fix does not count as done.
    expect(deadlineBucket({ due_at: due, fixed_at: due - 1, status: 'to_rectify' }, due + 1)).toBe('overdue_open');
  });
  it('ages and shares', () => {
    expect(ageBucket(0, 7 * 86_400_000)).toBe('d0_7');
    expect(ageBucket(0, 8 * 86_400_000)).toBe('d8_15');
    expect(ageBucket(0, 40 * 86_400_000)).toBe('d30p');
    expect(share(1, 3)).toBe(0.3333);
    expect(share(1, 0)).toBeNull();
  });
});

describe('checklist templates', () => {
  it('the default template is valid and covers 防水 in wet rooms', () => {
    expect(checklistErrors(DEFAULT_CHECKLIST)).toEqual([]);
    expect(DEFAULT_CHECKLIST.filter((i) => i.item === '防水').map((i) => i.room)).toEqual(['厨房', '卫生间', '阳台']);
  });
  it('refuses empty fields and duplicates', () => {
    const it0 = DEFAULT_CHECKLIST[0]!;
    expect(checklistErrors([it0, { ...it0 }, { ...it0, item: 'x', trade: ' ' }]).map((e) => e.field)).toEqual(['items[1]', 'items[2].trade']);
    expect(checklistErrors([])).toHaveLength(1);
  });
});
