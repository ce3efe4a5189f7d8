import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WorkOrder, WorkOrderStatus } from '@qiaoliang/shared';
import { api, request, type CursorPage } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** `/api/work-orders?status=…&status=…`. */
function listPath(status: WorkOrderStatus[], cursor?: string): string {
  const search = new URLSearchParams();
  for (const s of status) search.append('status', s);
  if (cursor) search.set('cursor', cursor);
  search.set('limit', '50');
  return `/api/work-orders?${search.toString()}`;
}

/** GET /api/work-orders: my department's queue (handlers), by deadline, page by page. */
export function useWorkOrders(status: WorkOrderStatus[]) {
  return useInfiniteQuery({
    queryKey: qk.workOrderList({ status }),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => api.get<CursorPage<WorkOrder>>(listPath(status, pageParam), undefined, signal),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 60_000,
  });
}

/** GET /api/work-orders/:id with its updates. */
export function useWorkOrder(id: string) {
  return useQuery({
    queryKey: qk.workOrder(id),
    queryFn: ({ signal }) => api.get<WorkOrder>(`/api/work-orders/${id}`, undefined, signal),
  });
}

export type WorkOrderCommand = 'accept' | 'reject' | 'progress' | 'complete';

/** POST /api/work-orders/:id/<command> with If-Match: the work order's version (handlers only). */
export function useWorkOrderCommand() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ workOrder, command, body }: { workOrder: Pick<WorkOrder, 'id' | 'version'>; command: WorkOrderCommand; body?: Record<string, string> }) =>
      request<WorkOrder>(`/api/work-orders/${workOrder.id}/${command}`, { method: 'POST', version: workOrder.version, body }),
    onSuccess: (w) => {
      queryClient.setQueryData(qk.workOrder(w.id), w);
      void queryClient.invalidateQueries({ queryKey: qk.workOrderList({}).slice(0, 2) });
      void queryClient.invalidateQueries({ queryKey: qk.ticket(w.ticketId) });
    },
  });
}
