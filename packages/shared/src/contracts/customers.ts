import Type from 'typebox';
import { ARCHIVE_FIELDS, CONTACT_CHANNELS, CUSTOMER_KINDS, REVEAL_FIELDS, UNIT_RELATIONS } from '../customers.js';
import { DateOnly, Id, Instant, PageQuery } from './common.js';

export const CustomerKindSchema = Type.Enum(CUSTOMER_KINDS);
export const UnitRelationSchema = Type.Enum(UNIT_RELATIONS);
export const ContactChannelSchema = Type.Enum(CONTACT_CHANNELS);
export const ArchiveFieldSchema = Type.Enum(ARCHIVE_FIELDS);
const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const ShortText = (max: number) => Type.String({ maxLength: max });

export const CustomerPhone = Type.Object({
  id: Id,
  /** Masked (138****5678) unless revealed. */
  phone: Type.String(),
  label: Nullable(Type.String()),
  isPrimary: Type.Boolean(),
  /** Other customers share this number (flagged, allowed). */
  sharedWith: Type.Integer(),
});
export type CustomerPhone = Type.Static<typeof CustomerPhone>;

export const CustomerUnitLink = Type.Object({
  id: Id,
  unitId: Id,
  projectId: Id,
  projectName: Type.String(),
  unitLabel: Type.String(),
  relation: UnitRelationSchema,
  share: Nullable(Type.Number()),
  fromDate: DateOnly,
  toDate: Nullable(DateOnly),
  current: Type.Boolean(),
  contractNo: Nullable(Type.String()),
  contractDate: Nullable(DateOnly),
  contractedHandoverDate: Nullable(DateOnly),
  actualHandoverDate: Nullable(DateOnly),
  warrantyStartDate: Nullable(DateOnly),
  version: Type.Integer(),
});
export type CustomerUnitLink = Type.Static<typeof CustomerUnitLink>;

export const ArchiveStatus = Type.Object({
  complete: Type.Boolean(),
  current: Type.Boolean(),
  missing: Type.Array(ArchiveFieldSchema),
  /** The later of the last confirmation and the last update. */
  touchedAt: Instant,
  /** When the archive stops being current unless confirmed or updated. */
  currentUntil: Instant,
});
export type ArchiveStatus = Type.Static<typeof ArchiveStatus>;

export const CustomerSummary = Type.Object({
  id: Id,
  kind: CustomerKindSchema,
  name: Type.String(),
  /** Masked primary phone. */
  phone: Nullable(Type.String()),
  vip: Type.Boolean(),
  tags: Type.Array(Type.String()),
  units: Type.Array(Type.Object({ unitId: Id, projectName: Type.String(), unitLabel: Type.String(), relation: UnitRelationSchema })),
  archiveComplete: Type.Boolean(),
  archiveCurrent: Type.Boolean(),
  updatedAt: Instant,
});
export type CustomerSummary = Type.Static<typeof CustomerSummary>;

export const Customer = Type.Object({
  id: Id,
  kind: CustomerKindSchema,
  name: Type.String(),
  projectId: Nullable(Id),
  phones: Type.Array(CustomerPhone),
  /** Masked ID number (110***********1234) or null. */
  idNumber: Nullable(Type.String()),
  email: Nullable(Type.String()),
  wechatId: Nullable(Type.String()),
  preferredChannel: Nullable(ContactChannelSchema),
  preferredTime: Nullable(Type.String()),
  address: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  vip: Type.Boolean(),
  notes: Nullable(Type.String()),
  preferences: Nullable(Type.String()),
  units: Type.Array(CustomerUnitLink),
  archive: ArchiveStatus,
  archiveConfirmedAt: Nullable(Instant),
  archiveConfirmedBy: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Customer = Type.Static<typeof Customer>;

/** A new number (`phone`), or an existing one kept by its `id` without revealing it. */
const PhoneInput = Type.Object(
  {
    id: Type.Optional(Id),
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 30 })),
    label: Type.Optional(Nullable(ShortText(20))),
    isPrimary: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const customerFields = {
  kind: CustomerKindSchema,
  name: Type.String({ minLength: 1, maxLength: 50 }),
  projectId: Type.Optional(Nullable(Id)),
  phones: Type.Array(PhoneInput, { maxItems: 10 }),
  idNumber: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  email: Type.Optional(Nullable(Type.String({ maxLength: 120, format: 'email' }))),
  wechatId: Type.Optional(Nullable(ShortText(60))),
  preferredChannel: Type.Optional(Nullable(ContactChannelSchema)),
  preferredTime: Type.Optional(Nullable(ShortText(60))),
  address: Type.Optional(Nullable(ShortText(200))),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 20, uniqueItems: true })),
  vip: Type.Optional(Type.Boolean()),
  notes: Type.Optional(Nullable(ShortText(2000))),
  preferences: Type.Optional(Nullable(ShortText(1000))),
};

export const CustomerCreate = Type.Object(customerFields, { additionalProperties: false });
export type CustomerCreate = Type.Static<typeof CustomerCreate>;
export const CustomerUpdate = Type.Partial(Type.Object(customerFields), { additionalProperties: false });
export type CustomerUpdate = Type.Static<typeof CustomerUpdate>;

