import { CENTER_ROLES } from '@qiaoliang/shared';
import {
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  ClusterOutlined,
  HomeOutlined,
  IdcardOutlined,
  LockOutlined,
  PieChartOutlined,
  ProjectOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { HANDOVER_SECTIONS, handoverMenuItems } from './menu-handover';
import type { MenuProps } from 'antd';
import type { Me } from '@qiaoliang/shared';
import { hasRole } from '../lib/session';
import { T } from '../lib/texts';
import { isHandlerOnly, TICKET_SECTIONS, ticketMenuItems, ticketSettingsItems } from './menu-tickets';
import { SURVEY_SECTIONS, surveyMenuItems } from './menu-surveys';
import { CALLBACK_SECTIONS, callbackMenuItems, dashboardMenuItems, SECTION_ALIASES } from './menu-callbacks';

type MenuItem = Required<MenuProps>['items'][number];

/** The sider menu for the user's roles. Keys are the routes' paths. */
export function menuItemsFor(me: Me): MenuItem[] {
  const home: MenuItem = { key: '/', icon: <HomeOutlined />, label: T.nav.home };
  const archive: MenuItem[] = hasRole(me, ...CENTER_ROLES)
    ? [
        { key: '/customers', icon: <IdcardOutlined />, label: T.nav.customers },
        { key: '/archive-rate', icon: <PieChartOutlined />, label: T.nav.archiveRate },
      ]
    : [];
  if (isHandlerOnly(me)) return [home, ...ticketMenuItems(me), ...handoverMenuItems(me)];
  if (!hasRole(me, 'admin')) {
    return [home, ...dashboardMenuItems(me), ...ticketMenuItems(me), ...callbackMenuItems(me), ...archive, ...surveyMenuItems(me), ...handoverMenuItems(me), { key: '/projects', icon: <ProjectOutlined />, label: T.nav.projects }];
  }
  return [
    home,
    ...dashboardMenuItems(me),
    ...ticketMenuItems(me),
    ...archive,
    ...surveyMenuItems(me),
    ...handoverMenuItems(me),
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
    {
      key: 'settings',
      icon: <SettingOutlined />,
      label: T.nav.settings,
      children: [
        { key: '/settings/archive-rules', icon: <SafetyCertificateOutlined />, label: T.nav.archiveRules },
        { key: '/settings/privacy', icon: <LockOutlined />, label: T.nav.privacy },
        ...ticketSettingsItems(me),
      ],
    },
  ];
}

const SECTIONS = ['/city-companies', '/projects', '/departments', '/users', '/audit', '/outbox', '/customers', '/archive-rate', '/settings/archive-rules', '/settings/privacy', ...TICKET_SECTIONS, ...SURVEY_SECTIONS, ...CALLBACK_SECTIONS, ...HANDOVER_SECTIONS];

/** The menu key of a location: the section a detail page belongs to. */
export function selectedKeyOf(pathname: string): string {
  const section = SECTIONS.find((s) => pathname === s || pathname.startsWith(`${s}/`)) ?? '/';
  return SECTION_ALIASES[section] ?? section;
}
