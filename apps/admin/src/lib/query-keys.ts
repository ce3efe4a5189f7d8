import { ticketKeys } from './query-keys-tickets';
import { callbackKeys } from './query-keys-callbacks';

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
  customers: ['customers'] as const,
  customerList: (params: object) => ['customers', 'list', params] as const,
  customer: (id: string) => ['customers', 'detail', id] as const,
  customerTimeline: (id: string) => ['customers', 'timeline', id] as const,
  archiveRate: ['archive-rate'] as const,
  archiveRateReport: (params: object) => ['archive-rate', 'report', params] as const,
  archiveRateRecords: (params: object) => ['archive-rate', 'records', params] as const,
  archiveRules: ['settings', 'archive-rules'] as const,
  privacySettings: ['settings', 'privacy'] as const,
  ...ticketKeys,
  ...callbackKeys,
};
