import { useSyncExternalStore } from 'react';
import { mobile as zh } from '../../i18n/zh-CN/mobile.js';

/**
 * The mobile app's strings: only its own catalogue (src/i18n/<locale>/mobile.ts), not every module's,
 * to keep the download small. Server messages arrive already translated (Accept-Language).
 * The locale is shared with the console (localStorage `locale`). Only Chinese is in the first
 * download: English and Mongolian (traditional script, `mn`) are fetched when chosen, and main.tsx
 * waits for the chosen one before the first render. Strings a catalogue lacks show in Chinese.
 */
export type MobileKey = keyof typeof zh;
export type Locale = 'zh-CN' | 'en' | 'mn';
const catalogues: Record<Locale, Partial<Record<MobileKey, string>>> = { 'zh-CN': zh, en: {}, mn: {} };
export const locales: { code: Locale; name: string }[] = [
  { code: 'zh-CN', name: '中文' },
  { code: 'en', name: 'English' },
  { code: 'mn', name: 'ᠮᠣᠩᠭᠣᠯ' },
];

const isLocale = (s: string | null): s is Locale => s === 'zh-CN' || s === 'en' || s === 'mn';
const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('locale');
let locale: Locale = isLocale(stored) ? stored : 'zh-CN';
/** Changes with the locale and when a catalogue arrives, so useT re-renders for both. */
let version = `${locale}:0`;
const listeners = new Set<() => void>();
const emit = () => {
  version = `${locale}:${Object.keys(catalogues[locale]).length}`;
  for (const l of listeners) l();
};

const loading = new Map<Locale, Promise<void>>();
/** Fetches a catalogue other than Chinese (once); resolves at once for Chinese. */
export function loadCatalogue(l: Locale = locale): Promise<void> {
  if (l === 'zh-CN') return Promise.resolve();
  let p = loading.get(l);
  if (!p) {
    p = (l === 'en' ? import('../../i18n/en/mobile.js') : import('../../i18n/mn/mobile.js'))
      .then((m) => {
        catalogues[l] = m.mobile;
        emit();
      })
      // Offline before the service worker has it: Chinese shows; a later choice tries again.
      .catch(() => {
        loading.delete(l);
      });
    loading.set(l, p);
  }
  return p;
}

export const getLocale = () => locale;

export function setLocale(next: Locale) {
  locale = next;
  localStorage.setItem('locale', next);
  document.documentElement.lang = next;
  void loadCatalogue(next);
  emit();
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
    () => version,
  );
  return t;
}
