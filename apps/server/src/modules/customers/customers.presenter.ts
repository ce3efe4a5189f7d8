import { maskPhone, type ArchiveField, type Customer, type CustomerSummary, type UnitRelation } from '@qiaoliang/shared';
import type { CustomerArchiveStatesTable, CustomersTable, CustomerUnitsTable } from '../../db/schema.js';
import type { PhoneRow } from './customer-phones.repo.js';
import { fromFlag } from '../../db/dialect.js';
import { iso, isoOrNull } from '../../http/pagination.js';
import { unitLabel } from '../org/org.presenter.js';
import { addMonths, isArchiveCurrent, relationHeldOn } from './customers.rules.js';

export type UnitLinkRow = CustomerUnitsTable & { project_name: string; building_name: string; entrance: string; room_number: string };

/** The archive status of a customer at an instant, from its latest state row. */
export function archiveStatusOf(state: CustomerArchiveStatesTable | undefined, row: CustomersTable, now: number, currencyMonths: number, timeZone: string) {
  const touchedAt = state ? Number(state.touched_at) : Math.max(Number(row.updated_at), Number(row.archive_confirmed_at ?? 0));
  return {
    complete: state ? fromFlag(state.complete) : false,
    current: isArchiveCurrent(touchedAt, now, currencyMonths, timeZone),
    missing: state ? (JSON.parse(state.missing) as ArchiveField[]) : [],
    touchedAt: iso(touchedAt),
    currentUntil: iso(addMonths(touchedAt, currencyMonths, timeZone)),
  };
}

/** The list shape: masked primary phone, current units, archive flags. */
export function presentSummary(
  row: CustomersTable, phones: PhoneRow[], links: UnitLinkRow[], state: CustomerArchiveStatesTable | undefined, today: string, now: number, currencyMonths: number,
  timeZone: string,
): CustomerSummary {
  const archive = archiveStatusOf(state, row, now, currencyMonths, timeZone);
  return {
    id: row.id,
    kind: row.kind as CustomerSummary['kind'],
    name: row.name,
    phone: maskPhone(phones[0]?.phone ?? null),
    vip: fromFlag(row.vip),
    tags: JSON.parse(row.tags) as string[],
    units: links.filter((l) => relationHeldOn(l.from_date, l.to_date, today)).map((l) => ({
      unitId: l.unit_id, projectName: l.project_name, unitLabel: unitLabel(l.building_name, l.entrance, l.room_number), relation: l.relation as UnitRelation,
    })),
    archiveComplete: archive.complete,
    archiveCurrent: archive.current,
    updatedAt: iso(row.updated_at),
  };
}

/** The 360 view: every field, phones and ID number masked. */
export function presentCustomer(
  row: CustomersTable, phones: PhoneRow[], shared: Map<string, number>, links: UnitLinkRow[], state: CustomerArchiveStatesTable | undefined,
  today: string, now: number, currencyMonths: number, confirmedByName: string | null, timeZone: string,
): Customer {
  return {
    id: row.id,
    kind: row.kind as Customer['kind'],
    name: row.name,
    projectId: row.project_id,
    phones: phones.map((p) => ({ id: p.id, phone: maskPhone(p.phone)!, label: p.label, isPrimary: fromFlag(p.is_primary), sharedWith: Math.max(0, (shared.get(p.phone) ?? 1) - 1) })),
    idNumber: row.id_number_masked,
    email: row.email,
    wechatId: row.wechat_id,
    preferredChannel: row.preferred_channel as Customer['preferredChannel'],
    preferredTime: row.preferred_time,
    address: row.address,
    tags: JSON.parse(row.tags) as string[],
    vip: fromFlag(row.vip),
    notes: row.notes,
    preferences: row.preferences,
    units: links.map((l) => ({
      id: l.id,
      unitId: l.unit_id,
      projectId: l.project_id,
      projectName: l.project_name,
      unitLabel: unitLabel(l.building_name, l.entrance, l.room_number),
      relation: l.relation as UnitRelation,
      share: l.share === null ? null : Number(l.share),
      fromDate: l.from_date,
      toDate: l.to_date,
      current: relationHeldOn(l.from_date, l.to_date, today),
      contractNo: l.contract_no,
      contractDate: l.contract_date,
      contractedHandoverDate: l.contracted_handover_date,
      actualHandoverDate: l.actual_handover_date,
      warrantyStartDate: l.warranty_start_date,
      version: l.version,
    })),
    archive: archiveStatusOf(state, row, now, currencyMonths, timeZone),
    archiveConfirmedAt: isoOrNull(row.archive_confirmed_at),
    archiveConfirmedBy: confirmedByName,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
