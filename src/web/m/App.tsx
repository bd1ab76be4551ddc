import { lazy, type ReactNode, Suspense } from 'react';
import { type MobileKey, useT } from './i18n.js';
import { useOutbox } from './outbox.js';
import { go, useRoute } from './router.js';
import Login from './screens/Login.js';
import Report from './screens/Report.js';
import { can, type Me, useMe } from './session.js';

// The login form and the 随手拍 form (what a resident opens the app for) are in the first download:
// on a 400 ms round trip one more request costs more than their few KB. Other screens load on demand.
const Mine = lazy(() => import('./screens/Mine.js'));
const Detail = lazy(() => import('./screens/Detail.js'));
const Tasks = lazy(() => import('./screens/Tasks.js'));
const Profile = lazy(() => import('./screens/Profile.js'));
const Grid = lazy(() => import('./screens/Grid.js'));
const Building = lazy(() => import('./screens/Building.js'));
const BuildingByToken = lazy(() =>
  import('./screens/Building.js').then((m) => ({ default: m.BuildingByToken })),
);
const Resident = lazy(() => import('./screens/Resident.js'));
const Register = lazy(() => import('./screens/Register.js'));
const ChangePassword = lazy(() => import('./screens/ChangePassword.js'));
const Party = lazy(() => import('./screens/party/Home.js'));
const Record = lazy(() => import('./screens/Record.js'));

interface Tab {
  path: string;
  label: MobileKey;
  icon: ReactNode;
  show: (m: Me) => boolean;
}

const icon = (d: string) => (
  <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true">
    <path
      d={d}
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    />
  </svg>
);

const tabs: Tab[] = [
  {
    path: '/',
    label: 'm.tab.report',
    icon: icon('M4 8h3l2-3h6l2 3h3v11H4zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z'),
    show: (m) => can(m, 'workOrder.report'),
  },
  {
    path: '/mine',
    label: 'm.tab.mine',
    icon: icon('M6 3h12v18H6zM9 8h6M9 12h6M9 16h4'),
    show: (m) => can(m, 'workOrder.report'),
  },
  {
    path: '/tasks',
    label: 'm.tab.tasks',
    icon: icon('M9 11l3 3 8-8M20 12v7H4V5h11'),
    show: (m) => can(m, 'workOrder.handle'),
  },
  {
    path: '/grid',
    label: 'm.tab.grid',
    icon: icon('M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM14 14h2v2h-2zM18 18h2v2h-2zM14 18h2M18 14h2'),
    show: (m) => can(m, 'resident.write') && can(m, 'org.read'),
  },
  {
    path: '/party',
    label: 'm.tab.party',
    icon: icon('M5 21V4M5 4h11l-2 4 2 4H5'),
    show: (m) => can(m, 'party.self'),
  },
  {
    path: '/record',
    label: 'm.tab.record',
    icon: icon('M4 20h4L19 9l-4-4L4 16zM14 6l4 4'),
    show: (m) => can(m, 'party.record'),
  },
  {
    path: '/me',
    label: 'm.tab.me',
    icon: icon('M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c1-4 4-6 8-6s7 2 8 6'),
    show: () => true,
  },
];

export default function App() {
  const me = useMe();
  const route = useRoute();
  const tr = useT();
  if (me === undefined) return <div className="boot">{tr('m.appName')}</div>;
  if (me === null)
    return route === '/register' ? (
      <Suspense fallback={<p className="muted pad">{tr('m.loading')}</p>}>
        <Register />
      </Suspense>
    ) : (
      <Login />
    );
  if (me.mustChangePassword)
    return (
      <Suspense fallback={<p className="muted pad">{tr('m.loading')}</p>}>
        <ChangePassword />
      </Suspense>
    );
  const visible = tabs.filter((t) => t.show(me));
  const home = visible[0]?.path ?? '/me';
  const path = route === '/' ? home : route;
  const order = path.match(/^\/orders\/([0-9a-f-]{36})$/)?.[1];
  const uuid = '([0-9a-f-]{36})';
  const building = path.match(new RegExp(`^/building/${uuid}$`))?.[1];
  const person = path.match(new RegExp(`^/resident/${uuid}$`))?.[1];
  const qr = path.match(/^\/b\/([\w-]+)$/)?.[1];
  const worker = can(me, 'resident.write') && can(me, 'org.read');
  let screen: ReactNode;
  if (order) screen = <Detail id={order} />;
  else if (worker && building) screen = <Building id={building} />;
  else if (worker && person) screen = <Resident id={person} />;
  else if (worker && qr) screen = <BuildingByToken token={qr} />;
  else if (worker && path === '/grid') screen = <Grid />;
  else if (path === '/' && can(me, 'workOrder.report'))
    screen = <Report communityId={me.assignments.find((a) => a.orgUnitId)?.orgUnitId ?? undefined} />;
  else if (path === '/mine') screen = <Mine />;
  else if (/^\/party(\/[\w-]+)?$/.test(path) && can(me, 'party.self')) screen = <Party path={path} />;
  else if (path === '/record' && can(me, 'party.record')) screen = <Record />;
  else if (path === '/tasks' && can(me, 'workOrder.handle'))
    screen = <Tasks patrol={can(me, 'workOrder.create')} />;
  else if (path === '/patrol' && can(me, 'workOrder.create'))
    screen = <Report patrol={{ placeId: me.assignments.find((a) => a.orgUnitId)?.orgUnitId ?? undefined }} />;
  else screen = <Profile me={me} />;
  return (
    <div className="app">
      <main className="screen">
        <Suspense fallback={<p className="muted pad">{tr('m.loading')}</p>}>{screen}</Suspense>
      </main>
      <TabBar
        tabs={visible}
        active={order ? '' : building || person || qr ? '/grid' : path.startsWith('/party') ? '/party' : path}
      />
    </div>
  );
}

function TabBar({ tabs, active }: { tabs: Tab[]; active: string }) {
  const tr = useT();
  const pending = useOutbox().length;
  return (
    <nav className="tabbar" aria-label={tr('m.tabs')}>
      {tabs.map((t) => (
        <button
          key={t.path}
          type="button"
          className={active === t.path ? 'tab active' : 'tab'}
          aria-current={active === t.path ? 'page' : undefined}
          onClick={() => go(t.path)}
        >
          {t.icon}
          <span>{tr(t.label)}</span>
          {t.path === '/me' && pending > 0 && <b className="badge">{pending}</b>}
        </button>
      ))}
    </nav>
  );
}
