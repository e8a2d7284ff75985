// The printed prescription: clinic letterhead in both scripts, prescriber and licence, patient names
// in both scripts, MRN, date in the clinic's time zone, the items, and each item's instructions in
// English and Arabic (shaped and extractable: PdfWriter does the bidi work).
import { PdfWriter } from '../../pdf/document.ts';
import type { Assets } from '../../platform/ports.ts';
import type { ClinicHandle } from '../../tenancy/registry.ts';
import { translator, type Lang } from '../../i18n/index.ts';
import { dateLocale } from '../../i18n/format.ts';
import type { Patient } from '../patients/repo.ts';
import type { Prescription } from './repo.ts';

export function dateIn(iso: string | Date, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(dateLocale(lang), { dateStyle: 'long', timeZone }).format(typeof iso === 'string' ? new Date(iso) : iso);
}

export async function prescriptionPdf(o: {
  assets: Assets;
  clinic: ClinicHandle;
  rx: Prescription;
  patient: Patient;
  lang: Lang;
  printedBy: string;
  now: Date;
}): Promise<Uint8Array> {
  const { rx, patient, clinic, lang } = o;
  const t = translator(lang);
  const d = patient.demographics;
  const w = await PdfWriter.create({ assets: o.assets, lang, title: t('rx.pdf.title'), subject: patient.mrn, createdAt: o.now });
  // No Arabic clinic name is kept yet: the registered name stands for both.
  w.letterhead({ name: clinic.name, nameAr: clinic.name, lines: [`${rx.prescriberName} · ${t('rx.licence')}: ${rx.licenceNo}`] });
  w.heading(t('rx.pdf.title'), 2);
  // Archives hold every prescription: one that was never signed, or was cancelled, says so first.
  if (rx.status === 'draft') w.paragraph(t('rx.pdf.draft'), { bold: true });
  if (rx.status === 'cancelled' && rx.cancelledAt) w.paragraph(t('history.rx.cancelled', { date: dateIn(rx.cancelledAt, lang, clinic.timezone), reason: rx.cancelReason }), { bold: true });
  const rows: Array<[string, string]> = [];
  if (d.fullNameEn) rows.push([t('rx.pdf.nameEn'), d.fullNameEn]);
  if (d.fullNameAr) rows.push([t('rx.pdf.nameAr'), d.fullNameAr]);
  rows.push(
    [t('patients.mrn'), patient.mrn],
    [t('patients.dateOfBirth'), d.dateOfBirth],
    [t('rx.pdf.date'), dateIn(rx.signedAt ?? rx.createdAt, lang, clinic.timezone)],
    [t('rx.prescriber'), rx.prescriberName],
    [t('rx.licence'), rx.licenceNo],
  );
  w.keyValues(rows);
  if (rx.allergyOverride) w.paragraph(t('rx.pdf.allergyNoted', { substances: rx.allergyMatches.join(', ') }), { bold: true });
  w.space(6);
  const dash = (s: string | number | null) => (s === null || s === '' ? '—' : String(s));
  w.table(
    [
      { header: '#', width: 0.04 },
      { header: t('rx.item.medicine'), width: 0.17, bold: true },
      { header: t('rx.item.strength'), width: 0.1 },
      { header: t('rx.item.form'), width: 0.09 },
      { header: t('rx.item.dose'), width: 0.1 },
      { header: t('rx.item.route'), width: 0.08 },
      { header: t('rx.item.frequency'), width: 0.13 },
      { header: t('rx.item.duration'), width: 0.1 },
      { header: t('rx.item.quantity'), width: 0.1 },
      { header: t('rx.item.refills'), width: 0.09 },
    ],
    rx.items.map((i, n) => [String(n + 1), i.medicine, dash(i.strength), dash(i.form), dash(i.dose), dash(i.route), dash(i.frequency), dash(i.duration), dash(i.quantity), String(i.refills)]),
    { size: 8.5 },
  );
  if (rx.items.some((i) => i.instructionsEn || i.instructionsAr)) {
    w.heading(t('rx.pdf.instructions'), 3);
    rx.items.forEach((i, n) => {
      if (!i.instructionsEn && !i.instructionsAr) return;
      w.paragraph(`${n + 1}. ${i.medicine}`, { bold: true, dir: 'auto' });
      if (i.instructionsEn) w.paragraph(i.instructionsEn, { dir: 'ltr', align: 'left' });
      if (i.instructionsAr) w.paragraph(i.instructionsAr, { dir: 'rtl', align: 'right' });
      w.space(4);
    });
  }
  w.space(12);
  if (rx.signedAt) w.paragraph(t('rx.pdf.signed', { name: rx.prescriberName, date: dateIn(rx.signedAt, lang, clinic.timezone) }));
  return w.save({ generatedAt: o.now, generatedBy: o.printedBy, timeZone: clinic.timezone });
}
