import Type from 'typebox';
import { CHANNELS, REPLY_CHANNELS, SEVERITIES, TICKET_STATUSES, TICKET_TYPES, WORK_ORDER_STATUSES, SLA_UNITS } from '../tickets.js';
import { Id, Instant } from './common.js';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const TicketTypeSchema = Type.Enum(TICKET_TYPES);
export const SeveritySchema = Type.Enum(SEVERITIES);
export const ChannelSchema = Type.Enum(CHANNELS);
export const TicketStatusSchema = Type.Enum(TICKET_STATUSES);
export const WorkOrderStatusSchema = Type.Enum(WORK_ORDER_STATUSES);
export const ReplyChannelSchema = Type.Enum(REPLY_CHANNELS);
const Reason = Type.String({ minLength: 2, maxLength: 500 });

export const TicketCreate = Type.Object(
  {
    type: TicketTypeSchema,
    categoryId: Type.Optional(Nullable(Id)),
    severity: SeveritySchema,
    channel: ChannelSchema,
    projectId: Id,
    customerId: Type.Optional(Nullable(Id)),
    unitId: Type.Optional(Nullable(Id)),
    commonAreaId: Type.Optional(Nullable(Id)),
    title: Type.Optional(Type.String({ maxLength: 100 })),
    description: Type.String({ minLength: 2, maxLength: 5000 }),
    /** The hotline call this was registered from. */
    callId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);
export type TicketCreate = Type.Static<typeof TicketCreate>;

export const TicketSummary = Type.Object({
  id: Id,
  number: Type.String(),
  type: TicketTypeSchema,
  severity: SeveritySchema,
  channel: ChannelSchema,
  status: TicketStatusSchema,
  title: Type.String(),
  projectId: Id,
  projectName: Type.String(),
  customerId: Nullable(Id),
  customerName: Nullable(Type.String()),
  locationLabel: Nullable(Type.String()),
  categoryPath: Nullable(Type.String()),
  ownerId: Id,
  ownerName: Type.String(),
  registeredAt: Instant,
  /** The deadline that matters now (the K1 deadline for complaints, else resolution). */
  dueAt: Nullable(Instant),
  overdue: Type.Boolean(),
  escalationLevel: Type.Integer(),
  valid: Type.Boolean(),
  imported: Type.Boolean(),
});
export type TicketSummary = Type.Static<typeof TicketSummary>;

export const WorkOrder = Type.Object({
  id: Id,
  ticketId: Id,
  ticketNumber: Type.String(),
  ticketTitle: Type.String(),
  ticketType: TicketTypeSchema,
  severity: SeveritySchema,
  projectName: Type.String(),
  locationLabel: Nullable(Type.String()),
  departmentId: Id,
  departmentName: Type.String(),
  status: WorkOrderStatusSchema,
  instructions: Type.String(),
  dueAt: Instant,
  overdue: Type.Boolean(),
  assigneeName: Nullable(Type.String()),
  acceptedAt: Nullable(Instant),
  completedAt: Nullable(Instant),
  rejectedReason: Nullable(Type.String()),
  result: Nullable(Type.String()),
  updates: Type.Array(Type.Object({ at: Instant, kind: Type.String(), body: Type.String(), actorName: Type.String() })),
  attachments: Type.Array(Type.Object({ id: Id, filename: Type.String(), contentType: Type.String(), size: Type.Integer() })),
  version: Type.Integer(),
  createdAt: Instant,
  /**
   * What the handler needs to do the work (GET /api/work-orders/:id only; issue #18 defect 7):
   * the customer, their masked phone, the customer's own words as registered.
   */
  customerId: Type.Optional(Nullable(Id)),
  customerName: Type.Optional(Nullable(Type.String())),
  /** Masked (138****0001); `phoneRevealable`: this user may see it in full through the audited reveal. */
  customerPhone: Type.Optional(Nullable(Type.String())),
  phoneRevealable: Type.Optional(Type.Boolean()),
  ticketDescription: Type.Optional(Type.String()),
});
export type WorkOrder = Type.Static<typeof WorkOrder>;

export const TicketEvent = Type.Object({
  id: Id,
  at: Instant,
  kind: Type.String(),
  fromStatus: Nullable(Type.String()),
  toStatus: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  data: Type.Unknown(),
});
export type TicketEvent = Type.Static<typeof TicketEvent>;

export const TicketReply = Type.Object({
  id: Id,
  at: Instant,
  channel: ReplyChannelSchema,
  content: Type.String(),
  substantive: Type.Boolean(),
  actorName: Type.String(),
});
export type TicketReply = Type.Static<typeof TicketReply>;

export const Ticket = Type.Intersect([
  TicketSummary,
  Type.Object({
    description: Type.String(),
    categoryId: Nullable(Id),
    unitId: Nullable(Id),
    commonAreaId: Nullable(Id),
    customerPhone: Nullable(Type.String()),
    firstResponseDue: Nullable(Instant),
    replyDue: Nullable(Instant),
    resolutionDue: Nullable(Instant),
    k1Due: Nullable(Instant),
    pausedMs: Type.Integer(),
    firstRespondedAt: Nullable(Instant),
    firstRepliedAt: Nullable(Instant),
    resolvedAt: Nullable(Instant),
    closedAt: Nullable(Instant),
    endReason: Nullable(Type.String()),
    callId: Nullable(Type.String()),
    slaPolicyVersion: Type.Integer(),
    workOrders: Type.Array(WorkOrder),
    replies: Type.Array(TicketReply),
    events: Type.Array(TicketEvent),
    attachments: Type.Array(Type.Object({ id: Id, filename: Type.String(), contentType: Type.String(), size: Type.Integer() })),
    version: Type.Integer(),
  }),
]);
export type Ticket = Type.Static<typeof Ticket>;

export const DispatchBody = Type.Object(
  {
    departmentId: Id,
    instructions: Type.String({ minLength: 2, maxLength: 2000 }),
    dueAt: Instant,
    /** Required when `dueAt` is later than the ticket's own deadline: why the department gets longer (audited). */
    lateReason: Type.Optional(Type.String({ minLength: 2, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type DispatchBody = Type.Static<typeof DispatchBody>;
/** GET /api/tickets/:id/dispatch-suggestion: the department tickets of the same category usually go to. */
export const DispatchSuggestion = Type.Object({
  departmentId: Nullable(Id),
  departmentName: Nullable(Type.String()),
  /** How often tickets of this category (last 180 days, this project's city company) went there. */
  basis: Nullable(Type.String()),
});
export type DispatchSuggestion = Type.Static<typeof DispatchSuggestion>;
export const ReplyBody = Type.Object(
  { channel: ReplyChannelSchema, content: Type.String({ minLength: 2, maxLength: 2000 }), substantive: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type ReplyBody = Type.Static<typeof ReplyBody>;
export const AnswerBody = Type.Object({ channel: ReplyChannelSchema, content: Type.String({ minLength: 2, maxLength: 2000 }) }, { additionalProperties: false });
export type AnswerBody = Type.Static<typeof AnswerBody>;
export const ReasonBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export type ReasonBody = Type.Static<typeof ReasonBody>;
export const ResolveBody = Type.Object({ summary: Type.String({ minLength: 2, maxLength: 2000 }) }, { additionalProperties: false });
export type ResolveBody = Type.Static<typeof ResolveBody>;
export const HandOverBody = Type.Object({ toUserId: Id, reason: Reason }, { additionalProperties: false });
export type HandOverBody = Type.Static<typeof HandOverBody>;
export const TicketMergeBody = Type.Object({ intoTicketId: Id, reason: Reason }, { additionalProperties: false });
export type TicketMergeBody = Type.Static<typeof TicketMergeBody>;
export const SeverityBody = Type.Object({ severity: SeveritySchema, reason: Reason }, { additionalProperties: false });
export type SeverityBody = Type.Static<typeof SeverityBody>;
export const WorkOrderRejectBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export const WorkOrderProgressBody = Type.Object({ body: Type.String({ minLength: 2, maxLength: 2000 }) }, { additionalProperties: false });
export const WorkOrderCompleteBody = Type.Object({ result: Type.String({ minLength: 2, maxLength: 2000 }) }, { additionalProperties: false });

export const TicketListQuery = Type.Object({
  /** mine: I am the first-contact owner; team: my projects. */
  view: Type.Optional(Type.Enum(['mine', 'team', 'due_soon', 'overdue', 'waiting', 'all'])),
  /** Only tickets the caller owns (any view). */
  owner: Type.Optional(Type.Enum(['me'])),
  status: Type.Optional(Type.Array(TicketStatusSchema, { maxItems: 11 })),
  type: Type.Optional(TicketTypeSchema),
  severity: Type.Optional(SeveritySchema),
  projectId: Type.Optional(Id),
  customerId: Type.Optional(Id),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Words contained in the number, title, description or customer name (any length, Chinese included)' })),
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export type TicketListQuery = Type.Static<typeof TicketListQuery>;

export const TicketCategory = Type.Object({
  id: Id,
  type: TicketTypeSchema,
  parentId: Nullable(Id),
  name: Type.String(),
  path: Type.String(),
  sort: Type.Integer(),
  active: Type.Boolean(),
  version: Type.Integer(),
});
export type TicketCategory = Type.Static<typeof TicketCategory>;
/** A category's position: bounded so it fits the integer column on both databases. */
const CategorySort = Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 });
export const TicketCategoryCreate = Type.Object(
  { type: TicketTypeSchema, parentId: Type.Optional(Nullable(Id)), name: Type.String({ minLength: 1, maxLength: 40 }), sort: Type.Optional(CategorySort) },
  { additionalProperties: false },
);
export type TicketCategoryCreate = Type.Static<typeof TicketCategoryCreate>;
export const TicketCategoryUpdate = Type.Partial(Type.Object({ name: Type.String({ minLength: 1, maxLength: 40 }), sort: CategorySort, active: Type.Boolean() }), { additionalProperties: false });
export type TicketCategoryUpdate = Type.Static<typeof TicketCategoryUpdate>;

const SlaTargetSchema = Nullable(Type.Object({ value: Type.Number({ exclusiveMinimum: 0, maximum: 10000 }), unit: Type.Enum(SLA_UNITS) }, { additionalProperties: false }));
export const SlaPolicySpecSchema = Type.Object(
  {
    firstResponse: SlaTargetSchema,
    reply: SlaTargetSchema,
    resolution: SlaTargetSchema,
    warnAt: Type.Number({ minimum: 0.1, maximum: 0.99 }),
    escalateAfter: Type.Array(Type.Number({ minimum: 0, maximum: 100 }), { minItems: 3, maxItems: 3 }),
  },
  { additionalProperties: false },
);
export const SlaPolicy = Type.Object({
  id: Id,
  type: TicketTypeSchema,
  severity: SeveritySchema,
  versionNo: Type.Integer(),
  spec: SlaPolicySpecSchema,
  createdAt: Instant,
});
export type SlaPolicy = Type.Static<typeof SlaPolicy>;

