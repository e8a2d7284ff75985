// The signed PDF of a consent or completed form: the clinic's letterhead, the template's title and
// body in English and Arabic (shaped and extractable: PdfWriter does the bidi work), the patient,
// the answers, who signed (patient or guardian, relationship) and when, the drawn strokes as vector
// paths or the typed name, the witness, and the exact template version and its content hash.
// Labels are in the patient's preferred language; the template text is always in both.
import { LineCapStyle, rgb } from 'pdf-lib';
import { MUTED, PdfWriter, RULE } from '../../pdf/document.ts';
import type { Assets } from '../../platform/ports.ts';
import { translator, type Lang, type Translate } from '../../i18n/index.ts';
import type { Patient } from '../patients/repo.ts';
import type { FormField, FormKind, TemplateContent } from './content.ts';
import { dayIn, type Relationship, type Signature, type Signer } from './answers.ts';
import { PAD_HEIGHT, PAD_WIDTH, storedPath } from './signature.ts';

export interface FormPdfInput {
  assets: Assets;
  clinic: { name: string; timezone: string };
  lang: Lang;
  patient: Patient;
  record: {
    id: string;
    kind: FormKind;
    templateId: string;
    templateVersion: number;
    content: TemplateContent;
    contentSha256: string;
    signedOn: string;
    signer: Signer;
    guardianName: string;
    relationship: Relationship | null;
    answers: Record<string, string>;
    signature: Signature | null;
    witnessName: string;
    recordedByName: string;
  };
  now: Date;
}

/** An answer as printed: yes/no and choices in both languages, other answers as given. */
export function answerText(f: FormField, value: string | undefined, t: Translate): string {
  if (!value) return '—';
  if (f.type === 'yesno') return value === 'yes' ? t('consents.answer.yesBoth') : t('consents.answer.noBoth');
  if (f.type === 'choice') {
    const o = (f.options ?? []).find((x) => x.value === value);
    return o ? `${o.en} — ${o.ar}` : value;
  }
  return value;
}

const paragraphs = (text: string) => text.split(/\r?\n\s*\r?\n|\r?\n/).map((p) => p.trim()).filter(Boolean);
const INK = rgb(0.05, 0.1, 0.4);
const SCALE = 0.35;

export async function formPdf(o: FormPdfInput): Promise<Uint8Array> {
  const { record: r, patient, lang } = o;
  const t = translator(lang);
  const c = r.content;
  const d = patient.demographics;
  const w = await PdfWriter.create({ assets: o.assets, lang, title: `${c.titleEn} — ${c.titleAr}`, subject: patient.mrn, createdAt: o.now });
  // No Arabic clinic name is kept yet: the registered name stands for both.
  w.letterhead({ name: o.clinic.name, nameAr: o.clinic.name });
  const small = { size: w.fontSize * 0.8, color: MUTED };
  w.paragraph(`${t('consents.pdf.version', { id: r.templateId, version: r.templateVersion })} · ${t('consents.pdf.record', { id: r.id })}`, small);
  w.heading(c.titleEn, 1);
  w.heading(c.titleAr, 1);
  const who: Array<[string, string]> = [];
  if (d.fullNameEn) who.push([t('consents.pdf.nameEn'), d.fullNameEn]);
  if (d.fullNameAr) who.push([t('consents.pdf.nameAr'), d.fullNameAr]);
  who.push([t('patients.mrn'), patient.mrn], [t('patients.dateOfBirth'), d.dateOfBirth], [t('consents.signedOn'), dayIn(r.signedOn, lang)]);
  w.keyValues(who);
  w.space(6);
  for (const p of paragraphs(c.bodyEn)) w.paragraph(p, { dir: 'ltr', align: 'left' });
  w.space(6);
  for (const p of paragraphs(c.bodyAr)) w.paragraph(p, { dir: 'rtl', align: 'right' });
  if (c.fields.length > 0) {
    w.heading(t('consents.pdf.answers'), 2);
    const label = (f: FormField) => (lang === 'ar' ? `${f.labelAr} — ${f.labelEn}` : `${f.labelEn} — ${f.labelAr}`);
    w.keyValues(c.fields.map((f) => [label(f), answerText(f, r.answers[f.id], t)]), { labelWidth: 0.55 });
  }
  w.heading(t(r.kind === 'consent' ? 'consents.pdf.signedBy' : 'consents.pdf.completedBy'), 2);
  const signer: Array<[string, string]> =
    r.signer === 'guardian'
      ? [
          [t('consents.signer'), t('consents.signer.guardian')],
          [t('consents.guardianName'), r.guardianName],
          [t('consents.relationship'), r.relationship ? t(`consents.relationship.${r.relationship}`) : '—'],
        ]
      : [[t('consents.signer'), t('consents.signer.patient')]];
  signer.push([t('consents.signedOn'), dayIn(r.signedOn, lang)]);
  if (r.signature?.kind === 'typed') signer.push([t('consents.pdf.typedSignature'), `${r.signature.name} (${t('consents.pdf.typedConfirmed')})`]);
  signer.push([t('consents.witness'), r.witnessName || '—']);
  w.keyValues(signer);
  if (r.signature?.kind === 'drawn') drawSignature(w, storedPath(r.signature.strokes));
  w.rule();
  w.paragraph(t('consents.pdf.contentHash', { hash: r.contentSha256 }), small);
  return w.save({ generatedAt: o.now, generatedBy: r.recordedByName, timeZone: o.clinic.timezone });
}

/** The strokes, drawn as vector paths in a framed box at the start side. */
function drawSignature(w: PdfWriter, path: string): void {
  const width = PAD_WIDTH * SCALE;
  const height = PAD_HEIGHT * SCALE;
  w.ensureSpace(height + 8);
  w.space(4);
  const top = w.y;
  const x = w.dir === 'rtl' ? w.left + w.width - width : w.left;
  w.page.drawRectangle({ x, y: top - height, width, height, borderColor: RULE, borderWidth: 0.5 });
  if (path) w.page.drawSvgPath(path, { x, y: top, scale: SCALE, borderColor: INK, borderWidth: 4, borderLineCap: LineCapStyle.Round });
  w.y = top - height - 4;
}
