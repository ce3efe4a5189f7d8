import type { Exporter } from '../../platform/exports.js';
import { zonedDate } from '../../platform/time.js';
import { defectsQuery } from './handover.repo.js';
import { DEADLINE_BUCKET_LABELS, deadlineBucket, DEFECT_SEVERITY_LABELS, DEFECT_STATUS_LABELS, type DeadlineBucket, type DefectSeverity, type DefectStatus } from './handover.rules.js';
import { batchReport, getBatch, HANDOVER_STAFF } from './handover.service.js';

const pct = (v: number | null) => (v === null ? '' : `${Math.round(v * 1000) / 10}%`);

/**
 * A batch as a workbook (an export job): 汇总 (the report overall and per building and
 * contractor), 问题清单 (every defect in the columns a contractor's foreman works from: building,
 * unit, room, item, description, severity, contractor, deadline, status), 检查项排行.
 */
export const handoverBatchExporter: Exporter<{ batchId: string }> = {
  kind: 'handover_batch',
  roles: HANDOVER_STAFF,
  maxRows: 200_000,
  prepare: async (deps, actor, { batchId }) => {
    const b = await getBatch(deps, actor, batchId);
    const n = await deps.db.selectFrom('handover_defects').select((eb) => eb.fn.countAll<number>().as('n')).where('batch_id', '=', batchId).executeTakeFirstOrThrow();
    return { total: Number(n.n), title: `${b.name} 交付报表`, fileName: `${b.name}-交付报表.xlsx` };
  },
  build: async (deps, actor, { batchId }, _opts, sink) => {
    const [byBuilding, byContractor] = await Promise.all([batchReport(deps, actor, batchId, 'building'), batchReport(deps, actor, batchId, 'contractor')]);
    const tz = deps.config.timeZone;
    const now = deps.clock.now().getTime();
    const cols = (headers: string[], widths: number[]) => headers.map((header, i) => ({ header, key: String(i), width: widths[i] ?? 12 }));
    const add = (cells: unknown[]) => sink.row(Object.fromEntries(cells.map((c, i) => [String(i), c])));
    const header = ['范围', '问题数', '未销项', '已查验户数', '户均问题', '一次收楼率', '整改按期率', '复验通过率', ...Object.values(DEADLINE_BUCKET_LABELS)];
    sink.sheet('汇总', cols(header, [20, 8, 8, 10, 8, 10, 10, 10, 10, 10, 10, 10, 10]));
    type Summary = typeof byBuilding.total;
    const line = (name: string, s: Summary) => add([name, s.defects, s.openDefects, s.unitsInspected ?? '', s.defectsPerUnit ?? '', pct(s.firstPassRate), pct(s.onTimeRate), pct(s.reinspectPassRate),
      ...(Object.keys(DEADLINE_BUCKET_LABELS) as DeadlineBucket[]).map((k) => s.buckets[k])]);
    line(`${byBuilding.projectName} ${byBuilding.batchName}`, byBuilding.total);
    for (const g of byBuilding.groups) line(`楼栋 ${g.name}`, g);
    for (const g of byContractor.groups) line(`施工单位 ${g.name}`, g);

    sink.sheet('问题清单', cols(['楼栋', '房号', '房间', '检查项', '问题描述', '严重程度', '整改单位', '登记日期', '整改期限', '状态', '期限情况', '复验不通过次数'], [10, 8, 8, 8, 40, 8, 14, 12, 12, 8, 10, 8]));
    const rows = await defectsQuery(deps.db).where('d.batch_id', '=', batchId).orderBy('b.name').orderBy('u.room_number').orderBy('d.room').execute();
    let done = 0;
    for (const d of rows) {
      add([d.building_name, d.room_number, d.room, d.item, d.description, DEFECT_SEVERITY_LABELS[d.severity as DefectSeverity], d.contractor_name ?? '未分配',
        zonedDate(Number(d.registered_at), tz), d.due_at === null ? '' : zonedDate(Number(d.due_at), tz), DEFECT_STATUS_LABELS[d.status as DefectStatus],
        d.status === 'cancelled' ? '' : DEADLINE_BUCKET_LABELS[deadlineBucket({ due_at: d.due_at === null ? null : Number(d.due_at), fixed_at: d.fixed_at === null ? null : Number(d.fixed_at), status: d.status }, now)],
        Number(d.reinspect_failures)]);
      if (++done % 1000 === 0) await sink.progress(done);
    }
    sink.sheet('检查项排行', cols(['房间·检查项', '问题数'], [20, 10]));
    for (const r of byBuilding.byItem) add([r.key, r.count]);
    await sink.progress(done);
    return { action: 'handover.exported', entityType: 'handover_batch', entityId: batchId, after: { rows: done } };
  },
};
