import { useMutation, useQueryClient } from '@tanstack/react-query';
import { request } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** POST /api/auth/logout: ends the session and forgets every cached record. */
export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => request<void>('/api/auth/logout', { method: 'POST', skipAuthRedirect: true }),
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(qk.me, null);
    },
  });
}
