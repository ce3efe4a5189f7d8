import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../../lib/api';
import { useRequestExport } from '../../../lib/export-jobs';

export interface ChecklistItem { room: string; item: string; criterion: string; warrantyComponent: string; trade: string }
export interface Progress { units: number; inspected: number; notInspected: number; accepted: number; refused: number; withOpenDefects: number }
export interface Batch { id: string; projectId: string; projectName: string; name: string; windowFrom: string; windowTo: string; version: number; progress: Progress; checklist?: ChecklistItem[] }
export interface Defect {
  id: string; batchId: string; handoverUnitId: string; unitId: string; buildingName: string; roomNumber: string; room: string; item: string; description: string;
  severity: string; contractorId: string | null; contractorName: string | null; status: string; registeredAt: string; dueAt: string | null; reinspectFailures: number; flagged: boolean; version: number;
}
export interface HandoverUnit {
  id: string; batchId: string; unitId: string; buildingName: string; roomNumber: string; status: string; signStatus: string; version: number; passedItems: number;
  actualHandoverDate: string | null; warrantyStartDate: string | null; checklist?: ChecklistItem[]; defects?: Defect[];
}
export interface Summary { defects: number; openDefects: number; defectsPerUnit: number | null; firstPassRate: number | null; onTimeRate: number | null; reinspectPassRate: number | null; buckets: Record<string, number> }
export interface Report { batchName: string; progress: Progress; total: Summary; groups: (Summary & { id: string; name: string })[]; byItem: { key: string; count: number }[] }

const keys = { all: ['handover'] as const };

export const useBatches = () => useQuery({ queryKey: ['handover', 'batches'], queryFn: ({ signal }) => api.get<Batch[]>('/api/handover/batches', undefined, signal) });
export const useBatch = (id: string) => useQuery({ queryKey: ['handover', 'batch', id], queryFn: ({ signal }) => api.get<Batch>(`/api/handover/batches/${id}`, undefined, signal) });
export const useBatchUnits = (id: string) => useQuery({ queryKey: ['handover', 'units', id], queryFn: ({ signal }) => api.get<HandoverUnit[]>(`/api/handover/batches/${id}/units`, undefined, signal) });
export const useReport = (id: string, groupBy: string) => useQuery({ queryKey: ['handover', 'report', id, groupBy], queryFn: ({ signal }) => api.get<Report>(`/api/handover/batches/${id}/report`, { groupBy }, signal) });
export const useHandoverUnit = (id: string) => useQuery({ queryKey: ['handover', 'unit', id], queryFn: ({ signal }) => api.get<HandoverUnit>(`/api/handover/units/${id}`, undefined, signal) });
export const useDefects = (q: Record<string, string | undefined>) => useQuery({ queryKey: ['handover', 'defects', q], queryFn: ({ signal }) => api.get<Defect[]>('/api/handover/defects', q, signal) });
export const useContractors = (projectId: string | undefined) => useQuery({
  queryKey: ['handover', 'contractors', projectId], enabled: Boolean(projectId),
  queryFn: async ({ signal }) => (await api.get<{ id: string; name: string; kind: string; active: boolean }[]>('/api/departments', { projectId }, signal)).filter((d) => d.kind === 'contractor' && d.active),
});
export const useExportBatch = (id: string) => useRequestExport<object>(`/api/handover/batches/${id}/exports`);

/** Every handover write; refreshes all handover queries. */
export function useHandoverWrite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (w: { path: string; body?: unknown; version?: number; file?: File }) => {
      if (w.file) {
        const fd = new FormData();
        fd.append('file', w.file);
        return request<{ id: string }>(w.path, { method: 'POST', formData: fd });
      }
      return request<{ id: string }>(w.path, { method: 'POST', body: w.body ?? {}, ...(w.version !== undefined ? { version: w.version } : {}) });
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.all }),
  });
}
