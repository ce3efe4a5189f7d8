import Type from 'typebox';
import { CHANNELS, TICKET_TYPES } from '../tickets.js';
import { VISIT_KINDS } from './callbacks.js';
import { DateOnly, Id, Instant } from './common.js';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

/*
 * The KPI module's contracts: the four service KPIs (K1–K4), the records behind each number
 * and the leadership dashboard. Every /api/kpis/* route and /api/dashboard answers with one of
 * these; the admin reads the same types.
 */

/** A period of the KPI endpoints and the dashboard: calendar dates in the business time zone. */
export const KpiPeriodQuery = Type.Object({ from: DateOnly, to: DateOnly, projectId: Type.Optional(Id), departmentId: Type.Optional(Id) });
export type KpiPeriodQuery = Type.Static<typeof KpiPeriodQuery>;

/** A filter of the KPI endpoints and the dashboard. */
export const KpiFilter = Type.Enum(['project', 'department']);

export const KpiSet = Type.Object({
  from: Type.String(),
  to: Type.String(),
  k1: Type.Object({ numerator: Type.Integer(), denominator: Type.Integer(), rate: Nullable(Type.Number()), target: Type.Number(), notDue: Type.Integer() }),
  k2: Type.Object({ numerator: Type.Integer(), denominator: Type.Integer(), rate: Nullable(Type.Number()), target: Type.Number(), unreachable: Type.Integer() }),
  /** `unsuccessful`: visit attempts in the period that did not reach a customer in scope (beside K3, not in it). */
  k3: Type.Object({ numerator: Type.Integer(), denominator: Type.Integer(), rate: Nullable(Type.Number()), target: Type.Number(), unsuccessful: Type.Integer() }),
  k4: Type.Object({ numerator: Type.Integer(), denominator: Type.Integer(), rate: Nullable(Type.Number()), target: Type.Number() }),
  /**
   * The filters each KPI honours. Visits and archives are the center's own work, not a
   * department's: K3 and K4 are by project only, and the UI says so when a department is chosen.
   */
  filters: Type.Object({ k1: Type.Array(KpiFilter), k2: Type.Array(KpiFilter), k3: Type.Array(KpiFilter), k4: Type.Array(KpiFilter) }),
});
export type KpiSet = Type.Static<typeof KpiSet>;

// ---------- K1 ----------

export const K1Report = Type.Object({
  from: Type.String(),
  to: Type.String(),
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  rate: Nullable(Type.Number()),
  target: Type.Number(),
  notDue: Type.Integer(),
});
export type K1Report = Type.Static<typeof K1Report>;

export const K1_VERDICTS = ['on_time', 'late', 'not_due'] as const;
export type K1Verdict = (typeof K1_VERDICTS)[number];

/** One complaint behind K1 with its verdict. */
export const K1Record = Type.Object({
  id: Id, number: Type.String(), title: Type.String(), severity: Type.String(), status: Type.String(), projectId: Id, valid: Type.Boolean(),
  dueAt: Type.String(), metAt: Nullable(Type.String()), verdict: Type.Enum(K1_VERDICTS),
});
export type K1Record = Type.Static<typeof K1Record>;

// ---------- K2 ----------

export const K2_GROUPS = ['satisfied', 'dissatisfied', 'unreachable'] as const;
export type K2Group = (typeof K2_GROUPS)[number];

/** One valid complaint behind K2, with its latest rating (none when unreachable). */
export const K2Record = Type.Object({
  id: Id, number: Type.String(), title: Type.String(), projectId: Id, group: Type.Enum(K2_GROUPS),
  satisfaction: Nullable(Type.Integer()), ratedAt: Nullable(Type.String()),
});
export type K2Record = Type.Static<typeof K2Record>;

// ---------- K3 ----------

/** One visit counted by K3. */
export const K3Record = Type.Object({ id: Id, customerId: Id, customerName: Type.String(), at: Type.String(), kinds: Type.Array(Type.Enum(VISIT_KINDS)) });
export type K3Record = Type.Static<typeof K3Record>;

