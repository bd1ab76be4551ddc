import { en } from './en.js';
import { zhCN } from './zh-CN.js';

/** One catalogue for server errors and the web app. zh-CN is the source; other locales may lag. */
export const catalogues = { 'zh-CN': zhCN, en } as const;
export type Locale = keyof typeof catalogues;
export type MessageKey = keyof typeof zhCN;
export const defaultLocale: Locale = 'zh-CN';

export function t(
  key: MessageKey | string,
  params?: Record<string, unknown>,
  locale: Locale = defaultLocale,
) {
  const catalogue = catalogues[locale] as Record<string, string>;
  const template = catalogue[key] ?? (zhCN as Record<string, string>)[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** Picks a supported locale from an Accept-Language header. */
export function pickLocale(header: string | undefined): Locale {
  if (!header) return defaultLocale;
  for (const part of header.split(',')) {
    const tag = part.split(';')[0].trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return defaultLocale;
}
