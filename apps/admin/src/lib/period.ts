import dayjs, { type Dayjs } from 'dayjs';

/** A reporting period: inclusive calendar dates in YYYY-MM-DD. */
export interface Period {
  from: string;
  to: string;
}

export type PeriodPreset = 'month' | 'quarter' | 'year' | 'last12';

export const DATE = 'YYYY-MM-DD';

/**
 * The period of a preset up to today (this month, this quarter, this year so far, the last
 * twelve months): figures about what has happened, and K3 compared with its pro-rata target.
 */
export function presetPeriod(preset: PeriodPreset, today: Dayjs = dayjs()): Period {
  const to = today.format(DATE);
  switch (preset) {
    case 'month':
      return { from: today.startOf('month').format(DATE), to };
    case 'quarter':
      return { from: today.month(Math.floor(today.month() / 3) * 3).startOf('month').format(DATE), to };
    case 'year':
      return { from: today.startOf('year').format(DATE), to };
    case 'last12':
      return { from: today.subtract(11, 'month').startOf('month').format(DATE), to };
  }
}

export const PRESETS: PeriodPreset[] = ['month', 'quarter', 'year', 'last12'];

/** The preset a period equals today, if any (else it is a custom range). */
export function presetOf(period: Period, today: Dayjs = dayjs()): PeriodPreset | null {
  return PRESETS.find((p) => {
    const q = presetPeriod(p, today);
    return q.from === period.from && q.to === period.to;
  }) ?? null;
}

/** True when the text is a real YYYY-MM-DD date. */
export function isDate(value: string | undefined): value is string {
  return !!value && /^\d{4}-\d{2}-\d{2}$/.test(value) && dayjs(value, DATE).format(DATE) === value;
}

/** The period in the address, or the preset's when missing or broken (from after to). */
export function periodFrom(from: string | undefined, to: string | undefined, fallback: PeriodPreset): Period {
  if (isDate(from) && isDate(to) && from <= to) return { from, to };
  return presetPeriod(fallback);
}

/** 81.2%, or a dash when there is nothing to measure. */
export function percent(rate: number | null | undefined, digits = 1): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(digits)}%`;
}

/** True when a rate reaches its target (a missing rate reaches nothing). */
export function reached(rate: number | null | undefined, target: number): boolean {
  return rate !== null && rate !== undefined && rate >= target - 1e-9;
}

/** Query text of a period and its filters, for links to the KPI pages (empty values left out). */
export function periodQuery(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}
