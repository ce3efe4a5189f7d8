import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Flex, Form, Input, Popconfirm, Radio, Segmented, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { useIsAdmin } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { intParam, useUrlParams } from '../../../lib/use-url-params';
import { rules } from '../../../lib/validation';
import { useCalendar, useClearLocalDay, useSetLocalDay, type CalendarDay } from '../api/settings';

interface Values {
  date: Dayjs;
  working: boolean;
  name: string;
}

function LocalDayModal({ open, year, onClose }: { open: boolean; year: number; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const save = useSetLocalDay();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  return (
    <FormModal<Values>
      open={open}
      title={T.calendar.addTitle}
      form={form}
      onCancel={onClose}
      submitting={save.isPending}
      initialValues={{ working: false, date: dayjs().year() === year ? dayjs() : dayjs(`${year}-01-01`) }}
      onFinish={(v) =>
        save.mutate(
          { date: v.date.format('YYYY-MM-DD'), working: v.working, name: v.name.trim() },
          {
            onSuccess: () => {
              void message.success(T.calendar.saved);
              onClose();
            },
            onError: (e) => onError(e, form),
          },
        )
      }
    >
      <Form.Item name="date" label={T.calendar.date} rules={[rules.select(T.calendar.date)]}>
        <DatePicker aria-label={T.calendar.date} />
      </Form.Item>
      <Form.Item name="working" label={T.calendar.workingLabel}>
        <Radio.Group
          optionType="button"
          options={[
            { value: false, label: T.calendar.off },
            { value: true, label: T.calendar.working },
          ]}
        />
      </Form.Item>
      <Form.Item name="name" label={T.calendar.name} rules={[rules.required(T.calendar.name), rules.max(40)]}>
        <Input placeholder={T.calendar.namePlaceholder} />
      </Form.Item>
    </FormModal>
  );
}

const KEYS = ['year', 'show'] as const;

/**
 * 工作日历: the holidays and adjusted working days (调休) of a year that working-day deadlines
 * follow, with the admin's local closures; warns when next year's calendar is not in yet.
 */
export function CalendarPage() {
  const isAdmin = useIsAdmin();
  const [params, setParams] = useUrlParams(KEYS);
  const thisYear = dayjs().year();
  const year = intParam(params.year, thisYear);
  const show = params.show ?? 'all';
  const { data, error, refetch, isLoading } = useCalendar(year);
  const clear = useClearLocalDay();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);

  const days = (data?.days ?? []).filter((d) => (show === 'off' ? !d.working : show === 'on' ? d.working : show === 'local' ? d.source === 'local' : true));
  const offCount = (data?.days ?? []).filter((d) => !d.working).length;
  const onCount = (data?.days ?? []).filter((d) => d.working).length;

  const columns: TableColumnsType<CalendarDay> = [
    { title: T.calendar.date, dataIndex: 'date', width: 130 },
    { title: T.calendar.weekday, key: 'weekday', width: 80, render: (_, d) => T.calendar.weekdays[dayjs(d.date).day()] },
    { title: T.calendar.name, dataIndex: 'name' },
    { title: T.calendar.kind, dataIndex: 'working', width: 110, render: (w: boolean) => (w ? <Tag color="orange">{T.calendar.workdays}</Tag> : <Tag color="green">{T.calendar.holidays}</Tag>) },
    { title: T.calendar.source, dataIndex: 'source', width: 90, render: (s: string) => <Tag color={s === 'local' ? 'blue' : undefined}>{T.calendar.sources[s] ?? s}</Tag> },
    ...(isAdmin
      ? [
          {
            title: T.common.actions,
            key: 'actions',
            width: 90,
            render: (_: unknown, d: CalendarDay) =>
              d.source === 'local' ? (
                <Popconfirm
                  title={T.calendar.removeConfirm(d.date)}
                  okText={T.common.confirm}
                  cancelText={T.common.cancel}
                  onConfirm={() => clear.mutate(d.date, { onSuccess: () => void message.success(T.calendar.removed), onError: (e) => onError(e) })}
                >
                  <Button size="small" type="link" danger>
                    {T.calendar.remove}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={T.calendar.title}
        extra={
          isAdmin ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              {T.calendar.add}
            </Button>
          ) : null
        }
      >
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {T.calendar.intro}
        </Typography.Paragraph>
      </PageHeader>
      {data?.nextYearMissing ? <Alert type="warning" showIcon title={T.calendar.nextYearMissing(data.nextYear)} style={{ marginBottom: 16 }} /> : null}
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Select
          aria-label={T.calendar.year}
          value={year}
          onChange={(y: number) => setParams({ year: y === thisYear ? undefined : y })}
          options={[thisYear - 2, thisYear - 1, thisYear, thisYear + 1].map((y) => ({ value: y, label: T.calendar.yearLabel(y) }))}
          style={{ width: 120 }}
        />
        <Segmented
          value={show}
          onChange={(v) => setParams({ show: v === 'all' ? undefined : String(v) })}
          options={[
            { value: 'all', label: T.common.all },
            { value: 'off', label: T.calendar.holidays },
            { value: 'on', label: T.calendar.workdays },
            { value: 'local', label: T.calendar.local },
          ]}
        />
        {data ? <Typography.Text type="secondary">{T.calendar.counts(offCount, onCount)}</Typography.Text> : null}
      </Flex>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<CalendarDay>
        rowKey="date"
        size="small"
        columns={columns}
        dataSource={days}
        loading={isLoading}
        pagination={false}
        locale={{ emptyText: <EmptyState description={T.calendar.empty} /> }}
      />
      <LocalDayModal open={adding} year={year} onClose={() => setAdding(false)} />
    </>
  );
}
