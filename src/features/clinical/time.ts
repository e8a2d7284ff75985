// The encounter's date and time as a form shows it (datetime-local, in the clinic's time zone) and
// as it is stored (UTC ISO). Minute precision, like the form.
import { zonedDayStart } from '../../i18n/format.ts';

const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;

/** '2026-12-04T09:30' in `timeZone` -> ISO UTC; undefined when malformed. */
export function localToUtc(local: string, timeZone: string): string | undefined {
  const m = LOCAL.exec(local);
  if (!m) return undefined;
  const h = Number(m[2]);
  const min = Number(m[3]);
  if (h > 23 || min > 59) return undefined;
  const day = zonedDayStart(m[1]!, timeZone);
  return day ? new Date(day.getTime() + (h * 60 + min) * 60_000).toISOString() : undefined;
}

/** ISO UTC -> '2026-12-04T09:30' in `timeZone`. */
export function utcToLocal(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
