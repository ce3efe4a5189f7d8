import { maskPhone, type Call, type CallBackTask } from '@qiaoliang/shared';
import type { CallBackTasksTable, CallsTable } from '../../db/schema.js';
import { iso, isoOrNull } from '../../http/pagination.js';

/** A call row with the names the lists show. */
export interface CallRow extends CallsTable {
  agent_name: string | null;
  customer_name: string | null;
}

/** A call-back task row with the names the lists show. */
export interface CallBackRow extends CallBackTasksTable {
  customer_name: string | null;
  assigned_name: string | null;
  done_by_name: string | null;
}

/**
 * Masks what looks like a phone number (7 digits or more); short internal extensions and
 * texts such as "anonymous" are not personal data and stay readable.
 */
export function maskNumber(value: string): string {
  return /^\+?\d{7,}$/.test(value) ? maskPhone(value) ?? '' : value;
}

/** The call DTO: instants as ISO strings, numbers masked. */
export function presentCall(r: CallRow): Call {
  return {
    id: r.id,
    callId: r.call_id,
    direction: r.direction,
    caller: maskNumber(r.caller),
    called: maskNumber(r.called),
    extension: r.extension,
    agentId: r.agent_id,
    agentName: r.agent_name,
    customerId: r.customer_id,
    customerName: r.customer_name,
    projectId: r.project_id,
    status: r.status,
    startedAt: iso(r.started_at),
    answeredAt: isoOrNull(r.answered_at),
    endedAt: isoOrNull(r.ended_at),
    durationSeconds: r.duration_s === null ? null : Number(r.duration_s),
    recordingUrl: r.recording_url,
    endReason: r.end_reason ?? null,
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** The call-back task DTO; `overdue` is judged at `nowMs`. */
export function presentCallBack(r: CallBackRow, nowMs: number): CallBackTask {
  return {
    id: r.id,
    callRecordId: r.call_id,
    phone: maskNumber(r.phone),
    customerId: r.customer_id,
    customerName: r.customer_name,
    projectId: r.project_id,
    status: r.status,
    assignedTo: r.assigned_to,
    assignedName: r.assigned_name,
    dueAt: iso(r.due_at),
    overdue: r.status === 'open' && Number(r.due_at) < nowMs,
    doneAt: isoOrNull(r.done_at),
    doneBy: r.done_by,
    doneByName: r.done_by_name,
    note: r.note,
    version: r.version,
    createdAt: iso(r.created_at),
  };
}

/** What the audit log keeps of a call: no full phone numbers. */
export function callAuditImage(r: CallsTable): Record<string, unknown> {
  return {
    callId: r.call_id, direction: r.direction, caller: maskNumber(r.caller), called: maskNumber(r.called), extension: r.extension,
    agentId: r.agent_id, customerId: r.customer_id, projectId: r.project_id, status: r.status, startedAt: r.started_at,
    answeredAt: r.answered_at, endedAt: r.ended_at, durationS: r.duration_s, recordingUrl: r.recording_url,
  };
}
