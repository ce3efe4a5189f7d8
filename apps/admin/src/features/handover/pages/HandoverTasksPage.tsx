import { App, Button, Input, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { isApiError } from '../../../lib/api';
import { hasRole, useMe } from '../../../lib/session';
import { TH } from '../../../lib/texts-handover';
import { useDefects, useHandoverWrite, type Defect } from '../api/handover';

/** 整改任务: a contractor's queue (only its own tasks) and the center's re-inspection list. */
export function HandoverTasksPage() {
  const { message } = App.useApp();
  const me = useMe().data;
  const staff = hasRole(me, 'agent', 'supervisor', 'manager', 'admin');
  const [status, setStatus] = useState<string | undefined>(staff ? 'to_verify' : undefined);
  const [note, setNote] = useState('');
  const { data, isFetching, error, refetch } = useDefects({ status });
  const write = useHandoverWrite();
  const act = (d: Defect, action: string) => write.mutate(
    { path: `/api/handover/defects/${d.id}/${action}`, version: d.version, body: note ? { note } : {} },
    { onSuccess: () => void message.success(TH.unit.saved), onError: (e) => void message.error(isApiError(e) ? e.text : String(e)) },
  );
  const columns: TableColumnsType<Defect> = [
    { title: TH.batch.room, width: 120, render: (_, d) => `${d.buildingName} ${d.roomNumber}` },
    { title: TH.unit.room, width: 110, render: (_, d) => `${d.room}·${d.item}` },
    { title: TH.unit.description, dataIndex: 'description', width: 220 },
    { title: TH.unit.contractor, dataIndex: 'contractorName', width: 130, ellipsis: true },
    { title: TH.unit.due, dataIndex: 'dueAt', width: 100, render: (s: string | null) => s?.slice(0, 10) },
    {
      title: '', dataIndex: 'status', width: 130, render: (s: string, d) => (
        <Space size={2} wrap>
          <Tag>{TH.defectStatus[s]}</Tag>
          {d.flagged ? <Tag color="error">{TH.tasks.flagged}</Tag> : null}
          {d.dueAt && Date.parse(d.dueAt) < Date.now() && ['to_rectify', 'in_progress', 'unassigned'].includes(s) ? <Tag color="warning">{TH.tasks.overdue}</Tag> : null}
        </Space>
      ),
    },
    {
      title: '', width: 210, render: (_, d) => (
        <Space wrap>
          {d.status === 'to_rectify' ? <Button onClick={() => act(d, 'start')}>{TH.tasks.start}</Button> : null}
          {d.status === 'to_rectify' || d.status === 'in_progress' ? <Button type="primary" onClick={() => act(d, 'report-fix')}>{TH.tasks.fix}</Button> : null}
          {staff && d.status === 'to_verify' ? <Button type="primary" onClick={() => act(d, 'reinspect-pass')}>{TH.tasks.pass}</Button> : null}
          {staff && d.status === 'to_verify' ? <Button danger onClick={() => act(d, 'reinspect-fail')}>{TH.tasks.fail}</Button> : null}
        </Space>
      ),
    },
  ];
  return (
    <>
      <PageHeader title={TH.tasks.title} extra={
        <Space>
          <Input placeholder={TH.tasks.note} value={note} onChange={(e) => setNote(e.target.value)} style={{ width: 200 }} />
          <Select allowClear style={{ width: 130 }} value={status} onChange={setStatus} placeholder={TH.batch.status}
            options={Object.entries(TH.defectStatus).map(([value, label]) => ({ value, label }))} />
        </Space>
      } />
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table rowKey="id" size="small" loading={isFetching} columns={columns} dataSource={data ?? []} pagination={{ pageSize: 50 }} />
    </>
  );
}
