import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Notification } from '@qiaoliang/shared';
import { api } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

export interface NotificationList {
  items: Notification[];
  unread: number;
}

/** GET /api/notifications: the user's in-app notices and the unread count (polled). */
export function useNotifications() {
  return useQuery({
    queryKey: qk.notifications,
    queryFn: ({ signal }) => api.get<NotificationList>('/api/notifications', undefined, signal),
    refetchInterval: 60_000,
  });
}

/** POST /api/notifications/:id/read. */
export function useMarkNotificationRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<void>(`/api/notifications/${id}/read`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.notifications }),
  });
}
