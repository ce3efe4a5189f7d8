/**
 * Table types for Kysely. Instants are epoch milliseconds (number); flags are 0/1.
 * Keep in step with migrations/.
 */
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
  phone: string;
  phone_rev: string;
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

export interface DB {
  settings: SettingsTable;
  customers: CustomersTable;
  customer_phones: CustomerPhonesTable;
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
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  jobs: JobsTable;
  schedules: SchedulesTable;
  outbox: OutboxTable;
  notifications: NotificationsTable;
}
