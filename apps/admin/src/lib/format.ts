import dayjs from 'dayjs';

/** 2026-11-27 14:05, or a dash when empty. */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—';
}

/** 2026-11-27 14:05:09, for logs. */
export function formatDateTimeSeconds(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—';
}

/** A mainland mobile number without the +86 prefix (138****5678 stays masked). */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return '—';
  return phone.replace(/^\+86(?=[\d*]{11}$)/, '');
}

/** Shows a dash for empty values. */
export function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

/** Trims strings of a form's values and turns empty ones into null (optional API fields). */
export function emptyToNull<T extends Record<string, unknown>>(values: T, keys: (keyof T)[]): T {
  const out: Record<string, unknown> = { ...values };
  for (const key of keys) {
    const v = out[key as string];
    if (typeof v === 'string') out[key as string] = v.trim() === '' ? null : v.trim();
    else if (v === undefined) out[key as string] = null;
  }
  return out as T;
}
