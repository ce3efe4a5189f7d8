import { Button, Flex, Segmented, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { TICKET_TYPE_LABELS, type Callback, type TicketType } from '@qiaoliang/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { LoadMore } from '../../../components/LoadMore';
import { SatisfactionTag } from '../../../components/kpis/SatisfactionTag';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { formatDateTime, formatPhone } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { useUrlParams } from '../../../lib/use-url-params';
import { useCallbacks, type CallbackStatus, type CallbackView } from '../api/callbacks';
import { CallbackDrawer } from '../components/CallbackDrawer';

const FILTERS = ['view', 'status'] as const;
const STATUSES: CallbackStatus[] = ['open', 'done', 'unreachable'];

/**
 * 回访: the callbacks after resolution, mine or my team's, by due time (overdue in red);
 * a callback opens in a drawer with the script and the buttons that record the outcome.
 */
export function CallbacksPage() {
  const [params, setParams] = useUrlParams(FILTERS);
  const view: CallbackView = params.view === 'team' ? 'team' : 'mine';
  const status = STATUSES.find((s) => s === params.status) ?? 'open';
  const list = useCallbacks({ view, status });
  const [picked, setPicked] = useState<Callback | null>(null);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: TableColumnsType<Callback> = [
    {
      title: T.callbacks.dueAt,
      dataIndex: 'dueAt',
      width: 170,
      render: (at: string, r) =>
        r.status === 'open' && r.overdue ? (
          <Flex vertical>
            <Typography.Text type="danger" strong>{formatDateTime(at)}</Typography.Text>
            <span><Tag color="error">{T.callbacks.overdue}</Tag></span>
          </Flex>
        ) : (
          formatDateTime(at)
        ),
    },
    {
      title: T.callbacks.ticket,
      key: 'ticket',
      render: (_, r) => (
        <Flex vertical>
          <Link to={`/tickets/${r.ticketId}`} onClick={(e) => e.stopPropagation()}>{r.ticketNumber}</Link>
          <Typography.Text ellipsis style={{ maxWidth: 360 }}>{r.ticketTitle}</Typography.Text>
        </Flex>
      ),
    },
    { title: T.callbacks.type, dataIndex: 'ticketType', width: 80, render: (t: string) => <Tag>{TICKET_TYPE_LABELS[t as TicketType] ?? t}</Tag> },
    {
      title: T.callbacks.customer,
      key: 'customer',
      width: 150,
      render: (_, r) => (
        <Flex vertical>
          <span>{r.customerName ?? T.callbacks.anonymous}</span>
          <Typography.Text type="secondary">{formatPhone(r.customerPhone)}</Typography.Text>
        </Flex>
      ),
    },
    { title: T.callbacks.project, dataIndex: 'projectName', width: 100 },
    ...(view === 'team' ? [{ title: T.callbacks.assignee, dataIndex: 'assigneeName', width: 100 }] : []),
    { title: T.callbacks.attempts, key: 'attempts', width: 90, align: 'center' as const, render: (_: unknown, r: Callback) => T.callbacks.attemptsOf(r.attempts, r.maxAttempts) },
    ...(status === 'done' ? [{ title: T.callbacks.satisfaction, dataIndex: 'satisfaction', width: 110, render: (v: number | null) => <SatisfactionTag value={v} /> }] : []),
    ...(status !== 'open' ? [{ title: T.callbacks.completedAt, dataIndex: 'completedAt', width: 160, render: formatDateTime }] : []),
    {
      title: T.common.actions,
      key: 'actions',
      width: 90,
      render: (_, r) => (
        <Button
          type={r.status === 'open' ? 'primary' : 'link'}
          size="small"
          aria-label={`${r.status === 'open' ? T.callbacks.call : T.callbacks.view} ${r.ticketNumber}`}
          onClick={(e) => {
            e.stopPropagation();
            setPicked(r);
          }}
        >
          {r.status === 'open' ? T.callbacks.call : T.callbacks.view}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={T.callbacks.title}>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', maxWidth: 960 }}>
          {T.callbacks.subtitle}
        </Typography.Paragraph>
      </PageHeader>
      {/* The status filter sits beside the tabs, not in their tablist (a tablist holds only tabs). */}
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Tabs
          activeKey={view}
          onChange={(v) => setParams({ view: v === 'mine' ? undefined : v })}
          items={[
            { key: 'mine', label: T.callbacks.mine },
            { key: 'team', label: T.callbacks.team },
          ]}
          style={{ flex: '1 1 auto' }}
        />
        <Segmented<CallbackStatus>
          value={status}
          onChange={(v) => setParams({ status: v === 'open' ? undefined : v })}
          options={STATUSES.map((s) => ({ value: s, label: T.callbacks.statuses[s]! }))}
          style={{ marginBottom: 16 }}
        />
      </Flex>
      {list.error ? <QueryError error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<Callback>
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={list.isFetching && !list.isFetchingNextPage}
        pagination={false}
        scroll={{ x: 1000 }}
        onRow={(r) => ({ onClick: () => setPicked(r), style: { cursor: 'pointer' } })}
        locale={{ emptyText: <EmptyState description={status === 'open' ? T.callbacks.emptyOpen : T.callbacks.emptyDone} /> }}
      />
      <LoadMore list={list} count={rows.length} />
      <CallbackDrawer id={picked?.id ?? null} initial={picked} onClose={() => setPicked(null)} />
    </>
  );
}
