// medical-history.pdf of the patient archive: the whole record for a person to read. Letterhead,
// title, a table of contents with page numbers, then demographics, allergies, problems, medications,
// vital signs, every encounter, prescriptions, consents and forms, dental findings, the attachment
// index and the corrections of personal details. Page numbers and "generated on ... by ..." are in
// every page's footer (PdfWriter.save). Arabic is shaped and stays extractable (PdfWriter's bidi).
import { PdfWriter } from '../../pdf/document.ts';
import { drawTextLine } from '../../pdf/bidi-text.ts';
import type { Assets } from '../../platform/ports.ts';
import { translator, type Lang, type MessageKey } from '../../i18n/index.ts';
import type { DentalChartJson } from '../../dental/json.ts';
import type { PatientRecord } from '../fhir/record.ts';
import { contextOf, dash, date, dateTime, label, vitalsLine, who, writeEncounter, type DocContext } from './common.ts';

export interface HistoryPdfInput {
  assets: Assets;
  record: PatientRecord;
  /** The dental chart as it stands (charts/dental.json), when the patient has one. */
  dental?: DentalChartJson | null;
  lang: Lang;
  generatedBy: string;
  now: Date;
}

type Section = { key: MessageKey; write: (ctx: DocContext) => void };

export async function medicalHistoryPdf(input: HistoryPdfInput): Promise<Uint8Array> {
  const { record, lang } = input;
  const t = translator(lang);
  const p = record.patient;
  const w = await PdfWriter.create({ assets: input.assets, lang, title: `${t('history.title')} · ${p.mrn}`, subject: p.mrn, createdAt: input.now });
  const ctx = contextOf(w, t, lang, record);
  const sections = sectionsOf(record, input.dental ?? null);

  w.letterhead({ name: record.clinic.name, nameAr: record.clinic.name });
  w.heading(t('history.title'), 1);
  const d = p.demographics;
  if (d.fullNameEn) w.paragraph(d.fullNameEn, { bold: true, size: 13, dir: 'ltr' });
  if (d.fullNameAr) w.paragraph(d.fullNameAr, { bold: true, size: 13, dir: 'rtl' });
  w.paragraph(t('history.patientLine', { mrn: p.mrn, dob: d.dateOfBirth }));
  w.paragraph(t('history.generated', { date: dateTime(ctx, input.now.toISOString()), by: input.generatedBy, clinic: record.clinic.name }), { size: 9 });

  // Contents: one reserved line per section on this page; filled in once the sections' pages are known.
  w.heading(t('history.contents'), 2);
  const tocPage = w.page;
  const tocLines = sections.map(() => {
    const y = w.baseline(w.fontSize);
    w.space(w.lineHeight());
    return y;
  });

  const startPages: number[] = [];
  w.newPage();
  sections.forEach((s, i) => {
    w.heading(`${i + 1}. ${t(s.key)}`, 1);
    startPages.push(w.pages.length);
    s.write(ctx);
  });

  const style = w.style();
  const start = w.dir === 'rtl' ? 'right' : 'left';
  const end = w.dir === 'rtl' ? 'left' : 'right';
  sections.forEach((s, i) => {
    const box = { x: w.left, y: tocLines[i]!, width: w.width };
    drawTextLine(tocPage, `${i + 1}. ${t(s.key)}`, style, { ...box, align: start, dir: 'auto', fallbackDir: w.dir });
    drawTextLine(tocPage, t('history.page', { n: startPages[i]! }), style, { ...box, align: end, dir: 'auto', fallbackDir: w.dir });
  });
  return w.save({ generatedAt: input.now, generatedBy: input.generatedBy, timeZone: record.clinic.timezone });
}

function sectionsOf(r: PatientRecord, dental: DentalChartJson | null): Section[] {
  return [
    { key: 'history.section.demographics', write: (ctx) => demographics(ctx, r) },
    { key: 'history.section.allergies', write: (ctx) => allergies(ctx, r) },
    { key: 'history.section.problems', write: (ctx) => problems(ctx, r) },
    { key: 'history.section.medications', write: (ctx) => medications(ctx, r) },
    { key: 'history.section.vitals', write: (ctx) => vitals(ctx, r) },
    { key: 'history.section.encounters', write: (ctx) => encounters(ctx, r) },
    { key: 'history.section.prescriptions', write: (ctx) => prescriptions(ctx, r) },
    { key: 'history.section.consents', write: (ctx) => consents(ctx, r) },
    { key: 'history.section.dental', write: (ctx) => dentalFindings(ctx, dental) },
    { key: 'history.section.attachments', write: (ctx) => attachments(ctx, r) },
    { key: 'history.section.corrections', write: (ctx) => corrections(ctx, r) },
  ];
}

const none = (ctx: DocContext) => ctx.w.paragraph(ctx.t('history.none'));

