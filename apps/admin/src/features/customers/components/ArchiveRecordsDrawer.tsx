import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { Drawer, Flex, Segmented, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ARCHIVE_FIELD_LABELS, type ArchiveField, type ArchiveRateRecord } from '@qiaoliang/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { QueryError } from '../../../components/QueryError';
import { formatDateTime } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { useArchiveRateRecords, type RecordFilter } from '../api/archive';
import { ArchiveBadges } from './CustomerTags';

export interface RecordsTarget {
  filter: RecordFilter;
  projectId?: string;
  /** The project's name, or 全部项目. */
  scope: string;
}

const FILTERS: RecordFilter[] = ['missing', 'numerator', 'denominator'];

/** The customers behind a K4 number, each linked to their 360 view. */
export function ArchiveRecordsDrawer({ target, date, onClose, onFilter }: {
  target: RecordsTarget | null;
  /** The report's date (the records are of the same day). */
  date: string | undefined;
  onClose: () => void;
  onFilter: (filter: RecordFilter) => void;
}) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, isFetching, error, refetch } = useArchiveRateRecords(
    { date, projectId: target?.projectId, filter: target?.filter ?? 'missing', page, pageSize },
    !!target,
  );

  const columns: TableColumnsType<ArchiveRateRecord> = [
    {
      title: T.archiveRate.name,
      dataIndex: 'name',
      width: 120,
      render: (name: string, r) => <Link to={`/customers/${r.customerId}`}>{name}</Link>,
    },
    { title: T.archiveRate.projects, dataIndex: 'projectNames', width: 140, render: (names: string[]) => names.join('、') },
    { title: T.customers.archive, key: 'state', width: 120, render: (_, r) => <ArchiveBadges complete={r.complete} current={r.current} /> },
    {
      title: T.archiveRate.missingFields,
      dataIndex: 'missing',
      render: (missing: string[]) =>
        missing.length ? (
          <Flex gap={4} wrap>
            {missing.map((f) => (
              <Tag key={f} color="red" style={{ marginInlineEnd: 0 }}>
                {ARCHIVE_FIELD_LABELS[f as ArchiveField] ?? f}
              </Tag>
            ))}
          </Flex>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    { title: T.archiveRate.touchedAt, dataIndex: 'touchedAt', width: 150, render: formatDateTime },
    {
      title: T.archiveRate.inNumerator,
      dataIndex: 'inNumerator',
      width: 90,
      align: 'center',
      render: (v: boolean) =>
        v ? <CheckOutlined style={{ color: '#52c41a' }} aria-label={T.common.yes} /> : <CloseOutlined style={{ color: '#ff4d4f' }} aria-label={T.common.no} />,
    },
  ];

  return (
    <Drawer
      open={!!target}
      onClose={() => {
        setPage(1);
        onClose();
      }}
      title={target ? T.archiveRate.recordsTitle(T.archiveRate.recordFilter[target.filter] ?? '', target.scope) : ''}
      size={960}
      destroyOnHidden
    >
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Segmented<RecordFilter>
          value={target?.filter}
          onChange={(f) => {
            setPage(1);
            onFilter(f);
          }}
          options={FILTERS.map((f) => ({ value: f, label: T.archiveRate.recordFilter[f] }))}
        />
        {date ? <Typography.Text type="secondary">{T.archiveRate.asOf(date)}</Typography.Text> : null}
      </Flex>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<ArchiveRateRecord>
        rowKey="customerId"
        size="small"
        columns={columns}
        dataSource={data?.items}
        loading={isFetching}
        locale={{ emptyText: <EmptyState description={T.archiveRate.recordsEmpty} /> }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: T.common.total,
          onChange: (p, ps) => {
            setPage(ps === pageSize ? p : 1);
            setPageSize(ps);
          },
        }}
      />
    </Drawer>
  );
}
