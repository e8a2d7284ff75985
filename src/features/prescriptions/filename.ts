// Apart from pdf.ts so that the routes (bundled for every target) do not pull in pdf-lib.

/** A file name that survives any header and file system: MRN and the clinic's date, ASCII only. */
export function pdfFileName(mrn: string, at: string, timeZone: string): string {
  const safe = mrn.replace(/[^A-Za-z0-9-]/g, '').slice(0, 20) || 'patient';
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
  return `prescription-${safe}-${day.replace(/[^0-9-]/g, '')}.pdf`;
}
