/**
 * Personal data as it must never appear in a log: mainland mobile numbers (with or without
 * +86) and 18-character resident ID numbers. Bounded by non-alphanumerics, so epoch
 * milliseconds, UUIDs, hashes and the digits of a decimal fraction (a response time of
 * 44.8618919999999 ms) do not count; masked forms (139****0001) do not match.
 */
export const PHONE_PATTERN = /(?:(?<![0-9A-Za-z.])|(?<=%2[Bb]))(?:\+?86[- ]?)?1[3-9]\d{9}(?![0-9A-Za-z])/g;
export const ID_NUMBER_PATTERN = /(?<![0-9A-Za-z.])\d{17}[\dXx](?![0-9A-Za-z])/g;

export interface PiiHit {
  kind: 'phone' | 'id_number';
  match: string;
  line: string;
}

/** Every phone or ID number pattern in a text (a log), with its line cut short. */
export function findPii(text: string): PiiHit[] {
  const hits: PiiHit[] = [];
  for (const line of text.split('\n')) {
    for (const m of line.matchAll(PHONE_PATTERN)) hits.push({ kind: 'phone', match: m[0], line: line.slice(0, 300) });
    for (const m of line.matchAll(ID_NUMBER_PATTERN)) hits.push({ kind: 'id_number', match: m[0], line: line.slice(0, 300) });
  }
  return hits;
}
