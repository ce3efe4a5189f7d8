import { Card, Flex, Typography } from 'antd';
import type { Ticket, WorkOrder } from '@qiaoliang/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { QueryError } from '../QueryError';
import { qk } from '../../lib/query-keys';
import { hasRole, useMe } from '../../lib/session';
import { UI } from '../../lib/texts-ui';
import type { AttachmentInfo } from './attachment-files';
import { AttachmentGallery, AttachmentsPanel } from './Attachments';

const A = UI.attachments;

/**
 * A ticket's photos and files: its own (the center's staff add them) and those the
 * departments' handlers added to its work orders.
 */
export function TicketAttachmentsCard({ ticket }: { ticket: Ticket }) {
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const mayUpload = hasRole(me, 'agent', 'supervisor', 'manager');
  const fromWorkOrders = ticket.workOrders.filter((w) => w.attachments.length);
  const count = ticket.attachments.length + fromWorkOrders.reduce((n, w) => n + w.attachments.length, 0);
  return (
    <Card size="small" title={A.titleCount(count)}>
      <Flex vertical gap={16}>
        <AttachmentsPanel
          items={ticket.attachments}
          uploadPath={mayUpload ? `/api/tickets/${ticket.id}/attachments` : undefined}
          onUploaded={() => void queryClient.invalidateQueries({ queryKey: qk.ticket(ticket.id) })}
        />
        {fromWorkOrders.map((w) => (
          <div key={w.id}>
            <Typography.Text strong style={{ display: 'block', marginBottom: 8 }}>
              {A.ofWorkOrder(w.departmentName)}
            </Typography.Text>
            <AttachmentGallery items={w.attachments} />
          </div>
        ))}
      </Flex>
    </Card>
  );
}

/** A work order's photos (progress and results); its department's handlers add them. */
export function WorkOrderAttachmentsCard({ workOrder, mayUpload }: { workOrder: WorkOrder; mayUpload: boolean }) {
  const queryClient = useQueryClient();
  return (
    <Card size="small" title={A.titleCount(workOrder.attachments.length)}>
      <AttachmentsPanel
        items={workOrder.attachments}
        uploadPath={mayUpload ? `/api/work-orders/${workOrder.id}/attachments` : undefined}
        onUploaded={() => {
          void queryClient.invalidateQueries({ queryKey: qk.workOrder(workOrder.id) });
          void queryClient.invalidateQueries({ queryKey: qk.ticket(workOrder.ticketId) });
        }}
      />
    </Card>
  );
}

/** A customer record's documents (contracts, ID copies, letters), from `/api/customers/:id/attachments`. */
export function CustomerAttachmentsCard({ customerId, mayUpload }: { customerId: string; mayUpload: boolean }) {
  const queryClient = useQueryClient();
  const key = [...qk.customer(customerId), 'attachments'] as const;
  const list = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<AttachmentInfo[]>(`/api/customers/${customerId}/attachments`, undefined, signal) });
  return (
    <Card size="small" title={A.titleCount(list.data?.length ?? 0)} loading={list.isLoading}>
      {list.error ? <QueryError error={list.error} onRetry={() => void list.refetch()} /> : null}
      <AttachmentsPanel
        items={list.data ?? []}
        uploadPath={mayUpload ? `/api/customers/${customerId}/attachments` : undefined}
        onUploaded={() => void queryClient.invalidateQueries({ queryKey: key })}
      />
    </Card>
  );
}
