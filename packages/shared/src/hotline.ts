/** The call events a telephony system (CTI) posts to POST /api/cti/events (S1). */
export const CTI_EVENTS = ['ringing', 'answered', 'ended'] as const;
export type CtiEventName = (typeof CTI_EVENTS)[number];

/** Inbound: a customer calls the hotline. Outbound: an agent calls out (e.g. a call-back). */
export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** `ended` is a call that was answered and hung up; `missed` ended without being answered. */
export const CALL_STATUSES = ['ringing', 'answered', 'ended', 'missed'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const CALL_BACK_STATUSES = ['open', 'done', 'cancelled'] as const;
export type CallBackStatus = (typeof CALL_BACK_STATUSES)[number];

/** The request header carrying the CTI signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const CTI_SIGNATURE_HEADER = 'X-Qiaoliang-Signature';
