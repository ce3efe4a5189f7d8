import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { OPEN_STATUSES, TICKET_STATUSES, type Severity, type TicketStatus, type TicketType } from '@qiaoliang/shared';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { useTicketExport } from '../../../components/tickets/ticket-export';
import { OPEN_STATUS_FILTER, TicketFilters } from '../../../components/tickets/TicketFilters';
import { TicketTable } from '../../../components/tickets/TicketTable';
import { hasRole, useMe } from '../../../lib/session';
import { useTicketQueue } from '../../../lib/ticket-lookups';
import { T } from '../../../lib/texts';
import { useUrlParams } from '../../../lib/use-url-params';

const FILTERS = ['q', 'status', 'type', 'severity', 'projectId'] as const;

/** 工单: every ticket in the user's scope, newest first, with filters and export. */
export function TicketsPage() {
  const { data: me } = useMe();
  const navigate = useNavigate();
  const [filters, setFilters] = useUrlParams(FILTERS);
  const statuses: TicketStatus[] | undefined =
    filters.status === OPEN_STATUS_FILTER ? [...OPEN_STATUSES] : filters.status && (TICKET_STATUSES as readonly string[]).includes(filters.status) ? [filters.status as TicketStatus] : undefined;
  const query = useTicketQueue({
    view: 'all',
    status: statuses,
    type: filters.type as TicketType | undefined,
    severity: filters.severity as Severity | undefined,
    projectId: filters.projectId,
    q: filters.q,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const { exporting, onExport } = useTicketExport(query, T.tickets.title);
  const canRegister = hasRole(me, 'agent', 'supervisor', 'manager');
  const canImport = hasRole(me, 'supervisor', 'manager', 'admin');

  return (
    <>
      <PageHeader
        title={T.tickets.title}
        extra={
          <>
            <Button icon={<DownloadOutlined />} onClick={() => void onExport()} loading={exporting}>
              {T.workbench.export}
            </Button>
            {canImport ? <Button onClick={() => navigate('/tickets/import')}>{T.console.importOpen}</Button> : null}
            {canRegister ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/tickets/new')}>
                {T.register.title}
              </Button>
            ) : null}
          </>
        }
      />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <TicketFilters filters={filters} onChange={setFilters} withStatus />
      </Flex>
      {query.error ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : null}
      <TicketTable
        items={items}
        loading={query.isLoading}
        emptyText={T.tickets.empty}
        list={query}
        showOwner
      />
    </>
  );
}
