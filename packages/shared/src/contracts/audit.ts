import Type from 'typebox';
import { CursorQuery, DateOnly, Id, Instant } from './common.js';

export const AuditEntry = Type.Object({
  id: Id,
  seq: Type.Integer(),
  at: Instant,
  actorId: Type.Union([Id, Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  ip: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEntry = Type.Static<typeof AuditEntry>;

export const AuditListQuery = Type.Intersect([
  CursorQuery,
  Type.Object({
    action: Type.Optional(Type.String({ maxLength: 60 })),
    entityType: Type.Optional(Type.String({ maxLength: 40 })),
    entityId: Type.Optional(Type.String({ maxLength: 60 })),
    actorId: Type.Optional(Id),
    from: Type.Optional(DateOnly),
    to: Type.Optional(DateOnly),
  }),
]);
export type AuditListQuery = Type.Static<typeof AuditListQuery>;

export const OutboxMessage = Type.Object({
  id: Id,
  channel: Type.String(),
  recipient: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Instant,
  deliveredAt: Type.Union([Instant, Type.Null()]),
});
export type OutboxMessage = Type.Static<typeof OutboxMessage>;

export const Notification = Type.Object({
  id: Id,
  title: Type.String(),
  body: Type.String(),
  link: Type.Union([Type.String(), Type.Null()]),
  readAt: Type.Union([Instant, Type.Null()]),
  createdAt: Instant,
});
export type Notification = Type.Static<typeof Notification>;
