import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, Select } from 'antd';
import {
  OPEN_STATUSES,
  SEVERITIES,
  SEVERITY_LABELS,
  TICKET_STATUSES,
  TICKET_STATUS_LABELS,
  TICKET_TYPES,
  TICKET_TYPE_LABELS,
  type Severity,
  type TicketStatus,
  type TicketType,
} from '@qiaoliang/shared';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { exportTickets, loadAllPages } from '../../../components/tickets/ticket-export';
import { TicketTable } from '../../../components/tickets/TicketTable';
import { useProjectOptions } from '../../../lib/lookups';
import { hasRole, useMe } from '../../../lib/session';
import { useTicketQueue } from '../../../lib/ticket-lookups';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useUrlParams } from '../../../lib/use-url-params';

const FILTERS = ['q', 'status', 'type', 'severity', 'projectId'] as const;
const OPEN = 'open';

/** 工单: every ticket in the user's scope, newest first, with filters and export. */
export function TicketsPage() {
  const { data: me } = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const [filters, setFilters] = useUrlParams(FILTERS);
  const [search, setSearch] = useState(filters.q ?? '');
  const [exporting, setExporting] = useState(false);
  const projects = useProjectOptions();
  const statuses: TicketStatus[] | undefined =
    filters.status === OPEN ? [...OPEN_STATUSES] : filters.status && (TICKET_STATUSES as readonly string[]).includes(filters.status) ? [filters.status as TicketStatus] : undefined;
  const query = useTicketQueue({
    view: 'all',
    status: statuses,
    type: filters.type as TicketType | undefined,
    severity: filters.severity as Severity | undefined,
    projectId: filters.projectId,
    q: filters.q,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const canRegister = hasRole(me, 'agent', 'supervisor', 'manager');

  const onExport = async () => {
    setExporting(true);
    try {
      const rows = await loadAllPages(query);
      if (!rows.length) {
        void message.info(T.workbench.exportEmpty);
        return;
      }
      exportTickets(rows, T.tickets.title);
      void message.success(T.workbench.exported(rows.length));
    } catch (e) {
      onError(e);
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <PageHeader
        title={T.tickets.title}
        extra={
          <>
            <Button icon={<DownloadOutlined />} onClick={() => void onExport()} loading={exporting}>
              {T.workbench.export}
            </Button>
            {canRegister ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/tickets/new')}>
                {T.register.title}
              </Button>
            ) : null}
          </>
        }
      />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
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
          placeholder={T.tickets.allStatuses}
          aria-label={T.tickets.status}
          allowClear
          value={filters.status}
          onChange={(v?: string) => setFilters({ status: v })}
          options={[{ value: OPEN, label: T.tickets.open }, ...TICKET_STATUSES.map((s) => ({ value: s, label: TICKET_STATUS_LABELS[s] }))]}
          style={{ width: 130 }}
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
        <Select
          placeholder={T.tickets.allProjects}
          aria-label={T.tickets.project}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={filters.projectId}
          onChange={(v?: string) => setFilters({ projectId: v })}
          options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
          style={{ width: 180 }}
        />
      </Flex>
      {query.error ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : null}
      <TicketTable
        items={items}
        loading={query.isLoading}
        emptyText={T.tickets.empty}
        hasMore={query.hasNextPage}
        loadingMore={query.isFetchingNextPage}
        onLoadMore={() => void query.fetchNextPage()}
        showOwner
      />
    </>
  );
}
