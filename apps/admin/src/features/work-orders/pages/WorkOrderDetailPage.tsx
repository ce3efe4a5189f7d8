import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Form, Input, Row, Skeleton, Tag, Timeline, Typography } from 'antd';
import type { WorkOrder } from '@qiaoliang/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { PendingAttachments, uploadAll } from '../../../components/attachments/Attachments';
import { WorkOrderAttachmentsCard } from '../../../components/attachments/RecordAttachments';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { QueryError } from '../../../components/QueryError';
import { NotFoundPage } from '../../../components/ResultPages';
import { Deadline } from '../../../components/tickets/Deadline';
import { SeverityTag, TicketTypeTag, WorkOrderStatusTag } from '../../../components/tickets/TicketTags';
import { isApiError } from '../../../lib/api';
import { formatDateTime, orDash } from '../../../lib/format';
import { hasRole, useMe } from '../../../lib/session';
import { qk } from '../../../lib/query-keys';
import { T } from '../../../lib/texts';
import { UI } from '../../../lib/texts-ui';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import { useWorkOrder, useWorkOrderCommand, type WorkOrderCommand } from '../api/work-orders';
import { WorkOrderCustomerCard } from '../components/WorkOrderCustomerCard';

type TextCommand = Exclude<WorkOrderCommand, 'accept'>;

const FORMS: Record<TextCommand, { title: string; field: string; label: string; placeholder: string; intro?: string; ok: string }> = {
  reject: { title: T.workOrders.rejectTitle, field: 'reason', label: T.actions.reason, placeholder: T.workOrders.rejectPlaceholder, intro: T.workOrders.rejectIntro, ok: T.workOrders.reject },
  progress: { title: T.workOrders.progressTitle, field: 'body', label: T.workOrders.progressLabel, placeholder: T.workOrders.progressPlaceholder, ok: T.workOrders.progress },
  complete: { title: T.workOrders.completeTitle, field: 'result', label: T.workOrders.completeLabel, placeholder: T.workOrders.completePlaceholder, intro: T.workOrders.completeHint, ok: T.workOrders.complete },
};

function CommandModal({ command, workOrder, onClose }: { command: TextCommand; workOrder: WorkOrder; onClose: () => void }) {
  const [form] = Form.useForm<{ text: string; files?: File[] }>();
  const mutation = useWorkOrderCommand();
  const queryClient = useQueryClient();
  const withPhotos = command !== 'reject';
  const [sending, setSending] = useState(false);
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const f = FORMS[command];
  return (
    <FormModal<{ text: string; files?: File[] }>
      open
      title={`${f.title} · ${workOrder.ticketNumber}`}
      form={form}
      submitting={mutation.isPending || sending}
      onCancel={onClose}
      okText={f.ok}
      onFinish={(v) =>
        mutation.mutate(
          { workOrder, command, body: { [f.field]: v.text.trim() } },
          {
            onSuccess: async () => {
              // The photos of the progress or the result go up once it is recorded.
              if (withPhotos && v.files?.length) {
                setSending(true);
                await uploadAll(`/api/work-orders/${workOrder.id}/attachments`, v.files, (m) => void message.error(m));
                void queryClient.invalidateQueries({ queryKey: qk.workOrder(workOrder.id) });
                void queryClient.invalidateQueries({ queryKey: qk.ticket(workOrder.ticketId) });
              }
              void message.success(T.actions.done(f.ok));
              onClose();
            },
            onError: (e) => onError(e, form),
          },
        )
      }
    >
      {f.intro ? <Alert type="info" showIcon title={f.intro} style={{ marginBottom: 16 }} /> : null}
      <Form.Item name="text" label={f.label} rules={[rules.required(f.label), { min: 2, message: T.validation.required(f.label) }, rules.max(command === 'reject' ? 500 : 2000)]}>
        <Input.TextArea rows={4} placeholder={f.placeholder} autoFocus count={{ show: true, max: command === 'reject' ? 500 : 2000 }} />
      </Form.Item>
      {withPhotos ? (
        <Form.Item name="files" label={UI.attachments.title}>
          <PendingAttachments />
        </Form.Item>
      ) : null}
    </FormModal>
  );
}

