import { useQuery } from '@tanstack/react-query';
import type { CityCompany, Department, Project } from '@qiaoliang/shared';
import { api, type Page } from './api';
import { qk } from './query-keys';

/**
 * Read-only lists several features need (for selects and for showing names by id).
 * The API caps a page at 200 rows.
 */
export const LOOKUP_PAGE_SIZE = 200;

/** All city companies the user may see. */
export function useCityCompanies() {
  return useQuery({
    queryKey: qk.cityCompanies,
    queryFn: ({ signal }) => api.get<CityCompany[]>('/api/city-companies', undefined, signal),
  });
}

/** Projects for pickers, optionally narrowed by a search text. */
export function useProjectOptions(q?: string) {
  const params = { page: 1, pageSize: LOOKUP_PAGE_SIZE, q: q || undefined };
  return useQuery({
    queryKey: qk.projectList(params),
    queryFn: ({ signal }) => api.get<Page<Project>>('/api/projects', params, signal),
    placeholderData: (prev) => prev,
  });
}

/** Departments, all of them or those of one project. */
export function useDepartments(projectId?: string) {
  const params = { projectId };
  return useQuery({
    queryKey: qk.departmentList(params),
    queryFn: ({ signal }) => api.get<Department[]>('/api/departments', params, signal),
  });
}

/** Builds an id → name map from a list. */
export function nameMap<T extends { id: string; name: string }>(items: T[] | undefined): Map<string, string> {
  return new Map((items ?? []).map((i) => [i.id, i.name]));
}
