import type { ArchiveField } from '@qiaoliang/shared';

/** Archive fields that live on the customer record, with the form field that edits each. */
export const CUSTOMER_FORM_FIELD: Partial<Record<ArchiveField, string>> = {
  name: 'name',
  phone: 'phones',
  id_number: 'idNumber',
  email: 'email',
  wechat_id: 'wechatId',
  address: 'address',
  preferred_channel: 'preferredChannel',
};

/** Archive fields that live on each current unit relation, with the link form's field. */
export const LINK_FORM_FIELD: Partial<Record<ArchiveField, string>> = {
  contract_no: 'contractNo',
  contract_date: 'contractDate',
  contracted_handover_date: 'contractedHandoverDate',
  actual_handover_date: 'actualHandoverDate',
  warranty_start_date: 'warrantyStartDate',
};
