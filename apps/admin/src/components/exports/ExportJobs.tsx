import { DownloadOutlined, ExportOutlined } from '@ant-design/icons';
import { App, Badge, Button, Drawer, Empty, Flex, Input, List, Popconfirm, Progress, Space, Tabs, Tag, Typography } from 'antd';
import { EXPORT_STATUS_LABELS, type ExportJob } from '@qiaoliang/shared';
import { useState } from 'react';
import { closeExportJobs, downloadExport, openExportJobs, useDecideExport, useExportJobs, useExportJobsOpen } from '../../lib/export-jobs';
import { formatDateTime } from '../../lib/format';
import { hasRole, useMe } from '../../lib/session';
import { T } from '../../lib/texts';
import { useApiErrorHandler } from '../../lib/use-api-error';

const STATUS_COLORS: Record<ExportJob['status'], string> = {
  awaiting_approval: 'orange', queued: 'blue', running: 'processing', done: 'green', failed: 'red', rejected: 'default', expired: 'default',
};

function JobItem({ job }: { job: ExportJob }) {
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const decide = useDecideExport();
  const [note, setNote] = useState('');
  const percent = job.rowsTotal ? Math.min(100, Math.round((job.rowsDone / job.rowsTotal) * 100)) : job.status === 'done' ? 100 : 0;
  const onDecide = (approve: boolean) =>
    decide.mutate({ id: job.id, approve, ...(note.trim() ? { note: note.trim() } : {}) }, {
      onSuccess: () => void message.success(approve ? T.exportJobs.approved : T.exportJobs.rejected),
      onError: (e) => onError(e),
    });
  const noteInput = <Input.TextArea aria-label={T.exportJobs.note} placeholder={T.exportJobs.notePlaceholder} count={{ show: true, max: 200 }} value={note} onChange={(e) => setNote(e.target.value)} rows={2} />;

  return (
    <List.Item
      aria-label={job.title}
      actions={[
        job.mine && job.status === 'done' ? (
          <Button key="dl" type="link" icon={<DownloadOutlined />} onClick={() => downloadExport(job).catch((e: unknown) => onError(e))}>
            {T.exportJobs.download}
          </Button>
        ) : null,
        job.canDecide ? (
          <Popconfirm key="ok" title={T.exportJobs.approveTitle} description={noteInput} okText={T.exportJobs.approve} onConfirm={() => onDecide(true)}>
            <Button type="link">{T.exportJobs.approve}</Button>
          </Popconfirm>
        ) : null,
        job.canDecide ? (
          <Popconfirm key="no" title={T.exportJobs.rejectTitle} description={noteInput} okText={T.exportJobs.reject} okButtonProps={{ danger: true }} onConfirm={() => onDecide(false)}>
            <Button type="link" danger>{T.exportJobs.reject}</Button>
          </Popconfirm>
        ) : null,
      ].filter(Boolean)}
    >
      <Flex vertical gap={4} style={{ width: '100%' }}>
        <Space wrap>
          <Typography.Text strong>{job.title}</Typography.Text>
          <Tag color={STATUS_COLORS[job.status]}>{EXPORT_STATUS_LABELS[job.status]}</Tag>
          {job.revealPhones ? <Tag color="red">{T.exportJobs.clearPhones}</Tag> : <Tag>{T.exportJobs.masked}</Tag>}
        </Space>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {T.exportJobs.createdAt} {formatDateTime(job.createdAt)}
          {job.mine ? null : ` · ${T.exportJobs.requester} ${job.requestedBy.displayName}`}
          {job.rowsTotal !== null ? ` · ${T.exportJobs.rows} ${job.rowsTotal}` : null}
        </Typography.Text>
        {job.reason ? <Typography.Text style={{ fontSize: 12 }}>{T.exportJobs.reason}：{job.reason}</Typography.Text> : null}
        {job.status === 'running' || job.status === 'queued' ? (
          <Progress percent={percent} size="small" format={() => T.exportJobs.progress(job.rowsDone, job.rowsTotal)} aria-label={T.exportJobs.progress(job.rowsDone, job.rowsTotal)} />
        ) : null}
        {job.decidedBy ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{T.exportJobs.decided(job.decidedBy)}{job.decisionNote ? `：${job.decisionNote}` : ''}</Typography.Text> : null}
        {job.error ? <Typography.Text type="danger" style={{ fontSize: 12 }}>{job.error}</Typography.Text> : null}
        {job.status === 'done' && job.expiresAt ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{T.exportJobs.expiresAt(formatDateTime(job.expiresAt))}</Typography.Text> : null}
      </Flex>
    </List.Item>
  );
}

function JobList({ view, open }: { view: 'mine' | 'approvals'; open: boolean }) {
  const { data, isLoading } = useExportJobs(view, open);
  const items = data?.items ?? [];
  return (
    <List
      loading={isLoading}
      dataSource={items}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={view === 'mine' ? T.exportJobs.empty : T.exportJobs.emptyApprovals} /> }}
      renderItem={(job) => <JobItem job={job} />}
    />
  );
}

/** The header button and the 导出任务 drawer: my exports with progress and download, approvals for managers. */
export function ExportJobsButton() {
  const { data: me } = useMe();
  const open = useExportJobsOpen();
  const approver = hasRole(me, 'manager', 'admin');
  const pending = useExportJobs('approvals', approver);
  const waiting = pending.data?.items.filter((j) => j.canDecide).length ?? 0;
  return (
    <>
      <Badge count={waiting} size="small">
        <Button type="text" icon={<ExportOutlined />} onClick={openExportJobs} aria-label={T.exportJobs.button}>
          {T.exportJobs.button}
        </Button>
      </Badge>
      <Drawer title={T.exportJobs.title} open={open} onClose={closeExportJobs} size={480} destroyOnHidden>
        {approver ? (
          <Tabs
            items={[
              { key: 'mine', label: T.exportJobs.mine, children: <JobList view="mine" open={open} /> },
              { key: 'approvals', label: <Badge count={waiting} size="small" offset={[8, 0]}>{T.exportJobs.approvals}</Badge>, children: <JobList view="approvals" open={open} /> },
            ]}
          />
        ) : (
          <JobList view="mine" open={open} />
        )}
      </Drawer>
    </>
  );
}
