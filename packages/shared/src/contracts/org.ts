import Type from 'typebox';
import { DEPARTMENT_KINDS, ORG_LEVELS } from '../roles.js';
import { Code, Id, Instant, Name, OptionalText, PageQuery } from './common.js';

export const CityCompany = Type.Object({
  id: Id,
  name: Type.String(),
  code: Type.String(),
  version: Type.Integer(),
  createdAt: Instant,
});
export type CityCompany = Type.Static<typeof CityCompany>;

export const CityCompanyCreate = Type.Object({ name: Name, code: Code }, { additionalProperties: false });
export type CityCompanyCreate = Type.Static<typeof CityCompanyCreate>;
export const CityCompanyUpdate = Type.Partial(CityCompanyCreate, { additionalProperties: false });
export type CityCompanyUpdate = Type.Static<typeof CityCompanyUpdate>;

export const Project = Type.Object({
  id: Id,
  cityCompanyId: Id,
  cityCompanyName: Type.String(),
  name: Type.String(),
  code: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  buildingCount: Type.Integer(),
  unitCount: Type.Integer(),
  version: Type.Integer(),
  createdAt: Instant,
});
export type Project = Type.Static<typeof Project>;

export const ProjectCreate = Type.Object(
  { cityCompanyId: Id, name: Name, code: Code, address: Type.Optional(OptionalText) },
  { additionalProperties: false },
);
export type ProjectCreate = Type.Static<typeof ProjectCreate>;
export const ProjectUpdate = Type.Partial(Type.Omit(ProjectCreate, ['cityCompanyId']), { additionalProperties: false });
export type ProjectUpdate = Type.Static<typeof ProjectUpdate>;

export const ProjectListQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    cityCompanyId: Type.Optional(Id),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    /** Comma-separated project ids (a picker showing a user's scope). */
    ids: Type.Optional(Type.String({ maxLength: 8000, pattern: '^[0-9a-f-]{36}(,[0-9a-f-]{36})*$' })),
  }),
]);
export type ProjectListQuery = Type.Static<typeof ProjectListQuery>;

export const Building = Type.Object({
  id: Id,
  projectId: Id,
  name: Type.String(),
  floors: Type.Union([Type.Integer(), Type.Null()]),
  unitCount: Type.Integer(),
  version: Type.Integer(),
  createdAt: Instant,
});
export type Building = Type.Static<typeof Building>;

export const BuildingCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 40 }), floors: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 200 }), Type.Null()])) },
  { additionalProperties: false },
);
export type BuildingCreate = Type.Static<typeof BuildingCreate>;
export const BuildingUpdate = Type.Partial(BuildingCreate, { additionalProperties: false });
export type BuildingUpdate = Type.Static<typeof BuildingUpdate>;

export const Unit = Type.Object({
  id: Id,
  projectId: Id,
  buildingId: Id,
  buildingName: Type.String(),
  entrance: Type.String(),
  floor: Type.Integer(),
  roomNumber: Type.String(),
  /** Floor area in square metres. */
  area: Type.Union([Type.Number(), Type.Null()]),
  layout: Type.Union([Type.String(), Type.Null()]),
  /** How agents say it: 3栋2单元1501. */
  label: Type.String(),
  version: Type.Integer(),
  createdAt: Instant,
});
export type Unit = Type.Static<typeof Unit>;

export const UnitCreate = Type.Object(
  {
    entrance: Type.String({ minLength: 1, maxLength: 20 }),
    floor: Type.Integer({ minimum: -10, maximum: 200 }),
    roomNumber: Type.String({ minLength: 1, maxLength: 20 }),
    area: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 100000 }), Type.Null()])),
    layout: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type UnitCreate = Type.Static<typeof UnitCreate>;
export const UnitUpdate = Type.Partial(UnitCreate, { additionalProperties: false });
export type UnitUpdate = Type.Static<typeof UnitUpdate>;

export const UnitListQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    projectId: Type.Optional(Id),
    buildingId: Type.Optional(Id),
    q: Type.Optional(Type.String({ maxLength: 100 })),
  }),
]);
export type UnitListQuery = Type.Static<typeof UnitListQuery>;

export const CommonArea = Type.Object({
  id: Id,
  projectId: Id,
  buildingId: Type.Union([Id, Type.Null()]),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  createdAt: Instant,
});
export type CommonArea = Type.Static<typeof CommonArea>;

export const CommonAreaCreate = Type.Object(
  { name: Name, buildingId: Type.Optional(Type.Union([Id, Type.Null()])), description: Type.Optional(OptionalText) },
  { additionalProperties: false },
);
export type CommonAreaCreate = Type.Static<typeof CommonAreaCreate>;
export const CommonAreaUpdate = Type.Partial(Type.Omit(CommonAreaCreate, ['buildingId']), { additionalProperties: false });
export type CommonAreaUpdate = Type.Static<typeof CommonAreaUpdate>;

export const DepartmentKindSchema = Type.Enum(DEPARTMENT_KINDS);
export const OrgLevelSchema = Type.Enum(ORG_LEVELS);

export const Department = Type.Object({
  id: Id,
  name: Type.String(),
  kind: DepartmentKindSchema,
  level: OrgLevelSchema,
  cityCompanyId: Type.Union([Id, Type.Null()]),
  projectId: Type.Union([Id, Type.Null()]),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Instant,
});
export type Department = Type.Static<typeof Department>;

export const DepartmentCreate = Type.Object(
  {
    name: Name,
    kind: DepartmentKindSchema,
    level: OrgLevelSchema,
    cityCompanyId: Type.Optional(Type.Union([Id, Type.Null()])),
    projectId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);
export type DepartmentCreate = Type.Static<typeof DepartmentCreate>;
export const DepartmentUpdate = Type.Partial(
  Type.Object({ name: Name, kind: DepartmentKindSchema, active: Type.Boolean() }),
  { additionalProperties: false },
);
export type DepartmentUpdate = Type.Static<typeof DepartmentUpdate>;

/** One rejected row of an inventory import, in Chinese. */
export const ImportRowError = Type.Object({ row: Type.Integer(), column: Type.String(), message: Type.String() });
export type ImportRowError = Type.Static<typeof ImportRowError>;

export const UnitImportReport = Type.Object({
  dryRun: Type.Boolean(),
  totalRows: Type.Integer(),
  validRows: Type.Integer(),
  createdBuildings: Type.Integer(),
  createdUnits: Type.Integer(),
  errors: Type.Array(ImportRowError),
});
export type UnitImportReport = Type.Static<typeof UnitImportReport>;
