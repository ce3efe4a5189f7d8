import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Callback, CallbackCompleteBody, Ticket } from '@qiaoliang/shared';
import { api, type CursorPage } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

export type CallbackView = 'mine' | 'team';
export type CallbackStatus = 'open' | 'done' | 'unreachable';

const PAGE = 20;

/** GET /api/callbacks: mine or my team's, by due date, a page at a time. */
export function useCallbacks(params: { view: CallbackView; status: CallbackStatus }) {
  return useInfiniteQuery({
    queryKey: qk.callbackList(params),
    queryFn: ({ signal, pageParam }) =>
      api.get<CursorPage<Callback>>('/api/callbacks', { ...params, limit: PAGE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Due times pass while the list is open.
    refetchInterval: 60_000,
  });
}

/** GET /api/callbacks/:id (with the script). */
export function useCallbackTask(id: string | null) {
  return useQuery({
    queryKey: qk.callback(id ?? ''),
    queryFn: ({ signal }) => api.get<Callback>(`/api/callbacks/${id}`, undefined, signal),
    enabled: !!id,
  });
}

/** GET /api/tickets/:id: the ticket the callback is about (same cache as the ticket page). */
export function useCallbackTicket(id: string | null) {
  return useQuery({
    queryKey: qk.ticket(id ?? ''),
    queryFn: ({ signal }) => api.get<Ticket>(`/api/tickets/${id}`, undefined, signal),
    enabled: !!id,
  });
}

/**
 * After a callback write: the callback at once, and everything its outcome moves — the
 * ticket (closed or reopened), the queues, K1/K2/K3, the dashboard, the customer's visits
 * and timeline.
 */
export function useCallbackWritten() {
  const queryClient = useQueryClient();
  return (cb: Callback) => {
    queryClient.setQueryData(qk.callback(cb.id), cb);
    for (const key of [qk.callbacks, qk.tickets, qk.k1, qk.kpis, qk.dashboard, qk.visits, qk.visitPlans, qk.visitTasks]) {
      void queryClient.invalidateQueries({ queryKey: key });
    }
    if (cb.customerId) void queryClient.invalidateQueries({ queryKey: qk.customerTimeline(cb.customerId) });
  };
}

/** POST /api/callbacks/:id/attempts: the customer was not reached (the last one ends it as unreachable). */
export function useRecordAttempt() {
  const written = useCallbackWritten();
  return useMutation({
    mutationFn: ({ cb, note }: { cb: Callback; note?: string | undefined }) =>
      api.post<Callback>(`/api/callbacks/${cb.id}/attempts`, note ? { note } : {}, { version: cb.version }),
    onSuccess: written,
  });
}

/** POST /api/callbacks/:id/complete: reached and rated (≤2 reopens and escalates the ticket). */
export function useCompleteCallback() {
  const written = useCallbackWritten();
  return useMutation({
    mutationFn: ({ cb, body }: { cb: Callback; body: CallbackCompleteBody }) =>
      api.post<Callback>(`/api/callbacks/${cb.id}/complete`, body, { version: cb.version }),
    onSuccess: written,
  });
}
