import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReplyTemplate, ReplyTemplateInput, ReplyTemplateUpdate } from '@qiaoliang/shared';
import { api } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** POST /api/reply-templates (supervisors, managers, admins). */
export function useCreateReplyTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ReplyTemplateInput) => api.post<ReplyTemplate>('/api/reply-templates', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.replyTemplates }),
  });
}

/** PATCH /api/reply-templates/:id with its version: edit, 停用 or 启用. */
export function useUpdateReplyTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: ReplyTemplateUpdate }) =>
      api.patch<ReplyTemplate>(`/api/reply-templates/${id}`, version, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.replyTemplates }),
  });
}
