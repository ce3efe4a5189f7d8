import type { Ticket, TicketSummary, WorkOrder } from '@qiaoliang/shared';
import type { AttachmentsTable, TicketEventsTable, TicketRepliesTable, WorkOrderUpdatesTable } from '../../db/schema.js';
import { fromFlag } from '../../db/dialect.js';
import { iso, isoOrNull } from '../../http/pagination.js';
import { unitLabel } from '../org/org.presenter.js';
import type { TicketListRow, WorkOrderRow } from './tickets.repo.js';
import { isOverdueAt } from './sla.rules.js';

const FINAL = new Set(['resolved', 'closed', 'cancelled', 'merged']);

/** Where the matter is: a unit (3栋2单元1501) or a common area. */
export function locationOf(r: { building_name: string | null; entrance: string | null; room_number: string | null; common_area_name: string | null }): string | null {
  if (r.building_name && r.entrance !== null && r.room_number) return unitLabel(r.building_name, r.entrance, r.room_number);
  return r.common_area_name ?? null;
}

/** The deadline that matters now: K1's for complaints, else resolution, else first response. */
export const mainDue = (r: { k1_due: number | null; resolution_due: number | null; first_response_due: number | null }): number | null =>
  r.k1_due ?? r.resolution_due ?? r.first_response_due;

export function presentSummary(r: TicketListRow, paths: ReadonlyMap<string, string>, now: number): TicketSummary {
  const due = mainDue(r);
  return {
    id: r.id,
    number: r.number,
    type: r.type as TicketSummary['type'],
    severity: r.severity as TicketSummary['severity'],
    channel: r.channel as TicketSummary['channel'],
    status: r.status as TicketSummary['status'],
    title: r.title,
    projectId: r.project_id,
    projectName: r.project_name,
    customerId: r.customer_id,
    customerName: r.customer_name,
    locationLabel: locationOf(r),
    categoryPath: r.category_id ? paths.get(r.category_id) ?? null : null,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    registeredAt: iso(r.registered_at),
    dueAt: isoOrNull(due),
    overdue: due !== null && !FINAL.has(r.status) && isOverdueAt(Number(due), r.status === 'waiting_customer' && r.paused_at !== null ? Number(r.paused_at) : null, now),
    escalationLevel: r.escalation_level,
    valid: fromFlag(r.valid),
    imported: fromFlag(r.imported),
  };
}

type Att = Pick<AttachmentsTable, 'id' | 'filename' | 'content_type' | 'size'>;
const presentAttachment = (a: Att) => ({ id: a.id, filename: a.filename, contentType: a.content_type, size: Number(a.size) });

export function presentWorkOrder(w: WorkOrderRow, updates: WorkOrderUpdatesTable[], attachments: Att[], now: number): WorkOrder {
  return {
    id: w.id,
    ticketId: w.ticket_id,
    ticketNumber: w.ticket_number,
    ticketTitle: w.ticket_title,
    ticketType: w.ticket_type as WorkOrder['ticketType'],
    severity: w.severity as WorkOrder['severity'],
    projectName: w.project_name,
    locationLabel: locationOf(w),
    departmentId: w.department_id,
    departmentName: w.department_name,
    status: w.status as WorkOrder['status'],
    instructions: w.instructions,
    dueAt: iso(w.due_at),
    overdue: (w.status === 'pending' || w.status === 'accepted') && Number(w.due_at) < now,
    assigneeName: w.assignee_name,
    acceptedAt: isoOrNull(w.accepted_at),
    completedAt: isoOrNull(w.completed_at),
    rejectedReason: w.rejected_reason,
    result: w.result,
    updates: updates.map((u) => ({ at: iso(u.at), kind: u.kind, body: u.body, actorName: u.actor_name })),
    attachments: attachments.map(presentAttachment),
    version: w.version,
    createdAt: iso(w.created_at),
  };
}

export function presentTicket(
  r: TicketListRow, paths: ReadonlyMap<string, string>, now: number,
  extra: { customerPhone: string | null; policyVersion: number; workOrders: WorkOrder[]; replies: TicketRepliesTable[]; events: TicketEventsTable[]; attachments: Att[] },
): Ticket {
  return {
    ...presentSummary(r, paths, now),
    description: r.description,
    categoryId: r.category_id,
    unitId: r.unit_id,
    commonAreaId: r.common_area_id,
    customerPhone: extra.customerPhone,
    firstResponseDue: isoOrNull(r.first_response_due),
    replyDue: isoOrNull(r.reply_due),
    resolutionDue: isoOrNull(r.resolution_due),
    k1Due: isoOrNull(r.k1_due),
    pausedMs: Number(r.paused_ms),
    firstRespondedAt: isoOrNull(r.first_responded_at),
    firstRepliedAt: isoOrNull(r.first_replied_at),
    resolvedAt: isoOrNull(r.resolved_at),
    closedAt: isoOrNull(r.closed_at),
    endReason: r.end_reason,
    callId: r.call_id,
    slaPolicyVersion: extra.policyVersion,
    workOrders: extra.workOrders,
    replies: extra.replies.map((x) => ({ id: x.id, at: iso(x.at), channel: x.channel as Ticket['replies'][number]['channel'], content: x.content, substantive: fromFlag(x.substantive), actorName: x.actor_name })),
    events: extra.events.map((e) => ({ id: e.id, at: iso(e.at), kind: e.kind, fromStatus: e.from_status, toStatus: e.to_status, actorName: e.actor_name, data: e.data ? JSON.parse(e.data) : null })),
    attachments: extra.attachments.map(presentAttachment),
    version: r.version,
  };
}
