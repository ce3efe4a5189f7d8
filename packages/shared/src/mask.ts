/** Masks a phone number for display: 138****5678. Keeps the last four digits. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  const digits = phone.replace(/^\+86/, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** Masks an 18-character ID number: 110***********1234. */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return id ?? null;
  if (id.length <= 7) return '*'.repeat(id.length);
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

/** s***@example.com: the first character of the local part and the domain. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/** wx***88: the first two and last two characters of an account name (WeChat id). */
export function maskHandle(handle: string): string {
  if (handle.length <= 4) return '*'.repeat(handle.length);
  return `${handle.slice(0, 2)}***${handle.slice(-2)}`;
}

const MOBILE_IN_TEXT = /(?<!\d)(?:\+?86)?(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;
const ID_NUMBER_IN_TEXT = /(?<![\dXx])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])/g;

/** Free text with the mobile numbers and ID numbers in it masked (notes, reasons). */
export function maskPersonalText(text: string): string {
  return text
    .replace(ID_NUMBER_IN_TEXT, (_m, a: string, _b: string, c: string) => `${a.slice(0, 3)}${'*'.repeat(11)}${c}`)
    .replace(MOBILE_IN_TEXT, (_m, a: string, _b: string, c: string) => `${a}****${c}`);
}
