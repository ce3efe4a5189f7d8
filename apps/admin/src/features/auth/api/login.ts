import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LoginBody, Me } from '@qiaoliang/shared';
import { request } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** POST /api/auth/login: signs in and becomes the current user. */
export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => request<Me>('/api/auth/login', { method: 'POST', body, skipAuthRedirect: true }),
    onSuccess: (me) => {
      // Nothing cached for a previous user may leak into this session.
      queryClient.clear();
      queryClient.setQueryData(qk.me, me);
    },
  });
}
