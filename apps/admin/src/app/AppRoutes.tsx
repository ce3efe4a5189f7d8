import { Flex, Spin } from 'antd';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { ForbiddenPage, NotFoundPage } from '../components/ResultPages';
import { ChangePasswordPage } from '../features/auth/pages/ChangePasswordPage';
import { LoginPage } from '../features/auth/pages/LoginPage';
import { HomePage } from '../features/home/pages/HomePage';
import { AppLayout } from './AppLayout';
import { RequireAuth, RequireRole } from './guards';

/** Loads a page's code when it is first visited (pages export named components). */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const ProjectsPage = page(() => import('../features/org/pages/ProjectsPage'), 'ProjectsPage');
const ProjectDetailPage = page(() => import('../features/org/pages/ProjectDetailPage'), 'ProjectDetailPage');
const CityCompaniesPage = page(() => import('../features/org/pages/CityCompaniesPage'), 'CityCompaniesPage');
const DepartmentsPage = page(() => import('../features/org/pages/DepartmentsPage'), 'DepartmentsPage');
const UsersPage = page(() => import('../features/users/pages/UsersPage'), 'UsersPage');
const AuditPage = page(() => import('../features/audit/pages/AuditPage'), 'AuditPage');
const OutboxPage = page(() => import('../features/outbox/pages/OutboxPage'), 'OutboxPage');

function Lazy({ children }: { children: ReactNode }) {
  return (
    <Suspense fallback={<Flex justify="center" style={{ padding: 48 }}><Spin /></Flex>}>
      {children}
    </Suspense>
  );
}

function AdminOnly({ children }: { children: ReactNode }) {
  return (
    <RequireRole roles={['admin']}>
      <Lazy>{children}</Lazy>
    </RequireRole>
  );
}

/** Every route of the admin UI (absolute paths; the server falls back to index.html). */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/change-password" element={<ChangePasswordPage />} />
      <Route element={<RequireAuth />}>
        <Route element={<AppLayout />}>
          <Route index element={<HomePage />} />
          <Route path="projects" element={<Lazy><ProjectsPage /></Lazy>} />
          <Route path="projects/:id" element={<Lazy><ProjectDetailPage /></Lazy>} />
          <Route path="city-companies" element={<AdminOnly><CityCompaniesPage /></AdminOnly>} />
          <Route path="departments" element={<AdminOnly><DepartmentsPage /></AdminOnly>} />
          <Route path="users" element={<AdminOnly><UsersPage /></AdminOnly>} />
          <Route path="audit" element={<AdminOnly><AuditPage /></AdminOnly>} />
          <Route path="outbox" element={<AdminOnly><OutboxPage /></AdminOnly>} />
          <Route path="403" element={<ForbiddenPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}
