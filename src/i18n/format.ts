import type { Lang } from './index.ts';

/** A UTC instant shown in the clinic's time zone (default Asia/Bahrain). */
export function formatDateTime(iso: string | Date, lang: Lang, timeZone = 'Asia/Bahrain'): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return new Intl.DateTimeFormat(lang === 'ar' ? 'ar-BH' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(d);
}

export function formatTime(d: Date, lang: Lang, timeZone = 'Asia/Bahrain'): string {
  return new Intl.DateTimeFormat(lang === 'ar' ? 'ar-BH' : 'en-GB', { timeStyle: 'medium', timeZone }).format(d);
}

/** A short description of a browser from its User-Agent, for "my sessions". */
export function deviceOf(userAgent: string | null): string {
  if (!userAgent) return '—';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : userAgent.split(/[ /]/)[0] ?? '—';
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /iPhone|iPad/.test(userAgent)
        ? 'iOS'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return os ? `${browser} · ${os}` : browser;
}
