import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Alert, App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import { ApiError, setUnauthenticatedHandler } from '../shared/api.js';
import { getLocale, useT } from '../shared/i18n.js';
import { PageBoundary } from './ErrorBoundary.js';
import { type NavItem, nav } from './nav.js';
import ChangePassword from './pages/ChangePassword.js';
import Login from './pages/Login.js';
import Shell from './Shell.js';
import { SessionProvider, useMeQuery, useSession } from './session.js';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { refetchOnWindowFocus: false, retry: (n, err) => !(err instanceof ApiError) && n < 2 },
  },
});
setUnauthenticatedHandler(() => queryClient.setQueryData(['me'], null));

function Root() {
  const tr = useT(); // re-render on language change
  const me = useMeQuery();
  if (me.isLoading) return <Spin fullscreen />;
  if (!me.data) return <Login />;
  if (me.data.mustChangePassword) return <ChangePassword me={me.data} />;
  return (
    <SessionProvider me={me.data}>
      <Shell>
        <Suspense fallback={<Spin style={{ margin: 48 }} />}>
          <Routes>
            {nav.map((item) => (
              <Route
                key={item.path}
                path={item.path}
                element={
                  <PageBoundary page={tr(item.labelKey)}>
                    <Guard permission={item.permission} page={item.element} />
                  </PageBoundary>
                }
              />
            ))}
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </Shell>
    </SessionProvider>
  );
}

/** A page the user's permissions do not cover says so instead of showing the server's refusals. */
function Guard({ permission, page: Page }: { permission?: string; page: NavItem['element'] }) {
  const tr = useT();
  const { can } = useSession();
  if (!can(permission)) return <Alert type="warning" showIcon title={tr('ui.forbidden')} />;
  return <Page />;
}

function NotFound() {
  const tr = useT();
  return <Alert type="info" showIcon title={tr('ui.notFound')} />;
}

function Providers() {
  const tr = useT();
  return (
    <ConfigProvider
      locale={getLocale() === 'en' ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#c0392b' } }}
    >
      <AntApp>
        <title>{tr('ui.appName')}</title>
        <Root />
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Providers />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
