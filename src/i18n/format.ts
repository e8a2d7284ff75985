import type { Lang } from './index.ts';

/**
 * The locale dates and times are written in. Arabic pages use Latin digits (`nu-latn`): MRNs, CPR
 * numbers, birth dates and doses are all written with them, and one page mixing ١٢ and 12 misleads.
 */
export const dateLocale = (lang: Lang): string => (lang === 'ar' ? 'ar-BH-u-nu-latn' : 'en-GB');

/** A UTC instant shown in the clinic's time zone (default Asia/Bahrain). */
export function formatDateTime(iso: string | Date, lang: Lang, timeZone = 'Asia/Bahrain'): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return new Intl.DateTimeFormat(dateLocale(lang), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(d);
}

export function formatTime(d: Date, lang: Lang, timeZone = 'Asia/Bahrain'): string {
  return new Intl.DateTimeFormat(dateLocale(lang), { timeStyle: 'medium', timeZone }).format(d);
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

/** The UTC instant at which a calendar day starts in a time zone ('2026-12-04', 'Asia/Bahrain'). */
export function zonedDayStart(day: string, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(guess) || new Date(guess).toISOString().slice(0, 10) !== day) return undefined;
  // The zone's offset at that moment, from how Intl writes it there.
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(guess))
      .map((p) => [p.type, p.value]),
  );
  const asLocal = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return new Date(guess - (asLocal - guess));
}

/** The local calendar day (YYYY-MM-DD) of an instant in a time zone: file names, today's date, "as of". */
export function localDay(at: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at).map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}
