// Allergies (AllergyIntolerance), the medication list (MedicationStatement) and prescriptions
// (one MedicationRequest per item, grouped by the prescription's id).
import type { Allergy } from '../../features/clinical/types.ts';
import type { Prescription, RxItem } from '../../features/prescriptions/repo.ts';
import { SYS, coding, concept, languageExt, textOnly, translation } from './codes.ts';
import type { FhirContext } from './context.ts';
import type { PatientRecord } from './record.ts';
import type { FhirResource, Quantity } from './types.ts';

export function allergyResource(ctx: FhirContext, a: Allergy): FhirResource {
  return {
    resourceType: 'AllergyIntolerance',
    id: ctx.uuid('AllergyIntolerance', a.id),
    identifier: [{ system: `${ctx.identifierBase}:allergy`, value: a.id }],
    clinicalStatus: concept(coding(SYS.allergyClinical, a.status, a.status[0]!.toUpperCase() + a.status.slice(1))),
    code: textOnly(a.substance),
    patient: ctx.patient,
    recordedDate: a.recordedAt,
    recorder: ctx.practitioner(a.recordedBy),
    // Our severity is the reaction's; criticality (the risk of a future one) follows it: only a severe reaction makes it high.
    criticality: a.severity === 'severe' ? 'high' : 'low',
    ...(a.reaction
      ? { reaction: [{ manifestation: [textOnly(a.reaction)], severity: a.severity }] }
      : { note: [{ text: `Reaction severity: ${a.severity}` }] }),
  };
}

export function medicationStatementResource(ctx: FhirContext, m: PatientRecord['medications'][number]): FhirResource {
  const period = { ...(m.startDate ? { start: m.startDate } : {}), ...(m.stopDate ? { end: m.stopDate } : {}) };
  return {
    resourceType: 'MedicationStatement',
    id: ctx.uuid('MedicationStatement', m.id),
    identifier: [{ system: `${ctx.identifierBase}:medication`, value: m.id }],
    status: m.status === 'stopped' ? 'stopped' : 'active',
    medicationCodeableConcept: textOnly([m.name, m.strength].filter(Boolean).join(' ')),
    subject: ctx.patient,
    ...(Object.keys(period).length ? { effectivePeriod: period } : {}),
    dateAsserted: m.recordedAt,
    informationSource: ctx.practitioner(m.recordedBy),
    ...(m.dose ? { dosage: [{ text: m.dose }] } : {}),
  };
}

const DURATION = /^(\d{1,4})\s*(d|days?|w|wks?|weeks?|mo|months?)$/i;

/** A written duration ('90 days', '2 weeks', '1 month') as UCUM and in days; undefined when it says something else. */
export function parseDuration(text: string): { quantity: Quantity; days: number } | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const u = m[2]!.toLowerCase();
  const [unit, code, perDay] = u.startsWith('mo') ? ['months', 'mo', 30] : u.startsWith('w') ? ['weeks', 'wk', 7] : ['days', 'd', 1];
  return { quantity: { value: n, unit: n === 1 ? unit.slice(0, -1) : unit, system: SYS.ucum, code }, days: n * (perDay as number) };
}

const DAY = 86_400_000;

/** Signed prescriptions are active until their course (signed date + duration) is over, if the duration says how long. */
function requestStatus(ctx: FhirContext, rx: Prescription, item: RxItem): string {
  if (rx.status === 'draft') return 'draft';
  if (rx.status === 'cancelled') return 'cancelled';
  const course = parseDuration(item.duration);
  const from = Date.parse(rx.signedAt ?? rx.createdAt);
  return course && from + course.days * DAY < Date.parse(ctx.generatedAt) ? 'completed' : 'active';
}

function dosageText(item: RxItem): string {
  const parts = [item.dose, item.route, item.frequency, item.duration && `for ${item.duration}`].filter(Boolean).join(', ');
  return [parts, item.instructionsEn].filter(Boolean).join('. ') || item.medicine;
}

export function medicationRequestResources(ctx: FhirContext, rx: Prescription): FhirResource[] {
  return rx.items.map((item) => {
    const course = parseDuration(item.duration);
    const instruction = item.instructionsEn || item.instructionsAr;
    const dosage = {
      sequence: 1,
      text: dosageText(item),
      ...(instruction ? { patientInstruction: instruction } : {}),
      // The Arabic label text, as printed on the prescription: a translation of the English one, or
      // the instruction itself (marked Arabic) when it was written only in Arabic.
      ...(item.instructionsEn && item.instructionsAr ? { _patientInstruction: { extension: [translation('ar', item.instructionsAr)] } } : {}),
      ...(!item.instructionsEn && item.instructionsAr ? { _patientInstruction: { extension: [languageExt('ar')] } } : {}),
      ...(item.frequency ? { timing: { code: textOnly(item.frequency) } } : {}),
      ...(item.route ? { route: textOnly(item.route) } : {}),
    };
    const dispense = {
      ...(item.quantity !== null ? { quantity: { value: item.quantity, ...(item.form ? { unit: item.form } : {}) } } : {}),
      numberOfRepeatsAllowed: item.refills,
      ...(course ? { expectedSupplyDuration: course.quantity } : {}),
    };
    const encounter = ctx.encounter(rx.encounterId);
    return {
      resourceType: 'MedicationRequest',
      id: ctx.uuid('MedicationRequest', item.id),
      identifier: [{ system: `${ctx.identifierBase}:prescription-item`, value: item.id }],
      status: requestStatus(ctx, rx, item),
      ...(rx.status === 'cancelled' && rx.cancelReason ? { statusReason: textOnly(rx.cancelReason) } : {}),
      intent: 'order',
      medicationCodeableConcept: textOnly([item.medicine, item.strength, item.form].filter(Boolean).join(' ')),
      subject: ctx.patient,
      ...(encounter ? { encounter } : {}),
      authoredOn: rx.signedAt ?? rx.createdAt,
      requester: { ...ctx.practitioner(rx.prescriberId), display: rx.prescriberName },
      recorder: ctx.practitioner(rx.createdBy),
      groupIdentifier: { system: `${ctx.identifierBase}:prescription`, value: rx.id },
      ...(rx.allergyOverride ? { note: [{ text: `Prescribed despite an allergy warning${rx.allergyMatches.length ? ` (${rx.allergyMatches.join(', ')})` : ''}.` }] } : {}),
      dosageInstruction: [dosage],
      dispenseRequest: dispense,
    };
  });
}
