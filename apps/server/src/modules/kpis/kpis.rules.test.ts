import { describe, expect, it } from 'vitest';
import { archiveRate, k1DueAt, k1Verdict, satisfaction, timeliness, visitCoverage, visitTarget, type K1Complaint, type K2Complaint } from './kpis.rules.js';

const H = 3_600_000;
const T0 = Date.parse('2026-11-01T00:00:00+08:00');
const c = (id: string, over: Partial<K1Complaint>): K1Complaint => ({ id, severity: 'routine', status: 'resolved', dueAt: T0 + 24 * H, firstRepliedAt: null, resolvedAt: null, waitingSince: null, ...over });

describe('K1 timeliness (hand-made cases)', () => {
  it('routine complaints are judged by resolution, major ones by their first reply', () => {
    expect(k1Verdict(c('a', { resolvedAt: T0 + 23 * H }), T0 + 100 * H)).toBe('on_time');
    expect(k1Verdict(c('b', { resolvedAt: T0 + 25 * H }), T0 + 100 * H)).toBe('late');
    expect(k1Verdict(c('c', { severity: 'major', dueAt: T0 + 72 * H, firstRepliedAt: T0 + 70 * H, resolvedAt: T0 + 200 * H }), T0 + 300 * H)).toBe('on_time');
    expect(k1Verdict(c('d', { severity: 'major', dueAt: T0 + 72 * H, firstRepliedAt: null, status: 'in_progress' }), T0 + 73 * H)).toBe('late');
  });

  it('a reopened complaint is judged by its last resolution', () => {
    // Resolved on time, reopened and not yet resolved again: it keeps its on-time judgement.
    expect(k1Verdict(c('e', { status: 'reopened', resolvedAt: T0 + 10 * H }), T0 + 30 * H)).toBe('on_time');
    // Resolved again after the deadline: late.
    expect(k1Verdict(c('f', { status: 'resolved', resolvedAt: T0 + 30 * H }), T0 + 40 * H)).toBe('late');
    // Resolved late, reopened: still late.
    expect(k1Verdict(c('g', { status: 'reopened', resolvedAt: T0 + 25 * H }), T0 + 30 * H)).toBe('late');
    // Never resolved and reopened is impossible, but an unmet target past its deadline stays late.
    expect(k1Verdict(c('h', { status: 'reopened', resolvedAt: null }), T0 + 30 * H)).toBe('late');
  });

  it('waiting on the customer extends the deadline also while waiting', () => {
    // Waiting since 10 h, asked at 40 h (past the original 24 h deadline): not late, not due yet.
    const waiting = c('w', { status: 'waiting_customer', waitingSince: T0 + 10 * H });
    expect(k1Verdict(waiting, T0 + 40 * H)).toBe('not_due');
    expect(k1DueAt(waiting, T0 + 40 * H)).toBe(T0 + 54 * H);
    // Began waiting only after its deadline had passed: late for the time before the wait.
    expect(k1Verdict(c('w2', { status: 'waiting_customer', waitingSince: T0 + 30 * H }), T0 + 40 * H)).toBe('late');
    // Its deadline moves out of a period that has ended while it waits.
    const r = timeliness([waiting], T0, T0 + 30 * H, T0 + 40 * H);
    expect(r).toMatchObject({ denominator: 0, notDue: [] });
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

const DAY = 24 * H;
const k2 = (id: string, over: Partial<K2Complaint>): K2Complaint => ({ id, status: 'closed', valid: true, latestRating: null, unreachableAt: null, ...over });

describe('K2 satisfaction (hand-made cases)', () => {
  it('counts valid complaints by their latest completed rating in the period', () => {
    const list = [
      k2('very-satisfied', { latestRating: { at: T0 + DAY, satisfaction: 5 } }),
      k2('satisfied', { latestRating: { at: T0 + 2 * DAY, satisfaction: 4 } }),
      k2('neutral', { latestRating: { at: T0 + 3 * DAY, satisfaction: 3 } }),
      // Reopened after a bad callback, then rated again satisfied: the latest rating decides.
      k2('reopened-then-satisfied', { latestRating: { at: T0 + 9 * DAY, satisfaction: 4 } }),
      k2('dissatisfied', { status: 'reopened', latestRating: { at: T0 + 4 * DAY, satisfaction: 1 } }),
      // Marked invalid after its callback: out of K2 entirely.
      k2('invalid', { valid: false, latestRating: { at: T0 + DAY, satisfaction: 1 } }),
      k2('unreachable', { unreachableAt: T0 + 5 * DAY }),
      k2('rated-before', { latestRating: { at: T0 - DAY, satisfaction: 5 } }),
      k2('cancelled', { status: 'cancelled', latestRating: { at: T0 + DAY, satisfaction: 5 } }),
    ];
    const r = satisfaction(list, T0, T0 + 30 * DAY);
    expect(r).toMatchObject({ numerator: 3, denominator: 5, rate: 0.6 });
    expect(r.unreachable).toEqual(['unreachable']);
    expect(r.dissatisfied.sort()).toEqual(['dissatisfied', 'neutral']);
  });
});

describe('K3 visit coverage (hand-made cases)', () => {
  it('counts each contact once, only to customers in scope at the end of the period', () => {
    const inScope = new Set(['c1', 'c2', 'c3', 'c4', 'c5']);
    const visits = [
      { id: 'v1', customerId: 'c1', at: T0 + DAY }, // a callback that was also an event contact: one record
      { id: 'v2', customerId: 'c1', at: T0 + 40 * DAY },
      { id: 'v3', customerId: 'c2', at: T0 + 2 * DAY },
      { id: 'v4', customerId: 'sold', at: T0 + 3 * DAY }, // sold the unit mid-year: no longer in scope
      { id: 'v5', customerId: 'c3', at: T0 - DAY }, // before the period
    ];
    expect(visitCoverage(visits, inScope, T0, T0 + 365 * DAY)).toMatchObject({ numerator: 3, denominator: 5, rate: 0.6 });
  });

  it('targets 120% for a calendar year and pro rata for shorter periods', () => {
    expect(visitTarget('2026-01-01', '2026-12-31')).toBe(1.2);
    expect(visitTarget('2026-01-01', '2026-01-31')).toBeCloseTo((1.2 * 31) / 365, 10);
    expect(visitTarget('2028-01-01', '2028-06-30')).toBeCloseTo((1.2 * 182) / 366, 10);
  });
});

describe('K4 archive rate (hand-made cases)', () => {
  it('counts complete and current archives over customers in scope', () => {
    expect(archiveRate([
      { complete: true, current: true },
      { complete: true, current: false },
      { complete: false, current: true },
      { complete: true, current: true },
    ])).toEqual({ numerator: 2, denominator: 4, rate: 0.5 });
    expect(archiveRate([])).toEqual({ numerator: 0, denominator: 0, rate: null });
  });
});
