import { Flex, Spin } from 'antd';
import type { StaffRole } from '@qiaoliang/shared';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Route } from 'react-router';
import { RequireRole } from './guards';

function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const DashboardPage = page(() => import('../features/dashboard/pages/DashboardPage'), 'DashboardPage');
const K2Page = page(() => import('../features/kpis/pages/K2Page'), 'K2Page');
const K3Page = page(() => import('../features/kpis/pages/K3Page'), 'K3Page');
const CallbacksPage = page(() => import('../features/callbacks/pages/CallbacksPage'), 'CallbacksPage');
const VisitsPage = page(() => import('../features/visits/pages/VisitsPage'), 'VisitsPage');

/** Who reads the leadership dashboard (服务指标). */
export const DASHBOARD_READERS: StaffRole[] = ['supervisor', 'manager', 'executive', 'admin'];
/** Who reads the KPIs' records (the API's KPI READ). */
const KPI_READERS: StaffRole[] = ['agent', 'supervisor', 'manager', 'executive', 'admin'];
/** Who calls customers back and records visits (the API's WORK). */
export const CALLBACK_WORKERS: StaffRole[] = ['agent', 'supervisor', 'manager'];
/** Who reads the visit programme. */
const VISIT_READERS: StaffRole[] = KPI_READERS;

function Only({ roles, children }: { roles: StaffRole[]; children: ReactNode }) {
  return (
    <RequireRole roles={roles}>
      <Suspense fallback={<Flex justify="center" style={{ padding: 48 }}><Spin /></Flex>}>{children}</Suspense>
    </RequireRole>
  );
}

/** Callbacks, visits, the K2/K3 records and the dashboard (a fragment inside the signed-in layout's <Routes>). */
export function callbackRoutes() {
  return (
    <>
      <Route path="dashboard" element={<Only roles={DASHBOARD_READERS}><DashboardPage /></Only>} />
      <Route path="kpis/k2" element={<Only roles={KPI_READERS}><K2Page /></Only>} />
      <Route path="kpis/k3" element={<Only roles={KPI_READERS}><K3Page /></Only>} />
      <Route path="callbacks" element={<Only roles={CALLBACK_WORKERS}><CallbacksPage /></Only>} />
      <Route path="visits" element={<Only roles={VISIT_READERS}><VisitsPage /></Only>} />
    </>
  );
}
