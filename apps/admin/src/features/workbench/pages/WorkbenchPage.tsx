import { CustomerServiceOutlined, PlusOutlined } from '@ant-design/icons';
import { Badge, Button, Flex, Tabs, Tag, Typography } from 'antd';
import type { Me } from '@qiaoliang/shared';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { nameMap, useCityCompanies, useProjectOptions } from '../../../lib/lookups';
import { hasRole, useMe } from '../../../lib/session';
import type { TicketView } from '../../../lib/ticket-lookups';
import { T } from '../../../lib/texts';
import { useUrlParams } from '../../../lib/use-url-params';
import { CallBackTable } from '../components/CallBackTable';
import { QUEUE_PAGE, TicketQueue, useQueueCount } from '../components/TicketQueue';

/** The projects the user answers for, as tags under the greeting. */
function ScopeLine({ me }: { me: Me }) {
  const projects = useProjectOptions();
  const cities = useCityCompanies();
  if (me.scopeKind === 'group') return <Tag color="blue">{T.workbench.scopeGroup}</Tag>;
  const names = me.scopeKind === 'city_company' ? nameMap(cities.data) : nameMap(projects.data?.items);
  return (
    <>
      {me.scopeIds.map((id) => (
        <Tag key={id} color="blue">
          {names.get(id) ?? '…'}
        </Tag>
      ))}
    </>
  );
}

function TabLabel({ label, count, danger }: { label: string; count?: number; danger?: boolean }) {
  return (
    <Flex gap={6} align="center">
      {label}
      {count ? <Badge count={count} overflowCount={QUEUE_PAGE - 1} color={danger ? undefined : '#595959'} size="small" /> : null}
    </Flex>
  );
}

type TabKey = Exclude<TicketView, 'all'> | 'callBacks';
const TAB_KEYS = ['tab'] as const;

/**
 * 工作台 of agents, supervisors and managers: my open tickets by deadline, those due soon or
 * overdue, those waiting on the customer, the team's (leads), and the missed calls to call back.
 */
export function WorkbenchPage() {
  const { data: me } = useMe();
  const navigate = useNavigate();
  const [params, setParams] = useUrlParams(TAB_KEYS);
  const isLead = hasRole(me, 'supervisor', 'manager');
  const mine = useQueueCount('mine');
  const dueSoon = useQueueCount('due_soon');
  const overdue = useQueueCount('overdue');
  const waiting = useQueueCount('waiting');
  if (!me) return null;

  const tabs: { key: TabKey; label: ReactNode; children: ReactNode }[] = [
    { key: 'mine', label: <TabLabel label={T.workbench.mine} count={mine} />, children: <TicketQueue view="mine" name={T.workbench.mine} emptyText={T.workbench.emptyMine} /> },
    {
      key: 'due_soon',
      label: <TabLabel label={T.workbench.dueSoon} count={dueSoon} danger />,
      children: <TicketQueue view="due_soon" name={T.workbench.dueSoon} emptyText={T.workbench.emptyDueSoon} showOwner />,
    },
    {
      key: 'overdue',
      label: <TabLabel label={T.workbench.overdue} count={overdue} danger />,
      children: <TicketQueue view="overdue" name={T.workbench.overdue} emptyText={T.workbench.emptyOverdue} showOwner />,
    },
    {
      key: 'waiting',
      label: <TabLabel label={T.workbench.waiting} count={waiting} />,
      children: <TicketQueue view="waiting" name={T.workbench.waiting} emptyText={T.workbench.emptyWaiting} showOwner />,
    },
    ...(isLead
      ? [{ key: 'team' as const, label: <TabLabel label={T.workbench.team} />, children: <TicketQueue view="team" name={T.workbench.team} emptyText={T.workbench.emptyTeam} showOwner /> }]
      : []),
    { key: 'callBacks', label: <TabLabel label={T.workbench.callBacks} />, children: <CallBackTable /> },
  ];
  const active = tabs.some((t) => t.key === params.tab) ? (params.tab as TabKey) : 'mine';

  return (
    <>
      <Flex justify="space-between" align="flex-start" wrap gap={12} style={{ marginBottom: 8 }}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {T.workbench.welcome(me.displayName)}
          </Typography.Title>
          <Flex align="center" wrap gap={4} style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">{T.workbench.scope}</Typography.Text>
            <ScopeLine me={me} />
          </Flex>
        </div>
        <Flex gap={8} wrap>
          <Button icon={<CustomerServiceOutlined />} onClick={() => navigate('/hotline')}>
            {T.workbench.hotline}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/tickets/new')}>
            {T.workbench.register}
          </Button>
        </Flex>
      </Flex>
      <Tabs
        activeKey={active}
        onChange={(key) => setParams({ tab: key === 'mine' ? undefined : key })}
        destroyOnHidden
        items={tabs}
      />
    </>
  );
}
