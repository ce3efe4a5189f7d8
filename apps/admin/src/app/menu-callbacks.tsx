import { DashboardOutlined, PhoneOutlined, ScheduleOutlined } from '@ant-design/icons';
import type { MenuProps } from 'antd';
import type { Me } from '@qiaoliang/shared';
import { hasRole } from '../lib/session';
import { T } from '../lib/texts';

type MenuItem = Required<MenuProps>['items'][number];

/** 回访 and 拜访 for the center's staff who call and visit customers. */
export function callbackMenuItems(me: Me): MenuItem[] {
  if (!hasRole(me, 'agent', 'supervisor', 'manager')) return [];
  return [
    { key: '/callbacks', icon: <PhoneOutlined />, label: T.serviceNav.callbacks },
    { key: '/visits', icon: <ScheduleOutlined />, label: T.serviceNav.visits },
  ];
}

/** 服务指标 (the leadership dashboard) for supervisors, managers, executives and admins. */
export function dashboardMenuItems(me: Me): MenuItem[] {
  return hasRole(me, 'supervisor', 'manager', 'executive', 'admin') ? [{ key: '/dashboard', icon: <DashboardOutlined />, label: T.serviceNav.dashboard }] : [];
}

/** Menu keys of these sections, and the K2/K3 records (which belong to 服务指标). */
export const CALLBACK_SECTIONS = ['/callbacks', '/visits', '/dashboard', '/kpis/k2', '/kpis/k3'];

/** Sections shown under another section's menu entry. */
export const SECTION_ALIASES: Record<string, string> = { '/kpis/k2': '/dashboard', '/kpis/k3': '/dashboard' };
