import { useSyncExternalStore } from 'react';
import { mobile as en } from '../../i18n/en/mobile.js';
import { mobile as zh } from '../../i18n/zh-CN/mobile.js';

/**
 * The mobile app's strings: only its own catalogue (src/i18n/<locale>/mobile.ts), not every module's,
 * to keep the download small. Server messages arrive already translated (Accept-Language).
 * The locale is shared with the console (localStorage `locale`).
 */
export type MobileKey = keyof typeof zh;
export type Locale = 'zh-CN' | 'en';
const catalogues: Record<Locale, Partial<Record<MobileKey, string>>> = { 'zh-CN': zh, en };

const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('locale');
let locale: Locale = stored === 'en' || stored === 'zh-CN' ? stored : 'zh-CN';
const listeners = new Set<() => void>();

export const getLocale = () => locale;

export function setLocale(next: Locale) {
  locale = next;
  localStorage.setItem('locale', next);
  document.documentElement.lang = next;
  for (const l of listeners) l();
}

export function t(key: MobileKey, params?: Record<string, unknown>): string {
  const template = catalogues[locale][key] ?? zh[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** Re-renders the caller when the language changes. */
export function useT() {
  useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => locale,
  );
  return t;
}
