import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ExportJob } from '@qiaoliang/shared';
import { useSyncExternalStore } from 'react';
import { api, ApiError, buildUrl } from './api';
import { T } from './texts';

/*
 * Export jobs (issue 21): a feature asks for an export with a POST to its own …/exports route,
 * then the 导出任务 drawer in the header shows the job's progress, the approvals and the download.
 * Shared by features through lib, like the query keys.
 */

export const exportKeys = {
  all: ['exports'] as const,
  list: (view: 'mine' | 'approvals') => ['exports', view] as const,
};

const ACTIVE: ExportJob['status'][] = ['queued', 'running'];

/** GET /api/exports: my exports or (approvals) the bulk reveals I may decide; polled while one is being built. */
export function useExportJobs(view: 'mine' | 'approvals', enabled = true) {
  return useQuery({
    queryKey: exportKeys.list(view),
    queryFn: ({ signal }) => api.get<{ items: ExportJob[] }>('/api/exports', { view }, signal),
    enabled,
    refetchInterval: (q) => (q.state.data?.items.some((j) => ACTIVE.includes(j.status) || (view === 'mine' && j.status === 'awaiting_approval')) ? 1500 : false),
  });
}

/** POST …/exports of a feature: asks for an export and opens the drawer. */
export function useRequestExport<B extends object>(path: string | ((body: B) => string)) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: B) => api.post<ExportJob>(typeof path === 'string' ? path : path(body), body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: exportKeys.all });
      openExportJobs();
    },
  });
}

/** POST /api/exports/:id/approve or /reject. */
export function useDecideExport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, approve, note }: { id: string; approve: boolean; note?: string }) =>
      api.post<ExportJob>(`/api/exports/${id}/${approve ? 'approve' : 'reject'}`, note ? { note } : {}),
    onSuccess: () => void qc.invalidateQueries({ queryKey: exportKeys.all }),
  });
}

/** GET /api/exports/:id/file: saves the finished file under its name. */
export async function downloadExport(job: ExportJob): Promise<void> {
  let res: Response;
  try {
    res = await fetch(buildUrl(`/api/exports/${job.id}/file`), { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { code: 'network', title: T.errors.network });
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => undefined);
    throw new ApiError(res.status, body && typeof body === 'object' ? body : {}, body);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = job.fileName ?? 'export.xlsx';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// The drawer's open state, shared by the header button and the features that start an export.
let drawerOpen = false;
const listeners = new Set<() => void>();
const setOpen = (open: boolean) => {
  drawerOpen = open;
  for (const l of listeners) l();
};
/** Opens the 导出任务 drawer. */
export const openExportJobs = (): void => setOpen(true);
/** Closes the 导出任务 drawer. */
export const closeExportJobs = (): void => setOpen(false);
/** Whether the drawer is open. */
export function useExportJobsOpen(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => drawerOpen,
  );
}
