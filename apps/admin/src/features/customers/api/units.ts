import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Building, Unit } from '@qiaoliang/shared';
import { api, type Page } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** GET /api/projects/:id/buildings, for the unit picker. */
export function useProjectBuildings(projectId: string | undefined) {
  return useQuery({
    queryKey: qk.buildings(projectId ?? ''),
    queryFn: ({ signal }) => api.get<Building[]>(`/api/projects/${projectId}/buildings`, undefined, signal),
    enabled: !!projectId,
  });
}

/** GET /api/units in a project (optionally one building), searched by room number. */
export function useUnitSearch(params: { projectId?: string; buildingId?: string; q?: string }) {
  const query = { projectId: params.projectId, buildingId: params.buildingId, q: params.q || undefined, page: 1, pageSize: 50 };
  return useQuery({
    queryKey: qk.unitList(query),
    queryFn: ({ signal }) => api.get<Page<Unit>>('/api/units', query, signal),
    placeholderData: keepPreviousData,
    enabled: !!params.projectId,
  });
}
