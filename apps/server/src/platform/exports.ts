import { createReadStream, statSync, type ReadStream } from 'node:fs';
import { EXPORT_REASON_MIN_LENGTH, type ExportJob, type ExportKind, type StaffRole } from '@qiaoliang/shared';
import type { Selectable } from 'kysely';
import type { ExportJobsTable } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { AppError, badRequest, forbidden, notFound } from '../http/app-error.js';
import { appendAudit, type AuditContext } from './audit.js';
import { hasAnyRole, loadActor, type Actor } from './auth.js';
import { deleteStoredFile, prepareGeneratedFile, storedFilePath } from './files.js';
import { enqueueJob, safeErrorText, type JobRunner } from './jobs.js';
import { escapeRecord } from './spreadsheet.js';
import { XlsxFileWriter, type XlsxColumn } from './xlsx.js';

/*
 * Exports as jobs (issue 21, findings 3 and 6). A domain module describes what it exports (an
 * Exporter); a POST of that module asks for it here. The request checks the caller, the filter
 * and the reason, counts the rows, and either queues the build or, for a bulk export of clear
 * phones, waits for a manager's approval (GB/T 35273 §7.2). The job runner builds the file in
 * chunks (streamed to disk, yielding between database pages), records progress, and audits the
 * reveal when the file exists, with the requester's own reason. Only the requester downloads;
 * the file expires.
 */

export type ExportRow = Selectable<ExportJobsTable>;

/** Where an exporter writes: sheets and rows of a streamed workbook, and progress. */
export interface ExportSink {
  sheet(name: string, columns: XlsxColumn[]): void;
  /** One row; text cells are escaped against formula injection. */
  row(record: Record<string, unknown>): void;
  /** Rows done so far; stored now and then, and lets other work run. */
  progress(done: number): Promise<void>;
}

/** What the audit log records when the file is produced. */
export interface ExportAudit {
  action: string;
  entityType: string;
  entityId: string | null;
  after: Record<string, unknown>;
}

/** A domain's export: who may ask, how big it is, and how to write it. */
export interface Exporter<P = unknown> {
  kind: ExportKind;
  roles: readonly StaffRole[];
  /** Largest export; above it the filter must be narrowed. */
  maxRows: number;
  /** Roles that may export clear phones; undefined when this export has none. */
  phoneRevealRoles?: (deps: Deps) => Promise<readonly StaffRole[]>;
  /**
   * Checks the filter in the actor's scope (404/400 as usual); returns the row count (null when
   * counting would cost a walk of the data and the export reveals nothing) and names.
   */
  prepare(deps: Deps, actor: Actor, params: P): Promise<{ total: number | null; title: string; fileName: string }>;
  /** Writes the workbook; returns the audit of the produced file. */
  build(deps: Deps, actor: Actor, params: P, opts: { revealPhones: boolean }, sink: ExportSink): Promise<ExportAudit>;
}

/** Roles that approve bulk exports of personal data. */
export const EXPORT_APPROVER_ROLES: readonly StaffRole[] = ['manager', 'admin'];
const BUILD_JOB = 'export.build';
const CLEANUP_JOB = 'exports.cleanup';

const scopeOf = (row: ExportRow): string[] | null => (row.scope_project_ids === null ? null : (JSON.parse(row.scope_project_ids) as string[]));

/** True when the approver's scope covers everything the requester could see. */
function covers(approver: Actor, row: ExportRow): boolean {
  if (approver.projectIds === null) return true;
  const wanted = scopeOf(row);
  return wanted !== null && wanted.every((p) => approver.projectIds!.includes(p));
}

/** True when the actor may approve or reject this export now. */
export function canDecide(actor: Actor, row: ExportRow): boolean {
  return row.status === 'awaiting_approval' && hasAnyRole(actor, EXPORT_APPROVER_ROLES) && row.requested_by !== actor.userId && covers(actor, row);
}

/**
 * Asks for an export. With `revealPhones` the caller's role must be allowed and a fresh reason
 * given; a reveal above the approval threshold waits for a manager or administrator.
 */
