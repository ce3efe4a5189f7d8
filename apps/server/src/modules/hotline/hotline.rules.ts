import type { CallStatus, CtiEventName } from '@qiaoliang/shared';

/** The timing state of a call record. Instants are epoch ms. */
export interface CallTimes {
  status: CallStatus;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  durationS: number | null;
}

/** One CTI event as the rules see it. */
export interface CtiInput {
  event: CtiEventName;
  /** When it happened at the PBX. */
  at: number;
  /** On `ended`: the PBX's own verdict; undefined lets the call's history decide. */
  missed?: boolean;
}

/** The new state and what became true with this event (the service turns these into records). */
export interface CallTransition {
  next: CallTimes;
  /** The call was answered by this event: timeline entry. */
  answeredNow: boolean;
  /** An answered call hung up with this event: duration, timeline entry. */
  endedNow: boolean;
  /** The call ended unanswered with this event: call-back task, notification, timeline entry. */
  missedNow: boolean;
  /** A late `answered` showed that a call recorded as missed was answered: cancel its call-back task. */
  unmissed: boolean;
}

/** Talk time in whole seconds, never negative. */
export const talkSeconds = (answeredAt: number, endedAt: number): number => Math.max(0, Math.round((endedAt - answeredAt) / 1000));

/** "3分25秒" / "45秒": a duration as agents read it. */
export function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m}分${s}秒` : `${s}秒`;
}

/**
 * Applies one CTI event to a call (null: the first event seen for this call id). Events may
 * arrive out of order or with some missing (a PBX retries each webhook on its own), so every
 * event is accepted in any state and the result is the most plausible call:
 * ringing → answered → ended, or ringing → missed; a late `ringing` only corrects the start;
 * a late `answered` turns a missed call into an answered one.
 */
export function applyCtiEvent(prev: CallTimes | null, ev: CtiInput): CallTransition {
  const none = { answeredNow: false, endedNow: false, missedNow: false, unmissed: false };
  if (!prev) {
    switch (ev.event) {
      case 'ringing':
        return { ...none, next: { status: 'ringing', startedAt: ev.at, answeredAt: null, endedAt: null, durationS: null } };
      case 'answered':
        return { ...none, answeredNow: true, next: { status: 'answered', startedAt: ev.at, answeredAt: ev.at, endedAt: null, durationS: null } };
      case 'ended':
        // Without an `answered` we cannot know the talk time; unless the PBX says it was
        // answered, a call we only saw end is a missed call (someone should call back).
        if (ev.missed === false) return { ...none, endedNow: true, next: { status: 'ended', startedAt: ev.at, answeredAt: null, endedAt: ev.at, durationS: null } };
        return { ...none, missedNow: true, next: { status: 'missed', startedAt: ev.at, answeredAt: null, endedAt: ev.at, durationS: 0 } };
    }
  }

  const startedAt = Math.min(prev.startedAt, ev.at);
  switch (ev.event) {
    case 'ringing':
      return { ...none, next: { ...prev, startedAt } };
    case 'answered':
      if (prev.status === 'ringing') return { ...none, answeredNow: true, next: { ...prev, startedAt, status: 'answered', answeredAt: ev.at } };
      if (prev.status === 'missed' && prev.endedAt !== null) {
        return {
          ...none, answeredNow: true, endedNow: true, unmissed: true,
          next: { ...prev, startedAt, status: 'ended', answeredAt: ev.at, durationS: talkSeconds(ev.at, prev.endedAt) },
        };
      }
      return { ...none, next: prev };
    case 'ended':
      if (prev.status === 'ringing') {
        if (ev.missed === false) return { ...none, endedNow: true, next: { ...prev, startedAt, status: 'ended', endedAt: ev.at } };
        return { ...none, missedNow: true, next: { ...prev, startedAt, status: 'missed', endedAt: ev.at, durationS: 0 } };
      }
      if (prev.status === 'answered') {
        if (ev.missed === true) return { ...none, missedNow: true, next: { ...prev, startedAt, status: 'missed', endedAt: ev.at, durationS: 0 } };
        return { ...none, endedNow: true, next: { ...prev, startedAt, status: 'ended', endedAt: ev.at, durationS: talkSeconds(prev.answeredAt ?? ev.at, ev.at) } };
      }
      return { ...none, next: prev };
  }
}
