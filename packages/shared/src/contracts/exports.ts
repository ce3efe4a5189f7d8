import Type from 'typebox';
import { Id, Instant } from './common.js';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const EXPORT_KINDS = ['customers', 'tickets', 'kpis', 'survey_results', 'handover_batch'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_STATUSES = ['awaiting_approval', 'queued', 'running', 'done', 'failed', 'rejected', 'expired'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

export const EXPORT_STATUS_LABELS: Record<ExportStatus, string> = {
  awaiting_approval: '待审批', queued: '排队中', running: '生成中', done: '已完成', failed: '失败', rejected: '已驳回', expired: '已过期',
};
export const EXPORT_KIND_LABELS: Record<ExportKind, string> = {
  customers: '客户档案', tickets: '工单', kpis: '指标明细', survey_results: '调查结果',
  handover_batch: '交付批次报表与问题清单',
};

/** The least a reason for revealing personal data must say (a few Chinese words). */
export const EXPORT_REASON_MIN_LENGTH = 4;

/** How an export asks for clear phones: a fresh reason entered for this export. */
export const ExportReveal = Type.Object({
  revealPhones: Type.Optional(Type.Boolean()),
  reason: Type.Optional(Type.String({ maxLength: 200 })),
});
export type ExportReveal = Type.Static<typeof ExportReveal>;

export const ExportJob = Type.Object({
  id: Id,
  kind: Type.Enum(EXPORT_KINDS),
  title: Type.String(),
  status: Type.Enum(EXPORT_STATUSES),
  revealPhones: Type.Boolean(),
  reason: Nullable(Type.String()),
  requestedBy: Type.Object({ id: Id, displayName: Type.String() }),
  /** True when the caller requested it (only the requester downloads). */
  mine: Type.Boolean(),
  /** True when the caller may approve or reject it now. */
  canDecide: Type.Boolean(),
  rowsTotal: Nullable(Type.Integer()),
  rowsDone: Type.Integer(),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Instant),
  decisionNote: Nullable(Type.String()),
  fileName: Nullable(Type.String()),
  fileSize: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  createdAt: Instant,
  finishedAt: Nullable(Instant),
  expiresAt: Nullable(Instant),
});
export type ExportJob = Type.Static<typeof ExportJob>;

export const ExportDecision = Type.Object({ note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
export type ExportDecision = Type.Static<typeof ExportDecision>;
