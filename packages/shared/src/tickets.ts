/** Ticket types: everything a customer says enters as one of these (M1). */
export const TICKET_TYPES = ['inquiry', 'complaint', 'repair', 'suggestion', 'praise', 'other'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/** Severity: routine, major, and urgent for repairs that need a response within hours. */
export const SEVERITIES = ['routine', 'major', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CHANNELS = ['hotline', 'walk_in', 'portal', 'wechat', 'email', 'letter', 'visit', 'handover', 'internal'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The states of the single-window workflow (mission.md 九). */
export const TICKET_STATUSES = [
  'registered', 'dispatched', 'in_progress', 'result_returned', 'replied', 'waiting_customer', 'resolved', 'closed', 'reopened', 'cancelled', 'merged',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses in which the ticket still needs work from the center. */
export const OPEN_STATUSES: readonly TicketStatus[] = ['registered', 'dispatched', 'in_progress', 'result_returned', 'replied', 'waiting_customer', 'reopened'];

export const WORK_ORDER_STATUSES = ['pending', 'accepted', 'rejected', 'completed', 'cancelled'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

/** SLA targets a policy can set. */
export const SLA_TARGETS = ['first_response', 'reply', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

export const SLA_UNITS = ['calendar_hours', 'working_days'] as const;
export type SlaUnit = (typeof SLA_UNITS)[number];

export const REPLY_CHANNELS = ['phone', 'sms', 'wechat', 'email', 'visit', 'letter', 'portal'] as const;
export type ReplyChannel = (typeof REPLY_CHANNELS)[number];
