import { Flex, Spin } from 'antd';
import type { StaffRole } from '@qiaoliang/shared';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Route } from 'react-router';
import { RequireRole } from './guards';

function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const HandoverBatchesPage = page(() => import('../features/handover/pages/HandoverBatchesPage'), 'HandoverBatchesPage');
const HandoverBatchPage = page(() => import('../features/handover/pages/HandoverBatchPage'), 'HandoverBatchPage');
const HandoverUnitPage = page(() => import('../features/handover/pages/HandoverUnitPage'), 'HandoverUnitPage');
const HandoverTasksPage = page(() => import('../features/handover/pages/HandoverTasksPage'), 'HandoverTasksPage');

/** The API's HANDOVER_STAFF, and with handlers for the task queue. */
const STAFF: StaffRole[] = ['agent', 'supervisor', 'manager', 'admin'];
const TASKS: StaffRole[] = [...STAFF, 'handler'];
const fallback = <Flex justify="center" style={{ padding: 48 }}><Spin /></Flex>;

function Guard({ roles, children }: { roles: StaffRole[]; children: ReactNode }) {
  return <RequireRole roles={roles}><Suspense fallback={fallback}>{children}</Suspense></RequireRole>;
}

/** The handover routes (a fragment inside the signed-in layout's <Routes>). */
export function handoverRoutes() {
  return (
    <>
      <Route path="handover/batches" element={<Guard roles={STAFF}><HandoverBatchesPage /></Guard>} />
      <Route path="handover/batches/:id" element={<Guard roles={STAFF}><HandoverBatchPage /></Guard>} />
      <Route path="handover/units/:id" element={<Guard roles={STAFF}><HandoverUnitPage /></Guard>} />
      <Route path="handover/tasks" element={<Guard roles={TASKS}><HandoverTasksPage /></Guard>} />
    </>
  );
}
