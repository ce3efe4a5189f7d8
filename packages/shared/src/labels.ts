import type { DepartmentKind, OrgLevel, Role, ScopeKind } from './roles.js';

/** Simplified Chinese labels of enum values; one place so that English can follow. */
export const ROLE_LABELS: Record<Role, string> = {
  agent: '客服专员',
  supervisor: '客服主管',
  manager: '客服经理',
  handler: '部门处理人',
  executive: '领导',
  admin: '系统管理员',
  owner: '业主',
};

export const SCOPE_KIND_LABELS: Record<ScopeKind, string> = {
  group: '集团',
  city_company: '城市公司',
  project: '项目',
};

export const ORG_LEVEL_LABELS: Record<OrgLevel, string> = {
  group: '集团',
  city_company: '城市公司',
  project: '项目',
};

export const DEPARTMENT_KIND_LABELS: Record<DepartmentKind, string> = {
  engineering: '工程部',
  sales: '销售部',
  design: '设计部',
  finance: '财务部',
  legal: '法务部',
  property: '物业公司',
  other: '其他',
};

/** Audit actions shown on the audit page. Unknown actions fall back to the raw code. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.logout': '退出登录',
  'auth.password_changed': '修改密码',
  'user.created': '新建用户',
  'user.updated': '修改用户',
  'user.deactivated': '停用用户',
  'user.activated': '启用用户',
  'user.password_reset': '重置密码',
  'city_company.created': '新建城市公司',
  'city_company.updated': '修改城市公司',
  'project.created': '新建项目',
  'project.updated': '修改项目',
  'building.created': '新建楼栋',
  'building.updated': '修改楼栋',
  'unit.created': '新建房屋',
  'unit.updated': '修改房屋',
  'unit.imported': '导入房屋',
  'common_area.created': '新建公共部位',
  'common_area.updated': '修改公共部位',
  'department.created': '新建部门',
  'department.updated': '修改部门',
};

export const ENTITY_LABELS: Record<string, string> = {
  user: '用户',
  session: '会话',
  city_company: '城市公司',
  project: '项目',
  building: '楼栋',
  unit: '房屋',
  common_area: '公共部位',
  department: '部门',
};