/** 派工单详情: what the center asks, by when; 接单 / 退回 / 报告进展 / 反馈结果 for the department's handlers. */
export function WorkOrderDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const { data: w, isLoading, error, refetch } = useWorkOrder(id);
  useDocumentTitle(w ? UI.titles.workOrder(w.ticketNumber) : null);
  const accept = useWorkOrderCommand();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const [open, setOpen] = useState<TextCommand | null>(null);

  if (isApiError(error, 404) || isApiError(error, 400)) return <NotFoundPage subTitle={T.workOrders.notFound} />;
  if (error && !w) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (isLoading || !w) return <Skeleton active />;

  const isHandler = hasRole(me, 'handler') && me?.departmentId === w.departmentId;
  const goBack = () => ((window.history.state as { idx?: number } | null)?.idx ? navigate(-1) : navigate('/work-orders'));
  const closed = w.status === 'completed' || w.status === 'rejected' || w.status === 'cancelled';

  const actions = isHandler ? (
    <Flex gap={8} wrap role="toolbar" aria-label={T.common.actions}>
      {w.status === 'pending' ? (
        <Button
          type="primary"
          loading={accept.isPending}
          onClick={() =>
            accept.mutate({ workOrder: w, command: 'accept' }, { onSuccess: () => void message.success(T.workOrders.accepted_), onError: (e) => onError(e) })
          }
        >
          {T.workOrders.accept}
        </Button>
      ) : null}
      {w.status === 'accepted' ? (
        <>
          <Button type="primary" onClick={() => setOpen('complete')}>
            {T.workOrders.complete}
          </Button>
          <Button onClick={() => setOpen('progress')}>{T.workOrders.progress}</Button>
        </>
      ) : null}
      {w.status === 'pending' || w.status === 'accepted' ? (
        <Button danger onClick={() => setOpen('reject')}>
          {T.workOrders.reject}
        </Button>
      ) : null}
    </Flex>
  ) : null;

  return (
    <>
      <Flex justify="space-between" align="flex-start" wrap gap={12} style={{ marginBottom: 16 }}>
        <div>
          <Flex align="center" gap={8} wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label={T.workOrders.back} onClick={goBack} />
            <Typography.Title level={3} style={{ margin: 0 }}>
              {`${T.workOrders.title} ${w.ticketNumber}`}
            </Typography.Title>
            <TicketTypeTag type={w.ticketType} />
            <SeverityTag severity={w.severity} />
            <WorkOrderStatusTag status={w.status} />
            {w.overdue ? <Tag color="error">{T.tickets.overdueTag}</Tag> : null}
          </Flex>
          <Typography.Paragraph style={{ margin: '8px 0 0 40px', fontSize: 16 }}>{w.ticketTitle}</Typography.Paragraph>
        </div>
        {actions}
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Flex vertical gap={16}>
            <Card size="small">
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2 }}
                items={[
                  { key: 'dept', label: T.workOrders.department, children: w.departmentName },
                  { key: 'due', label: T.workOrders.dueAt, children: <Deadline due={w.dueAt} metAt={w.completedAt} met={closed && !w.completedAt} /> },
                  { key: 'project', label: T.tickets.project, children: w.projectName },
                  { key: 'loc', label: T.tickets.location, children: orDash(w.locationLabel) },
                  { key: 'created', label: T.workOrders.createdAt, children: formatDateTime(w.createdAt) },
                  { key: 'assignee', label: T.workOrders.assignee, children: orDash(w.assigneeName) },
                  ...(w.acceptedAt ? [{ key: 'acc', label: T.workOrders.acceptedAt, children: formatDateTime(w.acceptedAt) }] : []),
                  ...(w.completedAt ? [{ key: 'com', label: T.workOrders.completedAt, children: formatDateTime(w.completedAt) }] : []),
                ]}
              />
            </Card>
            <WorkOrderCustomerCard workOrder={w} />
            <Card size="small" title={T.workOrders.instructions}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{w.instructions}</Typography.Paragraph>
            </Card>
            {w.result ? <Alert type="success" showIcon title={T.workOrders.result} description={<span style={{ whiteSpace: 'pre-wrap' }}>{w.result}</span>} /> : null}
            {w.rejectedReason ? <Alert type="warning" showIcon title={T.workOrders.rejectedReason} description={w.rejectedReason} /> : null}
            <WorkOrderAttachmentsCard workOrder={w} mayUpload={isHandler && !closed} />
          </Flex>
        </Col>
        <Col xs={24} xl={9}>
          <Card size="small" title={T.workOrders.updates}>
            {w.updates.length ? (
              <Timeline
                items={w.updates.map((u, i) => ({
                  key: i,
                  color: u.kind === 'complete' ? 'green' : u.kind === 'reject' ? 'red' : 'blue',
                  content: (
                    <>
                      <Typography.Text strong>{T.workOrders.updateKinds[u.kind] ?? u.kind}</Typography.Text>
                      <div style={{ whiteSpace: 'pre-wrap' }}>{u.body}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {`${formatDateTime(u.at)} · ${u.actorName}`}
                      </Typography.Text>
                    </>
                  ),
                }))}
              />
            ) : (
              <EmptyState description={T.workOrders.noUpdates} />
            )}
          </Card>
        </Col>
      </Row>
      {open ? <CommandModal command={open} workOrder={w} onClose={() => setOpen(null)} /> : null}
    </>
  );
}
