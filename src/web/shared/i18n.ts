import { useSyncExternalStore } from 'react';
import { type Locale, t } from '../../i18n/index.js';

const listeners = new Set<() => void>();
const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('locale');
let locale: Locale = stored === 'en' || stored === 'zh-CN' ? stored : 'zh-CN';

export function setLocale(next: Locale) {
  locale = next;
  localStorage.setItem('locale', next);
  document.documentElement.lang = next;
  for (const l of listeners) l();
}

export function getLocale() {
  return locale;
}

/** `const tr = useT(); tr('ui.login.title')` — re-renders when the language changes. */
export function useT() {
  const current = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => locale,
  );
  return (key: string, params?: Record<string, unknown>) => t(key, params, current);
}
