import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ActiveCall, Call, CallDetail, Customer, CustomerCreate, CustomerUnitCreate, ScreenPopEvent } from '@qiaoliang/shared';
import { api, type CursorPage } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** GET /api/calls: my calls (agents) or my projects' (supervisors), newest first. */
export function useCalls() {
  return useInfiniteQuery({
    queryKey: qk.callList({}),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => api.get<CursorPage<Call>>('/api/calls', { cursor: pageParam, limit: 20 }, signal),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** POST /api/calls/:id/customer with the call's version: who was calling. */
export function useLinkCallCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ call, customerId }: { call: Pick<Call, 'id' | 'version'>; customerId: string }) =>
      api.post<CallDetail>(`/api/calls/${call.id}/customer`, { customerId }, { version: call.version }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.calls }),
  });
}

/** POST /api/customers, then (optionally) POST /api/customers/:id/units: an unknown caller's quick record. */
export function useQuickCreateCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, unit }: { body: CustomerCreate; unit?: CustomerUnitCreate }) => {
      const created = await api.post<Customer>('/api/customers', body);
      return unit ? api.post<Customer>(`/api/customers/${created.id}/units`, unit) : created;
    },
    onSuccess: (c) => {
      queryClient.setQueryData(qk.customer(c.id), c);
      void queryClient.invalidateQueries({ queryKey: qk.customers });
    },
  });
}

/** GET /api/calls/active: my call still ringing or in progress, so a reload (F5) keeps its pop. */
export function useActiveCall() {
  return useQuery({
    queryKey: qk.activeCall,
    queryFn: ({ signal }) => api.get<ActiveCall>('/api/calls/active', undefined, signal),
    staleTime: 0,
  });
}

/** GET /api/calls/:id/screen-pop: reopens the pop of a call from 最近通话. */
export function useOpenScreenPop() {
  return useMutation({ mutationFn: (id: string) => api.get<ScreenPopEvent>(`/api/calls/${id}/screen-pop`) });
}
