import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { K2Group, K2Record, K3Record, KpiSet, VisitAttempt } from '@qiaoliang/shared';
import { api } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

export interface KpiParams {
  from: string;
  to: string;
  projectId?: string | undefined;
  departmentId?: string | undefined;
}

/** GET /api/kpis: K1–K4 for the period, project and department. */
export function useKpis(params: KpiParams) {
  return useQuery({
    queryKey: qk.kpiSet(params),
    queryFn: ({ signal }) => api.get<KpiSet>('/api/kpis', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/kpis/k2/records: the rated (or unreachable) valid complaints. */
export function useK2Records(params: KpiParams & { which?: K2Group | undefined }) {
  return useQuery({
    queryKey: qk.kpiRecords('k2', params),
    queryFn: ({ signal }) => api.get<K2Record[]>('/api/kpis/k2/records', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/kpis/k3/attempts: the unsuccessful visit attempts beside K3 (not counted). */
export function useK3Attempts(params: KpiParams) {
  return useQuery({
    queryKey: qk.kpiRecords('k3-attempts', params),
    queryFn: ({ signal }) => api.get<VisitAttempt[]>('/api/kpis/k3/attempts', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/kpis/k3/records: the visits counted, newest first. */
export function useK3Records(params: KpiParams) {
  return useQuery({
    queryKey: qk.kpiRecords('k3', params),
    queryFn: ({ signal }) => api.get<K3Record[]>('/api/kpis/k3/records', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}