function demographics(ctx: DocContext, r: PatientRecord): void {
  const { t } = ctx;
  const d = r.patient.demographics;
  const rows: Array<[string, string]> = [
    [t('patients.field.fullNameEn'), dash(d.fullNameEn)],
    [t('patients.field.fullNameAr'), dash(d.fullNameAr)],
    [t('patients.mrn'), r.patient.mrn],
    [t('patients.dateOfBirth'), dash(d.dateOfBirth)],
    [t('patients.sex'), label(ctx, `patients.sex.${d.sex}`, d.sex)],
    [t('patients.cpr'), dash(d.cpr)],
    [t('patients.nationality'), dash(d.nationality)],
    [t('patients.phones'), dash(d.phones.join(', '))],
    [t('patients.email'), dash(d.email)],
    [t('patients.address'), dash(d.address)],
    [t('patients.section.emergency'), dash([d.emergencyName, d.emergencyRelationship, d.emergencyPhone].filter(Boolean).join(' · '))],
    [t('patients.section.insurance'), dash([d.insurancePayer, d.insuranceMember, d.insuranceExpiry].filter(Boolean).join(' · '))],
    [t('patients.preferredLanguage'), label(ctx, `lang.${d.preferredLanguage}`, d.preferredLanguage)],
  ];
  ctx.w.keyValues(rows);
}

function allergies(ctx: DocContext, r: PatientRecord): void {
  const { t } = ctx;
  if (r.allergies.length === 0) return none(ctx);
  ctx.w.table(
    [
      { header: t('clinical.allergies.substance'), width: 0.26, bold: true },
      { header: t('clinical.allergies.reaction'), width: 0.26 },
      { header: t('clinical.allergies.severity'), width: 0.14 },
      { header: t('history.col.status'), width: 0.14 },
      { header: t('history.col.date'), width: 0.2 },
    ],
    r.allergies.map((a) => [a.substance, dash(a.reaction), label(ctx, `clinical.severity.${a.severity}`, a.severity), label(ctx, `clinical.status.${a.status}`, a.status), date(ctx, a.recordedAt)]),
    { size: 9 },
  );
}

function problems(ctx: DocContext, r: PatientRecord): void {
  const { t } = ctx;
  if (r.problems.length === 0) return none(ctx);
  ctx.w.table(
    [
      { header: t('history.col.code'), width: 0.14 },
      { header: t('history.col.description'), width: 0.46 },
      { header: t('clinical.problems.onset'), width: 0.16 },
      { header: t('history.col.status'), width: 0.24 },
    ],
    r.problems.map((x) => [dash(x.icd10), x.text, dash(x.onset), label(ctx, `clinical.status.${x.status}`, x.status)]),
    { size: 9 },
  );
}

function medications(ctx: DocContext, r: PatientRecord): void {
  const { t } = ctx;
  if (r.medications.length === 0) return none(ctx);
  ctx.w.table(
    [
      { header: t('clinical.medications.name'), width: 0.3, bold: true },
      { header: t('clinical.medications.strength'), width: 0.15 },
      { header: t('clinical.medications.dose'), width: 0.2 },
      { header: t('history.col.status'), width: 0.13 },
      { header: t('history.col.date'), width: 0.22 },
    ],
    r.medications.map((m) => [m.name, dash(m.strength), dash(m.dose), label(ctx, `clinical.status.${m.status}`, m.status), [m.startDate, m.stopDate].filter(Boolean).join(' – ') || '—']),
    { size: 9 },
  );
}

function vitals(ctx: DocContext, r: PatientRecord): void {
  if (r.vitals.length === 0) return none(ctx);
  ctx.w.table(
    [
      { header: ctx.t('history.col.date'), width: 0.24 },
      { header: ctx.t('clinical.vitals.title'), width: 0.6 },
      { header: ctx.t('history.col.by'), width: 0.16 },
    ],
    r.vitals.map((v) => [dateTime(ctx, v.takenAt), vitalsLine(ctx, v), who(ctx, v.takenBy)]),
    { size: 8.5 },
  );
}

function encounters(ctx: DocContext, r: PatientRecord): void {
  if (r.encounters.length === 0) return none(ctx);
  for (const e of r.encounters) {
    writeEncounter(ctx, e, 2);
    ctx.w.rule();
  }
}

