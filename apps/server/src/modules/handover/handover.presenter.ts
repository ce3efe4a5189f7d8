import { iso, isoOrNull } from '../../http/pagination.js';
import type { DB } from '../../db/schema.js';
import type { DefectRow, HandoverUnitRow } from './handover.repo.js';
import { isFlagged, type ChecklistItem } from './handover.rules.js';

export const presentTemplate = (r: DB['handover_templates']) => ({
  id: r.id, code: r.code, versionNo: Number(r.version_no), name: r.name, items: JSON.parse(r.items) as ChecklistItem[], createdAt: iso(r.created_at),
});

export const presentBatch = (r: DB['handover_batches'] & { project_name: string }) => ({
  id: r.id, projectId: r.project_id, projectName: r.project_name, name: r.name, windowFrom: r.window_from, windowTo: r.window_to,
  templateId: r.template_id, status: r.status, version: r.version, createdAt: iso(r.created_at),
});

export const presentHandoverUnit = (r: HandoverUnitRow) => ({
  id: r.id, batchId: r.batch_id, unitId: r.unit_id, projectId: r.project_id, buildingId: r.building_id, buildingName: r.building_name,
  entrance: r.entrance, floor: Number(r.floor), roomNumber: r.room_number, status: r.status, signStatus: r.sign_status, signReason: r.sign_reason,
  signatureAttachmentId: r.signature_attachment_id, meters: r.meters ? (JSON.parse(r.meters) as Record<string, number>) : null,
  firstInspectedAt: isoOrNull(r.first_inspected_at), passedItems: Number(r.passed_items), handoverDate: r.handover_date, keysTo: r.keys_to,
  refusalReason: r.refusal_reason, refusalTicketId: r.refusal_ticket_id, actualHandoverDate: r.actual_handover_date ?? null,
  warrantyStartDate: r.warranty_start_date ?? null, version: r.version,
});

export const presentDefect = (r: DefectRow) => ({
  id: r.id, batchId: r.batch_id, handoverUnitId: r.handover_unit_id, unitId: r.unit_id, projectId: r.project_id, buildingId: r.building_id,
  buildingName: r.building_name, roomNumber: r.room_number, room: r.room, item: r.item, description: r.description, severity: r.severity,
  pinX: r.pin_x, pinY: r.pin_y, contractorId: r.contractor_id, contractorName: r.contractor_name, status: r.status,
  registeredAt: iso(r.registered_at), dueAt: isoOrNull(r.due_at), fixedAt: isoOrNull(r.fixed_at), closedAt: isoOrNull(r.closed_at),
  reinspectFailures: Number(r.reinspect_failures), flagged: isFlagged(Number(r.reinspect_failures)), version: r.version,
});
