import { AuditOutlined, ToolOutlined } from '@ant-design/icons';
import type { MenuProps } from 'antd';
import type { Me } from '@qiaoliang/shared';
import { hasRole } from '../lib/session';
import { TH } from '../lib/texts-handover';

type MenuItem = Required<MenuProps>['items'][number];

/** 交付验房 for the center's staff; 整改任务 also for contractors' handlers. */
export function handoverMenuItems(me: Me): MenuItem[] {
  const staff = hasRole(me, 'agent', 'supervisor', 'manager', 'admin');
  return [
    ...(staff ? [{ key: '/handover/batches', icon: <AuditOutlined />, label: TH.nav.batches }] : []),
    ...(staff || hasRole(me, 'handler') ? [{ key: '/handover/tasks', icon: <ToolOutlined />, label: TH.nav.tasks }] : []),
  ];
}

/** Menu keys of the handover section. */
export const HANDOVER_SECTIONS = ['/handover/batches', '/handover/tasks'];
