import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ArchiveRateRecord, ArchiveRateReport, ArchiveRules, PrivacySettings } from '@qiaoliang/shared';
import { api, request, type Page } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

export type RecordFilter = 'numerator' | 'denominator' | 'missing';

/** GET /api/kpis/archive-rate: K4 at the end of a date (today when none), total and per project. */
export function useArchiveRate(params: { date?: string; projectId?: string }) {
  return useQuery({
    queryKey: qk.archiveRateReport(params),
    queryFn: ({ signal }) => api.get<ArchiveRateReport>('/api/kpis/archive-rate', { ...params }, signal),
    placeholderData: keepPreviousData,
    // K4 changes with every archive write anywhere; a minute old is old.
    staleTime: 0,
  });
}

export interface RecordParams {
  date?: string;
  projectId?: string;
  filter: RecordFilter;
  page: number;
  pageSize: number;
}

/** GET /api/kpis/archive-rate/records: the customers behind a K4 number. */
export function useArchiveRateRecords(params: RecordParams, enabled: boolean) {
  return useQuery({
    queryKey: qk.archiveRateRecords(params),
    queryFn: ({ signal }) => api.get<Page<ArchiveRateRecord>>('/api/kpis/archive-rate/records', { ...params }, signal),
    placeholderData: keepPreviousData,
    staleTime: 0,
    enabled,
  });
}

/** GET /api/settings/archive-rules (version 0 while the defaults apply). */
export function useArchiveRules() {
  return useQuery({
    queryKey: qk.archiveRules,
    queryFn: ({ signal }) => api.get<ArchiveRules>('/api/settings/archive-rules', undefined, signal),
  });
}

/** PUT /api/settings/archive-rules with If-Match (admin). Every archive state is recomputed. */
export function useSaveArchiveRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, body }: { version: number; body: Omit<ArchiveRules, 'version'> }) =>
      request<ArchiveRules>('/api/settings/archive-rules', { method: 'PUT', version, body }),
    onSuccess: (saved) => {
      queryClient.setQueryData(qk.archiveRules, saved);
      void queryClient.invalidateQueries({ queryKey: qk.customers });
      void queryClient.invalidateQueries({ queryKey: qk.archiveRate });
    },
  });
}

/** GET /api/settings/privacy (admin). */
export function usePrivacySettings() {
  return useQuery({
    queryKey: qk.privacySettings,
    queryFn: ({ signal }) => api.get<PrivacySettings>('/api/settings/privacy', undefined, signal),
  });
}

/** PUT /api/settings/privacy with If-Match (admin). */
export function useSavePrivacySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, body }: { version: number; body: Omit<PrivacySettings, 'version'> }) =>
      request<PrivacySettings>('/api/settings/privacy', { method: 'PUT', version, body }),
    onSuccess: (saved) => queryClient.setQueryData(qk.privacySettings, saved),
  });
}
