/** GB 11643-1999: weights of the first 17 digits and the check characters. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type IdNumberCheck = 'ok' | 'length' | 'date' | 'checksum';

/**
 * Checks an 18-character resident ID number as the server does (length, birth date,
 * check character), so that the form can hint before saving. The server decides.
 */
export function checkIdNumber(raw: string): IdNumberCheck {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return 'length';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'date';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11] === id[17] ? 'ok' : 'checksum';
}
