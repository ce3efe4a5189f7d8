import { DownOutlined, KeyOutlined, LogoutOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Drawer, Dropdown, Flex, Grid, Layout, Menu, Typography, theme } from 'antd';
import type { Me } from '@qiaoliang/shared';
import { useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { RoleTags } from '../components/RoleTags';
import { ScrollableRegions } from '../components/ScrollableRegions';
import { ExportJobsButton } from '../components/exports/ExportJobs';
import { useLogout } from '../features/auth/api/logout';
import { NotificationBell } from '../features/notifications/components/NotificationBell';
import { ScreenPopListener } from '../features/hotline/components/ScreenPopListener';
import { useMe } from '../lib/session';
import { UI } from '../lib/texts-ui';
import { useSectionTitle } from '../lib/use-document-title';
import { menuLabelOf } from './menu-label';
import { T } from '../lib/texts';
import { menuItemsFor, selectedKeyOf } from './menu';

function UserMenu({ me, compact }: { me: Me; compact: boolean }) {
  const navigate = useNavigate();
  const { token } = theme.useToken();
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
      <Button type="text" aria-label={`${me.displayName} ${T.layout.userMenu}`} aria-haspopup="menu" style={{ height: 40 }}>
        <Avatar size="small" icon={<UserOutlined />} style={{ backgroundColor: token.colorPrimary }} />
        {compact ? null : <span>{me.displayName}</span>}
        {compact ? null : <DownOutlined style={{ fontSize: 10 }} />}
      </Button>
    </Dropdown>
  );
}

/** Below antd's lg breakpoint (992 px: phones, tablets upright) the menu is a drawer. */
function useCompactLayout(): boolean {
  const screens = Grid.useBreakpoint();
  // Before the first measure useBreakpoint is empty: ask the window, so a desktop does not flash the phone layout.
  return screens.lg === undefined ? typeof window !== 'undefined' && window.innerWidth < 992 : !screens.lg;
}

/**
 * The signed-in frame: sider menu by role, header with the user, roles and notifications.
 * On a phone the menu opens as a drawer from the header and the content takes the full width.
 */
export function AppLayout() {
  const { data: me } = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const compact = useCompactLayout();
  const { token } = theme.useToken();
  const items = useMemo(() => (me ? menuItemsFor(me) : []), [me]);
  const selected = selectedKeyOf(location.pathname);
  useSectionTitle(menuLabelOf(items, selected));
  if (!me) return null;

  const brand = (showName: boolean) => (
    <Flex align="center" gap={8} style={{ height: 56, padding: '0 20px', overflow: 'hidden' }}>
      <img src="/favicon.svg" alt="" width={24} height={24} />
      {showName ? (
        <Typography.Text strong style={{ color: '#fff', fontSize: 16, whiteSpace: 'nowrap' }}>
          {T.app.name}
        </Typography.Text>
      ) : null}
    </Flex>
  );
  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[selected]}
      defaultOpenKeys={['org', 'settings']}
      items={items}
      aria-label={UI.layout.mainMenu}
      onClick={({ key }) => {
        setDrawerOpen(false);
        navigate(key);
      }}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <ScreenPopListener />
      <ScrollableRegions />
      {compact ? (
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          size={256}
          closable={false}
          title={null}
          aria-label={UI.layout.mainMenu}
          styles={{ body: { padding: 0, background: '#001529' }, header: { display: 'none' } }}
        >
          {brand(true)}
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider collapsible collapsed={collapsed} trigger={null} width={208} theme="dark">
          {brand(!collapsed)}
          {menu}
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            padding: compact ? '0 8px' : '0 16px',
            height: 56,
            lineHeight: '56px',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            position: compact ? 'sticky' : undefined,
            top: 0,
            zIndex: 10,
          }}
        >
          <Flex justify="space-between" align="center" style={{ height: '100%' }} gap={4}>
            {compact ? (
              <Button type="text" aria-label={UI.layout.openMenu} aria-expanded={drawerOpen} icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} />
            ) : (
              <Button
                type="text"
                aria-label={collapsed ? T.layout.expand : T.layout.collapse}
                icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                onClick={() => setCollapsed((c) => !c)}
              />
            )}
            <Flex align="center" gap={compact ? 0 : 8} style={{ minWidth: 0 }}>
              {compact ? null : (
                <span>
                  <RoleTags roles={me.roles} />
                </span>
              )}
              <ExportJobsButton />
              <NotificationBell />
              <UserMenu me={me} compact={compact} />
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ margin: compact ? 0 : 16, minWidth: 0 }}>
          <div
            style={{
              background: token.colorBgContainer,
              borderRadius: compact ? 0 : token.borderRadiusLG,
              padding: compact ? 12 : 24,
              minHeight: compact ? 'calc(100vh - 56px)' : 'calc(100vh - 88px)',
            }}
          >
            <Outlet />
          </div>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
