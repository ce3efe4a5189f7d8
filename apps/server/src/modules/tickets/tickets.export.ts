import { SEVERITY_LABELS, TICKET_STATUS_LABELS, TICKET_TYPE_LABELS, type TicketListQuery } from '@qiaoliang/shared';
import { notFound } from '../../http/app-error.js';
import { projectInScope } from '../../platform/auth.js';
import type { Exporter } from '../../platform/exports.js';
import { listTickets, TICKET_READ } from './tickets.service.js';

/** The queue export stops here (it was a GET with the same limit). */
export const MAX_TICKET_EXPORT_ROWS = 5000;

/** A ticket queue as .xlsx, built by the export job; the caller's scope and view apply as in the queue. */
export const ticketsExporter: Exporter<TicketListQuery> = {
  kind: 'tickets',
  roles: TICKET_READ,
  maxRows: MAX_TICKET_EXPORT_ROWS,
  prepare: async (_deps, actor, params) => {
    if (params.projectId && !projectInScope(actor, params.projectId)) throw notFound('项目不存在或不在您的数据范围内');
    return { total: null, title: '工单', fileName: '工单.xlsx' };
  },
  build: async (deps, actor, params, _opts, sink) => {
    sink.sheet('工单', [
      { header: '工单号', key: 'number', width: 18 }, { header: '类型', key: 'type' }, { header: '级别', key: 'severity' }, { header: '状态', key: 'status' },
      { header: '标题', key: 'title', width: 36 }, { header: '项目', key: 'projectName' }, { header: '位置', key: 'locationLabel', width: 16 },
      { header: '客户', key: 'customerName' }, { header: '首问责任人', key: 'ownerName' }, { header: '登记时间', key: 'registeredAt', width: 22 }, { header: '截止时间', key: 'dueAt', width: 22 },
    ]);
    let done = 0;
    let cursor: string | undefined;
    do {
      const page = await listTickets(deps, actor, { ...params, limit: 200, ...(cursor ? { cursor } : {}) });
      for (const t of page.items.slice(0, MAX_TICKET_EXPORT_ROWS - done)) {
        sink.row({ ...t, type: TICKET_TYPE_LABELS[t.type], severity: SEVERITY_LABELS[t.severity], status: TICKET_STATUS_LABELS[t.status] });
        done++;
      }
      await sink.progress(done);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && done < MAX_TICKET_EXPORT_ROWS);
    return { action: 'ticket.exported', entityType: 'ticket', entityId: null, after: { filters: params, rows: done } };
  },
};
