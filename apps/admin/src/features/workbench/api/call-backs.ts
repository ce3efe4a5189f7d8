import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CallBackTask } from '@qiaoliang/shared';
import { api } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** POST /api/call-back-tasks/:id/done with the task's version: the call-back was made. */
export function useCompleteCallBack() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ task, note }: { task: CallBackTask; note: string }) =>
      api.post<CallBackTask>(`/api/call-back-tasks/${task.id}/done`, { note }, { version: task.version }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.callBacks }),
  });
}

/** POST /api/call-back-tasks/:id/reveal: the number to dial, in full (audited). Never cached. */
export function useRevealCallBackPhone() {
  return useMutation({
    mutationFn: (id: string) => api.post<{ phone: string }>(`/api/call-back-tasks/${id}/reveal`),
  });
}
