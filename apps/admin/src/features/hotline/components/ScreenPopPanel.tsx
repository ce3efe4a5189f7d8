import { CloseOutlined, FileAddOutlined, LinkOutlined, PhoneOutlined, UserAddOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Col, Empty, Flex, List, Row, Tag, Typography } from 'antd';
import {
  CALL_STATUS_LABELS,
  CUSTOMER_KIND_LABELS,
  TICKET_STATUS_LABELS,
  TICKET_TYPE_LABELS,
  UNIT_RELATION_LABELS,
  type ScreenPopCustomer,
  type ScreenPopEvent,
  type TicketStatus,
  type TicketType,
} from '@qiaoliang/shared';
import { Link, useNavigate } from 'react-router';
import { Deadline } from '../../../components/tickets/Deadline';
import { formatDateTime, formatPhone } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useLinkCallCustomer } from '../api/hotline';
import { hotlineStore } from '../state';

const CALL_BADGE: Record<string, 'processing' | 'success' | 'default' | 'error'> = {
  ringing: 'processing',
  answered: 'success',
  ended: 'default',
  missed: 'error',
};

/** The address of the register form pre-filled from the call (and the customer, if known). */
export function registerPath(pop: ScreenPopEvent, c?: ScreenPopCustomer): string {
  const p = new URLSearchParams({ callId: pop.call.id, caller: formatPhone(pop.call.caller), channel: 'hotline' });
  if (c) p.set('customerId', c.customer.id);
  if (c && c.customer.units.length === 1) p.set('unitId', c.customer.units[0]!.unitId);
  return `/tickets/new?${p.toString()}`;
}

function CustomerBlock({ pop, entry, several }: { pop: ScreenPopEvent; entry: ScreenPopCustomer; several: boolean }) {
  const navigate = useNavigate();
  const link = useLinkCallCustomer();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const { customer, openTickets, lastContacts } = entry;
  const isCallCustomer = pop.call.customerId === customer.id;

  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      title={
        <Flex gap={8} align="center" wrap>
          <Link to={`/customers/${customer.id}`} style={{ fontSize: 16 }}>
            {customer.name}
          </Link>
          <Tag>{CUSTOMER_KIND_LABELS[customer.kind] ?? customer.kind}</Tag>
          {customer.vip ? <Tag color="gold">VIP</Tag> : null}
          {customer.tags.map((t) => (
            <Tag key={t} color="blue">
              {t}
            </Tag>
          ))}
          <Typography.Text type="secondary">{formatPhone(customer.phone)}</Typography.Text>
        </Flex>
      }
      extra={
        <Flex gap={8}>
          {several && !isCallCustomer ? (
            <Button
              size="small"
              icon={<LinkOutlined />}
              loading={link.isPending}
              onClick={() =>
                link.mutate(
                  { call: pop.call, customerId: customer.id },
                  {
                    onSuccess: (call) => {
                      hotlineStore.updateCall(call);
                      void message.success(T.hotline.linked);
                    },
                    onError: (e) => onError(e),
                  },
                )
              }
            >
              {T.hotline.linkCustomer}
            </Button>
          ) : null}
          <Button type="primary" icon={<FileAddOutlined />} onClick={() => navigate(registerPath(pop, entry))}>
            {T.hotline.register}
          </Button>
        </Flex>
      }
    >
      <Flex gap={6} wrap align="center" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{T.hotline.units}：</Typography.Text>
        {customer.units.length ? (
          customer.units.map((u) => (
            <Tag key={u.unitId} color="geekblue">
              {`${u.projectName} ${u.unitLabel}（${UNIT_RELATION_LABELS[u.relation] ?? u.relation}）`}
            </Tag>
          ))
        ) : (
          <Typography.Text type="secondary">{T.hotline.noUnits}</Typography.Text>
        )}
      </Flex>
      <Row gutter={16}>
        <Col xs={24} lg={13}>
          <Typography.Text strong>{`${T.hotline.openTickets}（${openTickets.length}）`}</Typography.Text>
          {openTickets.length ? (
            <List
              size="small"
              dataSource={openTickets}
              renderItem={(t) => (
                <List.Item>
                  <Flex vertical style={{ width: '100%' }} gap={2}>
                    <Flex gap={6} align="center" wrap>
                      <Link to={`/tickets/${t.id}`}>{t.number}</Link>
                      <Tag>{TICKET_TYPE_LABELS[t.type as TicketType] ?? t.type}</Tag>
                      <Tag color="processing">{TICKET_STATUS_LABELS[t.status as TicketStatus] ?? t.status}</Tag>
                    </Flex>
                    <Typography.Text ellipsis={{ tooltip: t.title }}>{t.title}</Typography.Text>
                    {t.dueAt ? <Deadline due={t.dueAt} paused={t.status === 'waiting_customer'} /> : null}
                  </Flex>
                </List.Item>
              )}
            />
          ) : (
            <div>
              <Typography.Text type="secondary">{T.hotline.noOpenTickets}</Typography.Text>
            </div>
          )}
        </Col>
        <Col xs={24} lg={11}>
          <Typography.Text strong>{T.hotline.lastContacts}</Typography.Text>
          {lastContacts.length ? (
            <List
              size="small"
              dataSource={lastContacts}
              renderItem={(e) => (
                <List.Item>
                  <Flex vertical gap={2}>
                    <Typography.Text>{e.title}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {[formatDateTime(e.at), e.actorName].filter(Boolean).join(' · ')}
                    </Typography.Text>
                  </Flex>
                </List.Item>
              )}
            />
          ) : (
            <div>
              <Typography.Text type="secondary">{T.hotline.noContacts}</Typography.Text>
            </div>
          )}
        </Col>
      </Row>
    </Card>
  );
}