export async function requestExport<P>(
  deps: Deps, actor: Actor, ctx: AuditContext, exporter: Exporter<P>, params: P, reveal: { revealPhones?: boolean | undefined; reason?: string | undefined },
): Promise<ExportRow> {
  if (!hasAnyRole(actor, exporter.roles)) throw forbidden();
  const revealPhones = reveal.revealPhones ?? false;
  const reason = reveal.reason?.trim() ?? '';
  if (revealPhones) {
    if (!exporter.phoneRevealRoles) throw badRequest('此导出不含电话号码', [{ field: 'revealPhones', message: '此导出不含电话号码' }]);
    const roles = await exporter.phoneRevealRoles(deps);
    if (!hasAnyRole(actor, roles)) throw new AppError(403, 'customer.reveal_forbidden', '您的角色不能导出完整电话号码');
    if ([...reason].length < EXPORT_REASON_MIN_LENGTH) {
      throw badRequest('导出完整电话号码须填写本次导出的原因', [{ field: 'reason', message: `请填写导出原因（至少 ${EXPORT_REASON_MIN_LENGTH} 个字）` }]);
    }
  }
  const { total, title, fileName } = await exporter.prepare(deps, actor, params);
  if (total !== null && total > exporter.maxRows) {
    throw new AppError(400, 'export.too_many_rows', `符合条件的记录有 ${total} 条，一次最多导出 ${exporter.maxRows} 条，请缩小筛选范围`);
  }
  // A reveal always counts its rows (phoneRevealRoles implies a countable export).
  const needsApproval = revealPhones && (total ?? Infinity) > deps.config.exportApprovalRows;
  const now = deps.clock.now().getTime();
  const row: ExportRow = {
    id: deps.ids.next(), kind: exporter.kind, params: JSON.stringify(params ?? {}), title, requested_by: actor.userId, requested_by_name: actor.displayName,
    request_ip: ctx.ip, request_id: ctx.requestId, scope_project_ids: actor.projectIds === null ? null : JSON.stringify(actor.projectIds),
    reveal_phones: revealPhones ? 1 : 0, reason: revealPhones ? reason : null, status: needsApproval ? 'awaiting_approval' : 'queued',
    rows_total: total, rows_done: 0, decided_by: null, decided_by_name: null, decided_at: null, decision_note: null,
    storage_key: null, file_name: fileName, file_size: null, error: null, created_at: now, started_at: null, finished_at: null, expires_at: null, version: 1,
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('export_jobs').values(row).execute();
    if (!needsApproval) await enqueueJob(trx, deps, { kind: BUILD_JOB, payload: { exportId: row.id }, dedupeKey: `export:${row.id}`, maxAttempts: 3 });
    await appendAudit(trx, deps, ctx, {
      action: 'export.requested', entityType: 'export', entityId: row.id,
      after: { kind: exporter.kind, filters: params, rows: total, phonesRevealed: revealPhones, ...(revealPhones ? { reason } : {}), status: row.status },
    });
  });
  return row;
}

