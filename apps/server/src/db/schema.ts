/**
 * Table types for Kysely. Instants are epoch milliseconds (number); flags are 0/1.
 * Keep in step with migrations/.
 */
import type { Generated } from 'kysely';
export interface CityCompaniesTable {
  id: string;
  name: string;
  code: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface ProjectsTable {
  id: string;
  city_company_id: string;
  name: string;
  code: string;
  address: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface BuildingsTable {
  id: string;
  project_id: string;
  name: string;
  floors: number | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface UnitsTable {
  id: string;
  project_id: string;
  building_id: string;
  entrance: string;
  floor: number;
  room_number: string;
  area: number | null;
  layout: string | null;
  /** Set at 收楼 (handover module); feeds the warranty start. */
  actual_handover_date?: string | null;
  warranty_start_date?: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface CommonAreasTable {
  id: string;
  project_id: string;
  building_id: string | null;
  name: string;
  description: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface DepartmentsTable {
  id: string;
  name: string;
  kind: string;
  level: string;
  city_company_id: string | null;
  project_id: string | null;
  active: number;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  phone: string | null;
  email: string | null;
  department_id: string | null;
  extension: string | null;
  scope_kind: string;
  active: number;
  must_change_password: number;
  version: number;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

export interface UserRolesTable {
  user_id: string;
  role: string;
}

export interface UserScopesTable {
  user_id: string;
  scope_id: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginFailuresTable {
  id: string;
  user_id: string;
  at: number;
  ip: string | null;
}

/** A login failure streak per account name or client address (key: SHA-256 hex). */
export interface LoginThrottlesTable {
  key: string;
  failures: number;
  streak_started_at: number;
  last_failure_at: number;
}

export interface AuditLogTable {
  id: string;
  seq: number;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface JobsTable {
  id: string;
  kind: string;
  payload: string;
  status: 'pending' | 'running' | 'done' | 'dead';
  run_at: number;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_by: string | null;
  locked_until: number | null;
  dedupe_key: string | null;
  created_at: number;
  finished_at: number | null;
}

export type ExportStatus = 'awaiting_approval' | 'queued' | 'running' | 'done' | 'failed' | 'rejected' | 'expired';

export interface ExportJobsTable {
  id: string;
  kind: string;
  params: string;
  title: string;
  requested_by: string;
  requested_by_name: string;
  request_ip: string | null;
  request_id: string | null;
  scope_project_ids: string | null;
  reveal_phones: number;
  reason: string | null;
  status: ExportStatus;
  rows_total: number | null;
  rows_done: number;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: number | null;
  decision_note: string | null;
  storage_key: string | null;
  file_name: string | null;
  file_size: number | null;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  expires_at: number | null;
  version: number;
}

export interface SchedulesTable {
  name: string;
  interval_ms: number;
  next_run_at: number;
  last_run_at: number | null;
}

export interface OutboxTable {
  id: string;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  link: string | null;
  idempotency_key: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  title: string;
  body: string;
  link: string | null;
  read_at: number | null;
  created_at: number;
}

/** The Chinese token index (platform/search.ts). */
export interface SearchTokensTable {
  kind: string;
  token: string;
  entity_id: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  version: number;
  updated_at: number;
  updated_by: string | null;
}

export interface CustomersTable {
  id: string;
  kind: string;
  name: string;
  name_initials: string;
  project_id: string | null;
  id_number_enc: string | null;
  id_number_hash: string | null;
  id_number_masked: string | null;
  email: string | null;
  wechat_id: string | null;
  preferred_channel: string | null;
  preferred_time: string | null;
  address: string | null;
  tags: string;
  vip: number;
  notes: string | null;
  preferences: string | null;
  archive_confirmed_at: number | null;
  archive_confirmed_by: string | null;
  merged_into_id: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface CustomerPhonesTable {
  id: string;
  customer_id: string;
  /** Clear E.164 number: only on rows written before encryption, until the start-up conversion; then NULL. */
  phone: string | null;
  /** Reversed digits of the clear number: as `phone`, NULL once converted. */
  phone_rev: string | null;
  /** AES-256-GCM of the E.164 number (encryptField). Read only through customer-phones.repo.ts. */
  phone_enc: string | null;
  /** Keyed hash of the E.164 number, for exact lookup. */
  phone_hash: string | null;
  /** Keyed hash of the last 4 digits, for suffix search. */
  phone_last4_hash: string | null;
  /** 138****0001: display and mobile/landline filtering without decrypting. */
  phone_masked: string | null;
  label: string | null;
  is_primary: number;
  created_at: number;
}

export interface CustomerUnitsTable {
  id: string;
  customer_id: string;
  unit_id: string;
  project_id: string;
  relation: string;
  share: number | null;
  /** Calendar dates YYYY-MM-DD in the business time zone. */
  from_date: string;
  to_date: string | null;
  contract_no: string | null;
  contract_date: string | null;
  contracted_handover_date: string | null;
  actual_handover_date: string | null;
  warranty_start_date: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface TimelineEntriesTable {
  id: string;
  customer_id: string;
  at: number;
  kind: string;
  title: string;
  body: string | null;
  ref_type: string | null;
  ref_id: string | null;
  project_id: string | null;
  actor_id: string | null;
  actor_name: string | null;
}

export interface CustomerArchiveStatesTable {
  id: string;
  customer_id: string;
  at: number;
  complete: number;
  missing: string;
  touched_at: number;
}

export interface CalendarDaysTable {
  date: string;
  working: number;
  name: string;
  source: 'official' | 'local';
  updated_at: number;
  updated_by: string | null;
}

export interface TicketCategoriesTable {
  id: string;
  type: string;
  parent_id: string | null;
  name: string;
  sort: number;
  active: number;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface SlaPoliciesTable {
  id: string;
  type: string;
  severity: string;
  version_no: number;
  /** JSON of SlaPolicySpec. */
  spec: string;
  created_at: number;
  created_by: string | null;
}

export interface TicketCountersTable {
  day: string;
  n: number;
}

export interface TicketsTable {
  id: string;
  number: string;
  type: string;
  category_id: string | null;
  severity: string;
  channel: string;
  status: string;
  resume_status: string | null;
  customer_id: string | null;
  project_id: string;
  unit_id: string | null;
  common_area_id: string | null;
  title: string;
  description: string;
  owner_id: string;
  registered_by: string;
  registered_at: number;
  sla_policy_id: string;
  first_response_due: number | null;
  reply_due: number | null;
  resolution_due: number | null;
  k1_due: number | null;
  paused_ms: number;
  paused_at: number | null;
  first_responded_at: number | null;
  first_replied_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  escalation_level: number;
  breached: number;
  valid: number;
  end_reason: string | null;
  merged_into_id: string | null;
  call_id: string | null;
  imported: number;
  idempotency_key: string | null;
  version: number;
  created_at: number;
  updated_at: number;
  /** Why a supervisor marked the complaint invalid (K2 ignores it); null when valid. */
  invalid_reason?: string | null;
  invalid_note?: string | null;
  invalid_by?: string | null;
  invalid_at?: number | null;
}

export interface CallbacksTable {
  id: string;
  ticket_id: string;
  customer_id: string | null;
  project_id: string;
  assignee_id: string;
  status: string;
  due_at: number;
  attempts: number;
  max_attempts: number;
  satisfaction: number | null;
  comment: string | null;
  completed_at: number | null;
  completed_by: string | null;
  /** phone (an agent's call) or portal (the owner's own rating); defaults to phone. */
  channel?: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface CallbackAttemptsTable {
  id: string;
  callback_id: string;
  at: number;
  reached: number;
  note: string | null;
  actor_id: string;
}

export interface RatingsTable {
  id: string;
  ticket_id: string;
  customer_id: string | null;
  project_id: string;
  source: string;
  source_id: string | null;
  satisfaction: number;
  comment: string | null;
  at: number;
  actor_id: string | null;
}

export interface VisitsTable {
  id: string;
  customer_id: string;
  project_id: string;
  kinds: string;
  at: number;
  notes: string | null;
  satisfaction: number | null;
  source: string | null;
  source_id: string | null;
  task_id: string | null;
  actor_id: string;
  actor_name: string;
  version: number;
  created_at: number;
}

/** A visit attempt that did not reach the customer: never counted for K3, reported beside it. */
export interface VisitAttemptsTable {
  id: string;
  customer_id: string;
  project_id: string;
  kind: string;
  outcome: string;
  at: number;
  notes: string | null;
  task_id: string | null;
  actor_id: string;
  actor_name: string;
  created_at: number;
}

/** A reply template (回复模板); project_id null: the whole group. */
export interface ReplyTemplatesTable {
  id: string;
  title: string;
  body: string;
  ticket_type: string | null;
  project_id: string | null;
  active: number;
  version: number;
  created_at: number;
  created_by: string | null;
  updated_at: number;
  updated_by: string | null;
}

/** K3/K4 scope and archive state at the end of a date (issue #20 defect 3). */
export interface KpiScopeSnapshotsTable {
  date: string;
  customer_id: string;
  project_id: string;
  complete: number;
  missing: string;
  touched_at: number;
  taken_at: number;
}

/** The dates whose scope snapshot the daily job completed. */
export interface KpiSnapshotDaysTable {
  date: string;
  taken_at: number;
}

export interface VisitPlansTable {
  id: string;
  project_id: string;
  year: number;
  target_rate: number;
  rules: string;
  generated_at: number | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface VisitTasksTable {
  id: string;
  plan_id: string;
  customer_id: string;
  project_id: string;
  reason: string;
  due_date: string;
  status: string;
  assignee_id: string | null;
  visit_id: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface TicketEventsTable {
  id: string;
  ticket_id: string;
  at: number;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  actor_id: string | null;
  actor_name: string | null;
  data: string | null;
}

export interface TicketRepliesTable {
  id: string;
  ticket_id: string;
  at: number;
  channel: string;
  content: string;
  substantive: number;
  actor_id: string;
  actor_name: string;
}

export interface WorkOrdersTable {
  id: string;
  ticket_id: string;
  department_id: string;
  project_id: string;
  status: string;
  instructions: string;
  due_at: number;
  assignee_id: string | null;
  accepted_at: number | null;
  completed_at: number | null;
  rejected_reason: string | null;
  result: string | null;
  created_by: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface WorkOrderUpdatesTable {
  id: string;
  work_order_id: string;
  at: number;
  kind: string;
  body: string;
  actor_id: string;
  actor_name: string;
}

export interface AttachmentsTable {
  id: string;
  owner_type: string;
  owner_id: string;
  project_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  created_by: string;
  created_at: number;
}

export interface CallsTable {
  id: string;
  /** The PBX's call id. */
  call_id: string;
  direction: 'inbound' | 'outbound';
  caller: string;
  called: string;
  extension: string | null;
  agent_id: string | null;
  customer_id: string | null;
  project_id: string | null;
  status: 'ringing' | 'answered' | 'ended' | 'missed';
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  duration_s: number | null;
  recording_url: string | null;
  /** Null when the PBX ended the call; `timeout` when it was closed for a missing end event. */
  end_reason: 'timeout' | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface CtiEventsTable {
  call_id: string;
  event: string;
  received_at: number;
  payload: string;
}

export interface CallBackTasksTable {
  id: string;
  /** calls.id (not the PBX's id). */
  call_id: string;
  phone: string;
  customer_id: string | null;
  project_id: string | null;
  status: 'open' | 'done' | 'cancelled';
  assigned_to: string | null;
  due_at: number;
  done_at: number | null;
  done_by: string | null;
  note: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface CallTicketsTable {
  call_id: string;
  ticket_id: string;
  created_at: number;
}

export interface ServerEventsTable {
  id: string;
  user_id: string;
  type: string;
  payload: string;
  created_at: number;
}

export interface SurveysTable {
  id: string;
  project_id: string;
  title: string;
  intro: string | null;
  /** JSON SurveyQuestion[]. */
  questions: string;
  /** JSON SurveySegment. */
  segment: string;
  status: 'draft' | 'sent' | 'closed';
  channel: 'sms' | 'portal' | null;
  sent_at: number | null;
  closed_at: number | null;
  invitation_count: number;
  response_count: number;
  created_by: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface SurveyInvitationsTable {
  id: string;
  survey_id: string;
  customer_id: string;
  token: string;
  channel: 'sms' | 'portal';
  sent_at: number;
  responded_at: number | null;
}

export interface SurveyResponsesTable {
  id: string;
  survey_id: string;
  invitation_id: string;
  customer_id: string;
  /** JSON SurveyAnswers. */
  answers: string;
  submitted_at: number;
}

export interface PortalCodesTable {
  id: string;
  /** The customer-phones blind index of the E.164 number. */
  phone_hash: string;
  /** Null: the number is not in the archive (no code was sent). */
  customer_id: string | null;
  code_hash: string;
  ip_hash: string | null;
  created_at: number;
  expires_at: number;
  tries: number;
  used_at: number | null;
}

export interface PortalSessionsTable {
  id: string;
  customer_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
  ip: string | null;
  user_agent: string | null;
}

export interface PortalNoticesTable {
  id: string;
  customer_id: string;
  ticket_id: string | null;
  idempotency_key: string;
  title: string;
  body: string;
  created_at: number;
  read_at: number | null;
}

export interface PortalTicketsTable {
  ticket_id: string;
  customer_id: string;
  visit_from: number | null;
  visit_to: number | null;
  created_at: number;
}

export interface PortalRoutingTable {
  project_id: string;
  last_user_id: string | null;
  updated_at: number;
}

export interface KpiRollupsTable {
  project_id: string;
  day: string;
  department_id: string;
  k1_on_time: number;
  k1_late: number;
  k1_not_due: number;
  k2_satisfied: number;
  k2_dissatisfied: number;
  k2_unreachable: number;
  valid_until: number | null;
  computed_at: number;
}

export interface KpiDirtyTable {
  seq: Generated<number>;
  project_id: string;
  at: number;
}

export interface KpiRollupRunsTable {
  id: string;
  state: string;
  cursor: string | null;
  done: number;
  total: number;
  drift: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

export interface KpiRollupDriftTable {
  id: string;
  checked_at: number;
  project_id: string;
  month: string;
  kpi: string;
  expected: string;
  actual: string;
}

export interface HandoverTemplatesTable {
  id: string;
  code: string;
  version_no: number;
  name: string;
  items: string;
  created_by: string | null;
  created_at: number;
}

export interface HandoverBatchesTable {
  id: string;
  project_id: string;
  name: string;
  window_from: string;
  window_to: string;
  template_id: string;
  status: string;
  created_by: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface HandoverUnitsTable {
  id: string;
  batch_id: string;
  unit_id: string;
  project_id: string;
  building_id: string;
  status: string;
  sign_status: string;
  sign_reason: string | null;
  signature_attachment_id: string | null;
  meters: string | null;
  first_inspected_at: number | null;
  inspected_by: string | null;
  passed_items: number;
  handover_date: string | null;
  keys_to: string | null;
  refusal_reason: string | null;
  refusal_ticket_id: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface HandoverDefectsTable {
  id: string;
  batch_id: string;
  handover_unit_id: string;
  unit_id: string;
  project_id: string;
  building_id: string;
  room: string;
  item: string;
  description: string;
  severity: string;
  pin_x: number | null;
  pin_y: number | null;
  contractor_id: string | null;
  status: string;
  registered_at: number;
  due_at: number | null;
  fixed_at: number | null;
  closed_at: number | null;
  reinspect_failures: number;
  warned_at: number | null;
  created_by: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface HandoverDefectEventsTable {
  id: string;
  defect_id: string;
  at: number;
  kind: string;
  body: string | null;
  actor_id: string | null;
  actor_name: string | null;
}

export interface DB {
  kpi_rollups: KpiRollupsTable;
  kpi_dirty: KpiDirtyTable;
  kpi_rollup_runs: KpiRollupRunsTable;
  kpi_rollup_drift: KpiRollupDriftTable;
  handover_templates: HandoverTemplatesTable;
  handover_batches: HandoverBatchesTable;
  handover_units: HandoverUnitsTable;
  handover_defects: HandoverDefectsTable;
  handover_defect_events: HandoverDefectEventsTable;
  portal_codes: PortalCodesTable;
  portal_sessions: PortalSessionsTable;
  portal_notices: PortalNoticesTable;
  portal_routing: PortalRoutingTable;
  portal_tickets: PortalTicketsTable;
  callbacks: CallbacksTable;
  callback_attempts: CallbackAttemptsTable;
  ratings: RatingsTable;
  visits: VisitsTable;
  visit_attempts: VisitAttemptsTable;
  reply_templates: ReplyTemplatesTable;
  kpi_scope_snapshots: KpiScopeSnapshotsTable;
  kpi_snapshot_days: KpiSnapshotDaysTable;
  visit_plans: VisitPlansTable;
  visit_tasks: VisitTasksTable;
  calendar_days: CalendarDaysTable;
  ticket_categories: TicketCategoriesTable;
  sla_policies: SlaPoliciesTable;
  ticket_counters: TicketCountersTable;
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  ticket_replies: TicketRepliesTable;
  work_orders: WorkOrdersTable;
  work_order_updates: WorkOrderUpdatesTable;
  attachments: AttachmentsTable;
  settings: SettingsTable;
  customers: CustomersTable;
  customer_phones: CustomerPhonesTable;
  search_tokens: SearchTokensTable;
  customer_units: CustomerUnitsTable;
  timeline_entries: TimelineEntriesTable;
  customer_archive_states: CustomerArchiveStatesTable;
  city_companies: CityCompaniesTable;
  projects: ProjectsTable;
  buildings: BuildingsTable;
  units: UnitsTable;
  common_areas: CommonAreasTable;
  departments: DepartmentsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  user_scopes: UserScopesTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  login_throttles: LoginThrottlesTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  jobs: JobsTable;
  export_jobs: ExportJobsTable;
  schedules: SchedulesTable;
  outbox: OutboxTable;
  notifications: NotificationsTable;
  calls: CallsTable;
  cti_events: CtiEventsTable;
  call_back_tasks: CallBackTasksTable;
  call_tickets: CallTicketsTable;
  server_events: ServerEventsTable;
  surveys: SurveysTable;
  survey_invitations: SurveyInvitationsTable;
  survey_responses: SurveyResponsesTable;
}
