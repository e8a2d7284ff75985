// Apart from pdf.ts so that the routes (bundled for every target) do not pull in pdf-lib.
import { localDay } from '../../i18n/format.ts';

/** A file name that survives any header and file system: MRN and the clinic's date, ASCII only. */
export function pdfFileName(mrn: string, at: string, timeZone: string): string {
  const safe = mrn.replace(/[^A-Za-z0-9-]/g, '').slice(0, 20) || 'patient';
  return `prescription-${safe}-${localDay(new Date(at), timeZone)}.pdf`;
}
