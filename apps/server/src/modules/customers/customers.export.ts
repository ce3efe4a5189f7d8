import { CUSTOMER_KIND_LABELS, maskPhone, UNIT_RELATION_LABELS, ARCHIVE_FIELD_LABELS, type ArchiveField, type CustomerSearchQuery } from '@qiaoliang/shared';
import { badRequest, notFound } from '../../http/app-error.js';
import { projectInScope } from '../../platform/auth.js';
import type { Exporter } from '../../platform/exports.js';
import { unitLabel } from '../org/org.presenter.js';
import { unitLinksOf, latestArchiveStates } from './customers.repo.js';
import { phonesOf } from './customer-phones.repo.js';
import { loadPrivacy, searchCustomers, today } from './customers.service.js';
import { relationHeldOn } from './customers.rules.js';

/** Exports larger than this must be narrowed by filters. */
export const MAX_EXPORT_ROWS = 20_000;

const COLUMNS = [
  { header: '姓名', key: 'name', width: 12 }, { header: '客户类型', key: 'kind', width: 10 }, { header: '电话', key: 'phones', width: 28 },
  { header: '身份证号', key: 'idNumber', width: 22 }, { header: '房屋', key: 'units', width: 36 }, { header: '合同编号', key: 'contracts', width: 18 },
  { header: '实际交付日期', key: 'handover', width: 14 }, { header: 'VIP', key: 'vip', width: 6 }, { header: '档案', key: 'complete', width: 8 },
  { header: '缺少项', key: 'missing', width: 30 }, { header: '邮箱', key: 'email', width: 20 }, { header: '通讯地址', key: 'address', width: 30 },
  { header: '备注', key: 'notes', width: 30 },
];

export type CustomerExportParams = Omit<CustomerSearchQuery, 'page' | 'pageSize'>;

/**
 * The owner archive as .xlsx, built by the export job (platform/exports.ts). Phones are masked
 * unless the request asked for them with a reason (and, in bulk, was approved); ID numbers are
 * always masked.
 */
export const customersExporter: Exporter<CustomerExportParams> = {
  kind: 'customers',
  roles: ['supervisor', 'manager', 'admin'],
  maxRows: MAX_EXPORT_ROWS,
  phoneRevealRoles: async (deps) => (await loadPrivacy(deps.db)).value.phoneRevealRoles,
  prepare: async (deps, actor, params) => {
    if (params.projectId && !projectInScope(actor, params.projectId)) throw notFound('项目不存在或不在您的数据范围内');
    const first = await searchCustomers(deps, actor, { ...params, page: 1, pageSize: 1 });
    return { total: first.total, title: '客户档案', fileName: '客户档案.xlsx' };
  },
  build: async (deps, actor, params, { revealPhones }, sink) => {
    const first = await searchCustomers(deps, actor, { ...params, page: 1, pageSize: 1 });
    if (first.total > MAX_EXPORT_ROWS) throw badRequest(`符合条件的客户有 ${first.total} 位，一次最多导出 ${MAX_EXPORT_ROWS} 位，请缩小筛选范围`);
    const ids: string[] = [];
    for (let page = 1; ids.length < first.total; page++) {
      const res = await searchCustomers(deps, actor, { ...params, page, pageSize: 200 });
      if (!res.items.length) break;
      ids.push(...res.items.map((c) => c.id));
    }
    sink.sheet('客户档案', COLUMNS);
    const day = today(deps);
    let done = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const [customers, phones, links, states] = await Promise.all([
        deps.db.selectFrom('customers').selectAll().where('id', 'in', chunk).execute(), phonesOf(deps.db, deps.config.fieldKey, chunk), unitLinksOf(deps.db, chunk), latestArchiveStates(deps.db, chunk),
      ]);
      const byId = new Map(customers.map((c) => [c.id, c]));
      for (const id of chunk) {
        const c = byId.get(id);
        if (!c) continue;
        const current = links.filter((l) => l.customer_id === id && relationHeldOn(l.from_date, l.to_date, day));
        const s = states.get(id);
        sink.row({
          name: c.name,
          kind: CUSTOMER_KIND_LABELS[c.kind as keyof typeof CUSTOMER_KIND_LABELS] ?? c.kind,
          phones: phones.filter((p) => p.customer_id === id).map((p) => (revealPhones ? p.phone.replace(/^\+86/, '') : maskPhone(p.phone))).join('、'),
          idNumber: c.id_number_masked ?? '',
          units: current.map((l) => `${l.project_name} ${unitLabel(l.building_name, l.entrance, l.room_number)}（${UNIT_RELATION_LABELS[l.relation as keyof typeof UNIT_RELATION_LABELS] ?? l.relation}）`).join('；'),
          contracts: current.map((l) => l.contract_no).filter(Boolean).join('；'),
          handover: current.map((l) => l.actual_handover_date).filter(Boolean).join('；'),
          vip: c.vip === 1 ? '是' : '',
          complete: s?.complete === 1 ? '完整' : '不完整',
          missing: s ? (JSON.parse(s.missing) as ArchiveField[]).map((f) => ARCHIVE_FIELD_LABELS[f]).join('、') : '',
          email: c.email ?? '',
          address: c.address ?? '',
          notes: c.notes ?? '',
        });
        done++;
      }
      await sink.progress(done);
    }
    return { action: 'customer.exported', entityType: 'customer', entityId: null, after: { filters: params, rows: done } };
  },
};
