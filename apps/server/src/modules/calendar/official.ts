import { createRequire } from 'node:module';

/** One official day: a public holiday (day off) or an adjusted working day (调休). */
export interface OfficialDay {
  date: string;
  working: boolean;
  name: string;
}

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/**
 * The State Council calendar as the chinese-days package ships it (holidays and adjusted
 * working days). Names are "English,中文,n"; we keep the Chinese name.
 */
export function officialDays(): OfficialDay[] {
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const name = (v: string) => v.split(',')[1] ?? v;
  return [
    ...Object.entries(data.holidays).map(([date, v]) => ({ date, working: false, name: name(v) })),
    ...Object.entries(data.workdays).map(([date, v]) => ({ date, working: true, name: `${name(v)}调休上班` })),
  ].sort((a, b) => a.date.localeCompare(b.date));
}

