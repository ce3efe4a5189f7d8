import { ScheduleOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import type { Customer } from '@qiaoliang/shared';
import { useState } from 'react';
import { hasRole, useMe } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { RecordVisitModal, type VisitTarget } from './RecordVisitModal';

/** The projects of a customer's current homes, once each. */
export function customerProjects(customer: Pick<Customer, 'units'>): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const u of customer.units) if (u.current && !seen.has(u.projectId)) seen.set(u.projectId, u.projectName);
  return [...seen].map(([id, name]) => ({ id, name }));
}

/**
 * 记录拜访 for one customer (the customer page mounts it): opens the visit form for the
 * projects of the customer's current homes. Shown to agents, supervisors and managers only.
 */
export function RecordVisitButton({ customer, type = 'default' }: { customer: Pick<Customer, 'id' | 'name' | 'units'>; type?: 'default' | 'primary' | 'link' }) {
  const { data: me } = useMe();
  const [target, setTarget] = useState<VisitTarget | null>(null);
  if (!hasRole(me, 'agent', 'supervisor', 'manager')) return null;
  const projects = customerProjects(customer);
  const button = (
    <Button
      type={type}
      icon={<ScheduleOutlined />}
      disabled={!projects.length}
      onClick={() => setTarget({ customerId: customer.id, customerName: customer.name, projects })}
    >
      {T.visitRecord.button}
    </Button>
  );
  return (
    <>
      {projects.length ? button : <Tooltip title={T.visitRecord.noProject}>{button}</Tooltip>}
      <RecordVisitModal target={target} onClose={() => setTarget(null)} />
    </>
  );
}
