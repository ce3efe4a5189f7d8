import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { OutboxMessage } from '@qiaoliang/shared';
import { api, type CursorPage } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

export interface OutboxFilters {
  status?: string;
  channel?: string;
}

/** Statuses and channels the server accepts as filters. */
export const OUTBOX_STATUSES = ['pending', 'delivered', 'failed'] as const;
export const OUTBOX_CHANNELS = ['in_app', 'email', 'sms', 'wechat'] as const;

/** GET /api/outbox: messages sent through e-mail, SMS, WeChat and in-app, newest first. */
export function useOutbox(filters: OutboxFilters) {
  return useInfiniteQuery({
    queryKey: qk.outbox(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<CursorPage<OutboxMessage>>('/api/outbox', { ...filters, cursor: pageParam, limit: 50 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** POST /api/outbox/:id/retry: queues a failed message again. */
export function useRetryOutbox() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<OutboxMessage>(`/api/outbox/${id}/retry`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['outbox'] as const }),
  });
}
