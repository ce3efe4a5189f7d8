import type { FastifyInstance } from 'fastify';
import {
  Building, BuildingCreate, BuildingUpdate, CityCompany, CityCompanyCreate, CityCompanyUpdate, CommonArea, CommonAreaCreate,
  CommonAreaUpdate, Department, DepartmentCreate, DepartmentUpdate, IdParams, Page, Project, ProjectCreate, ProjectListQuery,
  ProjectUpdate, STAFF_ROLES, Unit, UnitCreate, UnitImportReport, UnitListQuery, UnitUpdate, Id,
  IfMatchHeader,
} from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { badRequest } from '../../http/app-error.js';
import { expectedVersion, setEtag } from '../../http/versioning.js';
import * as org from './org.service.js';
import { importUnits } from './org.import.js';

const STAFF = STAFF_ROLES;
const ADMIN = ['admin'] as const;
const tags = ['org'];

/** Organization: city companies, projects, buildings, units, common areas, departments. */
export async function orgRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get('/api/city-companies', { config: { access: STAFF }, schema: { tags, summary: '城市公司列表', response: { 200: Type.Array(CityCompany) } } },
    async (req) => org.listCityCompanies(deps, actorOf(req)));
  app.post<{ Body: CityCompanyCreate }>('/api/city-companies', { config: { access: ADMIN }, schema: { tags, summary: '新建城市公司', body: CityCompanyCreate, response: { 201: CityCompany } } },
    async (req, reply) => reply.status(201).send(await org.createCityCompany(deps, actorOf(req), auditCtx(req), req.body)));
  app.patch<{ Params: IdParams; Body: CityCompanyUpdate }>('/api/city-companies/:id', { config: { access: ADMIN }, schema: { headers: IfMatchHeader, tags, summary: '修改城市公司', params: IdParams, body: CityCompanyUpdate, response: { 200: CityCompany } } },
    async (req, reply) => {
      const cc = await org.updateCityCompany(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body);
      setEtag(reply, cc.version);
      return cc;
    });

  app.get<{ Querystring: ProjectListQuery }>('/api/projects', { config: { access: STAFF }, schema: { tags, summary: '项目列表', querystring: ProjectListQuery, response: { 200: Page(Project) } } },
    async (req) => org.listProjects(deps, actorOf(req), req.query));
  app.post<{ Body: ProjectCreate }>('/api/projects', { config: { access: ADMIN }, schema: { tags, summary: '新建项目', body: ProjectCreate, response: { 201: Project } } },
    async (req, reply) => reply.status(201).send(await org.createProject(deps, actorOf(req), auditCtx(req), req.body)));
  app.get<{ Params: IdParams }>('/api/projects/:id', { config: { access: STAFF }, schema: { tags, summary: '项目详情', params: IdParams, response: { 200: Project } } },
    async (req, reply) => {
      const p = await org.getProject(deps, actorOf(req), req.params.id);
      setEtag(reply, p.version);
      return p;
    });
  app.patch<{ Params: IdParams; Body: ProjectUpdate }>('/api/projects/:id', { config: { access: ADMIN }, schema: { headers: IfMatchHeader, tags, summary: '修改项目', params: IdParams, body: ProjectUpdate, response: { 200: Project } } },
    async (req, reply) => {
      const p = await org.updateProject(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body);
      setEtag(reply, p.version);
      return p;
    });

  app.get<{ Params: IdParams }>('/api/projects/:id/buildings', { config: { access: STAFF }, schema: { tags, summary: '项目的楼栋', params: IdParams, response: { 200: Type.Array(Building) } } },
    async (req) => org.listBuildings(deps, actorOf(req), req.params.id));
  app.post<{ Params: IdParams; Body: BuildingCreate }>('/api/projects/:id/buildings', { config: { access: ADMIN }, schema: { tags, summary: '新建楼栋', params: IdParams, body: BuildingCreate, response: { 201: Building } } },
    async (req, reply) => reply.status(201).send(await org.createBuilding(deps, actorOf(req), auditCtx(req), req.params.id, req.body)));
  app.patch<{ Params: IdParams; Body: BuildingUpdate }>('/api/buildings/:id', { config: { access: ADMIN }, schema: { headers: IfMatchHeader, tags, summary: '修改楼栋', params: IdParams, body: BuildingUpdate, response: { 200: Building } } },
    async (req, reply) => {
      const b = await org.updateBuilding(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body);
      setEtag(reply, b.version);
      return b;
    });

  app.get<{ Querystring: UnitListQuery }>('/api/units', { config: { access: STAFF }, schema: { tags, summary: '房屋列表', querystring: UnitListQuery, response: { 200: Page(Unit) } } },
    async (req) => org.listUnits(deps, actorOf(req), req.query));
  app.get<{ Params: IdParams }>('/api/units/:id', { config: { access: STAFF }, schema: { tags, summary: '房屋详情', params: IdParams, response: { 200: Unit } } },
    async (req, reply) => {
      const u = await org.getUnit(deps, actorOf(req), req.params.id);
      setEtag(reply, u.version);
      return u;
    });
  app.post<{ Params: IdParams; Body: UnitCreate }>('/api/buildings/:id/units', { config: { access: ADMIN }, schema: { tags, summary: '新建房屋', params: IdParams, body: UnitCreate, response: { 201: Unit } } },
    async (req, reply) => reply.status(201).send(await org.createUnit(deps, actorOf(req), auditCtx(req), req.params.id, req.body)));
  app.patch<{ Params: IdParams; Body: UnitUpdate }>('/api/units/:id', { config: { access: ADMIN }, schema: { headers: IfMatchHeader, tags, summary: '修改房屋', params: IdParams, body: UnitUpdate, response: { 200: Unit } } },
    async (req, reply) => {
      const u = await org.updateUnit(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body);
      setEtag(reply, u.version);
      return u;
    });

  const ImportQuery = Type.Object({ dryRun: Type.Optional(Type.Boolean({ default: false })) });
  app.post<{ Params: IdParams; Querystring: { dryRun?: boolean } }>(
    '/api/projects/:id/units/import',
    {
      config: { access: ADMIN },
      schema: {
        tags,
        summary: '导入楼栋与房屋（.xlsx / .csv）',
        description: '列：楼栋、单元、楼层、房号、建筑面积、户型。文件有任何错误时不导入任何数据。以 multipart/form-data 的 file 字段上传。',
        params: IdParams,
        querystring: ImportQuery,
        consumes: ['multipart/form-data'],
        response: { 200: UnitImportReport, 422: UnitImportReport },
      },
    },
    async (req, reply) => {
      // Scope first: a caller outside the project learns nothing, not even about the file.
      await org.getProject(deps, actorOf(req), req.params.id);
      if (!req.isMultipart()) throw badRequest('请以 multipart/form-data 上传文件', [{ field: 'file', message: '缺少文件' }]);
      const file = await req.file();
      if (!file) throw badRequest('请上传文件', [{ field: 'file', message: '缺少文件' }]);
      const data = await file.toBuffer();
      const report = await importUnits(deps, actorOf(req), auditCtx(req), req.params.id, file.filename, data, req.query.dryRun ?? false);
      return reply.status(report.errors.length ? 422 : 200).send(report);
    },
  );

  app.get<{ Params: IdParams }>('/api/projects/:id/common-areas', { config: { access: STAFF }, schema: { tags, summary: '公共部位列表', params: IdParams, response: { 200: Type.Array(CommonArea) } } },
    async (req) => org.listCommonAreas(deps, actorOf(req), req.params.id));
  app.post<{ Params: IdParams; Body: CommonAreaCreate }>('/api/projects/:id/common-areas', { config: { access: ADMIN }, schema: { tags, summary: '新建公共部位', params: IdParams, body: CommonAreaCreate, response: { 201: CommonArea } } },
    async (req, reply) => reply.status(201).send(await org.createCommonArea(deps, actorOf(req), auditCtx(req), req.params.id, req.body)));
  app.patch<{ Params: IdParams; Body: CommonAreaUpdate }>('/api/common-areas/:id', { config: { access: ADMIN }, schema: { headers: IfMatchHeader, tags, summary: '修改公共部位', params: IdParams, body: CommonAreaUpdate, response: { 200: CommonArea } } },
    async (req, reply) => {
      const c = await org.updateCommonArea(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body);
      setEtag(reply, c.version);
      return c;
    });

  const DepartmentQuery = Type.Object({ projectId: Type.Optional(Id) });
  app.get<{ Querystring: { projectId?: string } }>('/api/departments', { config: { access: STAFF }, schema: { tags, summary: '部门列表', querystring: DepartmentQuery, response: { 200: Type.Array(Department) } } },
    async (req) => org.listDepartments(deps, actorOf(req), req.query));
  app.post<{ Body: DepartmentCreate }>('/api/departments', { config: { access: ADMIN }, schema: { tags, summary: '新建部门', body: DepartmentCreate, response: { 201: Department } } },
    async (req, reply) => reply.status(201).send(await org.createDepartment(deps, actorOf(req), auditCtx(req), req.body)));
  app.patch<{ Params: IdParams; Body: DepartmentUpdate }>('/api/departments/:id', { config: { access: ADMIN }, schema: { headers: IfMatchHeader, tags, summary: '修改部门', params: IdParams, body: DepartmentUpdate, response: { 200: Department } } },
    async (req, reply) => {
      const d = await org.updateDepartment(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body);
      setEtag(reply, d.version);
      return d;
    });
}
