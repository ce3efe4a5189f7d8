import Type from 'typebox';
import { Id, Instant } from './common.js';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const CALLBACK_STATUSES = ['open', 'done', 'unreachable', 'cancelled'] as const;
export const VISIT_KINDS = ['phone_visit', 'home_visit', 'event_contact', 'callback'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];
export const INVALID_REASONS = ['duplicate', 'not_our_responsibility', 'malicious', 'unreasonable_answered'] as const;
export type InvalidReason = (typeof INVALID_REASONS)[number];

/** 5-point scale: 5 very satisfied … 1 very dissatisfied. */
export const Satisfaction = Type.Integer({ minimum: 1, maximum: 5 });

export const Callback = Type.Object({
  id: Id,
  ticketId: Id,
  ticketNumber: Type.String(),
  ticketTitle: Type.String(),
  ticketType: Type.String(),
  customerId: Nullable(Id),
  customerName: Nullable(Type.String()),
  customerPhone: Nullable(Type.String()),
  projectName: Type.String(),
  assigneeId: Id,
  assigneeName: Type.String(),
  status: Type.Enum(CALLBACK_STATUSES),
  dueAt: Instant,
  overdue: Type.Boolean(),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  satisfaction: Nullable(Type.Integer()),
  comment: Nullable(Type.String()),
  script: Type.String(),
  completedAt: Nullable(Instant),
  version: Type.Integer(),
});
export type Callback = Type.Static<typeof Callback>;

export const CallbackAttemptBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export const CallbackCompleteBody = Type.Object(
  { satisfaction: Satisfaction, comment: Type.Optional(Type.String({ maxLength: 1000 })), alsoKinds: Type.Optional(Type.Array(Type.Enum(VISIT_KINDS), { uniqueItems: true })) },
  { additionalProperties: false },
);
export type CallbackCompleteBody = Type.Static<typeof CallbackCompleteBody>;

export const InvalidateBody = Type.Object({ reason: Type.Enum(INVALID_REASONS), note: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false });
export type InvalidateBody = Type.Static<typeof InvalidateBody>;

export const Visit = Type.Object({
  id: Id,
  customerId: Id,
  customerName: Type.String(),
  projectId: Id,
  projectName: Type.String(),
  kinds: Type.Array(Type.Enum(VISIT_KINDS)),
  at: Instant,
  notes: Nullable(Type.String()),
  satisfaction: Nullable(Type.Integer()),
  actorName: Type.String(),
  version: Type.Integer(),
});
export type Visit = Type.Static<typeof Visit>;

export const VisitCreate = Type.Object(
  {
    customerId: Id,
    projectId: Id,
    kinds: Type.Array(Type.Enum(VISIT_KINDS), { minItems: 1, uniqueItems: true }),
    at: Type.Optional(Instant),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    satisfaction: Type.Optional(Satisfaction),
    taskId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type VisitCreate = Type.Static<typeof VisitCreate>;

export const VisitPlanRules = Type.Object(
  { vipExtra: Type.Integer({ minimum: 0, maximum: 4 }), complainerExtra: Type.Integer({ minimum: 0, maximum: 4 }), newHandoverExtra: Type.Integer({ minimum: 0, maximum: 4 }), complainerDays: Type.Integer({ minimum: 7, maximum: 365 }) },
  { additionalProperties: false },
);
export type VisitPlanRules = Type.Static<typeof VisitPlanRules>;

export const VisitPlan = Type.Object({
  id: Id,
  projectId: Id,
  year: Type.Integer(),
  targetRate: Type.Number(),
  rules: VisitPlanRules,
  generatedAt: Nullable(Instant),
  tasks: Type.Integer(),
  done: Type.Integer(),
  customersInScope: Type.Integer(),
  version: Type.Integer(),
});
export type VisitPlan = Type.Static<typeof VisitPlan>;

export const VisitTask = Type.Object({
  id: Id,
  customerId: Id,
  customerName: Type.String(),
  customerPhone: Nullable(Type.String()),
  reason: Type.String(),
  dueDate: Type.String(),
  status: Type.String(),
  visitId: Nullable(Id),
  version: Type.Integer(),
});
export type VisitTask = Type.Static<typeof VisitTask>;


/** Why a visit attempt did not reach the customer. */
export const VISIT_ATTEMPT_OUTCOMES = ['not_at_home', 'refused', 'wrong_number', 'no_answer'] as const;
export type VisitAttemptOutcome = (typeof VISIT_ATTEMPT_OUTCOMES)[number];
/** The kinds of visit that can be attempted without success (a callback has its own attempts). */
export const VISIT_ATTEMPT_KINDS = ['phone_visit', 'home_visit'] as const;

/** A visit attempt that did not reach the customer: never counted for K3, reported beside it. */
export const VisitAttempt = Type.Object({
  id: Id,
  customerId: Id,
  customerName: Type.String(),
  projectId: Id,
  projectName: Type.String(),
  kind: Type.Enum(VISIT_ATTEMPT_KINDS),
  outcome: Type.Enum(VISIT_ATTEMPT_OUTCOMES),
  at: Instant,
  notes: Nullable(Type.String()),
  taskId: Nullable(Id),
  actorName: Type.String(),
});
export type VisitAttempt = Type.Static<typeof VisitAttempt>;

export const VisitAttemptCreate = Type.Object(
  {
    customerId: Id,
    projectId: Id,
    kind: Type.Enum(VISIT_ATTEMPT_KINDS),
    outcome: Type.Enum(VISIT_ATTEMPT_OUTCOMES),
    at: Type.Optional(Instant),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    taskId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type VisitAttemptCreate = Type.Static<typeof VisitAttemptCreate>;
