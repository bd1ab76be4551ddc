import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BookOutlined,
  ClusterOutlined,
  FileTextOutlined,
  FlagOutlined,
  FormOutlined,
  GiftOutlined,
  HistoryOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  PhoneOutlined,
  RiseOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';

/**
 * THE console's menu and route registry. To add a page, append ONE entry to `nav` below (and the label
 * key to src/i18n/zh-CN/<domain>.ts and en/<domain>.ts):
 *   { path: '/people', labelKey: 'ui.nav.people', icon: <TeamOutlined />, permission: 'resident.read',
 *     group: 'ui.group.people', element: lazy(() => import('./pages/people/PeoplePage.js')) },
 * - `element` must be `lazy(() => import(...))`: every page is its own chunk, loaded when first opened.
 * - `permission` (an action from src/platform/auth/permissions.ts) hides the entry from users who lack
 *   it; the server refuses the page's requests anyway. Leave it out for pages every signed-in user has.
 * - `group` puts the entry under a menu heading; headings are ordered by `groupOrder` (others go before
 *   系统管理). Entries without a group sit at the top.
 * - `hidden: true` routes a page without a menu entry (detail pages, print views).
 * - A path ending in `/*` routes its sub-paths to the page; the menu links to the path without it.
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

/** Menu headings in display order; a group not listed here goes just before 系统管理. */
export const groupOrder = [
  'ui.group.places',
  'ui.group.people',
  'ui.group.party',
  'ui.group.work',
  'ui.group.admin',
  'ui.group.me',
];

export const nav: NavItem[] = [
  {
    path: '/',
    labelKey: 'ui.nav.home',
    icon: <HomeOutlined />,
    element: lazy(() => import('./pages/Home.js')),
  },
  {
    path: '/org',
    labelKey: 'ui.nav.org',
    icon: <ApartmentOutlined />,
    permission: 'org.read',
    group: 'ui.group.places',
    element: lazy(() => import('./pages/org/OrgPage.js')),
  },
  {
    path: '/org/qr',
    labelKey: 'ui.org.printQr',
    permission: 'org.read',
    hidden: true,
    element: lazy(() => import('./pages/org/QrSheet.js')),
  },
  {
    path: '/people',
    labelKey: 'ui.nav.people',
    icon: <IdcardOutlined />,
    permission: 'resident.read',
    group: 'ui.group.people',
    element: lazy(() => import('./pages/people/PeoplePage.js')),
  },
  {
    path: '/people/residents/:id',
    labelKey: 'ui.nav.people',
    permission: 'resident.read',
    hidden: true,
    element: lazy(() => import('./pages/people/ResidentPage.js')),
  },
  // 党建: party organisations, members, points 5+X, shop and rankings
  {
    path: '/party/orgs',
    labelKey: 'ui.nav.partyOrgs',
    icon: <ClusterOutlined />,
    permission: 'party.read',
    group: 'ui.group.party',
    element: lazy(() => import('./pages/party/OrgsPage.js')),
  },
  {
    path: '/party/members',
    labelKey: 'ui.nav.partyMembers',
    icon: <FlagOutlined />,
    permission: 'party.read',
    group: 'ui.group.party',
    element: lazy(() => import('./pages/party/MembersPage.js')),
  },
  {
    path: '/party/members/:id',
    labelKey: 'ui.nav.partyMembers',
    permission: 'party.read',
    hidden: true,
    element: lazy(() => import('./pages/party/MemberPage.js')),
  },
  {
    path: '/party/points',
    labelKey: 'ui.nav.partyPoints',
    icon: <BookOutlined />,
    permission: 'party.read',
    group: 'ui.group.party',
    element: lazy(() => import('./pages/party/PointsPage.js')),
  },
  {
    path: '/party/shop',
    labelKey: 'ui.nav.partyShop',
    icon: <GiftOutlined />,
    permission: 'party.read',
    group: 'ui.group.party',
    element: lazy(() => import('./pages/party/ShopPage.js')),
  },
  {
    path: '/party/check-ins',
    labelKey: 'ui.nav.partyCheckIns',
    icon: <SolutionOutlined />,
    permission: 'party.read',
    group: 'ui.group.party',
    element: lazy(() => import('./pages/party/CheckInsPage.js')),
  },
  {
    path: '/party/rankings',
    labelKey: 'ui.nav.partyRankings',
    icon: <RiseOutlined />,
    permission: 'party.read',
    group: 'ui.group.party',
    element: lazy(() => import('./pages/party/RankingsPage.js')),
  },
  {
    path: '/work-orders',
    labelKey: 'ui.nav.workOrders',
    icon: <FileTextOutlined />,
    permission: 'workOrder.read',
    group: 'ui.group.work',
    element: lazy(() => import('./pages/work-orders/WorkOrdersPage.js')),
  },
  {
    path: '/work-orders/:id',
    labelKey: 'ui.nav.workOrders',
    permission: 'workOrder.read',
    hidden: true,
    element: lazy(() => import('./pages/work-orders/WorkOrderPage.js')),
  },
  {
    path: '/whistle-board',
    labelKey: 'ui.nav.whistleBoard',
    icon: <AlertOutlined />,
    permission: 'workOrder.read',
    group: 'ui.group.work',
    element: lazy(() => import('./pages/work-orders/WhistleBoard.js')),
  },
  {
    path: '/work-order-stats',
    labelKey: 'ui.nav.workOrderStats',
    icon: <BarChartOutlined />,
    permission: 'workOrder.stats',
    group: 'ui.group.work',
    element: lazy(() => import('./pages/work-orders/StatsPage.js')),
  },
  {
    path: '/hotline',
    labelKey: 'ui.nav.hotline',
    icon: <PhoneOutlined />,
    permission: 'workOrder.import',
    group: 'ui.group.work',
    element: lazy(() => import('./pages/work-orders/HotlinePage.js')),
  },
  {
    path: '/work-order-categories',
    labelKey: 'ui.nav.categories',
    icon: <FormOutlined />,
    permission: 'workOrder.configure',
    group: 'ui.group.work',
    element: lazy(() => import('./pages/work-orders/CategoriesPage.js')),
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
    path: '/admin/account-requests',
    labelKey: 'ui.nav.accountRequests',
    icon: <SolutionOutlined />,
    permission: 'account.approve',
    group: 'ui.group.admin',
    element: lazy(() => import('./pages/admin/AccountRequests.js')),
  },
  {
    path: '/admin/party-member-requests',
    labelKey: 'ui.nav.partyMemberRequests',
    icon: <FlagOutlined />,
    permission: 'partyMember.confirm',
    group: 'ui.group.admin',
    element: lazy(() => import('./pages/admin/PartyMemberRequests.js')),
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
    path: '/admin/open311-keys',
    labelKey: 'ui.nav.open311Keys',
    icon: <KeyOutlined />,
    permission: 'open311.manage',
    group: 'ui.group.admin',
    element: lazy(() => import('./pages/open311/KeysPage.js')),
  },
  {
    path: '/jobs',
    labelKey: 'ui.nav.jobs',
    icon: <HistoryOutlined />,
    group: 'ui.group.me',
    element: lazy(() => import('./pages/Jobs.js')),
  },
  {
    path: '/account',
    labelKey: 'ui.nav.account',
    icon: <UserOutlined />,
    group: 'ui.group.me',
    element: lazy(() => import('./pages/Account.js')),
  },
];
