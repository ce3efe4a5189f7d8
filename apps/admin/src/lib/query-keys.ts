/**
 * Query keys shared by features, so that a write in one place refreshes every list that
 * shows the same records. Each key starts with its resource, so invalidating the first
 * element refreshes all its variants.
 */
export const qk = {
  me: ['auth', 'me'] as const,
  cityCompanies: ['city-companies'] as const,
  projects: ['projects'] as const,
  projectList: (params: object) => ['projects', 'list', params] as const,
  project: (id: string) => ['projects', 'detail', id] as const,
  buildings: (projectId: string) => ['buildings', projectId] as const,
  units: ['units'] as const,
  unitList: (params: object) => ['units', 'list', params] as const,
  commonAreas: (projectId: string) => ['common-areas', projectId] as const,
  departments: ['departments'] as const,
  departmentList: (params: object) => ['departments', params] as const,
  users: ['users'] as const,
  userList: (params: object) => ['users', 'list', params] as const,
  audit: (params: object) => ['audit', params] as const,
  outbox: (params: object) => ['outbox', params] as const,
  notifications: ['notifications'] as const,
};
