import { useRequestExport } from '../../../lib/export-jobs';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Building, PublicSurvey, SegmentPreview, Survey, SurveyAnswers, SurveyChannel, SurveyCreate, SurveyResponseItem, SurveyResults, SurveySegment,
  SurveyStatus, SurveySummary, SurveyUpdate,
} from '@qiaoliang/shared';
import { api, request, type Page } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** Query keys of surveys; each starts with 'surveys', so invalidating it refreshes them all. */
export const surveyKeys = {
  all: ['surveys'] as const,
  list: (params: object) => ['surveys', 'list', params] as const,
  detail: (id: string) => ['surveys', 'detail', id] as const,
  results: (id: string) => ['surveys', 'results', id] as const,
  responses: (id: string, params: object) => ['surveys', 'responses', id, params] as const,
  preview: (projectId: string, segment: SurveySegment) => ['surveys', 'segment-preview', projectId, segment] as const,
  public: (token: string) => ['public-survey', token] as const,
};

export interface SurveyListParams {
  page: number;
  pageSize: number;
  projectId?: string;
  status?: SurveyStatus;
}

/** GET /api/surveys. */
export function useSurveys(params: SurveyListParams) {
  return useQuery({
    queryKey: surveyKeys.list(params),
    queryFn: ({ signal }) => api.get<Page<SurveySummary>>('/api/surveys', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/surveys/:id. */
export function useSurvey(id: string | undefined) {
  return useQuery({
    queryKey: surveyKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<Survey>(`/api/surveys/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** GET /api/projects/:id/buildings (for the segment's building filter). */
export function useProjectBuildings(projectId: string | undefined) {
  return useQuery({
    queryKey: qk.buildings(projectId ?? ''),
    queryFn: ({ signal }) => api.get<Building[]>(`/api/projects/${projectId}/buildings`, undefined, signal),
    enabled: Boolean(projectId),
  });
}

/** POST /api/surveys/segment-preview: how many customers the segment names right now. */
export function useSegmentPreview(projectId: string | undefined, segment: SurveySegment) {
  return useQuery({
    queryKey: surveyKeys.preview(projectId ?? '', segment),
    queryFn: ({ signal }) => request<SegmentPreview>('/api/surveys/segment-preview', { method: 'POST', body: { projectId, segment }, signal }),
    enabled: Boolean(projectId),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

/** POST /api/surveys. */
export function useCreateSurvey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SurveyCreate) => api.post<Survey>('/api/surveys', body),
    onSuccess: (s) => {
      queryClient.setQueryData(surveyKeys.detail(s.id), s);
      void queryClient.invalidateQueries({ queryKey: surveyKeys.all });
    },
  });
}

/** PATCH /api/surveys/:id with the edited version. */
export function useUpdateSurvey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: SurveyUpdate }) => api.patch<Survey>(`/api/surveys/${id}`, version, body),
    onSuccess: (s) => {
      queryClient.setQueryData(surveyKeys.detail(s.id), s);
      void queryClient.invalidateQueries({ queryKey: surveyKeys.all });
    },
  });
}

/** DELETE /api/surveys/:id (drafts). */
export function useDeleteSurvey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) => request<void>(`/api/surveys/${id}`, { method: 'DELETE', version }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: surveyKeys.all }),
  });
}

/** POST /api/surveys/:id/send. */
export function useSendSurvey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, channel }: { id: string; version: number; channel: SurveyChannel }) =>
      api.post<Survey>(`/api/surveys/${id}/send`, { channel }, { version }),
    onSuccess: (s) => {
      queryClient.setQueryData(surveyKeys.detail(s.id), s);
      void queryClient.invalidateQueries({ queryKey: surveyKeys.all });
    },
  });
}

/** POST /api/surveys/:id/close. */
export function useCloseSurvey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) => api.post<Survey>(`/api/surveys/${id}/close`, undefined, { version }),
    onSuccess: (s) => {
      queryClient.setQueryData(surveyKeys.detail(s.id), s);
      void queryClient.invalidateQueries({ queryKey: surveyKeys.all });
    },
  });
}

/** GET /api/surveys/:id/results; refreshed every 30 s while the survey runs. */
export function useSurveyResults(id: string, running: boolean) {
  return useQuery({
    queryKey: surveyKeys.results(id),
    queryFn: ({ signal }) => api.get<SurveyResults>(`/api/surveys/${id}/results`, undefined, signal),
    refetchInterval: running ? 30_000 : false,
  });
}

/** GET /api/surveys/:id/responses. */
export function useSurveyResponses(id: string, params: { page: number; pageSize: number }) {
  return useQuery({
    queryKey: surveyKeys.responses(id, params),
    queryFn: ({ signal }) => api.get<Page<SurveyResponseItem>>(`/api/surveys/${id}/responses`, { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

/** POST /api/surveys/:id/results/exports: asks for the results workbook (summary and responses), built in the background. */
export function useExportResults() {
  return useRequestExport<{ id: string }>(({ id }) => `/api/surveys/${id}/results/exports`);
}

export function usePublicSurvey(token: string) {
  return useQuery({
    queryKey: surveyKeys.public(token),
    queryFn: ({ signal }) => request<PublicSurvey>(`/api/public/surveys/${encodeURIComponent(token)}`, { signal, skipAuthRedirect: true }),
    staleTime: Infinity,
  });
}

/** POST /api/public/surveys/:token/responses. */
export function useSubmitResponse(token: string) {
  return useMutation({
    mutationFn: (answers: SurveyAnswers) =>
      request<{ submittedAt: string }>(`/api/public/surveys/${encodeURIComponent(token)}/responses`, { method: 'POST', body: { answers }, skipAuthRedirect: true }),
  });
}
