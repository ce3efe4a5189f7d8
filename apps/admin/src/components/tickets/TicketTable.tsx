import { Flex, Table, Typography, type TableColumnsType } from 'antd';
import type { TicketSummary } from '@qiaoliang/shared';
import { Link, useNavigate } from 'react-router';
import { EmptyState } from '../EmptyState';
import { LoadMore, type PagedList } from '../LoadMore';
import { formatDateTime } from '../../lib/format';
import { T } from '../../lib/texts';
import { Deadline } from './Deadline';
import { EscalationTag, SeverityTag, TicketStatusTag, TicketTypeTag } from './TicketTags';

const FINISHED = new Set(['resolved', 'closed', 'cancelled', 'merged']);

export interface TicketTableProps {
  items: TicketSummary[];
  loading: boolean;
  emptyText: string;
  /** The paged query the rows come from: its foot shows the count and 加载更多. */
  list: PagedList;
  /** Show the first-contact owner (team views). */
  showOwner?: boolean;
}

/** A queue of tickets: number, tags, title, customer and location, status, deadline. Rows open the ticket. */
export function TicketTable({ items, loading, emptyText, list, showOwner }: TicketTableProps) {
  const navigate = useNavigate();
  const columns: TableColumnsType<TicketSummary> = [
    {
      title: T.tickets.number,
      dataIndex: 'number',
      width: 170,
      render: (n: string, r) => (
        <div style={{ lineHeight: 1.4 }}>
          <Link to={`/tickets/${r.id}`} onClick={(e) => e.stopPropagation()}>
            {n}
          </Link>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(r.registeredAt)}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: `${T.tickets.type} / ${T.tickets.severity}`,
      key: 'tags',
      width: 130,
      render: (_, r) => (
        <Flex gap={2} wrap>
          <TicketTypeTag type={r.type} />
          <SeverityTag severity={r.severity} />
        </Flex>
      ),
    },
    {
      title: T.tickets.titleLabel,
      dataIndex: 'title',
      render: (title: string, r) => (
        <div style={{ lineHeight: 1.4, minWidth: 160 }}>
          <Typography.Text ellipsis={{ tooltip: title }} style={{ maxWidth: 320 }}>
            {title}
          </Typography.Text>
          {r.categoryPath ? (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.categoryPath}
              </Typography.Text>
            </div>
          ) : null}
        </div>
      ),
    },
    {
      title: `${T.tickets.customer} / ${T.tickets.location}`,
      key: 'customer',
      width: 200,
      render: (_, r) => (
        <div style={{ lineHeight: 1.4 }}>
          <Typography.Text>{r.customerName ?? T.tickets.anonymous}</Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[r.projectName, r.locationLabel].filter(Boolean).join(' · ')}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    { title: T.tickets.status, dataIndex: 'status', width: 96, render: (s: TicketSummary['status']) => <TicketStatusTag status={s} /> },
    {
      title: T.tickets.due,
      key: 'due',
      width: 190,
      render: (_, r) => (
        <Flex gap={4} align="start">
          <Deadline due={r.dueAt} compact met={FINISHED.has(r.status)} paused={r.status === 'waiting_customer'} />
          <EscalationTag level={r.escalationLevel} />
        </Flex>
      ),
    },
    ...(showOwner ? [{ title: T.tickets.owner, dataIndex: 'ownerName', width: 100 }] : []),
  ];

  return (
    <>
      <Table<TicketSummary>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={false}
        scroll={{ x: 960 }}
        onRow={(r) => ({ onClick: () => navigate(`/tickets/${r.id}`), style: { cursor: 'pointer' } })}
        locale={{ emptyText: <EmptyState description={emptyText} /> }}
      />
      <LoadMore list={list} count={items.length} />
    </>
  );
}
