import type { ArchiveField, CustomerKind } from '@qiaoliang/shared';
import { offsetMs } from '../../platform/time.js';

/** GB 11643-1999 weights and check characters of the 18-digit resident ID number. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * Validates a mainland resident ID number: 18 characters, a real birth date, and the
 * checksum. Returns the normalized form (upper-case X) or null when invalid.
 */
export function normalizeIdNumber(raw: string): string | null {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17] ? id : null;
}

/** What the archive-completeness rule looks at for one customer. */
export interface ArchiveFacts {
  kind: CustomerKind;
  name: string | null;
  hasPhone: boolean;
  hasIdNumber: boolean;
  email: string | null;
  wechatId: string | null;
  address: string | null;
  preferredChannel: string | null;
  /** Current unit relations with their purchase facts. */
  currentUnits: {
    contractNo: string | null;
    contractDate: string | null;
    contractedHandoverDate: string | null;
    actualHandoverDate: string | null;
    warrantyStartDate: string | null;
  }[];
}

export type RequiredFields = Partial<Record<CustomerKind, readonly ArchiveField[]>>;

/** The default rules: what a complete archive holds for each kind of customer. */
export const DEFAULT_REQUIRED_FIELDS: Record<CustomerKind, ArchiveField[]> = {
  owner: ['name', 'phone', 'id_number', 'unit', 'contract_no', 'actual_handover_date'],
  prospective_owner: ['name', 'phone', 'id_number', 'unit', 'contract_no', 'contracted_handover_date'],
  co_owner: ['name', 'phone', 'id_number', 'unit'],
  family: ['name', 'phone'],
  tenant: ['name', 'phone', 'unit'],
  other: ['name', 'phone'],
};
export const DEFAULT_CURRENCY_MONTHS = 12;

/**
 * The required fields a customer's archive lacks. Purchase facts count when every current
 * unit relation has them (a buyer of two homes needs both contracts on file).
 */
export function missingArchiveFields(facts: ArchiveFacts, rules: RequiredFields): ArchiveField[] {
  const required = rules[facts.kind] ?? DEFAULT_REQUIRED_FIELDS[facts.kind];
  const units = facts.currentUnits;
  const allUnits = (pick: (u: ArchiveFacts['currentUnits'][number]) => string | null) => units.length > 0 && units.every((u) => Boolean(pick(u)));
  const present: Record<ArchiveField, boolean> = {
    name: Boolean(facts.name?.trim()),
    phone: facts.hasPhone,
    id_number: facts.hasIdNumber,
    email: Boolean(facts.email),
    wechat_id: Boolean(facts.wechatId),
    address: Boolean(facts.address),
    preferred_channel: Boolean(facts.preferredChannel),
    unit: units.length > 0,
    contract_no: allUnits((u) => u.contractNo),
    contract_date: allUnits((u) => u.contractDate),
    contracted_handover_date: allUnits((u) => u.contractedHandoverDate),
    actual_handover_date: allUnits((u) => u.actualHandoverDate),
    warranty_start_date: allUnits((u) => u.warrantyStartDate),
  };
  return required.filter((f) => !present[f]);
}

/**
 * Adds whole calendar months to an instant in the business time zone: the zone's calendar date
 * moves (clamped to the month's last day) and the wall-clock time stays. UTC math would move
 * the wrong date for the hours in which the two calendars differ (mission K4, issue #20).
 */
export function addMonths(ms: number, months: number, timeZone: string): number {
  const wall = new Date(ms + offsetMs(ms, timeZone));
  const target = new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + months, 1, wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds(), wall.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(wall.getUTCDate(), lastDay));
  const wallMs = target.getTime();
  // The zone's offset at the result; twice, to settle across a DST change.
  let out = wallMs - offsetMs(wallMs, timeZone);
  out = wallMs - offsetMs(out, timeZone);
  return out;
}

/** An archive is current at an instant when it was confirmed or updated within N months (business calendar) before it. */
export function isArchiveCurrent(touchedAt: number, at: number, currencyMonths: number, timeZone: string): boolean {
  return touchedAt <= at && addMonths(touchedAt, currencyMonths, timeZone) > at;
}

/** A relation is held on a date when it started on or before it and has not ended by it. */
export function relationHeldOn(fromDate: string, toDate: string | null, date: string): boolean {
  return fromDate <= date && (toDate === null || toDate > date);
}

/** A unit address as agents type it: "3栋2单元1501", "观澜府 3-2-1501", "3-1501", "观澜府3栋1501室". */
export interface UnitAddress {
  project: string | null;
  building: string;
  entrance: string | null;
  room: string;
}

/** Parses the address forms agents use; null when the text is not an address. */
export function parseUnitAddress(text: string): UnitAddress | null {
  const s = text.replace(/\s+/g, ' ').trim();
  // 观澜府 3-2-1501 / 3-2-1501 / 3-1501
  let m = /^(.*?)[ ]?(\d+[A-Za-z]?)[-－—](?:(\d+)[-－—])?(\d{3,5}[A-Za-z]?)$/.exec(s);
  if (m) return { project: m[1]!.trim() || null, building: m[2]!, entrance: m[3] ?? null, room: m[4]! };
  // 观澜府3栋2单元1501室 / 3号楼1501
  m = /^(.*?)(\d+[A-Za-z]?)(?:栋|幢|座|号楼)(?:(\d+)单元)?(\d{3,5}[A-Za-z]?)(?:室|房|号)?$/.exec(s.replace(/ /g, ''));
  if (m) return { project: m[1]!.trim() || null, building: m[2]!, entrance: m[3] ?? null, room: m[4]! };
  return null;
}
