import { DownloadOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import type { Severity, TicketType } from '@qiaoliang/shared';
import { QueryError } from '../../../components/QueryError';
import { useTicketExport } from '../../../components/tickets/ticket-export';
import { TicketFilters } from '../../../components/tickets/TicketFilters';
import { TicketTable } from '../../../components/tickets/TicketTable';
import { useTicketQueue, type TicketView } from '../../../lib/ticket-lookups';
import { T } from '../../../lib/texts';
import { useUrlParams } from '../../../lib/use-url-params';

/** Rows per page of the workbench queues (the tab badges count the first page). */
export const QUEUE_PAGE = 100;

const FILTERS = ['tab', 'type', 'severity', 'projectId', 'q'] as const;

/** One workbench queue with its filters (kept in the address), "加载更多" and 导出 Excel. */
export function TicketQueue({ view, name, emptyText, showOwner }: { view: TicketView; name: string; emptyText: string; showOwner?: boolean }) {
  const [filters, setFilters] = useUrlParams(FILTERS);
  const query = useTicketQueue(
    { view, type: filters.type as TicketType | undefined, severity: filters.severity as Severity | undefined, projectId: filters.projectId, q: filters.q },
    { limit: QUEUE_PAGE },
  );
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const { exporting, onExport } = useTicketExport(query, name);

  return (
    <>
      <Flex gap={12} wrap justify="space-between" style={{ marginBottom: 12 }}>
        <Flex gap={12} wrap>
          <TicketFilters filters={filters} onChange={setFilters} projectWhenSeveral />
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
        list={query}
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
