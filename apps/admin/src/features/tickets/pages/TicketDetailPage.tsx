import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Flex, Row, Skeleton, Tag, Typography } from 'antd';
import { CHANNEL_LABELS } from '@qiaoliang/shared';
import { Link, useNavigate, useParams } from 'react-router';
import { TicketAttachmentsCard } from '../../../components/attachments/RecordAttachments';
import { QueryError } from '../../../components/QueryError';
import { NotFoundPage } from '../../../components/ResultPages';
import { EscalationTag, SeverityTag, TicketStatusTag, TicketTypeTag } from '../../../components/tickets/TicketTags';
import { isApiError } from '../../../lib/api';
import { formatDateTime, formatPhone, orDash } from '../../../lib/format';
import { hasRole, useMe } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { UI } from '../../../lib/texts-ui';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useTicket } from '../api/tickets';
import { EventTimeline } from '../components/EventTimeline';
import { RepliesCard } from '../components/RepliesCard';
import { SlaCard } from '../components/SlaCard';
import { ValidityCard } from '../../callbacks';
import { TicketActions } from '../components/TicketActions';
import { WorkOrdersCard } from '../components/WorkOrdersCard';
import { FINISHED_STATUSES, mayAct } from '../rules';

/**
 * 工单详情: who owns it and for whom, the deadlines, the workflow buttons its status allows
 * (for its first-contact owner and the leads), the departments' work, the replies to the
 * customer and every step taken.
 */
export function TicketDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const { data: ticket, isLoading, error, refetch } = useTicket(id);
  useDocumentTitle(ticket ? UI.titles.ticket(ticket.number) : null);

  if (isApiError(error, 404) || isApiError(error, 400)) return <NotFoundPage subTitle={T.tickets.notFound} />;
  if (error && !ticket) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (isLoading || !ticket) return <Skeleton active />;

  const goBack = () => ((window.history.state as { idx?: number } | null)?.idx ? navigate(-1) : navigate('/'));
  const canAct = mayAct(me, ticket);
  const isWorker = hasRole(me, 'agent', 'supervisor', 'manager');
  const finished = FINISHED_STATUSES.includes(ticket.status);

  return (
    <>
      <Flex justify="space-between" align="flex-start" wrap gap={12} style={{ marginBottom: 16 }}>
        <div style={{ minWidth: 0 }}>
          <Flex align="center" gap={8} wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label={T.tickets.back} onClick={goBack} />
            <Typography.Title level={3} style={{ margin: 0 }}>
              {ticket.number}
            </Typography.Title>
            <TicketTypeTag type={ticket.type} />
            <SeverityTag severity={ticket.severity} />
            <TicketStatusTag status={ticket.status} />
            {ticket.overdue ? <Tag color="error">{T.tickets.overdueTag}</Tag> : null}
            <EscalationTag level={ticket.escalationLevel} />
            {!ticket.valid ? <Tag>{T.tickets.invalidTag}</Tag> : null}
            {ticket.imported ? <Tag>{T.tickets.importedTag}</Tag> : null}
          </Flex>
          <Typography.Paragraph style={{ margin: '8px 0 0 40px', fontSize: 16 }}>{ticket.title}</Typography.Paragraph>
        </div>
        {canAct ? (
          <Flex gap={8} wrap role="toolbar" aria-label={T.common.actions}>
            <TicketActions ticket={ticket} />
          </Flex>
        ) : null}
      </Flex>
      {isWorker && !canAct && !finished ? <Alert type="info" showIcon title={T.tickets.notOwnerHint} style={{ marginBottom: 16 }} /> : null}
      {ticket.endReason ? <Alert type="warning" showIcon title={`${T.tickets.endReason}：${ticket.endReason}`} style={{ marginBottom: 16 }} /> : null}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            <Card size="small">
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2, lg: 3 }}
                items={[
                  { key: 'owner', label: T.tickets.owner, children: <Typography.Text strong>{ticket.ownerName}</Typography.Text> },
                  {
                    key: 'customer',
                    label: T.tickets.customer,
                    children: ticket.customerId ? (
                      <Link to={`/customers/${ticket.customerId}`}>{ticket.customerName}</Link>
                    ) : (
                      <Typography.Text type="secondary">{T.tickets.anonymous}</Typography.Text>
                    ),
                  },
                  { key: 'phone', label: T.tickets.customerPhone, children: formatPhone(ticket.customerPhone) },
                  { key: 'project', label: T.tickets.project, children: ticket.projectName },
                  { key: 'location', label: T.tickets.location, children: ticket.locationLabel ?? <Typography.Text type="secondary">{T.tickets.noLocation}</Typography.Text> },
                  { key: 'category', label: T.tickets.category, children: orDash(ticket.categoryPath) },
                  { key: 'channel', label: T.tickets.channel, children: CHANNEL_LABELS[ticket.channel] },
                  { key: 'registered', label: T.tickets.registeredAt, children: formatDateTime(ticket.registeredAt) },
                  ...(ticket.callId ? [{ key: 'call', label: T.tickets.callId, children: <Tag color="blue">{T.tickets.fromCall}</Tag> }] : []),
                ]}
              />
            </Card>
            <Card size="small" title={T.tickets.cardDescription}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{ticket.description}</Typography.Paragraph>
            </Card>
            <TicketAttachmentsCard ticket={ticket} />
            <WorkOrdersCard ticket={ticket} />
            <RepliesCard ticket={ticket} />
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <ValidityCard ticket={ticket} />
            <SlaCard ticket={ticket} />
            <EventTimeline ticket={ticket} />
          </Flex>
        </Col>
      </Row>
    </>
  );
}
