import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Project, ProjectCreate, ProjectUpdate } from '@qiaoliang/shared';
import { api, type Page } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

export interface ProjectListParams {
  page: number;
  pageSize: number;
  cityCompanyId?: string;
  q?: string;
}

/** GET /api/projects: one page, filtered by city company and search text. */
export function useProjects(params: ProjectListParams) {
  return useQuery({
    queryKey: qk.projectList(params),
    queryFn: ({ signal }) => api.get<Page<Project>>('/api/projects', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/projects/:id. */
export function useProject(id: string) {
  return useQuery({
    queryKey: qk.project(id),
    queryFn: ({ signal }) => api.get<Project>(`/api/projects/${id}`, undefined, signal),
  });
}

/** POST /api/projects. */
export function useCreateProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ProjectCreate) => api.post<Project>('/api/projects', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.projects }),
  });
}

/** PATCH /api/projects/:id with the edited version. */
export function useUpdateProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: ProjectUpdate }) =>
      api.patch<Project>(`/api/projects/${id}`, version, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.projects }),
  });
}
