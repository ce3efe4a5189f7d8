/**
 * Validation shared by the console, the server and (later) the owner portal, so every
 * surface refuses the same input with the same Chinese message (issue #18 defect 6). Pure.
 */

/** What a phone number may be typed with: digits, spaces, hyphens, dots, parentheses and one leading +. */
const PHONE_CHARS = /^\+?[\d\s\-().]+$/;

/**
 * Why a phone number as typed is not acceptable, or null when it is. No character is ever
 * dropped silently: a letter is an error, not noise. Mainland mobiles have 11 digits
 * (1[3-9]…); landlines start with 0 (area code + 7–8 digits); +86 / 86 prefixes are allowed;
 * other countries need + and 7–15 digits. Service numbers (400/800) have 10 digits.
 */
export function phoneProblem(raw: string): string | null {
  const text = raw.trim();
  if (!text) return '请填写电话号码';
  if (!PHONE_CHARS.test(text)) return `电话号码只能包含数字（可带 +、空格、- 或括号），「${text}」中有其他字符`;
  let digits = text.replace(/\D/g, '');
  const plus = text.startsWith('+');
  if (plus && !digits.startsWith('86')) return digits.length >= 7 && digits.length <= 15 ? null : '国际号码应为 + 国家代码加 7–15 位数字';
  if ((plus || (digits.startsWith('86') && digits.length === 13)) && digits.startsWith('86')) digits = digits.slice(2);
  if (digits.startsWith('1')) return /^1[3-9]\d{9}$/.test(digits) ? null : '手机号码应为 11 位数字，以 13–19 开头';
  if (/^[48]00/.test(digits)) return digits.length === 10 ? null : '400/800 号码应为 10 位数字';
  if (digits.startsWith('0')) return digits.length >= 10 && digits.length <= 12 ? null : '固定电话应为区号加 7–8 位号码，如 0755-12345678';
  return '请填写 11 位手机号码，或带区号的固定电话';
}

/** A letter of any script (汉字, Latin, …): a name has at least one. */
const LETTER = /\p{L}/u;
/** Control and format characters (zero-width joiners etc. are allowed only inside emoji, which a name does not need). */
const CONTROL = /[\p{Cc}\p{Cf}]/u;

/** Why a person's or company's name is not acceptable, or null. Emoji-only or symbol-only names are refused. */
export function personNameProblem(raw: string): string | null {
  const name = raw.trim();
  if (!name) return '请填写姓名';
  if (CONTROL.test(name)) return '姓名中含有不可见的控制字符';
  if (!LETTER.test(name)) return '姓名须包含汉字或字母，不能只有表情、数字或符号';
  if (/\p{Extended_Pictographic}/u.test(name)) return '姓名中不能包含表情符号';
  return null;
}
