import { Button, Card, Col, DatePicker, Flex, Progress, Row, Select, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import type { ArchiveRateReport, KpiValue } from '@qiaoliang/shared';
import dayjs from 'dayjs';
import { useState } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { useProjectOptions } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { useUrlParams } from '../../../lib/use-url-params';
import { useArchiveRate, type RecordFilter } from '../api/archive';
import { ArchiveRecordsDrawer, type RecordsTarget } from '../components/ArchiveRecordsDrawer';

type ProjectRow = ArchiveRateReport['byProject'][number];

const FILTERS = ['date', 'projectId'] as const;

/** 98.5%, or a dash when nobody is in scope. */
const percent = (rate: number | null) => (rate === null ? T.archiveRate.noData : `${(rate * 100).toFixed(1)}%`);

/** A K4 count that opens the records behind it. */
function CountButton({ label, value, onOpen, danger, large }: { label: string; value: number; onOpen: () => void; danger?: boolean; large?: boolean }) {
  return (
    <Button
      type="link"
      size="small"
      danger={danger && value > 0}
      onClick={onOpen}
      aria-label={T.archiveRate.open(label, value)}
      style={{ padding: 0, ...(large ? { fontSize: 26, height: 'auto', fontVariantNumeric: 'tabular-nums' } : { fontVariantNumeric: 'tabular-nums' }) }}
    >
      {value}
    </Button>
  );
}

function RateBar({ value }: { value: KpiValue }) {
  const pct = value.rate === null ? 0 : Math.round(value.rate * 1000) / 10;
  const reached = value.rate !== null && value.rate >= value.target;
  return (
    <Flex align="center" gap={8}>
      <Progress aria-label={T.kpis.names.k4} percent={pct} size="small" showInfo={false} status={reached ? 'success' : 'normal'} style={{ width: 120, margin: 0 }} />
      <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums' }}>
        {percent(value.rate)}
      </Typography.Text>
    </Flex>
  );
}

/**
 * 档案完整率 (K4): complete and current archives over customers in scope, at the end of a
 * date, in total and per project; every number opens the customers behind it.
 */
export function ArchiveRatePage() {
  const [params, setParams] = useUrlParams(FILTERS);
  const projects = useProjectOptions();
  const { data, isFetching, error, refetch } = useArchiveRate({ date: params.date, projectId: params.projectId });
  const [target, setTarget] = useState<RecordsTarget | null>(null);
  const date = data?.date ?? params.date;
  const scopeName = params.projectId ? (projects.data?.items.find((p) => p.id === params.projectId)?.name ?? '') : T.archiveRate.allScope;
  const open = (filter: RecordFilter, projectId: string | undefined, scope: string) => setTarget({ filter, projectId, scope });

  const total = data?.total;
  const columns: TableColumnsType<ProjectRow> = [
    { title: T.archiveRate.projectName, dataIndex: 'projectName' },
    {
      title: T.archiveRate.numerator,
      key: 'numerator',
      align: 'right',
      width: 130,
      render: (_, r) => <CountButton label={`${r.projectName} ${T.archiveRate.numerator}`} value={r.value.numerator} onOpen={() => open('numerator', r.projectId, r.projectName)} />,
    },
    {
      title: T.archiveRate.denominator,
      key: 'denominator',
      align: 'right',
      width: 130,
      render: (_, r) => <CountButton label={`${r.projectName} ${T.archiveRate.denominator}`} value={r.value.denominator} onOpen={() => open('denominator', r.projectId, r.projectName)} />,
    },
    {
      title: T.archiveRate.missing,
      key: 'missing',
      align: 'right',
      width: 110,
      render: (_, r) => (
        <CountButton
          label={`${r.projectName} ${T.archiveRate.missing}`}
          value={r.value.denominator - r.value.numerator}
          onOpen={() => open('missing', r.projectId, r.projectName)}
          danger
        />
      ),
    },
    { title: T.archiveRate.rate, key: 'rate', width: 220, render: (_, r) => <RateBar value={r.value} /> },
    {
      title: T.archiveRate.gap,
      key: 'gap',
      width: 100,
      align: 'right',
      render: (_, r) =>
        r.value.rate === null ? T.archiveRate.noData : `${Math.max(0, (r.value.target - r.value.rate) * 100).toFixed(1)}%`,
    },
  ];

  return (
    <>
      <PageHeader title={T.archiveRate.title}>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {T.archiveRate.subtitle}
        </Typography.Paragraph>
      </PageHeader>
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <DatePicker
          aria-label={T.archiveRate.date}
          value={date ? dayjs(date) : dayjs()}
          allowClear={false}
          disabledDate={(d) => d.isAfter(dayjs(), 'day')}
          onChange={(d) => setParams({ date: d && !d.isSame(dayjs(), 'day') ? d.format('YYYY-MM-DD') : undefined })}
        />
        <Select
          placeholder={T.archiveRate.allProjects}
          aria-label={T.archiveRate.project}
          allowClear
          value={params.projectId}
          onChange={(v?: string) => setParams({ projectId: v })}
          loading={projects.isLoading}
          showSearch={{ optionFilterProp: 'label' }}
          options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
          style={{ width: 200 }}
        />
      </Flex>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Card size="small" style={{ marginBottom: 16 }} loading={!data && !error}>
        {total ? (
          <Row gutter={[24, 16]} align="middle">
            <Col xs={24} md={6}>
              <Flex align="center" gap={16}>
                <Progress
                  type="circle"
                  aria-label={T.kpis.names.k4}
                  size={96}
                  percent={total.rate === null ? 0 : Math.round(total.rate * 1000) / 10}
                  status={total.rate !== null && total.rate >= total.target ? 'success' : 'normal'}
                  format={() => percent(total.rate)}
                />
                <Flex vertical>
                  <Typography.Text strong>{T.archiveRate.rate}</Typography.Text>
                  <Typography.Text type="secondary">{scopeName}</Typography.Text>
                  <Typography.Text type="secondary">
                    {T.archiveRate.target} {Math.round(total.target * 100)}%
                  </Typography.Text>
                </Flex>
              </Flex>
            </Col>
            <Col xs={8} md={6}>
              <Statistic
                title={T.archiveRate.numerator}
                valueRender={() => <CountButton label={`${scopeName} ${T.archiveRate.numerator}`} value={total.numerator} onOpen={() => open('numerator', params.projectId, scopeName)} large />}
              />
            </Col>
            <Col xs={8} md={6}>
              <Statistic
                title={T.archiveRate.denominator}
                valueRender={() => <CountButton label={`${scopeName} ${T.archiveRate.denominator}`} value={total.denominator} onOpen={() => open('denominator', params.projectId, scopeName)} large />}
              />
            </Col>
            <Col xs={8} md={6}>
              <Statistic
                title={T.archiveRate.missing}
                valueRender={() => (
                  <CountButton
                    label={`${scopeName} ${T.archiveRate.missing}`}
                    value={total.denominator - total.numerator}
                    onOpen={() => open('missing', params.projectId, scopeName)}
                    danger
                    large
                  />
                )}
              />
            </Col>
          </Row>
        ) : null}
      </Card>
      <Typography.Title level={5}>
        {T.archiveRate.byProject}
        <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal', marginInlineStart: 8 }}>
          {date ? `${T.archiveRate.asOf(date)} · ` : ''}
          {T.archiveRate.hint}
        </Typography.Text>
      </Typography.Title>
      <Table<ProjectRow>
        rowKey="projectId"
        columns={columns}
        dataSource={data?.byProject}
        loading={isFetching}
        pagination={false}
        locale={{ emptyText: <EmptyState description={T.archiveRate.empty} /> }}
      />
      <ArchiveRecordsDrawer
        target={target}
        date={date}
        onClose={() => setTarget(null)}
        onFilter={(filter) => setTarget((t) => (t ? { ...t, filter } : t))}
      />
    </>
  );
}
