import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** Project rows with their city company name and inventory counts. */
export function projectsQuery(db: Kysely<DB>) {
  return db
    .selectFrom('projects as p')
    .innerJoin('city_companies as c', 'c.id', 'p.city_company_id')
    .selectAll('p')
    .select('c.name as city_company_name')
    .select((eb) => [
      eb.selectFrom('buildings as b').select(eb.fn.countAll<number>().as('n')).whereRef('b.project_id', '=', 'p.id').as('building_count'),
      eb.selectFrom('units as u').select(eb.fn.countAll<number>().as('n')).whereRef('u.project_id', '=', 'p.id').as('unit_count'),
    ]);
}

/** Building rows with their unit counts. */
export function buildingsQuery(db: Kysely<DB>) {
  return db
    .selectFrom('buildings as b')
    .selectAll('b')
    .select((eb) => eb.selectFrom('units as u').select(eb.fn.countAll<number>().as('n')).whereRef('u.building_id', '=', 'b.id').as('unit_count'));
}

/** Unit rows with their building name. */
export function unitsQuery(db: Kysely<DB>) {
  return db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').selectAll('u').select('b.name as building_name');
}

/** Finds a project's city company id, or undefined. */
export async function findProject(db: Kysely<DB>, id: string) {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findBuilding(db: Kysely<DB>, id: string) {
  return db.selectFrom('buildings').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUnit(db: Kysely<DB>, id: string) {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCommonArea(db: Kysely<DB>, id: string) {
  return db.selectFrom('common_areas').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDepartment(db: Kysely<DB>, id: string) {
  return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCityCompany(db: Kysely<DB>, id: string) {
  return db.selectFrom('city_companies').selectAll().where('id', '=', id).executeTakeFirst();
}

export { ilike } from '../../db/dialect.js';
