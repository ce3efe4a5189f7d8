import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { InvalidateBody, Ticket } from '@qiaoliang/shared';
import { api } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

function useValidityWritten() {
  const queryClient = useQueryClient();
  return (ticket: Ticket) => {
    queryClient.setQueryData(qk.ticket(ticket.id), ticket);
    for (const key of [qk.tickets, qk.k1, qk.kpis, qk.dashboard]) void queryClient.invalidateQueries({ queryKey: key });
    if (ticket.customerId) void queryClient.invalidateQueries({ queryKey: qk.customerTimeline(ticket.customerId) });
  };
}

/** POST /api/tickets/:id/invalidate: a supervisor or manager marks a complaint invalid, with a reason. */
export function useInvalidateComplaint() {
  const written = useValidityWritten();
  return useMutation({
    mutationFn: ({ ticket, body }: { ticket: Ticket; body: InvalidateBody }) =>
      api.post<Ticket>(`/api/tickets/${ticket.id}/invalidate`, body, { version: ticket.version }),
    onSuccess: written,
  });
}

/** POST /api/tickets/:id/revalidate: a manager reverses the decision. */
export function useRevalidateComplaint() {
  const written = useValidityWritten();
  return useMutation({
    mutationFn: ({ ticket, note }: { ticket: Ticket; note: string }) =>
      api.post<Ticket>(`/api/tickets/${ticket.id}/revalidate`, { note }, { version: ticket.version }),
    onSuccess: written,
  });
}
