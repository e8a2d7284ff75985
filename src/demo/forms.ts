// Demo consents and forms (CONTRACT.md "Demo clinic"): the built-in templates, and for D-0001 a
// treatment consent signed on the canvas, a PDPL data-processing consent signed with the typed name,
// and a completed intake questionnaire, each with its signed PDF. Written through the forms service,
// so the records, PDFs, hashes and audit events are exactly what the app makes. Deterministic: the
// drawn signature comes from a formula, the dates from the clock. Does nothing if D-0001 has records.
import { systemClock, type Assets, type Clock } from '../platform/ports.ts';
import type { ControlDb } from '../tenancy/db.ts';
import type { ClinicRegistry } from '../tenancy/registry.ts';
import { SYSTEM } from '../audit/types.ts';
import type { AuditContext } from '../audit/context.ts';
import { newId } from '../crypto/bytes.ts';
import { localDay } from '../i18n/format.ts';
import { PatientService } from '../features/patients/service.ts';
import { formServices } from '../features/forms/service.ts';
import type { RecordInput } from '../features/forms/answers.ts';

const DAY = 86_400_000;

/** A flowing, signature-like pair of strokes on the pad's 600 x 200 grid. */
export function demoSignature(): string {
  const first: string[] = [];
  for (let x = 60; x <= 330; x += 6) first.push(`${x},${Math.round(105 + 38 * Math.sin(x / 17) * Math.cos(x / 61))}`);
  const second: string[] = [];
  for (let x = 90; x <= 420; x += 10) second.push(`${x},${Math.round(160 + 6 * Math.sin(x / 25))}`);
  return `v1 ${first.join(' ')};${second.join(' ')}`;
}

export async function seedDemoForms(
  deps: { clinics: ClinicRegistry; control: ControlDb; assets: Assets },
  clinicId: string,
  staff: { doctorId: string; doctorName: string },
  clock: Clock = systemClock,
): Promise<number> {
  const forms = formServices({
    ...deps,
    clock,
    // Only opening a PDF from a page writes through the sink; the seed never does.
    audit: async () => {
      throw new Error('the demo seed writes its audit events with each record');
    },
  });
  const ctx: AuditContext = { clinicId, actor: { ...SYSTEM, roles: ['admin', 'doctor'] }, requestId: newId('req'), route: 'invent demo' };
  await forms.templates.addBuiltins(ctx);
  const patient = await new PatientService({ clinics: deps.clinics, clock }).getByMrn(clinicId, 'D-0001');
  if (!patient || (await forms.records.listFor(ctx, patient.id)).length > 0) return 0;
  const h = await deps.clinics.get(clinicId);
  const dayAgo = (days: number) => localDay(new Date(clock.now().getTime() - days * DAY), h.timezone);
  const id = async (code: string) => (await forms.templates.builtinId(clinicId, code))!;
  const base = { version: 1, signer: 'patient' as const, guardianName: '', relationship: null, witnessId: staff.doctorId };
  const records: RecordInput[] = [
    {
      ...base,
      templateId: await id('pdpl-consent'),
      signedOn: dayAgo(400),
      answers: { q1: 'yes', q2: 'yes', q3: 'no' },
      signature: { kind: 'typed', name: patient.demographics.fullNameEn || patient.demographics.fullNameAr },
    },
    {
      ...base,
      templateId: await id('intake-questionnaire'),
      signedOn: dayAgo(400),
      answers: { q1: 'Diabetes and blood pressure follow-up', q2: 'yes', q3: 'Penicillin, latex', q4: 'yes', q5: 'o1' },
      signature: null,
    },
    {
      ...base,
      templateId: await id('treatment-consent'),
      signedOn: dayAgo(30),
      answers: { q1: 'Scaling and polishing; composite filling of tooth 16', q2: 'yes', q3: 'yes' },
      signature: { kind: 'drawn', strokes: demoSignature() },
    },
  ];
  let written = 0;
  for (const input of records) {
    const out = await forms.records.create(ctx, patient, input, { recordedByName: staff.doctorName });
    if (!out.ok) throw new Error(`demo form ${input.templateId} was refused: ${JSON.stringify(out)}`);
    written++;
  }
  return written;
}
