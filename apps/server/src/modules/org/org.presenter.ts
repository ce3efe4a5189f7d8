import type { Building, CityCompany, CommonArea, Department, Project, Unit } from '@qiaoliang/shared';
import type { BuildingsTable, CityCompaniesTable, CommonAreasTable, DepartmentsTable, ProjectsTable, UnitsTable } from '../../db/schema.js';
import { fromFlag } from '../../db/dialect.js';
import { iso } from '../../http/pagination.js';

/** How agents say a unit: 3栋2单元1501. */
export function unitLabel(buildingName: string, entrance: string, roomNumber: string): string {
  const b = /^\d+$/.test(buildingName) ? `${buildingName}栋` : buildingName;
  const e = /^\d+$/.test(entrance) ? `${entrance}单元` : entrance;
  return `${b}${e}${roomNumber}`;
}

export const presentCityCompany = (r: CityCompaniesTable): CityCompany => ({
  id: r.id, name: r.name, code: r.code, version: r.version, createdAt: iso(r.created_at),
});

export const presentProject = (r: ProjectsTable & { city_company_name: string; building_count: number | null; unit_count: number | null }): Project => ({
  id: r.id,
  cityCompanyId: r.city_company_id,
  cityCompanyName: r.city_company_name,
  name: r.name,
  code: r.code,
  address: r.address,
  buildingCount: Number(r.building_count),
  unitCount: Number(r.unit_count),
  version: r.version,
  createdAt: iso(r.created_at),
});

export const presentBuilding = (r: BuildingsTable & { unit_count: number | null }): Building => ({
  id: r.id, projectId: r.project_id, name: r.name, floors: r.floors, unitCount: Number(r.unit_count), version: r.version, createdAt: iso(r.created_at),
});

export const presentUnit = (r: UnitsTable & { building_name: string }): Unit => ({
  id: r.id,
  projectId: r.project_id,
  buildingId: r.building_id,
  buildingName: r.building_name,
  entrance: r.entrance,
  floor: r.floor,
  roomNumber: r.room_number,
  area: r.area === null ? null : Number(r.area),
  layout: r.layout,
  label: unitLabel(r.building_name, r.entrance, r.room_number),
  version: r.version,
  createdAt: iso(r.created_at),
});

export const presentCommonArea = (r: CommonAreasTable): CommonArea => ({
  id: r.id, projectId: r.project_id, buildingId: r.building_id, name: r.name, description: r.description, version: r.version, createdAt: iso(r.created_at),
});

export const presentDepartment = (r: DepartmentsTable): Department => ({
  id: r.id,
  name: r.name,
  kind: r.kind as Department['kind'],
  level: r.level as Department['level'],
  cityCompanyId: r.city_company_id,
  projectId: r.project_id,
  active: fromFlag(r.active),
  version: r.version,
  createdAt: iso(r.created_at),
});
