import { describe, expect, it } from 'vitest';
import { k1Verdict, timeliness, type K1Complaint } from './k1.rules.js';

const H = 3_600_000;
const T0 = Date.parse('2026-11-01T00:00:00+08:00');
const c = (id: string, over: Partial<K1Complaint>): K1Complaint => ({ id, severity: 'routine', status: 'resolved', dueAt: T0 + 24 * H, firstRepliedAt: null, resolvedAt: null, ...over });

describe('K1 timeliness (hand-made cases)', () => {
  it('routine complaints are judged by resolution, major ones by their first reply', () => {
    expect(k1Verdict(c('a', { resolvedAt: T0 + 23 * H }), T0 + 100 * H)).toBe('on_time');
    expect(k1Verdict(c('b', { resolvedAt: T0 + 25 * H }), T0 + 100 * H)).toBe('late');
    expect(k1Verdict(c('c', { severity: 'major', dueAt: T0 + 72 * H, firstRepliedAt: T0 + 70 * H, resolvedAt: T0 + 200 * H }), T0 + 300 * H)).toBe('on_time');
    expect(k1Verdict(c('d', { severity: 'major', dueAt: T0 + 72 * H, firstRepliedAt: null, status: 'in_progress' }), T0 + 73 * H)).toBe('late');
  });

  it('a reopened complaint is judged by its last resolution', () => {
    expect(k1Verdict(c('e', { status: 'reopened', resolvedAt: T0 + 10 * H }), T0 + 30 * H)).toBe('late');
    expect(k1Verdict(c('f', { status: 'resolved', resolvedAt: T0 + 30 * H }), T0 + 40 * H)).toBe('late');
  });

  it('an open complaint before its deadline is not judged yet', () => {
    expect(k1Verdict(c('g', { status: 'in_progress' }), T0 + 20 * H)).toBe('not_due');
  });

  it('counts the complaints whose deadline fell in the period; cancelled and merged do not count; invalid ones still do', () => {
    const list = [
      c('on1', { resolvedAt: T0 + 1 * H }),
      c('on2', { resolvedAt: T0 + 20 * H, dueAt: T0 + 24 * H }),
      c('late1', { resolvedAt: T0 + 30 * H }),
      c('late2', { status: 'in_progress' }),
      c('cancelled', { status: 'cancelled' }),
      c('merged', { status: 'merged' }),
      c('outside', { dueAt: T0 + 40 * 24 * H, resolvedAt: T0 }),
      c('open', { status: 'dispatched', dueAt: T0 + 29 * 24 * H }),
    ];
    const r = timeliness(list, T0, T0 + 30 * 24 * H, T0 + 5 * 24 * H);
    expect(r).toMatchObject({ numerator: 2, denominator: 4, rate: 0.5 });
    expect(r.onTime.sort()).toEqual(['on1', 'on2']);
    expect(r.late.sort()).toEqual(['late1', 'late2']);
    expect(r.notDue).toEqual(['open']);
  });
});
