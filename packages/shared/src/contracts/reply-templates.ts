import Type from 'typebox';
import { REPLY_TEMPLATE_LIMITS } from '../reply-templates.js';
import { TICKET_TYPES } from '../tickets.js';
import { Id, Instant, PageQuery } from './common.js';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const ReplyTemplate = Type.Object({
  id: Id,
  title: Type.String(),
  body: Type.String(),
  /** Offered only on tickets of this type; null: on every ticket. */
  ticketType: Nullable(Type.Enum(TICKET_TYPES)),
  /** Offered only in this project; null: in the whole group. */
  projectId: Nullable(Id),
  projectName: Nullable(Type.String()),
  active: Type.Boolean(),
  updatedAt: Instant,
  updatedByName: Nullable(Type.String()),
  version: Type.Integer(),
});
export type ReplyTemplate = Type.Static<typeof ReplyTemplate>;

export const ReplyTemplateInput = Type.Object(
  {
    title: Type.String({ minLength: 2, maxLength: REPLY_TEMPLATE_LIMITS.title }),
    body: Type.String({ minLength: 2, maxLength: REPLY_TEMPLATE_LIMITS.body }),
    ticketType: Nullable(Type.Enum(TICKET_TYPES)),
    projectId: Nullable(Id),
  },
  { additionalProperties: false },
);
export type ReplyTemplateInput = Type.Static<typeof ReplyTemplateInput>;

export const ReplyTemplateUpdate = Type.Object(
  {
    title: Type.Optional(ReplyTemplateInput.properties.title),
    body: Type.Optional(ReplyTemplateInput.properties.body),
    ticketType: Type.Optional(ReplyTemplateInput.properties.ticketType),
    projectId: Type.Optional(ReplyTemplateInput.properties.projectId),
    /** false: archived (no longer offered); true: offered again. */
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ReplyTemplateUpdate = Type.Static<typeof ReplyTemplateUpdate>;

export const ReplyTemplateListQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    q: Type.Optional(Type.String({ maxLength: 40 })),
    /** Templates offered for a ticket of this project (the project's and the group's). */
    projectId: Type.Optional(Id),
    ticketType: Type.Optional(Type.Enum(TICKET_TYPES)),
    /** Also archived templates (the settings page). */
    includeInactive: Type.Optional(Type.Boolean()),
  }),
]);
export type ReplyTemplateListQuery = Type.Static<typeof ReplyTemplateListQuery>;
