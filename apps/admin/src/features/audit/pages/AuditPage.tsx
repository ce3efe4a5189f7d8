import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Flex, Input, Select, Table, Typography, type TableColumnsType } from 'antd';
import { AUDIT_ACTION_LABELS, ENTITY_LABELS, type AuditEntry } from '@qiaoliang/shared';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { LoadMore } from '../../../components/LoadMore';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { isApiError } from '../../../lib/api';
import { formatDateTimeSeconds, orDash } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { useAuditLog, useVerifyAudit, type AuditFilters } from '../api/audit';
import { AuditDiff } from '../components/AuditDiff';

function VerifyResult({ verify }: { verify: ReturnType<typeof useVerifyAudit> }) {
  if (verify.error) {
    return <Alert type="error" showIcon title={isApiError(verify.error) ? verify.error.text : T.errors.unknown} style={{ marginBottom: 16 }} />;
  }
  if (!verify.data) return null;
  const r = verify.data;
  return (
    <Alert
      type={r.ok ? 'success' : 'error'}
      showIcon
      title={r.ok ? T.audit.verifyOk(r.checked) : T.audit.verifyBroken(r.brokenAtSeq, r.reason)}
      closable={{ onClose: () => verify.reset() }}
      style={{ marginBottom: 16 }}
    />
  );
}

/** 审计日志: who did what and when; filters, keyset 加载更多, before/after, hash chain check. */
export function AuditPage() {
  const [action, setAction] = useState<string>();
  const [entityType, setEntityType] = useState<string>();
  const [entityId, setEntityId] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const verify = useVerifyAudit();

  const filters: AuditFilters = useMemo(
    () => ({
      action,
      entityType,
      entityId: entityId.trim() || undefined,
      from: range?.[0]?.format('YYYY-MM-DD'),
      to: range?.[1]?.format('YYYY-MM-DD'),
    }),
    [action, entityType, entityId, range],
  );
  const log = useAuditLog(filters);
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: TableColumnsType<AuditEntry> = [
    { title: T.audit.seq, dataIndex: 'seq', width: 80 },
    { title: T.audit.at, dataIndex: 'at', width: 170, render: formatDateTimeSeconds },
    { title: T.audit.actor, dataIndex: 'actorName', render: (n: string | null) => n ?? T.common.system },
    { title: T.audit.action, dataIndex: 'action', render: (a: string) => AUDIT_ACTION_LABELS[a] ?? a },
    {
      title: T.audit.entity,
      key: 'entity',
      render: (_, e) => (
        <>
          {ENTITY_LABELS[e.entityType] ?? e.entityType}{' '}
          {e.entityId ? <Typography.Text type="secondary" copyable={{ text: e.entityId }} style={{ fontSize: 12 }}>{e.entityId.slice(-8)}</Typography.Text> : null}
        </>
      ),
    },
    { title: T.audit.ip, dataIndex: 'ip', render: orDash, width: 130 },
    {
      title: T.audit.requestId,
      dataIndex: 'requestId',
      width: 120,
      render: (id: string | null) => (id ? <Typography.Text type="secondary" copyable={{ text: id }} style={{ fontSize: 12 }}>{id.slice(-8)}</Typography.Text> : '—'),
    },
  ];

  return (
    <>
      <PageHeader
        title={T.audit.title}
        extra={
          <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()}>
            {T.audit.verify}
          </Button>
        }
      />
      <VerifyResult verify={verify} />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Select
          placeholder={T.audit.allActions}
          aria-label={T.audit.action}
          allowClear
          value={action}
          onChange={setAction}
          showSearch={{ optionFilterProp: 'label' }}
          options={Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }))}
          style={{ width: 180 }}
        />
        <Select
          placeholder={T.audit.allEntities}
          aria-label={T.audit.entity}
          allowClear
          value={entityType}
          onChange={setEntityType}
          options={Object.entries(ENTITY_LABELS).map(([value, label]) => ({ value, label }))}
          style={{ width: 160 }}
        />
        <Input.Search
          placeholder={T.audit.entityIdPlaceholder}
          aria-label={T.audit.entityId}
          allowClear
          onSearch={setEntityId}
          style={{ width: 260 }}
        />
        <DatePicker.RangePicker aria-label={T.audit.dateRange} value={range} onChange={(v) => setRange(v)} />
      </Flex>
      {log.error ? <QueryError error={log.error} onRetry={() => void log.refetch()} /> : null}
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={log.isFetching && !log.isFetchingNextPage}
        pagination={false}
        locale={{ emptyText: <EmptyState description={T.audit.empty} /> }}
        expandable={{ expandedRowRender: (e) => <AuditDiff before={e.before} after={e.after} /> }}
      />
      <LoadMore list={log} count={rows.length} />
    </>
  );
}