// ---------- K4 ----------

export const KpiValue = Type.Object({
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  /** null when the denominator is 0. */
  rate: Nullable(Type.Number()),
  target: Type.Number(),
});
export type KpiValue = Type.Static<typeof KpiValue>;

/** K4 at the end of a date (today when none is given). */
export const ArchiveRateQuery = Type.Object({ date: Type.Optional(DateOnly), projectId: Type.Optional(Id) });
export type ArchiveRateQuery = Type.Static<typeof ArchiveRateQuery>;

export const ArchiveRateReport = Type.Object({
  date: DateOnly,
  total: KpiValue,
  byProject: Type.Array(Type.Object({ projectId: Id, projectName: Type.String(), value: KpiValue })),
});
export type ArchiveRateReport = Type.Static<typeof ArchiveRateReport>;

export const ARCHIVE_RATE_FILTERS = ['numerator', 'denominator', 'missing'] as const;
export const ArchiveRateRecordsQuery = Type.Object({
  date: Type.Optional(DateOnly), projectId: Type.Optional(Id), filter: Type.Optional(Type.Enum(ARCHIVE_RATE_FILTERS)),
  page: Type.Optional(Type.Integer({ minimum: 1 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export type ArchiveRateRecordsQuery = Type.Static<typeof ArchiveRateRecordsQuery>;

export const ArchiveRateRecord = Type.Object({
  customerId: Id,
  name: Type.String(),
  projectNames: Type.Array(Type.String()),
  complete: Type.Boolean(),
  current: Type.Boolean(),
  inNumerator: Type.Boolean(),
  missing: Type.Array(Type.String()),
  touchedAt: Instant,
});
export type ArchiveRateRecord = Type.Static<typeof ArchiveRateRecord>;

// ---------- dashboard ----------

const LabelledBucket = Type.Object({ key: Type.String(), label: Type.String(), count: Type.Integer() });

/** A complaint category with its count and the latest tickets in it (D9). */
export const TopIssue = Type.Object({
  categoryId: Type.String(), category: Type.String(), count: Type.Integer(),
  examples: Type.Array(Type.Object({ id: Id, number: Type.String(), title: Type.String() })),
});
export type TopIssue = Type.Static<typeof TopIssue>;

/** GET /api/dashboard: the leadership view of a period. */
export const DashboardReport = Type.Object({
  kpis: KpiSet,
  trend: Type.Array(Type.Object({ month: Type.String(), k1: Nullable(Type.Number()), k2: Nullable(Type.Number()), complaints: Type.Integer() })),
  total: Type.Integer(),
  byProject: Type.Array(LabelledBucket),
  byType: Type.Array(Type.Object({ key: Type.Enum(TICKET_TYPES), count: Type.Integer() })),
  byChannel: Type.Array(Type.Object({ key: Type.Enum(CHANNELS), count: Type.Integer() })),
  byDepartment: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), count: Type.Integer(), late: Type.Integer() })),
  topIssues: Type.Array(TopIssue),
  hotBuildings: Type.Array(LabelledBucket),
});
export type DashboardReport = Type.Static<typeof DashboardReport>;

// ---------- rollups ----------

/** GET /api/kpis/rollups: the K1/K2 rollups' backfill, the last reconciliation and the drift it found (admins). */
export const KpiRollupStatus = Type.Object({
  backfill: Nullable(Type.Object({ state: Type.String(), done: Type.Integer(), total: Type.Integer(), startedAt: Nullable(Instant), finishedAt: Nullable(Instant) })),
  reconcile: Nullable(Type.Object({ checked: Type.Integer(), drift: Type.Integer(), finishedAt: Nullable(Instant) })),
  pendingMarks: Type.Integer(),
  drift: Type.Array(Type.Object({ checkedAt: Instant, projectId: Id, month: Type.String(), kpi: Type.String(), expected: Type.Record(Type.String(), Type.Number()), actual: Type.Record(Type.String(), Type.Number()) })),
});
export type KpiRollupStatus = Type.Static<typeof KpiRollupStatus>;