function prescriptions(ctx: DocContext, r: PatientRecord): void {
  const { w, t } = ctx;
  if (r.prescriptions.length === 0) return none(ctx);
  for (const rx of r.prescriptions) {
    w.heading(t('history.rx', { date: dateTime(ctx, rx.signedAt ?? rx.createdAt), status: label(ctx, `rx.status.${rx.status}`, rx.status), prescriber: `${rx.prescriberName} (${rx.licenceNo})` }), 3);
    w.table(
      [
        { header: t('rx.item.medicine'), width: 0.26, bold: true },
        { header: t('rx.item.strength'), width: 0.14 },
        { header: t('rx.item.dose'), width: 0.16 },
        { header: t('rx.item.frequency'), width: 0.18 },
        { header: t('rx.item.duration'), width: 0.13 },
        { header: t('rx.item.quantity'), width: 0.13 },
      ],
      rx.items.map((i) => [i.medicine, dash(i.strength), dash(i.dose), dash(i.frequency), dash(i.duration), dash(i.quantity)]),
      { size: 8.5 },
    );
    for (const i of rx.items) {
      if (i.instructionsEn) w.paragraph(`${i.medicine}: ${i.instructionsEn}`, { size: 9, dir: 'ltr' });
      if (i.instructionsAr) w.paragraph(i.instructionsAr, { size: 9, dir: 'rtl' });
    }
    if (rx.cancelledAt) w.paragraph(t('history.rx.cancelled', { date: dateTime(ctx, rx.cancelledAt), reason: rx.cancelReason }), { size: 9 });
  }
}

function consents(ctx: DocContext, r: PatientRecord): void {
  const { t } = ctx;
  const list = r.consents ?? [];
  if (list.length === 0) return none(ctx);
  ctx.w.table(
    [
      { header: t('history.col.date'), width: 0.16 },
      { header: t('history.col.title'), width: 0.4, bold: true },
      { header: t('history.col.by'), width: 0.26 },
      { header: t('history.col.status'), width: 0.18 },
    ],
    list.map((c) => [
      c.signedOn,
      c.title,
      c.signer === 'guardian' ? t('history.consent.signer.guardian', { name: c.guardianName ?? '', relationship: c.guardianRelationship ?? '' }) : t('history.consent.signer.patient'),
      c.status === 'withdrawn' ? t('history.consent.withdrawn', { date: c.withdrawnOn ?? '' }) : label(ctx, 'clinical.status.active', 'active'),
    ]),
    { size: 9 },
  );
}

function dentalFindings(ctx: DocContext, dental: DentalChartJson | null): void {
  const { t } = ctx;
  const rows: string[][] = [];
  for (const tooth of dental?.teeth ?? []) {
    const line = (surface: string, f: { finding: string; material: string | null; recordedAt: string; recordedBy: { id: string; name: string | null } }, planned = false) =>
      rows.push([
        tooth.fdi,
        surface,
        [f.finding, f.material, planned ? t('history.dental.planned') : null].filter(Boolean).join(' · '),
        date(ctx, f.recordedAt),
        f.recordedBy.name ?? f.recordedBy.id,
      ]);
    if (tooth.state && tooth.state.finding !== 'present') line('—', tooth.state);
    for (const f of tooth.tooth) line('—', f);
    for (const [surface, list] of Object.entries(tooth.surfaces)) for (const f of list ?? []) line(surface, f);
    for (const f of tooth.planned) line(f.surface ?? '—', f, true);
  }
  if (rows.length === 0) return none(ctx);
  ctx.w.table(
    [
      { header: t('history.col.tooth'), width: 0.1 },
      { header: t('history.col.surface'), width: 0.12 },
      { header: t('history.col.finding'), width: 0.38 },
      { header: t('history.col.date'), width: 0.2 },
      { header: t('history.col.by'), width: 0.2 },
    ],
    rows,
    { size: 9 },
  );
}

function attachments(ctx: DocContext, r: PatientRecord): void {
  const { t } = ctx;
  const list = r.documents ?? [];
  if (list.length === 0) return none(ctx);
  ctx.w.table(
    [
      { header: t('history.col.date'), width: 0.16 },
      { header: t('history.col.title'), width: 0.3, bold: true },
      { header: t('history.col.type'), width: 0.14 },
      { header: t('history.col.size'), width: 0.1 },
      { header: t('history.col.file'), width: 0.3 },
    ],
    list.map((a) => [a.takenOn ?? date(ctx, a.created), a.deleted ? `${a.title} (${t('history.attachment.deleted')})` : a.title, a.category, `${Math.max(1, Math.round(a.bytes / 1024))} KB`, a.path]),
    { size: 8.5 },
  );
}

function corrections(ctx: DocContext, r: PatientRecord): void {
  const { t } = ctx;
  if (r.history.length === 0) return none(ctx);
  ctx.w.table(
    [
      { header: t('history.col.date'), width: 0.22 },
      { header: t('history.col.by'), width: 0.18 },
      { header: t('history.col.fields'), width: 0.3 },
      { header: t('history.col.reason'), width: 0.3 },
    ],
    r.history.map((h) => [dateTime(ctx, h.at), who(ctx, h.userId), h.fields.map((f) => label(ctx, `patients.field.${f}`, f)).join(', '), h.reason]),
    { size: 9 },
  );
}
