import { useSyncExternalStore } from 'react';

/** A few screens need no router library: the path under /m is the state, history does the rest. */
const base = '/m';
const listeners = new Set<() => void>();
const current = () => location.pathname.replace(/^\/m\/?/, '/').replace(/\/+$/, '') || '/';

if (typeof window !== 'undefined')
  window.addEventListener('popstate', () => {
    for (const l of listeners) l();
  });

export function go(path: string, replace = false) {
  const url = base + (path === '/' ? '/' : path);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.scrollTo(0, 0);
  for (const l of listeners) l();
}

export function useRoute(): string {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, current);
}
