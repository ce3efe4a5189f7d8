import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { KpiSet, Visit, VisitAttempt, VisitAttemptCreate, VisitCreate, VisitKind, VisitPlan, VisitPlanRules, VisitTask } from '@qiaoliang/shared';
import dayjs from 'dayjs';
import { api, request } from '../../../lib/api';
import { DATE } from '../../../lib/period';
import { qk } from '../../../lib/query-keys';

/** GET /api/visit-plans/:projectId/:year (made with the default rules on first access). */
export function useVisitPlan(projectId: string | undefined, year: number) {
  return useQuery({
    queryKey: qk.visitPlan(projectId ?? '', year),
    queryFn: ({ signal }) => api.get<VisitPlan>(`/api/visit-plans/${projectId}/${year}`, undefined, signal),
    enabled: !!projectId,
    placeholderData: keepPreviousData,
  });
}

/** K3 of the project for the year so far (what the plan is for). */
export function useYearCoverage(projectId: string | undefined, year: number) {
  const today = dayjs().format(DATE);
  const end = `${year}-12-31`;
  const params = { from: `${year}-01-01`, to: end < today ? end : today, projectId };
  return useQuery({
    queryKey: qk.kpiSet(params),
    queryFn: ({ signal }) => api.get<KpiSet>('/api/kpis', { ...params }, signal),
    enabled: !!projectId && params.from <= params.to,
    placeholderData: keepPreviousData,
  });
}

function useVisitsWritten() {
  const queryClient = useQueryClient();
  return (customerId?: string) => {
    for (const key of [qk.visits, qk.visitPlans, qk.visitTasks, qk.kpis, qk.dashboard]) void queryClient.invalidateQueries({ queryKey: key });
    if (customerId) void queryClient.invalidateQueries({ queryKey: qk.customerTimeline(customerId) });
  };
}

/** PUT /api/visit-plans/:projectId/:year: the extra visits for VIPs, complainers, new owners. */
export function useUpdateVisitRules() {
  const written = useVisitsWritten();
  return useMutation({
    mutationFn: ({ plan, rules }: { plan: VisitPlan; rules: VisitPlanRules }) =>
      request<VisitPlan>(`/api/visit-plans/${plan.projectId}/${plan.year}`, { method: 'PUT', body: rules, version: plan.version }),
    onSuccess: () => written(),
  });
}

/** POST /api/visit-plans/:projectId/:year/generate: adds the tasks that are missing. */
export function useGenerateVisitTasks() {
  const written = useVisitsWritten();
  return useMutation({
    mutationFn: ({ projectId, year }: { projectId: string; year: number }) =>
      api.post<{ added: number; plan: VisitPlan }>(`/api/visit-plans/${projectId}/${year}/generate`),
    onSuccess: () => written(),
  });
}

export interface VisitTaskParams {
  projectId: string | undefined;
  year: number;
  month?: number | undefined;
  status?: 'open' | 'done' | undefined;
}

/** GET /api/visit-tasks: a project's tasks of a year or month (at most 500). */
export function useVisitTasks(params: VisitTaskParams) {
  return useQuery({
    queryKey: qk.visitTaskList(params),
    queryFn: ({ signal }) => api.get<VisitTask[]>('/api/visit-tasks', { ...params }, signal),
    enabled: !!params.projectId,
    placeholderData: keepPreviousData,
  });
}

/** GET /api/visits: a project's or a customer's visits, newest first. */
export function useVisits(params: { projectId?: string | undefined; customerId?: string | undefined; limit?: number }) {
  return useQuery({
    queryKey: qk.visitList(params),
    queryFn: ({ signal }) => api.get<Visit[]>('/api/visits', { ...params }, signal),
    enabled: !!(params.projectId || params.customerId),
    placeholderData: keepPreviousData,
  });
}

/** POST /api/visits (with a task, the task is done). */
export function useCreateVisit() {
  const written = useVisitsWritten();
  return useMutation({
    mutationFn: (body: VisitCreate) => api.post<Visit>('/api/visits', body),
    onSuccess: (v) => written(v.customerId),
  });
}

/** POST /api/visits/:id/kinds: the same contact was also another kind (still one visit). */
export function useAddVisitKinds() {
  const written = useVisitsWritten();
  return useMutation({
    mutationFn: ({ visit, kinds }: { visit: Visit; kinds: VisitKind[] }) => api.post<Visit>(`/api/visits/${visit.id}/kinds`, { kinds }, { version: visit.version }),
    onSuccess: (v) => written(v.customerId),
  });
}

/** POST /api/visit-attempts: an attempt that did not reach the customer (not counted for K3). */
export function useCreateVisitAttempt() {
  const written = useVisitsWritten();
  return useMutation({
    mutationFn: (body: VisitAttemptCreate) => api.post<VisitAttempt>('/api/visit-attempts', body),
    onSuccess: (v) => written(v.customerId),
  });
}
