import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, Select } from 'antd';
import { SEVERITIES, SEVERITY_LABELS, TICKET_TYPES, TICKET_TYPE_LABELS, type Severity, type TicketType } from '@qiaoliang/shared';
import { useState } from 'react';
import { QueryError } from '../../../components/QueryError';
import { exportTickets, loadAllPages } from '../../../components/tickets/ticket-export';
import { TicketTable } from '../../../components/tickets/TicketTable';
import { useProjectOptions } from '../../../lib/lookups';
import { useTicketQueue, type TicketView } from '../../../lib/ticket-lookups';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useUrlParams } from '../../../lib/use-url-params';

/** Rows per page of the workbench queues (the tab badges count the first page). */
export const QUEUE_PAGE = 100;

const FILTERS = ['tab', 'type', 'severity', 'projectId', 'q'] as const;

/** One workbench queue with its filters (kept in the address), "加载更多" and 导出 Excel. */
export function TicketQueue({ view, name, emptyText, showOwner }: { view: TicketView; name: string; emptyText: string; showOwner?: boolean }) {
  const [filters, setFilters] = useUrlParams(FILTERS);
  const [search, setSearch] = useState(filters.q ?? '');
  const projects = useProjectOptions();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const [exporting, setExporting] = useState(false);
  const query = useTicketQueue(
    { view, type: filters.type as TicketType | undefined, severity: filters.severity as Severity | undefined, projectId: filters.projectId, q: filters.q },
    { limit: QUEUE_PAGE },
  );
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];

  const onExport = async () => {
    setExporting(true);
    try {
      const rows = await loadAllPages(query);
      if (!rows.length) {
        void message.info(T.workbench.exportEmpty);
        return;
      }
      exportTickets(rows, name);
      void message.success(T.workbench.exported(rows.length));
    } catch (e) {
      onError(e);
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <Flex gap={12} wrap justify="space-between" style={{ marginBottom: 12 }}>
        <Flex gap={12} wrap>
          <Input.Search
            placeholder={T.tickets.searchPlaceholder}
            aria-label={T.tickets.searchPlaceholder}
            allowClear
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(q) => setFilters({ q: q.trim() })}
            style={{ width: 260 }}
          />
          <Select
            placeholder={T.tickets.allTypes}
            aria-label={T.tickets.type}
            allowClear
            value={filters.type}
            onChange={(v?: string) => setFilters({ type: v })}
            options={TICKET_TYPES.map((t) => ({ value: t, label: TICKET_TYPE_LABELS[t] }))}
            style={{ width: 120 }}
          />
          <Select
            placeholder={T.tickets.allSeverities}
            aria-label={T.tickets.severity}
            allowClear
            value={filters.severity}
            onChange={(v?: string) => setFilters({ severity: v })}
            options={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }))}
            style={{ width: 120 }}
          />
          {(projects.data?.items.length ?? 0) > 1 ? (
            <Select
              placeholder={T.tickets.allProjects}
              aria-label={T.tickets.project}
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              value={filters.projectId}
              onChange={(v?: string) => setFilters({ projectId: v })}
              options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
              style={{ width: 160 }}
            />
          ) : null}
        </Flex>
        <Button icon={<DownloadOutlined />} onClick={() => void onExport()} loading={exporting}>
          {T.workbench.export}
        </Button>
      </Flex>
      {query.error ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : null}
      <TicketTable
        items={items}
        loading={query.isLoading}
        emptyText={emptyText}
        hasMore={query.hasNextPage}
        loadingMore={query.isFetchingNextPage}
        onLoadMore={() => void query.fetchNextPage()}
        showOwner={showOwner}
      />
    </>
  );
}

/** The size of a queue for its tab badge: the first page's rows ("99+" beyond). */
export function useQueueCount(view: TicketView, enabled = true): number | undefined {
  const query = useTicketQueue({ view }, { limit: QUEUE_PAGE, enabled });
  return query.data?.pages[0]?.items.length;
}
