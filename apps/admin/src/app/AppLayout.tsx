import { DownOutlined, KeyOutlined, LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Dropdown, Flex, Layout, Menu, Typography, theme } from 'antd';
import type { Me } from '@qiaoliang/shared';
import { useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { RoleTags } from '../components/RoleTags';
import { ExportJobsButton } from '../components/exports/ExportJobs';
import { useLogout } from '../features/auth/api/logout';
import { NotificationBell } from '../features/notifications/components/NotificationBell';
import { ScreenPopListener } from '../features/hotline/components/ScreenPopListener';
import { useMe } from '../lib/session';
import { T } from '../lib/texts';
import { menuItemsFor, selectedKeyOf } from './menu';

function UserMenu({ me }: { me: Me }) {
  const navigate = useNavigate();
  const logout = useLogout();
  const { message } = App.useApp();
  const items = [
    { key: 'password', icon: <KeyOutlined />, label: T.auth.changePassword },
    { type: 'divider' as const },
    { key: 'logout', icon: <LogoutOutlined />, label: T.auth.logout, danger: true },
  ];
  const onClick = ({ key }: { key: string }) => {
    if (key === 'password') navigate('/change-password');
    if (key === 'logout') {
      logout.mutate(undefined, {
        onSettled: () => {
          void message.success(T.auth.loggedOut);
          navigate('/login', { replace: true });
        },
      });
    }
  };
  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <Button type="text" aria-label={T.layout.userMenu} style={{ height: 40 }}>
        <Avatar size="small" icon={<UserOutlined />} style={{ backgroundColor: '#1677ff' }} />
        <span>{me.displayName}</span>
        <DownOutlined style={{ fontSize: 10 }} />
      </Button>
    </Dropdown>
  );
}

/** The signed-in frame: sider menu by role, header with the user, roles and notifications. */
export function AppLayout() {
  const { data: me } = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();
  if (!me) return null;
  const selected = selectedKeyOf(location.pathname);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <ScreenPopListener />
      <Layout.Sider collapsible collapsed={collapsed} trigger={null} width={208} theme="dark">
        <Flex align="center" gap={8} style={{ height: 56, padding: '0 20px', overflow: 'hidden' }}>
          <img src="/favicon.svg" alt="" width={24} height={24} />
          {collapsed ? null : (
            <Typography.Text strong style={{ color: '#fff', fontSize: 16, whiteSpace: 'nowrap' }}>
              {T.app.name}
            </Typography.Text>
          )}
        </Flex>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          defaultOpenKeys={['org', 'settings']}
          items={menuItemsFor(me)}
          onClick={({ key }) => navigate(key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            padding: '0 16px',
            height: 56,
            lineHeight: '56px',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Flex justify="space-between" align="center" style={{ height: '100%' }}>
            <Button
              type="text"
              aria-label={collapsed ? T.layout.expand : T.layout.collapse}
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed((c) => !c)}
            />
            <Flex align="center" gap={8}>
              <span>
                <RoleTags roles={me.roles} />
              </span>
              <ExportJobsButton />
              <NotificationBell />
              <UserMenu me={me} />
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ margin: 16 }}>
          <div style={{ background: token.colorBgContainer, borderRadius: token.borderRadiusLG, padding: 24, minHeight: 'calc(100vh - 88px)' }}>
            <Outlet />
          </div>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
