/**
 * Query keys of callbacks, visits, the KPIs and the dashboard, spread into `qk` by
 * query-keys.ts (use `qk.…`). Each key starts with its resource, so invalidating the first
 * element refreshes all its variants.
 */
export const callbackKeys = {
  callbacks: ['callbacks'] as const,
  callbackList: (params: object) => ['callbacks', 'list', params] as const,
  callback: (id: string) => ['callbacks', 'detail', id] as const,
  visits: ['visits'] as const,
  visitList: (params: object) => ['visits', 'list', params] as const,
  visitPlans: ['visit-plans'] as const,
  visitPlan: (projectId: string, year: number) => ['visit-plans', projectId, year] as const,
  visitTasks: ['visit-tasks'] as const,
  visitTaskList: (params: object) => ['visit-tasks', params] as const,
  kpis: ['kpis'] as const,
  kpiSet: (params: object) => ['kpis', 'set', params] as const,
  kpiRecords: (k: string, params: object) => ['kpis', 'records', k, params] as const,
  dashboard: ['dashboard'] as const,
  dashboardReport: (params: object) => ['dashboard', params] as const,
};
