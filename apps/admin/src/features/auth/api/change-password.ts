import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChangePasswordBody } from '@qiaoliang/shared';
import { api } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** POST /api/auth/password: changes the signed-in user's password. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangePasswordBody) => api.post<void>('/api/auth/password', body),
    // mustChangePassword is cleared on the server; read the user again.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.me }),
  });
}
