import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Unit, UnitCreate, UnitUpdate } from '@qiaoliang/shared';
import { api, type Page } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

export interface UnitListParams {
  buildingId?: string;
  projectId?: string;
  q?: string;
  page: number;
  pageSize: number;
}

/** GET /api/units: one page of a building's (or a project's) units. */
export function useUnits(params: UnitListParams, enabled = true) {
  return useQuery({
    queryKey: qk.unitList(params),
    queryFn: ({ signal }) => api.get<Page<Unit>>('/api/units', { ...params }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Refreshes units and the counters shown beside them. */
function useInvalidateInventory(projectId: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: qk.units });
    void queryClient.invalidateQueries({ queryKey: qk.buildings(projectId) });
    void queryClient.invalidateQueries({ queryKey: qk.projects });
  };
}

/** POST /api/buildings/:id/units. */
export function useCreateUnit(projectId: string) {
  const invalidate = useInvalidateInventory(projectId);
  return useMutation({
    mutationFn: ({ buildingId, body }: { buildingId: string; body: UnitCreate }) =>
      api.post<Unit>(`/api/buildings/${buildingId}/units`, body),
    onSuccess: invalidate,
  });
}

/** PATCH /api/units/:id with the edited version. */
export function useUpdateUnit(projectId: string) {
  const invalidate = useInvalidateInventory(projectId);
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: UnitUpdate }) =>
      api.patch<Unit>(`/api/units/${id}`, version, body),
    onSuccess: invalidate,
  });
}
