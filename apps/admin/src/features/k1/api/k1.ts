import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { K1Record, K1Report, K1Verdict } from '@qiaoliang/shared';
import { api } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

export interface K1Params {
  from: string;
  to: string;
  projectId?: string;
  departmentId?: string;
}

/** GET /api/kpis/k1: on-time complaints over complaints due in the period. */
export function useK1(params: K1Params) {
  return useQuery({
    queryKey: qk.k1Report(params),
    queryFn: ({ signal }) => api.get<K1Report>('/api/kpis/k1', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/kpis/k1/records: the complaints behind the numbers, by deadline. */
export function useK1Records(params: K1Params & { verdict?: K1Verdict }) {
  return useQuery({
    queryKey: qk.k1Records(params),
    queryFn: ({ signal }) => api.get<K1Record[]>('/api/kpis/k1/records', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}
