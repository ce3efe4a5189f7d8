import { PhoneOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Col, Flex, List, Row, Tag, Typography } from 'antd';
import { CALL_STATUS_LABELS, type Call, type Customer, type ScreenPopEvent } from '@qiaoliang/shared';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { LoadMore } from '../../../components/LoadMore';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { formatDateTime, formatPhone } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useActiveCall, useCalls, useLinkCallCustomer, useOpenScreenPop } from '../api/hotline';
import { NoCall, ScreenPopPanel } from '../components/ScreenPopPanel';
import { QuickCustomerModal } from '../components/QuickCustomerModal';
import { hotlineStore, useHotline, type Connection } from '../state';

const CONNECTION: Record<Connection, { status: 'success' | 'processing' | 'warning'; text: string }> = {
  open: { status: 'success', text: T.hotline.connected },
  connecting: { status: 'processing', text: T.hotline.connecting },
  retrying: { status: 'warning', text: T.hotline.disconnected },
};

const STATUS_COLORS: Record<string, string> = { ringing: 'processing', answered: 'success', ended: 'default', missed: 'error' };

function CallStatusTag({ status, endReason }: { status: Call['status']; endReason?: Call['endReason'] }) {
  return (
    <>
      <Tag color={STATUS_COLORS[status]}>{CALL_STATUS_LABELS[status] ?? status}</Tag>
      {endReason === 'timeout' ? <Tag title={T.console.timedOutHint}>{T.console.timedOut}</Tag> : null}
    </>
  );
}

/** 最近通话: the calls of this agent (or the supervisor's projects), newest first; a click reopens the call's pop. */
function RecentCalls({ onOpen }: { onOpen: (id: string) => void }) {
  const list = useCalls();
  const { data, error, refetch, isLoading } = list;
  const calls = data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card size="small" title={T.hotline.recentCalls}>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <List
        size="small"
        loading={isLoading}
        dataSource={calls}
        locale={{ emptyText: <EmptyState description={T.hotline.noCalls} /> }}
        renderItem={(c) => (
          <List.Item
            actions={[
              <Button key="open" size="small" type="link" onClick={() => onOpen(c.id)} aria-label={`${T.console.openPop} ${formatPhone(c.caller)}`}>
                {T.console.openPop}
              </Button>,
            ]}
          >
            <Flex vertical gap={2} style={{ width: '100%' }}>
              <Flex justify="space-between" gap={8}>
                <Typography.Text strong>{formatPhone(c.caller)}</Typography.Text>
                <span>
                  <CallStatusTag status={c.status} endReason={c.endReason} />
                </span>
              </Flex>
              <Flex justify="space-between" gap={8}>
                {c.customerId ? <Link to={`/customers/${c.customerId}`}>{c.customerName}</Link> : <Typography.Text type="secondary">{T.hotline.unknownCaller}</Typography.Text>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[formatDateTime(c.startedAt), c.durationSeconds ? T.hotline.seconds(c.durationSeconds) : null].filter(Boolean).join(' · ')}
                </Typography.Text>
              </Flex>
            </Flex>
          </List.Item>
        )}
      />
      <LoadMore list={list} count={calls.length} compact />
    </Card>
  );
}

/** The customer just created for an unknown caller becomes the pop's customer. */
function withCustomer(pop: ScreenPopEvent, c: Customer, call: Call): ScreenPopEvent {
  const primary = c.phones.find((p) => p.isPrimary) ?? c.phones[0];
  return {
    ...pop,
    call,
    callerNumber: null,
    customers: [
      {
        customer: {
          id: c.id,
          kind: c.kind,
          name: c.name,
          phone: primary?.phone ?? null,
          vip: c.vip,
          tags: c.tags,
          units: c.units.filter((u) => u.current).map((u) => ({ unitId: u.unitId, projectName: u.projectName, unitLabel: u.unitLabel, relation: u.relation })),
          archiveComplete: c.archive.complete,
          archiveCurrent: c.archive.current,
          updatedAt: c.updatedAt,
        },
        openTickets: [],
        lastContacts: [],
      },
    ],
  };
}

/**
 * 热线控制台 (S1): the incoming call pops here with the caller's customer record, homes, open
 * tickets and last contacts; earlier calls of the session and the call log beside it.
 */
export function HotlineConsolePage() {
  const { connection, pops } = useHotline();
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const link = useLinkCallCustomer();
  const onError = useApiErrorHandler();
  const active = useActiveCall();
  const openPop = useOpenScreenPop();
  // The active call is server state: after a reload (F5) its pop comes back from the server.
  useEffect(() => {
    const pop = active.data?.pop;
    if (pop && !hotlineStore.get().pops.some((p) => p.call.id === pop.call.id)) hotlineStore.pushPop(pop);
  }, [active.data]);
  const current = pops.find((p) => p.call.id === selected) ?? pops[0] ?? null;
  const others = pops.filter((p) => p !== current);
  const live = current && (current.call.status === 'ringing' || current.call.status === 'answered') ? current.call : null;
  const conn = live && connection === 'open'
    ? { status: 'processing' as const, text: (live.status === 'ringing' ? T.console.ringing : T.console.inCall)(formatPhone(live.caller)) }
    : CONNECTION[connection];
  const onOpenCall = (id: string) =>
    openPop.mutate(id, {
      onSuccess: (pop) => {
        hotlineStore.pushPop(pop);
        setSelected(pop.call.id);
      },
      onError: (e) => onError(e),
    });

  const onCreated = (c: Customer) => {
    if (!current) return;
    hotlineStore.pushPop(withCustomer(current, c, current.call));
    link.mutate(
      { call: current.call, customerId: c.id },
      { onSuccess: (call) => hotlineStore.pushPop(withCustomer(current, c, call)), onError: (e) => onError(e) },
    );
  };

  return (
    <>
      <PageHeader title={T.hotline.title} extra={<Badge status={conn.status} text={conn.text} />}>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {T.hotline.intro}
        </Typography.Paragraph>
      </PageHeader>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          {current ? <ScreenPopPanel key={current.call.id} pop={current} onNewCustomer={() => setCreating(true)} /> : <NoCall />}
          {others.length ? (
            <Card size="small" title={T.hotline.incoming} style={{ marginTop: 16 }}>
              <List
                size="small"
                dataSource={others}
                renderItem={(p) => (
                  <List.Item
                    actions={[
                      <Button key="view" size="small" type="link" onClick={() => setSelected(p.call.id)}>
                        {T.common.view}
                      </Button>,
                    ]}
                  >
                    <Flex gap={8} align="center" wrap>
                      <PhoneOutlined />
                      <Typography.Text>{formatPhone(p.call.caller)}</Typography.Text>
                      <Typography.Text type="secondary">{p.customers.map((c) => c.customer.name).join('、') || T.hotline.unknownCaller}</Typography.Text>
                      <CallStatusTag status={p.call.status} endReason={p.call.endReason} />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(p.call.startedAt)}
                      </Typography.Text>
                    </Flex>
                  </List.Item>
                )}
              />
            </Card>
          ) : null}
        </Col>
        <Col xs={24} xl={8}>
          <RecentCalls onOpen={onOpenCall} />
        </Col>
      </Row>
      {current ? (
        <QuickCustomerModal
          open={creating}
          phone={current.callerNumber}
          projectId={current.call.projectId}
          onClose={() => setCreating(false)}
          onCreated={onCreated}
        />
      ) : null}
    </>
  );
}
