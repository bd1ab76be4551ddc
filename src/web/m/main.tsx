import { createRoot } from 'react-dom/client';
import App from './App.js';
import { prime } from './api.js';
import { getLocale, loadCatalogue } from './i18n.js';
import { startOutbox } from './outbox.js';
import { applyElderly } from './prefs.js';
import './styles.css';

// The first screen's data, requested before React even renders (see App for its code).
prime('/api/auth/me');
if (!location.pathname.replace(/^\/m\/?/, '')) prime('/api/work-order-categories');
applyElderly();
document.documentElement.lang = getLocale();
// Rendered at once in Chinese (before the outbox opens IndexedDB, as before); English or Mongolian
// chosen earlier waits for its catalogue.
const mount = () => createRoot(document.getElementById('root')!).render(<App />);
if (getLocale() === 'zh-CN') mount();
else void loadCatalogue().then(mount);
startOutbox();

// The service worker caches the app shell so /m/ opens without a network (the build makes it;
// under `vite dev` there is none and registering fails quietly).
// It is registered once the first screen is usable, so its precache does not compete with it.
if ('serviceWorker' in navigator) {
  const register = () => navigator.serviceWorker.register('/m/sw.js', { scope: '/m/' }).catch(() => {});
  const timer = setTimeout(register, 8000);
  window.addEventListener(
    'm-usable',
    () => {
      clearTimeout(timer);
      setTimeout(register, 500);
    },
    { once: true },
  );
}
