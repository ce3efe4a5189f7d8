import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Channel, KpiSet, TicketType } from '@qiaoliang/shared';
import { api } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

export interface DashboardParams {
  from: string;
  to: string;
  projectId?: string | undefined;
  departmentId?: string | undefined;
}

export interface Bucket<K extends string = string> {
  key: K;
  label?: string;
  count: number;
}

/** A complaint category with its count and the latest tickets in it (D9). */
export interface TopIssue {
  categoryId: string;
  category: string;
  count: number;
  examples: { id: string; number: string; title: string }[];
}

/** GET /api/dashboard: the leadership view of a period. */
export interface DashboardReport {
  kpis: KpiSet;
  trend: { month: string; k1: number | null; k2: number | null; complaints: number }[];
  total: number;
  byProject: (Bucket & { label: string })[];
  byType: Bucket<TicketType>[];
  byChannel: Bucket<Channel>[];
  byDepartment: (Bucket & { label: string; late: number })[];
  topIssues: TopIssue[];
  hotBuildings: (Bucket & { label: string })[];
}

export function useDashboard(params: DashboardParams) {
  return useQuery({
    queryKey: qk.dashboardReport(params),
    queryFn: ({ signal }) => api.get<DashboardReport>('/api/dashboard', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}
