import { SATISFACTION_LABELS, VISIT_KIND_LABELS, type StaffRole } from '@qiaoliang/shared';
import { notFound } from '../../http/app-error.js';
import { projectInScope } from '../../platform/auth.js';
import type { Exporter } from '../../platform/exports.js';
import { k1Records } from './k1.service.js';
import { k2Records } from './k2.service.js';
import { k3Records } from './k3.service.js';
import { periodOf } from './period.js';

const K2_GROUP_LABELS: Record<string, string> = { satisfied: '满意', dissatisfied: '不满意', unreachable: '无法联系' };
const READ: readonly StaffRole[] = ['agent', 'supervisor', 'manager', 'executive', 'admin'];

export interface KpiExportParams {
  from: string;
  to: string;
  projectId?: string;
  departmentId?: string;
  list: 'k1' | 'k2' | 'k3';
  verdict?: string;
}

/** The records behind K1, K2 or K3 for a period, as .xlsx, built by the export job. */
export const kpisExporter: Exporter<KpiExportParams> = {
  kind: 'kpis',
  roles: READ,
  maxRows: 100_000,
  prepare: async (deps, actor, q) => {
    periodOf(deps, q);
    if (q.projectId && !projectInScope(actor, q.projectId)) throw notFound('项目不存在或不在您的数据范围内');
    return { total: null, title: `${q.list.toUpperCase()} 明细 ${q.from}～${q.to}`, fileName: `${q.list.toUpperCase()}明细.xlsx` };
  },
  build: async (deps, actor, q, _opts, sink) => {
    let rows = 0;
    if (q.list === 'k1') {
      const records = await k1Records(deps, actor, { ...q, verdict: q.verdict as never });
      const label = { on_time: '按时', late: '超时', not_due: '未到期' } as const;
      sink.sheet('K1 明细', [
        { header: '工单号', key: 'number', width: 18 }, { header: '标题', key: 'title', width: 36 }, { header: '级别', key: 'severity' }, { header: '状态', key: 'status' },
        { header: '截止时间', key: 'dueAt', width: 22 }, { header: '完成时间', key: 'metAt', width: 22 }, { header: '判定', key: 'verdict' },
      ]);
      for (const r of records) {
        sink.row({ ...r, verdict: label[r.verdict] });
        if (++rows % 1000 === 0) await sink.progress(rows);
      }
    } else if (q.list === 'k2') {
      const records = await k2Records(deps, actor, { ...q, which: q.verdict as never });
      sink.sheet('K2 明细', [
        { header: '工单号', key: 'number', width: 18 }, { header: '标题', key: 'title', width: 36 }, { header: '分组', key: 'group' }, { header: '满意度', key: 'satisfaction' }, { header: '评价时间', key: 'ratedAt', width: 22 },
      ]);
      for (const r of records) {
        sink.row({ ...r, group: K2_GROUP_LABELS[r.group] ?? r.group, satisfaction: r.satisfaction === null ? '' : SATISFACTION_LABELS[r.satisfaction] });
        if (++rows % 1000 === 0) await sink.progress(rows);
      }
    } else {
      const records = await k3Records(deps, actor, q);
      sink.sheet('K3 明细', [{ header: '客户', key: 'customerName' }, { header: '时间', key: 'at', width: 22 }, { header: '方式', key: 'kinds', width: 30 }]);
      for (const r of records) {
        sink.row({ ...r, kinds: r.kinds.map((k) => VISIT_KIND_LABELS[k as keyof typeof VISIT_KIND_LABELS] ?? k).join('、') });
        if (++rows % 1000 === 0) await sink.progress(rows);
      }
    }
    await sink.progress(rows);
    return { action: 'kpi.exported', entityType: 'kpi', entityId: null, after: { filters: q, rows } };
  },
};