/** An export the actor may see: their own, or one they may decide on. 404 otherwise. */
export async function visibleExport(deps: Deps, actor: Actor, id: string): Promise<ExportRow> {
  const row = await deps.db.selectFrom('export_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('导出任务不存在');
  if (row.requested_by === actor.userId) return row;
  if (hasAnyRole(actor, EXPORT_APPROVER_ROLES) && covers(actor, row) && row.reveal_phones === 1 && row.rows_total !== null && row.rows_total > deps.config.exportApprovalRows) return row;
  throw notFound('导出任务不存在');
}

/** The caller's own exports, newest first, or (view=approvals) the bulk reveals awaiting or past a decision in their scope. */
export async function listExports(deps: Deps, actor: Actor, view: 'mine' | 'approvals'): Promise<ExportRow[]> {
  if (view === 'mine') {
    return deps.db.selectFrom('export_jobs').selectAll().where('requested_by', '=', actor.userId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(50).execute();
  }
  if (!hasAnyRole(actor, EXPORT_APPROVER_ROLES)) return [];
  const rows = await deps.db.selectFrom('export_jobs').selectAll()
    .where('reveal_phones', '=', 1).where('rows_total', '>', deps.config.exportApprovalRows).where('requested_by', '!=', actor.userId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(200).execute();
  return rows.filter((r) => covers(actor, r)).slice(0, 50);
}

/** Approves (queues the build) or rejects an export that waits for approval. */
export async function decideExport(deps: Deps, actor: Actor, ctx: AuditContext, id: string, approve: boolean, note?: string): Promise<ExportRow> {
  const row = await visibleExport(deps, actor, id);
  if (row.requested_by === actor.userId) throw forbidden('不能审批自己申请的导出');
  if (!canDecide(actor, row)) throw new AppError(409, 'export.invalid_state', '该导出任务不在待审批状态');
  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    const res = await trx.updateTable('export_jobs')
      .set({ status: approve ? 'queued' : 'rejected', decided_by: actor.userId, decided_by_name: actor.displayName, decided_at: now, decision_note: note?.trim() || null, version: row.version + 1 })
      .where('id', '=', id).where('status', '=', 'awaiting_approval').where('version', '=', row.version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError(409, 'export.invalid_state', '该导出任务已被他人处理');
    if (approve) await enqueueJob(trx, deps, { kind: BUILD_JOB, payload: { exportId: id }, dedupeKey: `export:${id}`, maxAttempts: 3 });
    await appendAudit(trx, deps, ctx, {
      action: approve ? 'export.approved' : 'export.rejected', entityType: 'export', entityId: id,
      after: { kind: row.kind, requestedBy: row.requested_by_name, rows: row.rows_total, reason: row.reason, note: note?.trim() || null },
    });
  });
  return deps.db.selectFrom('export_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Opens the finished file for its requester (only them: it may hold clear phones); audited. */
export async function openExportFile(deps: Deps, actor: Actor, ctx: AuditContext, id: string): Promise<{ row: ExportRow; stream: ReadStream }> {
  const row = await deps.db.selectFrom('export_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.requested_by !== actor.userId) throw notFound('导出任务不存在');
  if (row.status === 'expired' || (row.expires_at !== null && row.expires_at <= deps.clock.now().getTime())) throw new AppError(410, 'export.expired', '导出文件已过期并已删除，请重新导出');
  if (row.status !== 'done' || !row.storage_key) throw new AppError(409, 'export.not_ready', '导出文件尚未生成');
  await deps.db.transaction().execute((trx) => appendAudit(trx, deps, ctx, {
    action: 'export.downloaded', entityType: 'export', entityId: id, after: { kind: row.kind, rows: row.rows_done, phonesRevealed: row.reveal_phones === 1 },
  }));
  return { row, stream: createReadStream(storedFilePath(deps.config.dataDir, row.storage_key)) };
}

/** Builds one export; idempotent (a finished or cancelled export is left alone). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- exporters of different filter types in one map
async function buildExport(deps: Deps, exporters: Map<string, Exporter<any>>, exportId: string): Promise<void> {
  const row = await deps.db.selectFrom('export_jobs').selectAll().where('id', '=', exportId).executeTakeFirst();
  if (!row || (row.status !== 'queued' && row.status !== 'running')) return;
  const exporter = exporters.get(row.kind);
  const fail = async (message: string) => {
    await deps.db.updateTable('export_jobs').set({ status: 'failed', error: message, finished_at: deps.clock.now().getTime() }).where('id', '=', exportId).execute();
  };
  // The requester's roles and scope as they are now: a user who lost access gets nothing.
  const actor = await loadActor(deps.db, row.requested_by, '');
  if (!exporter || !actor || !hasAnyRole(actor, exporter.roles)) return fail('申请人已无权导出');
  const revealPhones = row.reveal_phones === 1;
  if (revealPhones && exporter.phoneRevealRoles && !hasAnyRole(actor, await exporter.phoneRevealRoles(deps))) return fail('申请人已无权导出完整电话号码');
  await deps.db.updateTable('export_jobs').set({ status: 'running', started_at: deps.clock.now().getTime(), rows_done: 0 }).where('id', '=', exportId).execute();

  const file = prepareGeneratedFile(deps.config.dataDir, exportId);
  const writer = new XlsxFileWriter(file.tmp);
  let columns: XlsxColumn[] = [];
  let lastStored = 0;
  const sink: ExportSink = {
    sheet: (name, cols) => {
      columns = cols;
      writer.addSheet(name, cols);
    },
    row: (record) => writer.addRow(escapeRecord(record, columns)),
    progress: async (done) => {
      const t = performance.now();
      if (t - lastStored > 500) {
        lastStored = t;
        await deps.db.updateTable('export_jobs').set({ rows_done: done }).where('id', '=', exportId).execute();
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  let audit: ExportAudit;
  try {
    audit = await exporter.build(deps, actor, JSON.parse(row.params), { revealPhones }, sink);
    await writer.finish();
    file.commit();
  } catch (err) {
    writer.abort();
    file.discard();
    if (err instanceof AppError) return fail(err.detail ?? err.title);
    throw err;
  }
  const now = deps.clock.now().getTime();
  const rows = Number(audit.after.rows ?? row.rows_total ?? 0);
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('export_jobs').set({
      status: 'done', storage_key: file.storageKey, file_size: statSync(storedFilePath(deps.config.dataDir, file.storageKey)).size, rows_done: rows, rows_total: rows,
      finished_at: now, expires_at: now + deps.config.exportFileTtlHours * 3_600_000, error: null,
    }).where('id', '=', exportId).execute();
    // The reveal happens now that the file exists: recorded as the requester's act, with their reason.
    await appendAudit(trx, deps, { actorId: row.requested_by, actorName: row.requested_by_name, ip: row.request_ip, requestId: row.request_id }, {
      action: audit.action, entityType: audit.entityType, entityId: audit.entityId,
      after: { ...audit.after, exportId, phonesRevealed: revealPhones, ...(revealPhones ? { reason: row.reason, approvedBy: row.decided_by_name } : {}) },
    });
  });
}

/** Deletes the files of expired exports; idempotent. Returns how many expired. */
export async function expireExports(deps: Deps, nowMs: number): Promise<number> {
  const due = await deps.db.selectFrom('export_jobs').select(['id', 'storage_key']).where('status', '=', 'done').where('expires_at', '<=', nowMs).execute();
  for (const r of due) {
    if (r.storage_key) deleteStoredFile(deps.config.dataDir, r.storage_key);
    await deps.db.updateTable('export_jobs').set({ status: 'expired', storage_key: null }).where('id', '=', r.id).where('status', '=', 'done').execute();
  }
  return due.length;
}

/** Registers the build and cleanup jobs with the runner; the exporters are the domains' own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- exporters of different filter types in one list
export function registerExportJobs(runner: JobRunner, deps: Deps, exporters: Exporter<any>[]): { cleanupJob: string } {
  const byKind = new Map(exporters.map((e) => [e.kind, e]));
  runner.register<{ exportId: string }>(BUILD_JOB, {
    run: (payload) => buildExport(deps, byKind, payload.exportId),
    onDead: async (payload, ctx) => {
      await ctx.trx.updateTable('export_jobs').set({ status: 'failed', error: safeErrorText(ctx.error).slice(0, 500), finished_at: ctx.now.getTime() })
        .where('id', '=', payload.exportId).where('status', 'in', ['queued', 'running']).execute();
    },
  });
  runner.register(CLEANUP_JOB, {
    run: async (_payload, ctx) => {
      const n = await expireExports(deps, ctx.now.getTime());
      ctx.log.info({ expired: n }, 'expired export files removed');
    },
  });
  return { cleanupJob: CLEANUP_JOB };
}

/** The DTO of an export as the caller sees it (the reason is shown to the requester and approvers). */
export function presentExport(row: ExportRow, actor: Actor): ExportJob {
  const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
  return {
    id: row.id, kind: row.kind as ExportKind, title: row.title, status: row.status, revealPhones: row.reveal_phones === 1, reason: row.reason,
    requestedBy: { id: row.requested_by, displayName: row.requested_by_name }, mine: row.requested_by === actor.userId, canDecide: canDecide(actor, row),
    rowsTotal: row.rows_total === null ? null : Number(row.rows_total), rowsDone: Number(row.rows_done), decidedBy: row.decided_by_name, decidedAt: iso(row.decided_at),
    decisionNote: row.decision_note, fileName: row.file_name, fileSize: row.file_size === null ? null : Number(row.file_size), error: row.error,
    createdAt: iso(row.created_at)!, finishedAt: iso(row.finished_at), expiresAt: iso(row.expires_at),
  };
}
