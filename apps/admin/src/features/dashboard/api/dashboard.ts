import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DashboardReport } from '@qiaoliang/shared';
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