/**
 * The screen pop: who is calling, their homes, open tickets and last contacts, with 登记工单
 * for each; for an unknown caller 新建客户 and an anonymous registration.
 */
export function ScreenPopPanel({ pop, onNewCustomer }: { pop: ScreenPopEvent; onNewCustomer: () => void }) {
  const navigate = useNavigate();
  const { call, customers } = pop;
  return (
    <Card
      style={{ borderColor: call.status === 'ringing' ? '#1677ff' : undefined, borderWidth: 2 }}
      title={
        <Flex gap={12} align="center" wrap>
          <PhoneOutlined style={{ color: '#1677ff', fontSize: 20 }} />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {formatPhone(call.caller)}
          </Typography.Title>
          <Badge status={CALL_BADGE[call.status] ?? 'default'} text={CALL_STATUS_LABELS[call.status] ?? call.status} />
          <Typography.Text type="secondary">{`${T.hotline.startedAt} ${formatDateTime(call.startedAt)}`}</Typography.Text>
          {call.extension ? <Tag>{T.hotline.extension(call.extension)}</Tag> : null}
        </Flex>
      }
      extra={<Button type="text" icon={<CloseOutlined />} aria-label={T.hotline.dismiss} onClick={() => hotlineStore.dismiss(call.id)} />}
    >
      {customers.length === 0 ? (
        <>
          <Alert type="warning" showIcon title={T.hotline.unknownCaller} description={T.hotline.unknownHint} style={{ marginBottom: 16 }} />
          <Flex gap={8}>
            <Button type="primary" icon={<UserAddOutlined />} onClick={onNewCustomer}>
              {T.hotline.newCustomer}
            </Button>
            <Button icon={<FileAddOutlined />} onClick={() => navigate(registerPath(pop))}>
              {T.hotline.register}
            </Button>
          </Flex>
        </>
      ) : (
        <>
          {customers.length > 1 ? <Alert type="info" showIcon title={T.hotline.sharedNumber(customers.length)} style={{ marginBottom: 12 }} /> : null}
          {customers.map((c) => (
            <CustomerBlock key={c.customer.id} pop={pop} entry={c} several={customers.length > 1} />
          ))}
        </>
      )}
    </Card>
  );
}

/** Before the first call of the session. */
export function NoCall() {
  return (
    <Card>
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<>{T.hotline.noCall}<br />{T.hotline.noCallHint}</>} />
    </Card>
  );
}
