import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { OutboxMessage } from '@qiaoliang/shared';
import { useState } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { LoadMore } from '../../../components/LoadMore';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { formatDateTime, orDash } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { DevSmsDrawer } from '../components/DevSmsDrawer';
import { OUTBOX_CHANNELS, OUTBOX_STATUSES, useOutbox, useRetryOutbox } from '../api/outbox';

const STATUS_COLORS: Record<string, string> = { pending: 'processing', delivered: 'success', failed: 'error' };

function RetryButton({ id }: { id: string }) {
  const retry = useRetryOutbox();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  return (
    <Button
      type="link"
      size="small"
      loading={retry.isPending}
      onClick={() => retry.mutate(id, { onSuccess: () => void message.success(T.outbox.retried), onError: (e) => onError(e) })}
    >
      {T.outbox.retry}
    </Button>
  );
}

/** 消息外发: what the system sent (or failed to send) to staff and customers. */
export function OutboxPage() {
  const [status, setStatus] = useState<string>();
  const [channel, setChannel] = useState<string>();
  const list = useOutbox({ status, channel });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: TableColumnsType<OutboxMessage> = [
    { title: T.common.createdAt, dataIndex: 'createdAt', render: formatDateTime, width: 150 },
    { title: T.outbox.channel, dataIndex: 'channel', width: 100, render: (c: string) => T.outbox.channels[c] ?? c },
    { title: T.outbox.recipient, dataIndex: 'recipient', width: 160, ellipsis: true },
    { title: T.outbox.subject, dataIndex: 'subject', render: orDash, ellipsis: true },
    { title: T.outbox.body, dataIndex: 'body', ellipsis: true },
    {
      title: T.common.status,
      dataIndex: 'status',
      width: 100,
      render: (s: string) => <Tag color={STATUS_COLORS[s]}>{T.outbox.status[s] ?? s}</Tag>,
    },
    { title: T.outbox.attempts, dataIndex: 'attempts', width: 90, align: 'right' },
    { title: T.outbox.lastError, dataIndex: 'lastError', render: orDash, ellipsis: true },
    { title: T.outbox.deliveredAt, dataIndex: 'deliveredAt', render: formatDateTime, width: 150 },
    {
      title: T.common.actions,
      key: 'actions',
      width: 90,
      render: (_, m) => (m.status === 'failed' ? <RetryButton id={m.id} /> : null),
    },
  ];

  return (
    <>
      <PageHeader
        title={T.outbox.title}
        extra={<Flex gap={8}><DevSmsDrawer /><Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{T.common.refresh}</Button></Flex>}
      />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Select
          placeholder={T.outbox.allStatuses}
          aria-label={T.common.status}
          allowClear
          value={status}
          onChange={setStatus}
          options={OUTBOX_STATUSES.map((s) => ({ value: s, label: T.outbox.status[s] ?? s }))}
          style={{ width: 150 }}
        />
        <Select
          placeholder={T.outbox.allChannels}
          aria-label={T.outbox.channel}
          allowClear
          value={channel}
          onChange={setChannel}
          options={OUTBOX_CHANNELS.map((c) => ({ value: c, label: T.outbox.channels[c] ?? c }))}
          style={{ width: 150 }}
        />
        {/* Survey link tokens come masked from the server (security finding 11). */}
        <Typography.Text type="secondary" style={{ alignSelf: 'center' }}>{T.outbox.secretsHidden}</Typography.Text>
      </Flex>
      {list.error ? <QueryError error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<OutboxMessage>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isFetching && !list.isFetchingNextPage}
        pagination={false}
        scroll={{ x: 1200 }}
        locale={{ emptyText: <EmptyState description={T.outbox.empty} /> }}
      />
      <LoadMore list={list} count={rows.length} />
    </>
  );
}
