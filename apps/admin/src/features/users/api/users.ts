import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { StaffRole, User, UserCreate, UserUpdate } from '@qiaoliang/shared';
import { api, request, type Page } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

export interface UserListParams {
  page: number;
  pageSize: number;
  q?: string;
  role?: StaffRole;
  active?: boolean;
}

/** GET /api/users: one page, filtered by text, role and status. */
export function useUsers(params: UserListParams) {
  return useQuery({
    queryKey: qk.userList(params),
    queryFn: ({ signal }) => api.get<Page<User>>('/api/users', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: qk.users });
}

/** POST /api/users. */
export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (body: UserCreate) => api.post<User>('/api/users', body),
    onSuccess: invalidate,
  });
}

/** PATCH /api/users/:id with the edited version. */
export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: UserUpdate }) =>
      api.patch<User>(`/api/users/${id}`, version, body),
    onSuccess: invalidate,
  });
}

/** POST /api/users/:id/activate or /deactivate with the user's version. */
export function useSetUserActive() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ user, active }: { user: User; active: boolean }) =>
      request<User>(`/api/users/${user.id}/${active ? 'activate' : 'deactivate'}`, { method: 'POST', version: user.version }),
    onSuccess: invalidate,
  });
}

/** POST /api/users/:id/reset-password: the user must change it at the next sign-in. */
export function useResetPassword() {
  return useMutation({
    mutationFn: ({ id, newPassword }: { id: string; newPassword: string }) =>
      api.post<void>(`/api/users/${id}/reset-password`, { newPassword }),
  });
}
