import { CENTER_ROLES } from '@qiaoliang/shared';
import {
  AlertOutlined,
  CalendarOutlined,
  CustomerServiceOutlined,
  FieldTimeOutlined,
  FileTextOutlined,
  MessageOutlined,
  PartitionOutlined,
  ToolOutlined,
} from '@ant-design/icons';
import type { MenuProps } from 'antd';
import type { Me } from '@qiaoliang/shared';
import { hasRole } from '../lib/session';
import { T } from '../lib/texts';

type MenuItem = Required<MenuProps>['items'][number];

/** Department handlers work only their department's queue. */
export function isHandlerOnly(me: Me): boolean {
  return hasRole(me, 'handler') && !hasRole(me, ...CENTER_ROLES);
}

/**
 * The single window's entries after 工作台: the hotline console and tickets for the center's
 * staff, tickets to read for executives and admins, the work-order queue for handlers, K1
 * for those who answer for it.
 */
export function ticketMenuItems(me: Me): MenuItem[] {
  const items: MenuItem[] = [];
  if (hasRole(me, 'agent', 'supervisor', 'manager')) items.push({ key: '/hotline', icon: <CustomerServiceOutlined />, label: T.ticketNav.hotline });
  if (hasRole(me, ...CENTER_ROLES)) items.push({ key: '/tickets', icon: <FileTextOutlined />, label: T.ticketNav.tickets });
  if (hasRole(me, 'handler')) items.push({ key: '/work-orders', icon: <ToolOutlined />, label: T.ticketNav.workOrders });
  if (hasRole(me, 'supervisor', 'manager', 'executive', 'admin')) items.push({ key: '/kpis/k1', icon: <AlertOutlined />, label: T.ticketNav.k1 });
  // Admins find it under 设置 (ticketSettingsItems).
  if (hasRole(me, 'supervisor', 'manager') && !hasRole(me, 'admin')) items.push(replyTemplatesItem);
  return items;
}

const replyTemplatesItem: MenuItem = { key: '/settings/reply-templates', icon: <MessageOutlined />, label: T.replyTemplates.nav };

/** The single window's settings (admins): categories, SLA policies, the working calendar, reply templates. */
export function ticketSettingsItems(me: Me): MenuItem[] {
  if (!hasRole(me, 'admin')) return [];
  return [
    { key: '/settings/ticket-categories', icon: <PartitionOutlined />, label: T.ticketNav.ticketCategories },
    { key: '/settings/sla-policies', icon: <FieldTimeOutlined />, label: T.ticketNav.slaPolicies },
    { key: '/settings/calendar', icon: <CalendarOutlined />, label: T.ticketNav.calendar },
    replyTemplatesItem,
  ];
}

/** Menu keys of the single window's sections (detail pages highlight their section). */
export const TICKET_SECTIONS = [
  '/hotline',
  '/tickets',
  '/work-orders',
  '/kpis/k1',
  '/settings/ticket-categories',
  '/settings/sla-policies',
  '/settings/calendar',
  '/settings/reply-templates',
];
