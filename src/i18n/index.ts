import { ar } from './ar.ts';
import { en, type Catalog, type MessageKey } from './en.ts';

export type { MessageKey };
export const LANGS = ['en', 'ar'] as const;
export type Lang = (typeof LANGS)[number];

const catalogs: Record<Lang, Catalog> = { en, ar };

export const isLang = (v: unknown): v is Lang => v === 'en' || v === 'ar';
export const dirOf = (lang: Lang) => (lang === 'ar' ? 'rtl' : 'ltr');

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const catalog = catalogs[lang];
  return (key, params) => {
    const text = catalog[key];
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
  };
}

/** Picks the language: explicit choice (cookie), then the browser's preference, then the clinic default. */
export function negotiateLang(cookie: string | undefined, acceptLanguage: string | undefined, fallback: Lang = 'en'): Lang {
  if (isLang(cookie)) return cookie;
  if (acceptLanguage) {
    const prefs = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag = '', ...rest] = part.trim().split(';');
        const q = rest.map((r) => r.trim()).find((r) => r.startsWith('q='));
        return { lang: tag.toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1 };
      })
      .filter((p) => p.q > 0)
      .sort((a, b) => b.q - a.q);
    for (const p of prefs) if (isLang(p.lang)) return p.lang;
  }
  return fallback;
}
