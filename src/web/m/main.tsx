import { createRoot } from 'react-dom/client';
import App from './App.js';
import { getLocale } from './i18n.js';
import { startOutbox } from './outbox.js';
import { applyElderly } from './prefs.js';
import './styles.css';

applyElderly();
document.documentElement.lang = getLocale();
createRoot(document.getElementById('root')!).render(<App />);
startOutbox();

// The service worker caches the app shell so /m/ opens without a network (the build makes it;
// under `vite dev` there is none and registering fails quietly).
if ('serviceWorker' in navigator)
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/m/sw.js', { scope: '/m/' }).catch(() => {});
  });
