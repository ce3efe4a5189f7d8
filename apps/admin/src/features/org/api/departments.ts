import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Department, DepartmentCreate, DepartmentUpdate } from '@qiaoliang/shared';
import { api } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** POST /api/departments. (Lists are a shared lookup: useDepartments.) */
export function useCreateDepartment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DepartmentCreate) => api.post<Department>('/api/departments', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.departments }),
  });
}

/** PATCH /api/departments/:id (also 启用/停用 through `active`). */
export function useUpdateDepartment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: DepartmentUpdate }) =>
      api.patch<Department>(`/api/departments/${id}`, version, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.departments }),
  });
}
