import { EyeOutlined, PhoneOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Input, Table, Typography, type TableColumnsType } from 'antd';
import type { CallBackTask } from '@qiaoliang/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { LoadMore } from '../../../components/LoadMore';
import { FormModal } from '../../../components/FormModal';
import { QueryError } from '../../../components/QueryError';
import { Deadline } from '../../../components/tickets/Deadline';
import { formatDateTime, formatPhone } from '../../../lib/format';
import { useCallBackTasks } from '../../../lib/ticket-lookups';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import { useCompleteCallBack, useRevealCallBackPhone } from '../api/call-backs';

function DoneModal({ task, onClose }: { task: CallBackTask | null; onClose: () => void }) {
  const [form] = Form.useForm<{ note: string }>();
  const done = useCompleteCallBack();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  return (
    <FormModal<{ note: string }>
      open={!!task}
      title={T.hotline.callBackDoneTitle}
      form={form}
      submitting={done.isPending}
      onCancel={onClose}
      okText={T.hotline.callBackDone}
      onFinish={(v) =>
        task &&
        done.mutate(
          { task, note: v.note.trim() },
          {
            onSuccess: () => {
              void message.success(T.hotline.callBackDoneOk);
              onClose();
            },
            onError: (e) => onError(e, form),
          },
        )
      }
    >
      <Form.Item name="note" label={T.hotline.callBackNote} rules={[rules.required(T.hotline.callBackNote), rules.max(1000)]}>
        <Input.TextArea rows={3} placeholder={T.hotline.callBackNotePlaceholder} autoFocus />
      </Form.Item>
    </FormModal>
  );
}

/** 回电任务: missed calls to call back by deadline, with the number on demand and 完成回拨. */
export function CallBackTable() {
  const list = useCallBackTasks({ status: 'open' });
  const { data, error, refetch, isLoading } = list;
  const reveal = useRevealCallBackPhone();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [doing, setDoing] = useState<CallBackTask | null>(null);
  const items = data?.pages.flatMap((p) => p.items) ?? [];

  const columns: TableColumnsType<CallBackTask> = [
    {
      title: T.hotline.callBackPhone,
      key: 'phone',
      width: 260,
      render: (_, r) => (
        <Flex gap={8} align="center" style={{ whiteSpace: 'nowrap' }}>
          <PhoneOutlined />
          <Typography.Text copyable={!!revealed[r.id]}>{formatPhone(revealed[r.id] ?? r.phone)}</Typography.Text>
          {revealed[r.id] ? null : (
            <Button
              size="small"
              type="link"
              icon={<EyeOutlined />}
              loading={reveal.isPending && reveal.variables === r.id}
              onClick={() =>
                reveal.mutate(r.id, {
                  onSuccess: (res) => {
                    setRevealed((m) => ({ ...m, [r.id]: res.phone }));
                    void message.info(T.hotline.revealed);
                  },
                  onError: (e) => onError(e),
                })
              }
            >
              {T.hotline.reveal}
            </Button>
          )}
        </Flex>
      ),
    },
    {
      title: T.hotline.callCustomer,
      key: 'customer',
      render: (_, r) => (r.customerId ? <Link to={`/customers/${r.customerId}`}>{r.customerName}</Link> : <Typography.Text type="secondary">{T.hotline.unknownCaller}</Typography.Text>),
    },
    { title: T.hotline.missed, dataIndex: 'createdAt', width: 150, render: formatDateTime },
    { title: T.hotline.callBackDue, dataIndex: 'dueAt', width: 200, render: (d: string) => <Deadline due={d} compact /> },
    {
      title: T.hotline.callBackAssigned,
      key: 'assigned',
      width: 120,
      render: (_, r) => r.assignedName ?? <Typography.Text type="secondary">{T.hotline.callBackPool}</Typography.Text>,
    },
    {
      title: T.common.actions,
      key: 'actions',
      width: 110,
      render: (_, r) => (
        <Button size="small" type="primary" ghost onClick={() => setDoing(r)}>
          {T.hotline.callBackDone}
        </Button>
      ),
    },
  ];

  return (
    <>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<CallBackTask>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={isLoading}
        pagination={false}
        scroll={{ x: 860 }}
        locale={{ emptyText: <EmptyState description={T.workbench.emptyCallBacks} /> }}
      />
      <LoadMore list={list} count={items.length} />
      <DoneModal task={doing} onClose={() => setDoing(null)} />
    </>
  );
}
