import { STAFF_ROLES } from '@qiaoliang/shared';
import { accessMatrix, mentions, versionOf } from '../../test/access-matrix.js';

const ADMIN = ['admin'] as const;
const pick = <T>(where: 'in' | 'out', a: T, b: T) => (where === 'in' ? a : b);

accessMatrix('organization', [
  { method: 'GET', path: '/api/city-companies', url: () => '/api/city-companies', allowed: STAFF_ROLES, leaks: (r, w) => mentions(r, w.cityC2) },
  {
    method: 'POST', path: '/api/city-companies', url: () => '/api/city-companies', allowed: ADMIN, userFor: { admin: 'root' }, noOutOfScope: true,
    body: (_w, _where, n) => ({ name: `城市${n}`, code: `CX${n}` }),
  },
  {
    method: 'PATCH', path: '/api/city-companies/:id', url: (w, where) => `/api/city-companies/${pick(where, w.cityC1, w.cityC2)}`, allowed: ADMIN, userFor: { admin: 'admin_c1' },
    body: (_w, where, n) => ({ name: `${where}城市${n}` }), version: (t, where) => versionOf(t, 'city_companies', pick(where, t.world.cityC1, t.world.cityC2)),
  },
  { method: 'GET', path: '/api/projects', url: () => '/api/projects?pageSize=200', allowed: STAFF_ROLES, leaks: (r, w) => mentions(r, w.projectB, w.projectA2) },
  { method: 'GET', path: '/api/projects?cityCompanyId', url: (w) => `/api/projects?cityCompanyId=${w.cityC2}`, allowed: STAFF_ROLES, leaks: (r, w) => mentions(r, w.projectB) },
  {
    method: 'POST', path: '/api/projects', url: () => '/api/projects', allowed: ADMIN, userFor: { admin: 'admin_c1' },
    body: (w, where, n) => ({ cityCompanyId: pick(where, w.cityC1, w.cityC2), name: `新项目${n}`, code: `NP${n}` }),
  },
  { method: 'GET', path: '/api/projects/:id', url: (w, where) => `/api/projects/${pick(where, w.projectA, w.projectB)}`, allowed: STAFF_ROLES },
  {
    method: 'PATCH', path: '/api/projects/:id', url: (w, where) => `/api/projects/${pick(where, w.projectA, w.projectB)}`, allowed: ADMIN,
    body: (_w, _where, n) => ({ address: `地址${n}` }), version: (t, where) => versionOf(t, 'projects', pick(where, t.world.projectA, t.world.projectB)),
  },
  { method: 'GET', path: '/api/projects/:id/buildings', url: (w, where) => `/api/projects/${pick(where, w.projectA, w.projectB)}/buildings`, allowed: STAFF_ROLES },
  {
    method: 'POST', path: '/api/projects/:id/buildings', url: (w, where) => `/api/projects/${pick(where, w.projectA, w.projectB)}/buildings`, allowed: ADMIN,
    body: (_w, _where, n) => ({ name: `${n}`, floors: 18 }),
  },
  {
    method: 'PATCH', path: '/api/buildings/:id', url: (w, where) => `/api/buildings/${pick(where, w.buildingA, w.buildingB)}`, allowed: ADMIN,
    body: () => ({ floors: 20 }), version: (t, where) => versionOf(t, 'buildings', pick(where, t.world.buildingA, t.world.buildingB)),
  },
  { method: 'GET', path: '/api/units?projectId', url: (w, where) => `/api/units?projectId=${pick(where, w.projectA, w.projectB)}`, allowed: STAFF_ROLES },
  { method: 'GET', path: '/api/units?buildingId', url: (w, where) => `/api/units?buildingId=${pick(where, w.buildingA, w.buildingB)}`, allowed: STAFF_ROLES },
  { method: 'GET', path: '/api/units/:id', url: (w, where) => `/api/units/${pick(where, w.unitA, w.unitB)}`, allowed: STAFF_ROLES },
  {
    method: 'POST', path: '/api/buildings/:id/units', url: (w, where) => `/api/buildings/${pick(where, w.buildingA, w.buildingB)}/units`, allowed: ADMIN,
    body: (_w, _where, n) => ({ entrance: '1', floor: 3, roomNumber: `3${String(n).padStart(2, '0')}` }),
  },
  {
    method: 'PATCH', path: '/api/units/:id', url: (w, where) => `/api/units/${pick(where, w.unitA, w.unitB)}`, allowed: ADMIN,
    body: () => ({ layout: '四室两厅' }), version: (t, where) => versionOf(t, 'units', pick(where, t.world.unitA, t.world.unitB)),
  },
  { method: 'GET', path: '/api/projects/:id/common-areas', url: (w, where) => `/api/projects/${pick(where, w.projectA, w.projectB)}/common-areas`, allowed: STAFF_ROLES },
  {
    method: 'POST', path: '/api/projects/:id/common-areas', url: (w, where) => `/api/projects/${pick(where, w.projectA, w.projectB)}/common-areas`, allowed: ADMIN,
    body: (_w, _where, n) => ({ name: `电梯厅${n}` }),
  },
  {
    method: 'PATCH', path: '/api/common-areas/:id', url: (w, where) => `/api/common-areas/${pick(where, w.commonAreaA, w.commonAreaB)}`, allowed: ADMIN,
    body: (_w, _where, n) => ({ description: `说明${n}` }), version: (t, where) => versionOf(t, 'common_areas', pick(where, t.world.commonAreaA, t.world.commonAreaB)),
  },
  { method: 'GET', path: '/api/departments', url: () => '/api/departments', allowed: STAFF_ROLES, leaks: (r, w) => mentions(r, w.deptEngC2, w.deptPropB) },
  { method: 'GET', path: '/api/departments?projectId', url: (w, where) => `/api/departments?projectId=${pick(where, w.projectA, w.projectB)}`, allowed: STAFF_ROLES },
  {
    method: 'POST', path: '/api/departments', url: () => '/api/departments', allowed: ADMIN,
    body: (w, where, n) => ({ name: `部门${n}`, kind: 'engineering', level: 'project', projectId: pick(where, w.projectA, w.projectB) }),
  },
  {
    method: 'PATCH', path: '/api/departments/:id', url: (w, where) => `/api/departments/${pick(where, w.deptPropA, w.deptPropB)}`, allowed: ADMIN,
    body: (_w, _where, n) => ({ name: `物业${n}` }), version: (t, where) => versionOf(t, 'departments', pick(where, t.world.deptPropA, t.world.deptPropB)),
  },
  {
    method: 'POST', path: '/api/projects/:id/units/import', url: (w, where) => `/api/projects/${pick(where, w.projectA, w.projectB)}/units/import?dryRun=true`, allowed: ADMIN,
  },
]);

