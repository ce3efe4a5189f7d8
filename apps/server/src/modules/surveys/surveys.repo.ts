import type { Kysely } from 'kysely';
import { OWNER_RELATIONS, type SurveySegment } from '@qiaoliang/shared';
import type { DB } from '../../db/schema.js';
import { firstPhoneOf } from '../customers/customer-phones.repo.js';

/** A survey with its project's name and its author's name, for the presenters. */
export function surveysQuery(db: Kysely<DB>) {
  return db
    .selectFrom('surveys as s')
    .innerJoin('projects as p', 'p.id', 's.project_id')
    .leftJoin('users as u', 'u.id', 's.created_by')
    .selectAll('s')
    .select(['p.name as project_name', 'u.display_name as created_by_name']);
}

export type SurveyRow = NonNullable<Awaited<ReturnType<ReturnType<typeof surveysQuery>['executeTakeFirst']>>>;

/**
 * The customers a segment names, one row each: current owners, co-owners and prospective
 * owners of units of the project (a relation not ended by `day`), not merged away, narrowed
 * by building, customer kind and actual handover date (inclusive) of that same relation.
 */
export function segmentCustomerIds(db: Kysely<DB>, projectId: string, segment: SurveySegment, day: string) {
  let q = db
    .selectFrom('customer_units as cu')
    .innerJoin('customers as c', 'c.id', 'cu.customer_id')
    .where('cu.project_id', '=', projectId)
    .where('cu.relation', 'in', [...OWNER_RELATIONS])
    .where((eb) => eb.or([eb('cu.to_date', 'is', null), eb('cu.to_date', '>', day)]))
    .where('c.merged_into_id', 'is', null);
  if (segment.buildingIds?.length) {
    q = q.where('cu.unit_id', 'in', db.selectFrom('units').select('units.id').where('units.building_id', 'in', segment.buildingIds));
  }
  if (segment.customerKinds?.length) q = q.where('c.kind', 'in', segment.customerKinds);
  if (segment.handoverFrom) q = q.where('cu.actual_handover_date', '>=', segment.handoverFrom);
  if (segment.handoverTo) q = q.where('cu.actual_handover_date', '<=', segment.handoverTo);
  return q.select('c.id').distinct();
}

/** The first mainland mobile number (+861…, the only numbers an SMS reaches) of each customer, primary first, for the invitations by SMS. */
export const mobilesOf = (db: Kysely<DB>, fieldKey: Buffer, customerIds: string[]): Promise<Map<string, string>> => firstPhoneOf(db, fieldKey, customerIds, true);
