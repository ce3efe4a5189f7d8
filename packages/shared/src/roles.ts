/** Roles of mission.md. `owner` is the portal role; the others are staff roles. */
export const ROLES = ['agent', 'supervisor', 'manager', 'handler', 'executive', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a staff user can hold (the owner role belongs to portal accounts). */
export const STAFF_ROLES = ['agent', 'supervisor', 'manager', 'handler', 'executive', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * Every staff role but `handler`: the customer service center and its management, who read
 * tickets, customers, callbacks and KPIs across their scope. A handler (a department's staff)
 * sees only the work orders sent to them.
 */
export const CENTER_ROLES = ['agent', 'supervisor', 'manager', 'executive', 'admin'] as const satisfies readonly StaffRole[];

/** How far a staff user's data access reaches. */
export const SCOPE_KINDS = ['group', 'city_company', 'project'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/** Department kinds the center dispatches work to. */
export const DEPARTMENT_KINDS = ['engineering', 'sales', 'design', 'finance', 'legal', 'property', 'contractor', 'other'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/** Level of the organization a department belongs to. */
export const ORG_LEVELS = ['group', 'city_company', 'project'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];
