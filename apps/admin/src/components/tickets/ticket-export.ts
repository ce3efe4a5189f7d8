import {
  CHANNEL_LABELS,
  SEVERITY_LABELS,
  TICKET_STATUS_LABELS,
  TICKET_TYPE_LABELS,
  type TicketSummary,
} from '@qiaoliang/shared';
import { App } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { T } from '../../lib/texts';
import { useApiErrorHandler } from '../../lib/use-api-error';
import { downloadXlsx } from '../../lib/xlsx';

/** Saves the tickets a list shows as an Excel workbook, named after the list and today. */
export function exportTickets(items: TicketSummary[], listName: string): void {
  const columns = [
    { title: T.tickets.number, width: 18 },
    { title: T.tickets.type, width: 8 },
    { title: T.tickets.severity, width: 8 },
    { title: T.tickets.status, width: 10 },
    { title: T.tickets.titleLabel, width: 40 },
    { title: T.tickets.category, width: 22 },
    { title: T.tickets.channel, width: 10 },
    { title: T.tickets.customer, width: 12 },
    { title: T.tickets.project, width: 12 },
    { title: T.tickets.location, width: 18 },
    { title: T.tickets.owner, width: 10 },
    { title: T.tickets.registeredAt, width: 17 },
    { title: T.tickets.due, width: 17 },
    { title: T.tickets.overdueTag, width: 8 },
    { title: T.tickets.escalation, width: 16 },
  ];
  const rows = items.map((t) => [
    t.number,
    TICKET_TYPE_LABELS[t.type],
    SEVERITY_LABELS[t.severity],
    TICKET_STATUS_LABELS[t.status],
    t.title,
    t.categoryPath,
    CHANNEL_LABELS[t.channel],
    t.customerName,
    t.projectName,
    t.locationLabel,
    t.ownerName,
    formatDateTime(t.registeredAt),
    t.dueAt ? formatDateTime(t.dueAt) : '',
    t.overdue ? T.common.yes : T.common.no,
    t.escalationLevel ? T.escalation.levels[t.escalationLevel] : '',
  ]);
  downloadXlsx(T.workbench.exportFile(listName, dayjs().format('YYYYMMDD')), listName, columns, rows);
}

/** The parts of an infinite query an export needs. */
interface PagedQuery<I> {
  data?: { pages: { items: I[] }[] };
  hasNextPage: boolean;
  fetchNextPage: () => Promise<{ data?: { pages: { items: I[] }[] }; hasNextPage: boolean; error: unknown }>;
}

/** Loads the rest of a keyset-paged list (up to `max` rows) and returns every row. */
export async function loadAllPages<I>(query: PagedQuery<I>, max = 5000): Promise<I[]> {
  let pages = query.data?.pages ?? [];
  let more = query.hasNextPage;
  while (more && pages.reduce((n, p) => n + p.items.length, 0) < max) {
    const next = await query.fetchNextPage();
    if (next.error) throw next.error;
    pages = next.data?.pages ?? pages;
    more = next.hasNextPage;
  }
  return pages.flatMap((p) => p.items);
}

/**
 * The 导出 Excel action of a ticket list: loads every page of `query`, saves the workbook
 * named after the list, and says what happened (nothing to export, rows saved, or the error).
 */
export function useTicketExport(query: PagedQuery<TicketSummary>, listName: string): { exporting: boolean; onExport: () => Promise<void> } {
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const [exporting, setExporting] = useState(false);
  const onExport = async () => {
    setExporting(true);
    try {
      const rows = await loadAllPages(query);
      if (!rows.length) {
        void message.info(T.workbench.exportEmpty);
        return;
      }
      exportTickets(rows, listName);
      void message.success(T.workbench.exported(rows.length));
    } catch (e) {
      onError(e);
    } finally {
      setExporting(false);
    }
  };
  return { exporting, onExport };
}
