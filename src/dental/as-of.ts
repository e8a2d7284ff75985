// "The chart as of 2026-12-03" means everything recorded before that day ended in the clinic's
// time zone: the fold's bound is the start of the next local day.
import { localDay, zonedDayStart } from '../i18n/format.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The exclusive bound (ISO UTC) of a local day, or undefined when `day` is not a real date. */
export function endOfLocalDay(day: string, timeZone: string): string | undefined {
  if (!DAY.test(day)) return undefined;
  const start = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
  if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== day) return undefined;
  const next = new Date(start + 86_400_000).toISOString().slice(0, 10);
  return zonedDayStart(next, timeZone)?.toISOString();
}

export { localDay };
