import Type from 'typebox';
import { DateOnly, Id, Instant } from './common.js';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Owner portal (issue 12): what owners send and see. Owners are not staff. */

/** Mainland mobile numbers only (the code goes by SMS); spaces and +86 are accepted. */
export const PortalPhone = Type.String({ minLength: 11, maxLength: 20, pattern: '^[+0-9 -]+$' });

export const PortalCodeRequest = Type.Object({ phone: PortalPhone }, { additionalProperties: false });
export type PortalCodeRequest = Type.Static<typeof PortalCodeRequest>;

export const PortalCodeSent = Type.Object({
  /** Neutral: the same for numbers in the archive and not. */
  message: Type.String(),
  /** Seconds until another code may be requested for this number. */
  resendAfter: Type.Integer(),
  /** Minutes a code is valid. */
  validMinutes: Type.Integer(),
});
export type PortalCodeSent = Type.Static<typeof PortalCodeSent>;

export const PortalLoginBody = Type.Object({
  phone: PortalPhone,
  code: Type.String({ minLength: 6, maxLength: 6, pattern: '^[0-9]{6}$' }),
}, { additionalProperties: false });
export type PortalLoginBody = Type.Static<typeof PortalLoginBody>;

export const PortalHome = Type.Object({
  unitId: Id,
  projectId: Id,
  projectName: Type.String(),
  buildingName: Type.String(),
  entrance: Nullable(Type.String()),
  roomNumber: Type.String(),
  relation: Type.String(),
  relationLabel: Type.String(),
  handoverDate: Nullable(DateOnly),
  warrantyStartDate: Nullable(DateOnly),
  /** What this relation may do in the portal. */
  mayReport: Type.Boolean(),
  openMatters: Type.Integer(),
  pastMatters: Type.Integer(),
});
export type PortalHome = Type.Static<typeof PortalHome>;

export const PortalMe = Type.Object({
  customerId: Id,
  /** The name with all but the family name masked (张**). */
  displayName: Type.String(),
  phone: Type.String(),
  homes: Type.Array(PortalHome),
  unreadNotices: Type.Integer(),
});
export type PortalMe = Type.Static<typeof PortalMe>;

export const PORTAL_TYPES = ['repair', 'complaint', 'inquiry', 'suggestion', 'praise'] as const;
export type PortalType = (typeof PORTAL_TYPES)[number];

/** Longest description an owner may write. */
export const PORTAL_DESCRIPTION_MAX = 500;
export const PORTAL_PHOTOS_MAX = 9;

export const PortalReportBody = Type.Object({
  type: Type.Enum(PORTAL_TYPES),
  /** A unit the customer holds, or a common area of one of their projects. */
  unitId: Type.Optional(Id),
  commonAreaId: Type.Optional(Id),
  /** For a common area: the project (one of the customer's). */
  projectId: Type.Optional(Id),
  categoryId: Type.Optional(Id),
  description: Type.String({ minLength: 1, maxLength: 20_000 }),
  /** Ids of photos uploaded before (POST /api/portal/photos), at most 9. */
  photoIds: Type.Optional(Type.Array(Id, { maxItems: PORTAL_PHOTOS_MAX, uniqueItems: true })),
  /** Preferred visit window for repairs. */
  visitFrom: Type.Optional(Instant),
  visitTo: Type.Optional(Instant),
}, { additionalProperties: false });
export type PortalReportBody = Type.Static<typeof PortalReportBody>;

/** The stages an owner sees: 已受理 → 处理中 → 已答复 → 已解决 → 待评价 → 已完成 (and 已取消). */
export const PORTAL_STAGES = ['accepted', 'in_progress', 'replied', 'resolved', 'to_rate', 'done', 'cancelled'] as const;
export type PortalStage = (typeof PORTAL_STAGES)[number];

export const PortalMatterSummary = Type.Object({
  id: Id,
  number: Type.String(),
  type: Type.String(),
  typeLabel: Type.String(),
  title: Type.String(),
  stage: Type.Enum(PORTAL_STAGES),
  stageLabel: Type.String(),
  place: Type.String(),
  registeredAt: Instant,
  updatedAt: Instant,
});
export type PortalMatterSummary = Type.Static<typeof PortalMatterSummary>;

export const PortalTimelineEntry = Type.Object({
  at: Instant,
  stage: Type.Enum(PORTAL_STAGES),
  title: Type.String(),
  /** A reply the center recorded for the customer. */
  text: Nullable(Type.String()),
});
export type PortalTimelineEntry = Type.Static<typeof PortalTimelineEntry>;

export const PortalMatter = Type.Intersect([PortalMatterSummary, Type.Object({
  description: Type.String(),
  categoryName: Nullable(Type.String()),
  /** The first-contact owner's display name (no other staff). */
  handlerName: Type.String(),
  /** When the center expects to have it resolved. */
  expectedBy: Nullable(Instant),
  visitFrom: Nullable(Instant),
  visitTo: Nullable(Instant),
  photos: Type.Array(Type.Object({ id: Id, contentType: Type.String(), size: Type.Integer() })),
  timeline: Type.Array(PortalTimelineEntry),
  mayRate: Type.Boolean(),
  rating: Nullable(Type.Object({ satisfaction: Type.Integer(), comment: Nullable(Type.String()), at: Instant })),
})]);
export type PortalMatter = Type.Static<typeof PortalMatter>;

export const PortalRateBody = Type.Object({
  satisfaction: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
export type PortalRateBody = Type.Static<typeof PortalRateBody>;

export const PortalPhoto = Type.Object({ id: Id, contentType: Type.String(), size: Type.Integer() });
export type PortalPhoto = Type.Static<typeof PortalPhoto>;

export const PortalNotice = Type.Object({ id: Id, ticketId: Nullable(Id), title: Type.String(), body: Type.String(), at: Instant, read: Type.Boolean() });
export type PortalNotice = Type.Static<typeof PortalNotice>;

export const PortalCategory = Type.Object({ id: Id, type: Type.String(), name: Type.String(), parentId: Nullable(Id) });
export type PortalCategory = Type.Static<typeof PortalCategory>;

export const PortalCommonArea = Type.Object({ id: Id, projectId: Id, name: Type.String() });
export type PortalCommonArea = Type.Static<typeof PortalCommonArea>;

/** A message the development SMS sink kept (admins only; the number masked). */
export const SinkedSms = Type.Object({ id: Type.String(), at: Instant, to: Type.String(), template: Type.String(), text: Type.String() });
export type SinkedSmsDto = Type.Static<typeof SinkedSms>;
