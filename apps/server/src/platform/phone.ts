import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Parses a phone as agents and callers give it (mainland default) into E.164, or null. */
export function toE164(raw: string): string | null {
  const p = parsePhoneNumberFromString(raw.trim(), 'CN');
  return p && p.isValid() ? p.number : null;
}
