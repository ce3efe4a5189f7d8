import { describe, expect, it } from 'vitest';
import { checkCtiSignature, ctiHmac, signCtiBody } from './cti.signature.js';
import { applyCtiEvent, formatDuration, type CallTimes } from './hotline.rules.js';

const T0 = 1_764_208_800_000;
const ringing: CallTimes = { status: 'ringing', startedAt: T0, answeredAt: null, endedAt: null, durationS: null };
const answered: CallTimes = { ...ringing, status: 'answered', answeredAt: T0 + 8_000 };

describe('call state from CTI events', () => {
  it('ringing → answered → ended: talk time from answer to hang-up', () => {
    const a = applyCtiEvent(ringing, { event: 'answered', at: T0 + 8_000 });
    expect(a).toMatchObject({ answeredNow: true, endedNow: false, missedNow: false, next: { status: 'answered', answeredAt: T0 + 8_000 } });
    const e = applyCtiEvent(a.next, { event: 'ended', at: T0 + 8_000 + 125_400 });
    expect(e).toMatchObject({ endedNow: true, missedNow: false, next: { status: 'ended', durationS: 125 } });
  });

  it('ringing → ended is a missed call (0 s), unless the PBX says it was answered', () => {
    expect(applyCtiEvent(ringing, { event: 'ended', at: T0 + 20_000 })).toMatchObject({ missedNow: true, next: { status: 'missed', durationS: 0, endedAt: T0 + 20_000 } });
    expect(applyCtiEvent(ringing, { event: 'ended', at: T0 + 20_000, missed: false })).toMatchObject({ missedNow: false, endedNow: true, next: { status: 'ended' } });
  });

  it('answered then ended with missed=true (e.g. voicemail): the PBX\'s verdict wins', () => {
    expect(applyCtiEvent(answered, { event: 'ended', at: T0 + 60_000, missed: true })).toMatchObject({ missedNow: true, next: { status: 'missed' } });
  });

  it('first event seen: ringing, answered or ended', () => {
    expect(applyCtiEvent(null, { event: 'ringing', at: T0 }).next).toEqual(ringing);
    expect(applyCtiEvent(null, { event: 'answered', at: T0 })).toMatchObject({ answeredNow: true, next: { status: 'answered', startedAt: T0, answeredAt: T0 } });
    expect(applyCtiEvent(null, { event: 'ended', at: T0 })).toMatchObject({ missedNow: true, next: { status: 'missed' } });
    expect(applyCtiEvent(null, { event: 'ended', at: T0, missed: false })).toMatchObject({ endedNow: true, next: { status: 'ended', durationS: null } });
  });

  it('a late ringing only moves the start earlier', () => {
    const r = applyCtiEvent(answered, { event: 'ringing', at: T0 - 3_000 });
    expect(r).toMatchObject({ answeredNow: false, endedNow: false, missedNow: false, next: { ...answered, startedAt: T0 - 3_000 } });
    expect(applyCtiEvent(answered, { event: 'ringing', at: T0 + 1_000 }).next.startedAt).toBe(T0);
  });

  it('a late answered turns a missed call into an answered one and asks to cancel the call-back', () => {
    const missed = applyCtiEvent(ringing, { event: 'ended', at: T0 + 90_000 }).next;
    const r = applyCtiEvent(missed, { event: 'answered', at: T0 + 10_000 });
    expect(r).toMatchObject({ unmissed: true, answeredNow: true, endedNow: true, next: { status: 'ended', answeredAt: T0 + 10_000, durationS: 80 } });
  });

  it('never a negative duration (clocks of PBX legs disagree)', () => {
    expect(applyCtiEvent(answered, { event: 'ended', at: T0 }).next.durationS).toBe(0);
  });

  it('formats durations as agents read them', () => {
    expect(formatDuration(45)).toBe('45秒');
    expect(formatDuration(205)).toBe('3分25秒');
    expect(formatDuration(3600)).toBe('60分0秒');
  });
});

describe('CTI signature', () => {
  const secret = 'qiaoliang-test-secret-0123456789abcdef';
  const body = Buffer.from('{"event":"ringing","callId":"c1"}');
  const now = 1_764_208_800;

  it('matches the documented example (docs/hotline.md)', () => {
    const doc = '{"event":"ringing","callId":"1764208800.42","caller":"13800138000","called":"4008001234","extension":"8001"}';
    expect(ctiHmac('0123456789abcdef0123456789abcdef', 1764208800, doc)).toBe(DOC_EXAMPLE_HMAC);
  });

  it('accepts its own signature and refuses every alteration', () => {
    const header = signCtiBody(secret, body, now);
    expect(checkCtiSignature(secret, header, body, now)).toEqual({ ok: true });
    expect(checkCtiSignature(secret, header, Buffer.from(`${body.toString()} `), now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(checkCtiSignature(`${secret}x`, header, body, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(checkCtiSignature(secret, header.replace(`t=${now}`, `t=${now + 1}`), body, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses missing, malformed and stale headers', () => {
    expect(checkCtiSignature(secret, undefined, body, now)).toEqual({ ok: false, reason: 'missing' });
    expect(checkCtiSignature(secret, '', body, now)).toEqual({ ok: false, reason: 'missing' });
    expect(checkCtiSignature(secret, ['a', 'b'], body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkCtiSignature(secret, `t=${now}`, body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkCtiSignature(secret, `v1=${'a'.repeat(64)}`, body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkCtiSignature(secret, `t=abc,v1=${'a'.repeat(64)}`, body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkCtiSignature(secret, signCtiBody(secret, body, now - 301), body, now)).toEqual({ ok: false, reason: 'expired' });
    expect(checkCtiSignature(secret, signCtiBody(secret, body, now + 301), body, now)).toEqual({ ok: false, reason: 'expired' });
    expect(checkCtiSignature(secret, signCtiBody(secret, body, now - 300), body, now)).toEqual({ ok: true });
  });

  it('tolerates spaces and upper-case hex in the header', () => {
    const hex = ctiHmac(secret, now, body).toUpperCase();
    expect(checkCtiSignature(secret, ` t=${now} , v1=${hex} `, body, now)).toEqual({ ok: true });
  });
});

/** The HMAC printed in docs/hotline.md's worked example; keep both in step. */
const DOC_EXAMPLE_HMAC = '5342ddea5abc1a343666aef43146a76d2358699771f6175600c3e2125365415a';
