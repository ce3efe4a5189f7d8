import { CENTER_ROLES } from '@qiaoliang/shared';
import { Flex, Spin } from 'antd';
import { handoverRoutes } from './routes-handover';
import type { StaffRole } from '@qiaoliang/shared';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { ForbiddenPage, NotFoundPage } from '../components/ResultPages';
import { ChangePasswordPage } from '../features/auth/pages/ChangePasswordPage';
import { LoginPage } from '../features/auth/pages/LoginPage';
import { AppLayout } from './AppLayout';
import { RequireAuth, RequireRole } from './guards';
import { HomeRoute, ticketRoutes } from './routes-tickets';
import { publicSurveyRoute, surveyRoutes } from './routes-surveys';
import { callbackRoutes } from './routes-callbacks';

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
const CustomersPage = page(() => import('../features/customers/pages/CustomersPage'), 'CustomersPage');
const CustomerDetailPage = page(() => import('../features/customers/pages/CustomerDetailPage'), 'CustomerDetailPage');
const ArchiveRatePage = page(() => import('../features/customers/pages/ArchiveRatePage'), 'ArchiveRatePage');
const ArchiveRulesPage = page(() => import('../features/customers/pages/ArchiveRulesPage'), 'ArchiveRulesPage');
const PrivacySettingsPage = page(() => import('../features/customers/pages/PrivacySettingsPage'), 'PrivacySettingsPage');

/** Who works with the owner archive (department handlers see customers through their tickets). */
const ARCHIVE_READERS: readonly StaffRole[] = CENTER_ROLES;

function Lazy({ children }: { children: ReactNode }) {
  return (
    <Suspense fallback={<Flex justify="center" style={{ padding: 48 }}><Spin /></Flex>}>
      {children}
    </Suspense>
  );
}

function ArchiveReaders({ children }: { children: ReactNode }) {
  return (
    <RequireRole roles={ARCHIVE_READERS}>
      <Lazy>{children}</Lazy>
    </RequireRole>
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
      {publicSurveyRoute()}
      <Route element={<RequireAuth />}>
        <Route element={<AppLayout />}>
          <Route index element={<HomeRoute />} />
          <Route path="projects" element={<Lazy><ProjectsPage /></Lazy>} />
          <Route path="projects/:id" element={<Lazy><ProjectDetailPage /></Lazy>} />
          <Route path="city-companies" element={<AdminOnly><CityCompaniesPage /></AdminOnly>} />
          <Route path="departments" element={<AdminOnly><DepartmentsPage /></AdminOnly>} />
          <Route path="users" element={<AdminOnly><UsersPage /></AdminOnly>} />
          <Route path="audit" element={<AdminOnly><AuditPage /></AdminOnly>} />
          <Route path="outbox" element={<AdminOnly><OutboxPage /></AdminOnly>} />
          <Route path="customers" element={<ArchiveReaders><CustomersPage /></ArchiveReaders>} />
          <Route path="customers/:id" element={<ArchiveReaders><CustomerDetailPage /></ArchiveReaders>} />
          <Route path="archive-rate" element={<ArchiveReaders><ArchiveRatePage /></ArchiveReaders>} />
          <Route path="settings/archive-rules" element={<AdminOnly><ArchiveRulesPage /></AdminOnly>} />
          <Route path="settings/privacy" element={<AdminOnly><PrivacySettingsPage /></AdminOnly>} />
          {ticketRoutes()}
          {surveyRoutes()}
          {handoverRoutes()}
          {callbackRoutes()}
          <Route path="403" element={<ForbiddenPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}
