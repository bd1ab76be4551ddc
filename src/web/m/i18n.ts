import { useSyncExternalStore } from 'react';
import { mobile as en } from '../../i18n/en/mobile.js';
import { mobile as zh } from '../../i18n/zh-CN/mobile.js';

/**
 * The mobile app's strings: only its own catalogue (src/i18n/<locale>/mobile.ts), not every module's,
 * to keep the download small. Server messages arrive already translated (Accept-Language).
 * The locale is shared with the console (localStorage `locale`). Mongolian (traditional script,
 * `mn`) is fetched only when chosen; until it arrives, and for strings it lacks, Chinese shows.
 */
export type MobileKey = keyof typeof zh;
export type Locale = 'zh-CN' | 'en' | 'mn';
const catalogues: Record<Locale, Partial<Record<MobileKey, string>>> = { 'zh-CN': zh, en, mn: {} };
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

let mnLoading: Promise<void> | null = null;
const loadMongolian = () =>
  (mnLoading ??= import('../../i18n/mn/mobile.js').then((m) => {
    catalogues.mn = m.mobile;
    emit();
  }));
if (locale === 'mn') void loadMongolian();

export const getLocale = () => locale;

export function setLocale(next: Locale) {
  locale = next;
  localStorage.setItem('locale', next);
  document.documentElement.lang = next;
  if (next === 'mn') void loadMongolian();
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
