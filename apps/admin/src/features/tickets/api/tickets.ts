import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AnswerBody,
  CommonArea,
  Customer,
  CustomerSummary,
  Department,
  DispatchBody,
  DispatchSuggestion,
  HandOverBody,
  ReplyBody,
  Severity,
  Ticket,
  TicketCreate,
  TicketMergeBody,
  TicketSummary,
  Unit,
} from '@qiaoliang/shared';
import { api, isApiError, request, type CursorPage, type Page } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';
import { ticketListPath } from '../../../lib/ticket-lookups';

/** GET /api/tickets/:id: the whole ticket with its deadlines, work orders, replies and events. */
export function useTicket(id: string) {
  return useQuery({
    queryKey: qk.ticket(id),
    queryFn: ({ signal }) => api.get<Ticket>(`/api/tickets/${id}`, undefined, signal),
    // Deadlines and department work move on their own: keep the page current.
    refetchInterval: 60_000,
  });
}

/** After a write: the ticket at once, and every queue, work order and K1 figure that may show it. */
function useTicketWritten() {
  const queryClient = useQueryClient();
  return (ticket: Ticket) => {
    queryClient.setQueryData(qk.ticket(ticket.id), ticket);
    void queryClient.invalidateQueries({ queryKey: qk.ticketList({}).slice(0, 2) });
    void queryClient.invalidateQueries({ queryKey: qk.workOrders });
    void queryClient.invalidateQueries({ queryKey: qk.k1 });
    if (ticket.customerId) void queryClient.invalidateQueries({ queryKey: qk.customerTimeline(ticket.customerId) });
  };
}

/**
 * POST /api/tickets. The Idempotency-Key is made once per form, so that a retried or
 * double-clicked submission registers one ticket.
 */
export function useRegisterTicket() {
  const written = useTicketWritten();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: TicketCreate; idempotencyKey: string }) =>
      request<Ticket>('/api/tickets', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } }),
    onSuccess: written,
  });
}

/** The workflow commands of a ticket and their bodies. */
export interface TicketCommands {
  answer: AnswerBody;
  dispatch: DispatchBody;
  reply: ReplyBody;
  resolve: { summary: string };
  wait: { reason: string };
  resume: Record<string, never>;
  close: { reason: string };
  reopen: { reason: string };
  cancel: { reason: string };
  merge: TicketMergeBody;
  'hand-over': HandOverBody;
  severity: { severity: Severity; reason: string };
}
export type TicketCommand = keyof TicketCommands;

/** POST /api/tickets/:id/<command> with If-Match: the ticket's version. */
export function useTicketCommand() {
  const written = useTicketWritten();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ticket, command, body }: { ticket: Pick<Ticket, 'id' | 'version'>; command: TicketCommand; body?: TicketCommands[TicketCommand] }) =>
      request<Ticket>(`/api/tickets/${ticket.id}/${command}`, { method: 'POST', version: ticket.version, body }),
    onSuccess: written,
    // Someone else moved the ticket on (409) or edited it (412, refreshed globally): show it as it is now.
    onError: (err, { ticket }) => {
      if (isApiError(err, 409)) void queryClient.invalidateQueries({ queryKey: qk.ticket(ticket.id) });
    },
  });
}

/** GET /api/customers: customers found by phone tail, name or address, for the register form. */
export function useCustomerSearch(q: string) {
  const params = { q: q.trim() || undefined, page: 1, pageSize: 20 };
  return useQuery({
    queryKey: qk.customerList(params),
    queryFn: ({ signal }) => api.get<Page<CustomerSummary>>('/api/customers', params, signal),
    enabled: q.trim().length >= 2,
    placeholderData: keepPreviousData,
  });
}

/** GET /api/customers/:id: the customer chosen or pre-filled (their units and home project). */
export function useCustomer(id: string | undefined) {
  return useQuery({
    queryKey: qk.customer(id ?? ''),
    queryFn: ({ signal }) => api.get<Customer>(`/api/customers/${id}`, undefined, signal),
    enabled: !!id,
  });
}

/** GET /api/units of a project, searched by room number. */
export function useUnitOptions(projectId: string | undefined, q: string) {
  const params = { projectId, q: q.trim() || undefined, page: 1, pageSize: 30 };
  return useQuery({
    queryKey: qk.unitList(params),
    queryFn: ({ signal }) => api.get<Page<Unit>>('/api/units', params, signal),
    enabled: !!projectId,
    placeholderData: keepPreviousData,
  });
}

/** GET /api/units/:id (a pre-filled unit's label). */
export function useUnit(id: string | undefined) {
  return useQuery({
    queryKey: [...qk.units, 'detail', id ?? ''],
    queryFn: ({ signal }) => api.get<Unit>(`/api/units/${id}`, undefined, signal),
    enabled: !!id,
  });
}

/** GET /api/projects/:id/common-areas. */
export function useCommonAreas(projectId: string | undefined) {
  return useQuery({
    queryKey: qk.commonAreas(projectId ?? ''),
    queryFn: ({ signal }) => api.get<CommonArea[]>(`/api/projects/${projectId}/common-areas`, undefined, signal),
    enabled: !!projectId,
  });
}

/**
 * The departments that can take work for a ticket's project: the group's, its city company's
 * and the project's own (GET /api/departments?projectId=, narrowed to what dispatch accepts).
 */
export function useDispatchDepartments(ticket: Pick<Ticket, 'projectId'>) {
  const params = { projectId: ticket.projectId };
  return useQuery({
    queryKey: qk.departmentList(params),
    queryFn: ({ signal }) => api.get<Department[]>('/api/departments', params, signal),
    select: (list) => list.filter((d) => d.active && (d.level !== 'project' || d.projectId === ticket.projectId)),
  });
}

/** GET /api/tickets/:id/dispatch-suggestion: the department tickets of the same category went to most. */
export function useDispatchSuggestion(ticket: Pick<Ticket, 'id' | 'categoryId'>) {
  return useQuery({
    queryKey: ['tickets', ticket.id, 'dispatch-suggestion', ticket.categoryId],
    queryFn: ({ signal }) => api.get<DispatchSuggestion>(`/api/tickets/${ticket.id}/dispatch-suggestion`, undefined, signal),
    enabled: Boolean(ticket.categoryId),
  });
}

/** Tickets of a project found by number or title (the target of a merge). */
export function useTicketSearch(projectId: string, q: string) {
  const path = ticketListPath({ view: 'all', projectId, q: q.trim() || undefined, limit: 20 });
  return useQuery({
    queryKey: qk.ticketList({ merge: projectId, q }),
    queryFn: ({ signal }) => api.get<CursorPage<TicketSummary>>(path, undefined, signal),
    placeholderData: keepPreviousData,
  });
}

export interface StaffOption {
  id: string;
  name: string;
}

/**
 * Who a ticket can be handed over to. There is no staff directory for non-admins yet, so this
 * collects the first-contact owners of the project's open tickets (the people working it).
 */
export function useHandOverCandidates(projectId: string, enabled: boolean) {
  return useQuery({
    queryKey: qk.handOverCandidates(projectId),
    // The center's staff (agents, supervisors, managers) whose scope covers the project.
    queryFn: ({ signal }) => api.get<{ id: string; displayName: string; roles: string[] }[]>(`/api/staff?projectId=${encodeURIComponent(projectId)}`, undefined, signal),
    select: (staff): StaffOption[] => staff.map((s) => ({ id: s.id, name: s.displayName })),
    enabled,
  });
}
