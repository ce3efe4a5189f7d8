import Type from 'typebox';
import { CALL_BACK_STATUSES, CALL_DIRECTIONS, CALL_STATUSES, CTI_EVENTS } from '../hotline.js';
import { CursorQuery, Id, Instant } from './common.js';
import { CustomerSummary, TimelineEntry } from './customers.js';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const CallStatusSchema = Type.Enum(CALL_STATUSES);
export const CallDirectionSchema = Type.Enum(CALL_DIRECTIONS);
export const CallBackStatusSchema = Type.Enum(CALL_BACK_STATUSES);

/**
 * One event from the telephony system (docs/hotline.md). Unknown fields are accepted and
 * stored with the event, so a PBX can send its own extras without breaking the integration.
 */
export const CtiEvent = Type.Object({
  event: Type.Enum(CTI_EVENTS),
  /** The PBX's id of the call; (callId, event) is the idempotency key. Printable ASCII, no spaces. */
  callId: Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7E]+$' }),
  /** When it happened at the PBX; defaults to when the event was received. */
  occurredAt: Type.Optional(Instant),
  direction: Type.Optional(CallDirectionSchema),
  /** The calling number as the PBX sees it (mainland numbers in any common format, or E.164). Empty when withheld. */
  caller: Type.Optional(Type.String({ maxLength: 40 })),
  /** The number dialled (the hotline number for inbound calls). */
  called: Type.Optional(Type.String({ maxLength: 40 })),
  /** The agent extension that rings or answered. */
  extension: Type.Optional(Nullable(Type.String({ maxLength: 20, pattern: '^[0-9A-Za-z*#+_-]*$' }))),
  /** On `ended`: where the recording can be fetched (http or https). */
  recordingUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000, pattern: '^https?://[^\\s]+$' }))),
  /** On `ended`: true when the PBX knows nobody answered (queue timeout, caller hung up). */
  missed: Type.Optional(Type.Boolean()),
});
export type CtiEvent = Type.Static<typeof CtiEvent>;

export const CtiEventResult = Type.Object({
  /** Qiaoliang's id of the call record. */
  id: Id,
  callId: Type.String(),
  event: Type.Enum(CTI_EVENTS),
  status: CallStatusSchema,
});
export type CtiEventResult = Type.Static<typeof CtiEventResult>;

