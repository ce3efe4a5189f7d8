import { CENTER_ROLES } from '@qiaoliang/shared';
import { Flex, Spin } from 'antd';
import type { StaffRole } from '@qiaoliang/shared';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Route } from 'react-router';
import { HomePage } from '../features/home/pages/HomePage';
import { hasRole, useMe } from '../lib/session';
import { RequireRole } from './guards';

function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const WorkbenchPage = page(() => import('../features/workbench/pages/WorkbenchPage'), 'WorkbenchPage');
const HotlineConsolePage = page(() => import('../features/hotline/pages/HotlineConsolePage'), 'HotlineConsolePage');
const TicketsPage = page(() => import('../features/tickets/pages/TicketsPage'), 'TicketsPage');
const TicketRegisterPage = page(() => import('../features/tickets/pages/TicketRegisterPage'), 'TicketRegisterPage');
const TicketImportPage = page(() => import('../features/tickets/pages/TicketImportPage'), 'TicketImportPage');
const TicketDetailPage = page(() => import('../features/tickets/pages/TicketDetailPage'), 'TicketDetailPage');
const WorkOrdersPage = page(() => import('../features/work-orders/pages/WorkOrdersPage'), 'WorkOrdersPage');
const WorkOrderDetailPage = page(() => import('../features/work-orders/pages/WorkOrderDetailPage'), 'WorkOrderDetailPage');
const K1Page = page(() => import('../features/k1/pages/K1Page'), 'K1Page');
const CategoriesPage = page(() => import('../features/ticket-settings/pages/CategoriesPage'), 'CategoriesPage');
const SlaPoliciesPage = page(() => import('../features/ticket-settings/pages/SlaPoliciesPage'), 'SlaPoliciesPage');
const CalendarPage = page(() => import('../features/ticket-settings/pages/CalendarPage'), 'CalendarPage');
const ReplyTemplatesPage = page(() => import('../features/reply-templates/pages/ReplyTemplatesPage'), 'ReplyTemplatesPage');

/** Who works tickets (first-contact owners and their leads). */
const WORKERS: StaffRole[] = ['agent', 'supervisor', 'manager'];
/** Who reads tickets (the API's TICKET_READ). */
const READERS: readonly StaffRole[] = CENTER_ROLES;
/** Who sees work orders: the departments' handlers and the center. */
const WORK_ORDER_READERS: StaffRole[] = ['handler', ...READERS];
/** Who reads K1 (the API's KPI_READ). */
const KPI_READERS: readonly StaffRole[] = READERS;

function Only({ roles, children }: { roles: readonly StaffRole[]; children: ReactNode }) {
  return (
    <RequireRole roles={roles}>
      <Suspense fallback={<Flex justify="center" style={{ padding: 48 }}><Spin /></Flex>}>{children}</Suspense>
    </RequireRole>
  );
}

/** 工作台: the ticket workbench for the center's staff, the account page for everyone else. */
export function HomeRoute() {
  const { data: me } = useMe();
  if (hasRole(me, ...WORKERS)) {
    return (
      <Only roles={WORKERS}>
        <WorkbenchPage />
      </Only>
    );
  }
  return <HomePage />;
}

/** The single window's routes (a fragment inside the signed-in layout's <Routes>). */
export function ticketRoutes() {
  return (
    <>
      <Route path="hotline" element={<Only roles={WORKERS}><HotlineConsolePage /></Only>} />
      <Route path="tickets" element={<Only roles={READERS}><TicketsPage /></Only>} />
      <Route path="tickets/new" element={<Only roles={WORKERS}><TicketRegisterPage /></Only>} />
      <Route path="tickets/import" element={<Only roles={['supervisor', 'manager', 'admin']}><TicketImportPage /></Only>} />
      <Route path="tickets/:id" element={<Only roles={READERS}><TicketDetailPage /></Only>} />
      <Route path="work-orders" element={<Only roles={WORK_ORDER_READERS}><WorkOrdersPage /></Only>} />
      <Route path="work-orders/:id" element={<Only roles={WORK_ORDER_READERS}><WorkOrderDetailPage /></Only>} />
      <Route path="kpis/k1" element={<Only roles={KPI_READERS}><K1Page /></Only>} />
      <Route path="settings/ticket-categories" element={<Only roles={['admin']}><CategoriesPage /></Only>} />
      <Route path="settings/sla-policies" element={<Only roles={['admin']}><SlaPoliciesPage /></Only>} />
      <Route path="settings/calendar" element={<Only roles={['admin']}><CalendarPage /></Only>} />
      <Route path="settings/reply-templates" element={<Only roles={['supervisor', 'manager', 'admin']}><ReplyTemplatesPage /></Only>} />
    </>
  );
}
