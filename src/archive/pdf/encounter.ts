// encounters/YYYY-MM-DD_<id>.pdf of the patient archive: one encounter as its own document, with the
// clinic letterhead and the patient's names in both scripts, for sending on or printing alone.
import { PdfWriter } from '../../pdf/document.ts';
import type { Assets } from '../../platform/ports.ts';
import { translator, type Lang } from '../../i18n/index.ts';
import type { PatientRecord, RecordEncounter } from '../fhir/record.ts';
import { contextOf, writeEncounter } from './common.ts';

export async function encounterPdf(o: { assets: Assets; record: PatientRecord; encounter: RecordEncounter; lang: Lang; generatedBy: string; now: Date }): Promise<Uint8Array> {
  const { record, lang } = o;
  const t = translator(lang);
  const p = record.patient;
  const d = p.demographics;
  const w = await PdfWriter.create({ assets: o.assets, lang, title: `${t('history.encounterDoc.title')} · ${p.mrn}`, subject: o.encounter.id, createdAt: o.now });
  const ctx = contextOf(w, t, lang, record);
  w.letterhead({ name: record.clinic.name, nameAr: record.clinic.name });
  w.heading(t('history.encounterDoc.title'), 1);
  if (d.fullNameEn) w.paragraph(d.fullNameEn, { bold: true, dir: 'ltr' });
  if (d.fullNameAr) w.paragraph(d.fullNameAr, { bold: true, dir: 'rtl' });
  w.paragraph(t('history.patientLine', { mrn: p.mrn, dob: d.dateOfBirth }));
  w.rule();
  writeEncounter(ctx, o.encounter, 2);
  return w.save({ generatedAt: o.now, generatedBy: o.generatedBy, timeZone: record.clinic.timezone });
}
