/** Kinds of customer in the archive. */
export const CUSTOMER_KINDS = ['prospective_owner', 'owner', 'co_owner', 'family', 'tenant', 'other'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

/** A person's relation to a unit. */
export const UNIT_RELATIONS = ['owner', 'co_owner', 'prospective_owner', 'family', 'tenant', 'other'] as const;
export type UnitRelation = (typeof UNIT_RELATIONS)[number];

/** Relations that put a customer in K1–K4 scope: current owners and prospective owners. */
export const OWNER_RELATIONS: readonly UnitRelation[] = ['owner', 'co_owner', 'prospective_owner'];

export const CONTACT_CHANNELS = ['phone', 'sms', 'wechat', 'email', 'visit'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** Fields an archive rule can require. `unit` means a current relation to a unit. */
export const ARCHIVE_FIELDS = [
  'name', 'phone', 'id_number', 'email', 'wechat_id', 'address', 'preferred_channel', 'unit', 'contract_no', 'contract_date',
  'contracted_handover_date', 'actual_handover_date', 'warranty_start_date',
] as const;
export type ArchiveField = (typeof ARCHIVE_FIELDS)[number];

/** Personal-data fields that can be revealed. */
export const REVEAL_FIELDS = ['phones', 'id_number'] as const;
export type RevealField = (typeof REVEAL_FIELDS)[number];
