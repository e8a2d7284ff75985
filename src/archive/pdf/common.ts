// Pieces shared by the archive's PDFs (medical history, one per encounter): dates in the clinic's
// time zone, staff names, and the block that writes one encounter.
import type { PdfWriter } from '../../pdf/document.ts';
import type { Translate, Lang, MessageKey } from '../../i18n/index.ts';
import { dateLocale, formatDateTime } from '../../i18n/format.ts';
import { NOTE_FIELDS, type Vitals } from '../../features/clinical/types.ts';
import type { PatientRecord, RecordEncounter } from '../fhir/record.ts';

export interface DocContext {
  w: PdfWriter;
  t: Translate;
  lang: Lang;
  timeZone: string;
  /** Staff display names by user id. */
  names: Map<string, string>;
}

export function contextOf(w: PdfWriter, t: Translate, lang: Lang, record: PatientRecord): DocContext {
  return { w, t, lang, timeZone: record.clinic.timezone, names: new Map(record.staff.map((s) => [s.id, s.name])) };
}

export const dash = (v: string | number | null | undefined): string => (v === null || v === undefined || v === '' ? '—' : String(v));

/** The pages' own date and time format (i18n/format.ts), in the clinic's time zone. */
export const dateTime = (ctx: DocContext, iso: string): string => formatDateTime(iso, ctx.lang, ctx.timeZone);

export function date(ctx: DocContext, iso: string): string {
  return new Intl.DateTimeFormat(dateLocale(ctx.lang), { dateStyle: 'medium', timeZone: ctx.timeZone }).format(new Date(iso));
}

export const who = (ctx: DocContext, id: string | null | undefined): string => (id ? (ctx.names.get(id) ?? id) : '—');

/** A message key built from data ('clinical.type.' + type); the raw value when the catalogue has none. */
export function label(ctx: DocContext, key: string, fallback: string): string {
  const text = ctx.t(key as MessageKey);
  return text === undefined || text === key ? fallback : text;
}

export function vitalsLine(ctx: DocContext, v: Vitals): string {
  const t = ctx.t;
  const parts: string[] = [];
  if (v.systolic !== null && v.diastolic !== null) parts.push(`${t('clinical.vitals.bp')} ${v.systolic}/${v.diastolic} mmHg`);
  if (v.pulse !== null) parts.push(`${t('clinical.vitals.pulse')} ${v.pulse}/min`);
  if (v.temperatureC !== null) parts.push(`${t('clinical.vitals.temperatureC')} ${v.temperatureC} °C`);
  if (v.respRate !== null) parts.push(`${t('clinical.vitals.respRate')} ${v.respRate}/min`);
  if (v.spo2 !== null) parts.push(`SpO2 ${v.spo2}%`);
  if (v.weightKg !== null) parts.push(`${t('clinical.vitals.weightKg')} ${v.weightKg} kg`);
  if (v.heightCm !== null) parts.push(`${t('clinical.vitals.heightCm')} ${v.heightCm} cm`);
  if (v.bmi !== null) parts.push(`${t('clinical.vitals.bmi')} ${v.bmi}`);
  return parts.join(' · ');
}

/** One encounter: when, what, who, its notes, diagnoses, procedures, vital signs, signature, addenda. */
export function writeEncounter(ctx: DocContext, e: RecordEncounter, level: 2 | 3): void {
  const { w, t } = ctx;
  w.heading(t('history.encounter', { date: dateTime(ctx, e.startedAt), type: label(ctx, `clinical.type.${e.type}`, e.type), clinician: who(ctx, e.clinicianId) }), level);
  w.paragraph(t('history.encounter.status', { status: label(ctx, `clinical.status.${e.status}`, e.status) }), { size: 9 });
  for (const f of NOTE_FIELDS) {
    if (!e.notes[f]) continue;
    w.paragraph(t(`clinical.note.${f}`), { bold: true });
    w.paragraph(e.notes[f], { dir: 'auto' });
  }
  if (e.diagnoses.length > 0) {
    w.paragraph(t('clinical.dx.title'), { bold: true });
    w.table([{ header: t('history.col.code'), width: 0.18 }, { header: t('history.col.description'), width: 0.82 }], e.diagnoses.map((d) => [dash(d.icd10), d.text]), { size: 9 });
  }
  if (e.procedures.length > 0) {
    w.paragraph(t('history.procedures'), { bold: true });
    w.table([{ header: t('history.col.code'), width: 0.18 }, { header: t('history.col.description'), width: 0.82 }], e.procedures.map((p) => [dash(p.code), p.text]), { size: 9 });
  }
  for (const v of e.vitals) w.paragraph(`${t('clinical.vitals.title')} (${dateTime(ctx, v.takenAt)}): ${vitalsLine(ctx, v)}`, { size: 9 });
  if (e.signedAt) w.paragraph(t('history.encounter.signed', { name: who(ctx, e.signedBy), date: dateTime(ctx, e.signedAt) }), { size: 9 });
  if (e.addenda.length > 0) {
    w.paragraph(t('clinical.addenda.title'), { bold: true });
    for (const a of e.addenda) {
      w.paragraph(`${dateTime(ctx, a.at)} · ${who(ctx, a.authorId)}`, { size: 9 });
      w.paragraph(a.text, { dir: 'auto' });
    }
  }
}
