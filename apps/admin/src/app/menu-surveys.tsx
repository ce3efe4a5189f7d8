import { FormOutlined } from '@ant-design/icons';
import type { MenuProps } from 'antd';
import type { Me } from '@qiaoliang/shared';
import { hasRole } from '../lib/session';
import { T } from '../lib/texts';

type MenuItem = Required<MenuProps>['items'][number];

/** 满意度调查 for supervisors, managers and admins. */
export function surveyMenuItems(me: Me): MenuItem[] {
  return hasRole(me, 'supervisor', 'manager', 'admin') ? [{ key: '/surveys', icon: <FormOutlined />, label: T.surveyNav.surveys }] : [];
}

/** Menu keys of the surveys' section (its detail pages highlight it). */
export const SURVEY_SECTIONS = ['/surveys'];
