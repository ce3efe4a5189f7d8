import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { phoneProblem } from '@qiaoliang/shared';

/**
 * Parses a phone as agents and callers give it (mainland default) into E.164, or null. The
 * shared rule goes first: libphonenumber drops letters (1371234567a became +861371234567).
 */
export function toE164(raw: string): string | null {
  if (phoneProblem(raw)) return null;
  const p = parsePhoneNumberFromString(raw.trim(), 'CN');
  return p && p.isValid() ? p.number : null;
}
