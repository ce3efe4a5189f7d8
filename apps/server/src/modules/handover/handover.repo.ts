import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** Defects with their unit, building and contractor names, for presenters and reports. */
export function defectsQuery(db: Kysely<DB>) {
  return db
    .selectFrom('handover_defects as d')
    .innerJoin('units as u', 'u.id', 'd.unit_id')
    .innerJoin('buildings as b', 'b.id', 'd.building_id')
    .leftJoin('departments as c', 'c.id', 'd.contractor_id')
    .selectAll('d')
    .select(['u.room_number', 'u.entrance', 'b.name as building_name', 'c.name as contractor_name']);
}
export type DefectRow = NonNullable<Awaited<ReturnType<ReturnType<typeof defectsQuery>['executeTakeFirst']>>>;

/** Handover units of a batch with their unit and building. */
export function handoverUnitsQuery(db: Kysely<DB>) {
  return db
    .selectFrom('handover_units as h')
    .innerJoin('units as u', 'u.id', 'h.unit_id')
    .innerJoin('buildings as b', 'b.id', 'h.building_id')
    .selectAll('h')
    .select(['u.room_number', 'u.entrance', 'u.floor', 'b.name as building_name', 'u.actual_handover_date', 'u.warranty_start_date']);
}
export type HandoverUnitRow = NonNullable<Awaited<ReturnType<ReturnType<typeof handoverUnitsQuery>['executeTakeFirst']>>>;
