// Apart from pdf.ts so that the routes (bundled for every target) do not pull in pdf-lib.

/** A file name that survives any header and file system: kind, MRN, date and record id, ASCII only. */
export function formPdfFileName(kind: 'consent' | 'questionnaire', mrn: string, signedOn: string, id: string): string {
  const safe = mrn.replace(/[^A-Za-z0-9-]/g, '').slice(0, 20) || 'patient';
  const day = signedOn.replace(/[^0-9-]/g, '').slice(0, 10);
  return `${kind === 'consent' ? 'consent' : 'form'}-${safe}-${day}-${id.replace(/[^a-z0-9]/g, '').slice(-8)}.pdf`;
}