export const CustomerUnitCreate = Type.Object(
  {
    unitId: Id,
    relation: UnitRelationSchema,
    share: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 100 }))),
    fromDate: Type.Optional(DateOnly),
    contractNo: Type.Optional(Nullable(ShortText(60))),
    contractDate: Type.Optional(Nullable(DateOnly)),
    contractedHandoverDate: Type.Optional(Nullable(DateOnly)),
    actualHandoverDate: Type.Optional(Nullable(DateOnly)),
    warrantyStartDate: Type.Optional(Nullable(DateOnly)),
  },
  { additionalProperties: false },
);
export type CustomerUnitCreate = Type.Static<typeof CustomerUnitCreate>;
export const CustomerUnitUpdate = Type.Partial(
  Type.Object({
    ...Type.Omit(CustomerUnitCreate, ['unitId']).properties, toDate: Nullable(DateOnly),
    /** The edit corrects a past date: past periods' K3/K4 snapshots are computed again (issue #20 defect 3). */
    correction: Type.Boolean(),
  }),
  { additionalProperties: false },
);
export type CustomerUnitUpdate = Type.Static<typeof CustomerUnitUpdate>;

export const CustomerSearchQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    /** Free text: name, pinyin initials, phone or its last digits, ID number, or a unit address. */
    q: Type.Optional(Type.String({ maxLength: 100 })),
    projectId: Type.Optional(Id),
    kind: Type.Optional(CustomerKindSchema),
    vip: Type.Optional(Type.Boolean()),
    archive: Type.Optional(Type.Enum(['complete', 'incomplete', 'stale'])),
  }),
]);
export type CustomerSearchQuery = Type.Static<typeof CustomerSearchQuery>;

export const RevealBody = Type.Object(
  { field: Type.Enum(REVEAL_FIELDS), reason: Type.String({ minLength: 2, maxLength: 200 }) },
  { additionalProperties: false },
);
export type RevealBody = Type.Static<typeof RevealBody>;

export const RevealResult = Type.Object({
  field: Type.Enum(REVEAL_FIELDS),
  phones: Type.Optional(Type.Array(Type.Object({ id: Id, phone: Type.String() }))),
  idNumber: Type.Optional(Nullable(Type.String())),
});
export type RevealResult = Type.Static<typeof RevealResult>;

export const CallerLookup = Type.Object({
  phone: Type.String(),
  customers: Type.Array(CustomerSummary),
});
export type CallerLookup = Type.Static<typeof CallerLookup>;

export const TimelineEntry = Type.Object({
  id: Id,
  at: Instant,
  kind: Type.String(),
  title: Type.String(),
  body: Nullable(Type.String()),
  refType: Nullable(Type.String()),
  refId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
});
export type TimelineEntry = Type.Static<typeof TimelineEntry>;

export const MergeBody = Type.Object({ sourceId: Id }, { additionalProperties: false });
export type MergeBody = Type.Static<typeof MergeBody>;

export const ArchiveRules = Type.Object({
  requiredFields: Type.Record(Type.String(), Type.Array(ArchiveFieldSchema, { uniqueItems: true })),
  currencyMonths: Type.Integer({ minimum: 1, maximum: 60 }),
  version: Type.Integer(),
});
export type ArchiveRules = Type.Static<typeof ArchiveRules>;
export const ArchiveRulesUpdate = Type.Object(
  {
    requiredFields: Type.Record(Type.String(), Type.Array(ArchiveFieldSchema, { uniqueItems: true })),
    currencyMonths: Type.Integer({ minimum: 1, maximum: 60 }),
  },
  { additionalProperties: false },
);
export type ArchiveRulesUpdate = Type.Static<typeof ArchiveRulesUpdate>;

export const PrivacySettings = Type.Object({
  phoneRevealRoles: Type.Array(Type.String()),
  idNumberRevealRoles: Type.Array(Type.String()),
  dailyRevealQuota: Type.Integer({ minimum: 1, maximum: 10000 }),
  version: Type.Integer(),
});
export type PrivacySettings = Type.Static<typeof PrivacySettings>;


export const CustomerImportReport = Type.Object({
  dryRun: Type.Boolean(),
  validOnly: Type.Boolean(),
  totalRows: Type.Integer(),
  validRows: Type.Integer(),
  created: Type.Integer(),
  matched: Type.Integer(),
  linkedUnits: Type.Integer(),
  imported: Type.Boolean(),
  errors: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), message: Type.String() })),
  warnings: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), message: Type.String() })),
});
export type CustomerImportReport = Type.Static<typeof CustomerImportReport>;

/**
 * 过户: the unit passes from its current owners to a buyer on one date. The sellers' owner
 * relations end on that date and the buyer's starts on it; K3/K4 scope moves exactly then.
 */
export const UnitTransfer = Type.Object(
  {
    buyerId: Id,
    date: DateOnly,
    relation: Type.Optional(Type.Enum(['owner', 'prospective_owner'])),
    share: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 100 }))),
    contractNo: Type.Optional(Nullable(ShortText(60))),
    contractDate: Type.Optional(Nullable(DateOnly)),
    actualHandoverDate: Type.Optional(Nullable(DateOnly)),
  },
  { additionalProperties: false },
);
export type UnitTransfer = Type.Static<typeof UnitTransfer>;

/** One relation in a unit's history of owners and occupants. */
export const UnitHistoryEntry = Type.Object({
  id: Id,
  customerId: Id,
  customerName: Type.String(),
  relation: UnitRelationSchema,
  fromDate: DateOnly,
  toDate: Nullable(DateOnly),
  current: Type.Boolean(),
  contractNo: Nullable(Type.String()),
});
export type UnitHistoryEntry = Type.Static<typeof UnitHistoryEntry>;

export const UnitTransferResult = Type.Object({
  unitId: Id,
  date: DateOnly,
  ended: Type.Array(UnitHistoryEntry),
  started: UnitHistoryEntry,
  history: Type.Array(UnitHistoryEntry),
});
export type UnitTransferResult = Type.Static<typeof UnitTransferResult>;