accessMatrix('users and audit', [
  { method: 'GET', path: '/api/users', url: () => '/api/users?pageSize=200', allowed: ADMIN, leaks: (r, w) => mentions(r, w.users.agent_b!, w.users.root!) },
  { method: 'GET', path: '/api/users/:id', url: (w, where) => `/api/users/${pick(where, w.users.agent_a!, w.users.agent_b!)}`, allowed: ADMIN },
  {
    method: 'POST', path: '/api/users', url: () => '/api/users', allowed: ADMIN,
    body: (w, where, n) => ({ username: `u${n}`, displayName: `用户${n}`, password: 'Mq4-river-stone', roles: ['agent'], scopeKind: 'project', scopeIds: [pick(where, w.projectA, w.projectB)] }),
  },
  {
    method: 'PATCH', path: '/api/users/:id', url: (w, where) => `/api/users/${pick(where, w.users.executive_a!, w.users.executive_b!)}`, allowed: ADMIN,
    body: (_w, _where, n) => ({ displayName: `领导${n}` }), version: (t, where) => versionOf(t, 'users', pick(where, t.world.users.executive_a!, t.world.users.executive_b!)),
  },
  {
    method: 'POST', path: '/api/users/:id/deactivate', url: (w, where) => `/api/users/${pick(where, w.users.target_a!, w.users.target_b!)}/deactivate`, allowed: ADMIN,
    version: (t, where) => versionOf(t, 'users', pick(where, t.world.users.target_a!, t.world.users.target_b!)),
  },
  {
    method: 'POST', path: '/api/users/:id/reset-password', url: (w, where) => `/api/users/${pick(where, w.users.target_a!, w.users.target_b!)}/reset-password`, allowed: ADMIN,
    body: () => ({ newPassword: 'Reset-4471-kv' }),
  },
  { method: 'GET', path: '/api/audit', url: () => '/api/audit', allowed: ADMIN, userFor: { admin: 'root' }, noOutOfScope: true },
  { method: 'GET', path: '/api/audit/verify', url: () => '/api/audit/verify', allowed: ADMIN, userFor: { admin: 'root' }, noOutOfScope: true },
]);
