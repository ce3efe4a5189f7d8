import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DashboardReport, KpiRollupStatus } from '@qiaoliang/shared';
import { api } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

export interface DashboardParams {
  from: string;
  to: string;
  projectId?: string | undefined;
  departmentId?: string | undefined;
}

export function useDashboard(params: DashboardParams) {
  return useQuery({
    queryKey: qk.dashboardReport(params),
    queryFn: ({ signal }) => api.get<DashboardReport>('/api/dashboard', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/kpis/rollups: the rollups' backfill, last reconciliation and drift (administrators only). */
export function useKpiRollupStatus(enabled: boolean) {
  return useQuery({
    queryKey: ['kpis', 'rollups'] as const,
    queryFn: ({ signal }) => api.get<KpiRollupStatus>('/api/kpis/rollups', {}, signal),
    enabled,
  });
}
