import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * The CTI webhook signature (docs/hotline.md): `X-Qiaoliang-Signature: t=<unix seconds>,v1=<hex>`
 * where hex = HMAC-SHA256(key = the shared secret's UTF-8 bytes, message = "<t>.<raw body>").
 * Signing the timestamp with the body lets us refuse replays older than the tolerance without
 * keeping every body ever seen; the (callId, event) key catches replays inside the window.
 */

/** How far the signature's timestamp may be from our clock, either way. */
export const CTI_TOLERANCE_SECONDS = 300;

/** Lower-case header name, as Node presents it. */
export const CTI_SIGNATURE_HEADER_LC = 'x-qiaoliang-signature';

/** Hex HMAC-SHA256 of "<t>.<body>". */
export function ctiHmac(secret: string, t: number, body: Buffer | string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${t}.`).update(body).digest('hex');
}

/** The header value for a body signed at unix second `t` (PBX side, simulator and tests). */
export function signCtiBody(secret: string, body: Buffer | string, t: number): string {
  return `t=${t},v1=${ctiHmac(secret, t, body)}`;
}

export type SignatureFailure = 'missing' | 'malformed' | 'expired' | 'mismatch';

/**
 * Checks a signature header against the raw body. Several `v1=` values may be sent (a PBX
 * rotating its secret signs with both); one match is enough. Constant-time comparison.
 */
export function checkCtiSignature(
  secret: string,
  header: string | string[] | undefined,
  rawBody: Buffer,
  nowSeconds: number,
  toleranceSeconds = CTI_TOLERANCE_SECONDS,
): { ok: true } | { ok: false; reason: SignatureFailure } {
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  if (Array.isArray(header)) return { ok: false, reason: 'malformed' };
  let t: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && /^[0-9a-fA-F]{64}$/.test(value)) candidates.push(value.toLowerCase());
  }
  if (t === null || candidates.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(ctiHmac(secret, t, rawBody), 'hex');
  const match = candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
  return match ? { ok: true } : { ok: false, reason: 'mismatch' };
}