/** A call record. Phone numbers are masked. */
export const Call = Type.Object({
  id: Id,
  /** The PBX's call id. */
  callId: Type.String(),
  direction: CallDirectionSchema,
  /** Masked calling number (138****8000), or the raw text when it is not a phone number (withheld). */
  caller: Type.String(),
  called: Type.String(),
  extension: Nullable(Type.String()),
  agentId: Nullable(Id),
  agentName: Nullable(Type.String()),
  customerId: Nullable(Id),
  customerName: Nullable(Type.String()),
  projectId: Nullable(Id),
  status: CallStatusSchema,
  startedAt: Instant,
  answeredAt: Nullable(Instant),
  endedAt: Nullable(Instant),
  /** Talk time in seconds (0 for a missed call, null while it lasts). */
  durationSeconds: Nullable(Type.Integer()),
  recordingUrl: Nullable(Type.String()),
  /** `timeout`: no end event arrived within CALL_TIMEOUT_MINUTES and the call was closed; null: the PBX ended it. */
  endReason: Nullable(Type.Literal('timeout')),
  version: Type.Integer(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Call = Type.Static<typeof Call>;

export const CallBackTask = Type.Object({
  id: Id,
  /** The missed call (Qiaoliang's call id). */
  callRecordId: Id,
  /** Masked number to call back; POST /api/call-back-tasks/:id/reveal shows it in full. */
  phone: Type.String(),
  customerId: Nullable(Id),
  customerName: Nullable(Type.String()),
  projectId: Nullable(Id),
  status: CallBackStatusSchema,
  /** Null: in the project's pool, any agent of the project may take it. */
  assignedTo: Nullable(Id),
  assignedName: Nullable(Type.String()),
  dueAt: Instant,
  overdue: Type.Boolean(),
  doneAt: Nullable(Instant),
  doneBy: Nullable(Id),
  doneByName: Nullable(Type.String()),
  note: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Instant,
});
export type CallBackTask = Type.Static<typeof CallBackTask>;

export const CallDetail = Type.Object({
  ...Call.properties,
  /** Tickets registered from this call. */
  ticketIds: Type.Array(Type.String()),
  callBackTask: Nullable(CallBackTask),
});
export type CallDetail = Type.Static<typeof CallDetail>;

export const CallListQuery = Type.Intersect([
  CursorQuery,
  Type.Object({
    status: Type.Optional(CallStatusSchema),
    customerId: Type.Optional(Id),
    agentId: Type.Optional(Id),
    projectId: Type.Optional(Id),
    /** Calls started at or after this instant. */
    from: Type.Optional(Instant),
    /** Calls started before this instant. */
    to: Type.Optional(Instant),
  }),
]);
export type CallListQuery = Type.Static<typeof CallListQuery>;

export const CallBackTaskListQuery = Type.Intersect([
  CursorQuery,
  Type.Object({
    /** mine: assigned to me; pool: unassigned in my projects; all (default): both, and for supervisors every task of their projects. */
    view: Type.Optional(Type.Enum(['mine', 'pool', 'all'])),
    status: Type.Optional(CallBackStatusSchema),
  }),
]);
export type CallBackTaskListQuery = Type.Static<typeof CallBackTaskListQuery>;

export const CallBackDoneBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);
export type CallBackDoneBody = Type.Static<typeof CallBackDoneBody>;

export const CallLinkCustomerBody = Type.Object({ customerId: Id }, { additionalProperties: false });
export type CallLinkCustomerBody = Type.Static<typeof CallLinkCustomerBody>;

/** What the screen pop shows of an open ticket; the tickets module provides them. */
export const OpenTicketSummary = Type.Object({
  id: Type.String(),
  number: Type.String(),
  type: Type.String(),
  severity: Type.String(),
  status: Type.String(),
  title: Type.String(),
  createdAt: Instant,
  /** The next deadline, if any. */
  dueAt: Nullable(Instant),
});
export type OpenTicketSummary = Type.Static<typeof OpenTicketSummary>;

export const ScreenPopCustomer = Type.Object({
  customer: CustomerSummary,
  openTickets: Type.Array(OpenTicketSummary),
  /** The latest entries of the customer's timeline, newest first. */
  lastContacts: Type.Array(TimelineEntry),
});
export type ScreenPopCustomer = Type.Static<typeof ScreenPopCustomer>;

/** Pushed to the agent whose extension rings: who is calling. */
export const ScreenPopEvent = Type.Object({
  type: Type.Literal('screen_pop'),
  call: Call,
  /** Every customer in the agent's scope with this number (several when a family shares it); empty: unknown caller. */
  customers: Type.Array(ScreenPopCustomer),
  /**
   * The calling number in full, only when no customer matched: it pre-fills the quick-create
   * form (the desk phone shows it anyway). Known customers' numbers stay masked.
   */
  callerNumber: Nullable(Type.String()),
});
export type ScreenPopEvent = Type.Static<typeof ScreenPopEvent>;

/** GET /api/calls/active: my call still ringing or in progress, as its screen pop; null when none. */
export const ActiveCall = Type.Object({ pop: Nullable(ScreenPopEvent) });
export type ActiveCall = Type.Static<typeof ActiveCall>;

/** A call of mine changed: answered, ended, missed, taken over by another extension. */
export const CallUpdateEvent = Type.Object({ type: Type.Literal('call_update'), call: Call });
export type CallUpdateEvent = Type.Static<typeof CallUpdateEvent>;

/** Something for me to see now; `id` is the in-app notification's id once it is delivered (or null). */
export const NotificationEvent = Type.Object({
  type: Type.Literal('notification'),
  id: Nullable(Type.String()),
  title: Type.String(),
  body: Type.String(),
  link: Nullable(Type.String()),
});
export type NotificationEvent = Type.Static<typeof NotificationEvent>;

/** The session behind the stream ended (logout, expiry, deactivation): sign in again. Never stored. */
export const SessionEndedEvent = Type.Object({ type: Type.Literal('session_ended') });
export type SessionEndedEvent = Type.Static<typeof SessionEndedEvent>;

/**
 * Everything GET /api/events/stream sends, as the `data:` of unnamed SSE messages (the
 * `id:` line is the event id for Last-Event-ID). Switch on `type`.
 */
export const ServerEvent = Type.Union([ScreenPopEvent, CallUpdateEvent, NotificationEvent, SessionEndedEvent]);
export type ServerEvent = Type.Static<typeof ServerEvent>;
