import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Customer,
  CustomerCreate,
  CustomerKind,
  CustomerSummary,
  CustomerUnitCreate,
  CustomerUnitUpdate,
  CustomerUpdate,
  RevealField,
  RevealResult,
  TimelineEntry,
  UnitTransfer,
  UnitTransferResult,
} from '@qiaoliang/shared';
import { api, request, type CursorPage, type Page } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

export type ArchiveFilter = 'complete' | 'incomplete' | 'stale';

/** The filters of the customer list (also those of the export). */
export interface CustomerFilters {
  q?: string;
  projectId?: string;
  kind?: CustomerKind;
  vip?: boolean;
  archive?: ArchiveFilter;
}

export interface CustomerListParams extends CustomerFilters {
  page: number;
  pageSize: number;
}

/** GET /api/customers: one page of the search (name, initials, phone, ID number, address). */
export function useCustomers(params: CustomerListParams, enabled = true) {
  return useQuery({
    queryKey: qk.customerList(params),
    queryFn: ({ signal }) => api.get<Page<CustomerSummary>>('/api/customers', { ...params }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** GET /api/customers/:id: the 360 view (phones and ID number masked). */
export function useCustomer(id: string) {
  return useQuery({
    queryKey: qk.customer(id),
    queryFn: ({ signal }) => api.get<Customer>(`/api/customers/${id}`, undefined, signal),
  });
}

/** GET /api/customers/:id/timeline, newest first, page by page. */
export function useTimeline(id: string) {
  return useInfiniteQuery({
    queryKey: qk.customerTimeline(id),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<CursorPage<TimelineEntry>>(`/api/customers/${id}/timeline`, { cursor: pageParam, limit: 20 }, signal),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/**
 * After a write the record, every list and the K4 figures may have changed; the written
 * record itself is put in the cache at once so the page does not flicker.
 */
function useCustomerWritten() {
  const queryClient = useQueryClient();
  return (customer: Customer) => {
    queryClient.setQueryData(qk.customer(customer.id), customer);
    void queryClient.invalidateQueries({ queryKey: qk.customers });
    void queryClient.invalidateQueries({ queryKey: qk.archiveRate });
  };
}

/** POST /api/customers. */
export function useCreateCustomer() {
  const written = useCustomerWritten();
  return useMutation({
    mutationFn: (body: CustomerCreate) => api.post<Customer>('/api/customers', body),
    onSuccess: written,
  });
}

/** PATCH /api/customers/:id with the edited version (`phones` replaces the whole list). */
export function useUpdateCustomer() {
  const written = useCustomerWritten();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: CustomerUpdate }) =>
      api.patch<Customer>(`/api/customers/${id}`, version, body),
    onSuccess: written,
  });
}

/** POST /api/customers/:id/confirm-archive: verified with the customer, current for N months. */
export function useConfirmArchive() {
  const written = useCustomerWritten();
  return useMutation({
    mutationFn: (c: Customer) => request<Customer>(`/api/customers/${c.id}/confirm-archive`, { method: 'POST', version: c.version }),
    onSuccess: written,
  });
}

/** POST /api/customers/:id/units: relates the customer to a unit. */
export function useAddUnitLink() {
  const written = useCustomerWritten();
  return useMutation({
    mutationFn: ({ customerId, body }: { customerId: string; body: CustomerUnitCreate }) =>
      api.post<Customer>(`/api/customers/${customerId}/units`, body),
    onSuccess: written,
  });
}

/** PATCH /api/customers/:id/units/:linkId with the link's version (toDate ends it). */
export function useUpdateUnitLink() {
  const written = useCustomerWritten();
  return useMutation({
    mutationFn: ({ customerId, linkId, version, body }: { customerId: string; linkId: string; version: number; body: CustomerUnitUpdate }) =>
      api.patch<Customer>(`/api/customers/${customerId}/units/${linkId}`, version, body),
    onSuccess: written,
  });
}

/** POST /api/customers/:id/reveal: the clear value, for a reason (audited). Never cached. */
export function useReveal() {
  return useMutation({
    mutationFn: ({ id, field, reason }: { id: string; field: RevealField; reason: string }) =>
      api.post<RevealResult>(`/api/customers/${id}/reveal`, { field, reason }),
  });
}

/** POST /api/customers/:id/merge: keeps :id, merges the source into it. */
export function useMergeCustomer() {
  const written = useCustomerWritten();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ targetId, sourceId }: { targetId: string; sourceId: string }) =>
      api.post<Customer>(`/api/customers/${targetId}/merge`, { sourceId }),
    onSuccess: (c, { sourceId }) => {
      written(c);
      queryClient.removeQueries({ queryKey: qk.customer(sourceId) });
    },
  });
}

/** POST /api/units/:id/transfer (过户): the sellers' relations end and the buyer's starts on one date. */
export function useTransferUnit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ unitId, body }: { unitId: string; body: UnitTransfer }) => api.post<UnitTransferResult>(`/api/units/${unitId}/transfer`, body),
    onSuccess: () => {
      // Both customers' details, lists, K3/K4 and the dashboard change with a sale.
      for (const key of [qk.customers, qk.archiveRate, qk.kpis, qk.dashboard]) void queryClient.invalidateQueries({ queryKey: key });
    },
  });
}
