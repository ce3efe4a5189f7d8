import { Flex, Spin } from 'antd';
import type { StaffRole } from '@qiaoliang/shared';
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { ForbiddenPage } from '../components/ResultPages';
import { QueryError } from '../components/QueryError';
import { hasRole, useMe } from '../lib/session';
import { T } from '../lib/texts';

function FullPageSpin() {
  return (
    <Flex justify="center" align="center" style={{ minHeight: '100vh' }}>
      <Spin size="large" description={T.common.loading} />
    </Flex>
  );
}

/** Lets signed-in users through; sends others to the login and forced changers to 修改密码. */
export function RequireAuth() {
  const { data: me, isPending, error, refetch } = useMe();
  const location = useLocation();
  if (isPending) return <FullPageSpin />;
  if (error) {
    return (
      <div style={{ padding: 48 }}>
        <QueryError error={error} onRetry={() => void refetch()} />
      </div>
    );
  }
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (me.mustChangePassword) return <Navigate to="/change-password" replace />;
  return <Outlet />;
}

/** Shows the page only to users holding one of the roles (403 otherwise). */
export function RequireRole({ roles, children }: { roles: readonly StaffRole[]; children: ReactNode }) {
  const { data: me } = useMe();
  return hasRole(me, ...roles) ? <>{children}</> : <ForbiddenPage />;
}
