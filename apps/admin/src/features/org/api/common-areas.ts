import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CommonArea, CommonAreaCreate, CommonAreaUpdate } from '@qiaoliang/shared';
import { api } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** GET /api/projects/:id/common-areas. */
export function useCommonAreas(projectId: string) {
  return useQuery({
    queryKey: qk.commonAreas(projectId),
    queryFn: ({ signal }) => api.get<CommonArea[]>(`/api/projects/${projectId}/common-areas`, undefined, signal),
  });
}

/** POST /api/projects/:id/common-areas. */
export function useCreateCommonArea(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CommonAreaCreate) => api.post<CommonArea>(`/api/projects/${projectId}/common-areas`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.commonAreas(projectId) }),
  });
}

/** PATCH /api/common-areas/:id with the edited version. */
export function useUpdateCommonArea(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: CommonAreaUpdate }) =>
      api.patch<CommonArea>(`/api/common-areas/${id}`, version, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.commonAreas(projectId) }),
  });
}
