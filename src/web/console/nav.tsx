import { AuditOutlined, HomeOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';

/**
 * The console's menu and routes in one list. A domain adds its page with one entry:
 *   { path: '/org', labelKey: 'ui.nav.org', icon: <ApartmentOutlined />, permission: 'org.read',
 *     group: 'ui.group.places', element: lazy(() => import('./pages/org/OrgPage.js')) },
 * The menu hides entries whose permission the user lacks (the server refuses them anyway).
 * Paths ending in `/*` route sub-paths to the page; the menu links to the path without it.
 */
export interface NavItem {
  path: string;
  labelKey: string;
  icon?: ReactNode;
  permission?: string;
  group?: string;
  /** Routed but not shown in the menu (detail pages). */
  hidden?: boolean;
  element: LazyExoticComponent<ComponentType>;
}

export const nav: NavItem[] = [
  {
    path: '/',
    labelKey: 'ui.nav.home',
    icon: <HomeOutlined />,
    element: lazy(() => import('./pages/Home.js')),
  },
  {
    path: '/admin/users',
    labelKey: 'ui.nav.users',
    icon: <TeamOutlined />,
    permission: 'user.read',
    group: 'ui.group.admin',
    element: lazy(() => import('./pages/admin/Users.js')),
  },
  {
    path: '/admin/audit',
    labelKey: 'ui.nav.audit',
    icon: <AuditOutlined />,
    permission: 'audit.read',
    group: 'ui.group.admin',
    element: lazy(() => import('./pages/admin/Audit.js')),
  },
  {
    path: '/account',
    labelKey: 'ui.nav.account',
    icon: <UserOutlined />,
    element: lazy(() => import('./pages/Account.js')),
  },
];
