import { describe, expect, it } from 'vitest';
import {
  addMonths, DEFAULT_REQUIRED_FIELDS, isArchiveCurrent, missingArchiveFields, normalizeIdNumber, parseUnitAddress, relationHeldOn,
  type ArchiveFacts,
} from './customers.rules.js';

describe('ID number (GB 11643)', () => {
  it('accepts valid numbers, normalizing a lower-case x', () => {
    expect(normalizeIdNumber('11010519491231002X')).toBe('11010519491231002X');
    expect(normalizeIdNumber('11010519491231002x')).toBe('11010519491231002X');
    expect(normalizeIdNumber(' 440308199901010012 ')).toBe('440308199901010012');
  });
  it('rejects a wrong checksum, an impossible date, the wrong length and letters', () => {
    expect(normalizeIdNumber('110105194912310021')).toBeNull();
    expect(normalizeIdNumber('110105194902300024')).toBeNull(); // 30 February
    expect(normalizeIdNumber('11010519491231002')).toBeNull();
    expect(normalizeIdNumber('1101051949123100AX')).toBeNull();
  });
});

const owner = (over: Partial<ArchiveFacts> = {}): ArchiveFacts => ({
  kind: 'owner', name: '王芳', hasPhone: true, hasIdNumber: true, email: null, wechatId: null, address: null, preferredChannel: null,
  currentUnits: [{ contractNo: 'HT-1', contractDate: '2024-01-01', contractedHandoverDate: '2025-06-30', actualHandoverDate: '2025-06-28', warrantyStartDate: '2025-06-28' }],
  ...over,
});

describe('archive completeness', () => {
  it('an owner with name, phone, ID, unit, contract and handover date is complete under the defaults', () => {
    expect(missingArchiveFields(owner(), {})).toEqual([]);
  });
  it('lists what is missing in rule order', () => {
    expect(missingArchiveFields(owner({ hasIdNumber: false, currentUnits: [] }), {})).toEqual(['id_number', 'unit', 'contract_no', 'actual_handover_date']);
  });
  it('needs the purchase facts of every current unit', () => {
    const two = owner({ currentUnits: [owner().currentUnits[0]!, { contractNo: null, contractDate: null, contractedHandoverDate: null, actualHandoverDate: '2025-01-01', warrantyStartDate: null }] });
    expect(missingArchiveFields(two, {})).toEqual(['contract_no']);
  });
  it('follows configured rules per kind', () => {
    expect(missingArchiveFields(owner({ email: null }), { owner: ['name', 'email'] })).toEqual(['email']);
    expect(missingArchiveFields(owner({ kind: 'family', hasPhone: false }), {})).toEqual(['phone']);
    expect(DEFAULT_REQUIRED_FIELDS.tenant).toContain('unit');
  });
});

describe('archive currency', () => {
  const SH = 'Asia/Shanghai';
  const t = Date.UTC(2025, 10, 27, 2);
  it('is current for 12 months after the last confirmation or update, not on the anniversary', () => {
    expect(isArchiveCurrent(t, Date.UTC(2026, 10, 27, 1, 59), 12, SH)).toBe(true);
    expect(isArchiveCurrent(t, Date.UTC(2026, 10, 27, 2), 12, SH)).toBe(false);
  });
  it('is not current before it was touched', () => {
    expect(isArchiveCurrent(t, t - 1, 12, SH)).toBe(false);
  });
  it('adds months clamped to the end of shorter months', () => {
    expect(addMonths(Date.parse('2026-01-31T12:00:00+08:00'), 1, SH)).toBe(Date.parse('2026-02-28T12:00:00+08:00'));
    expect(addMonths(Date.parse('2024-02-29T12:00:00+08:00'), 12, SH)).toBe(Date.parse('2025-02-28T12:00:00+08:00'));
  });
  it('business dates in the business time zone: months are added to the Shanghai calendar date, not the UTC one', () => {
    // 03:00 on 31 August in Shanghai is still 30 August in UTC: six months on is 28 February 03:00 in Shanghai.
    const touched = Date.parse('2025-08-31T03:00:00+08:00');
    expect(addMonths(touched, 6, SH)).toBe(Date.parse('2026-02-28T03:00:00+08:00'));
    // At noon on 28 February (Shanghai) that archive is no longer current; in UTC math it stayed current a day longer.
    expect(isArchiveCurrent(touched, Date.parse('2026-02-28T12:00:00+08:00'), 6, SH)).toBe(false);
    expect(isArchiveCurrent(touched, Date.parse('2026-02-28T02:59:59+08:00'), 6, SH)).toBe(true);
    // 00:30 on 1 June in Shanghai is 31 May in UTC: one month on is 1 July, not 30 June.
    expect(addMonths(Date.parse('2026-06-01T00:30:00+08:00'), 1, SH)).toBe(Date.parse('2026-07-01T00:30:00+08:00'));
    expect(addMonths(Date.parse('2026-06-01T00:30:00+08:00'), -1, SH)).toBe(Date.parse('2026-05-01T00:30:00+08:00'));
  });
});

describe('relations over time', () => {
  it('a relation ending on a date is no longer held on it (the unit was sold that day)', () => {
    expect(relationHeldOn('2024-01-01', '2026-06-30', '2026-06-29')).toBe(true);
    expect(relationHeldOn('2024-01-01', '2026-06-30', '2026-06-30')).toBe(false);
    expect(relationHeldOn('2026-07-01', null, '2026-06-30')).toBe(false);
    expect(relationHeldOn('2026-07-01', null, '2026-12-31')).toBe(true);
  });
});

describe('unit addresses as agents type them', () => {
  it.each([
    ['3栋2单元1501', { project: null, building: '3', entrance: '2', room: '1501' }],
    ['观澜府 3-2-1501', { project: '观澜府', building: '3', entrance: '2', room: '1501' }],
    ['观澜府3-2-1501', { project: '观澜府', building: '3', entrance: '2', room: '1501' }],
    ['3-1501', { project: null, building: '3', entrance: null, room: '1501' }],
    ['观澜府3栋1501室', { project: '观澜府', building: '3', entrance: null, room: '1501' }],
    ['12号楼 2单元 802', { project: null, building: '12', entrance: '2', room: '802' }],
  ])('%s', (text, expected) => {
    expect(parseUnitAddress(text)).toEqual(expected);
  });
  it('is not fooled by names or phone digits', () => {
    expect(parseUnitAddress('王芳')).toBeNull();
    expect(parseUnitAddress('5678')).toBeNull();
    expect(parseUnitAddress('13800138000')).toBeNull();
  });
});
