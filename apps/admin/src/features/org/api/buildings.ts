import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Building, BuildingCreate, BuildingUpdate } from '@qiaoliang/shared';
import { api } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** GET /api/projects/:id/buildings. */
export function useBuildings(projectId: string) {
  return useQuery({
    queryKey: qk.buildings(projectId),
    queryFn: ({ signal }) => api.get<Building[]>(`/api/projects/${projectId}/buildings`, undefined, signal),
  });
}

/** POST /api/projects/:id/buildings. */
export function useCreateBuilding(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BuildingCreate) => api.post<Building>(`/api/projects/${projectId}/buildings`, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: qk.buildings(projectId) });
      void queryClient.invalidateQueries({ queryKey: qk.projects });
    },
  });
}

/** PATCH /api/buildings/:id with the edited version. */
export function useUpdateBuilding(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: BuildingUpdate }) =>
      api.patch<Building>(`/api/buildings/${id}`, version, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: qk.buildings(projectId) });
      // Unit labels carry the building name.
      void queryClient.invalidateQueries({ queryKey: qk.units });
    },
  });
}
