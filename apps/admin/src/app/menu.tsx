import {
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  ClusterOutlined,
  HomeOutlined,
  ProjectOutlined,
  SendOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { MenuProps } from 'antd';
import type { Me } from '@qiaoliang/shared';
import { hasRole } from '../lib/session';
import { T } from '../lib/texts';

type MenuItem = Required<MenuProps>['items'][number];

/** The sider menu for the user's roles. Keys are the routes' paths. */
export function menuItemsFor(me: Me): MenuItem[] {
  const home: MenuItem = { key: '/', icon: <HomeOutlined />, label: T.nav.home };
  if (!hasRole(me, 'admin')) {
    return [home, { key: '/projects', icon: <ProjectOutlined />, label: T.nav.projects }];
  }
  return [
    home,
    {
      key: 'org',
      icon: <ClusterOutlined />,
      label: T.nav.org,
      children: [
        { key: '/city-companies', icon: <BankOutlined />, label: T.nav.cityCompanies },
        { key: '/projects', icon: <ProjectOutlined />, label: T.nav.projects },
        { key: '/departments', icon: <ApartmentOutlined />, label: T.nav.departments },
      ],
    },
    { key: '/users', icon: <TeamOutlined />, label: T.nav.users },
    { key: '/audit', icon: <AuditOutlined />, label: T.nav.audit },
    { key: '/outbox', icon: <SendOutlined />, label: T.nav.outbox },
  ];
}

const SECTIONS = ['/city-companies', '/projects', '/departments', '/users', '/audit', '/outbox'];

/** The menu key of a location: the section a detail page belongs to. */
export function selectedKeyOf(pathname: string): string {
  return SECTIONS.find((s) => pathname === s || pathname.startsWith(`${s}/`)) ?? '/';
}
