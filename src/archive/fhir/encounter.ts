// An encounter becomes an Encounter (who, when, why, status), a Composition holding the note itself
// (R4's Encounter has no place for SOAP text: chief complaint, S, O, A, P and every addendum become
// sections, signed = legal attestation) and one Procedure per recorded procedure.
import { SYS, coding, concept, loinc, narrative } from './codes.ts';
import type { FhirContext } from './context.ts';
import type { RecordEncounter } from './record.ts';
import type { FhirResource, Reference } from './types.ts';

/** Our encounter types; not clinic-specific, so one URN for every installation. */
export const ENCOUNTER_TYPE_SYSTEM = 'urn:invent:fhir:encounter-type';

const TYPE_TEXT: Record<RecordEncounter['type'], string> = {
  consultation: 'Consultation',
  'follow-up': 'Follow-up visit',
  procedure: 'Procedure visit',
  dental: 'Dental visit',
  telephone: 'Telephone consultation',
};

const SECTIONS = [
  ['chiefComplaint', '10154-3', 'Chief complaint Narrative', 'Chief complaint'],
  ['subjective', '61150-9', 'Subjective Narrative', 'Subjective'],
  ['objective', '61149-1', 'Objective Narrative', 'Objective'],
  ['assessment', '51848-0', 'Evaluation note', 'Assessment'],
  ['plan', '18776-5', 'Plan of care note', 'Plan'],
] as const;

const participation = (code: string, display: string) => [concept(coding(SYS.participationType, code, display))];

export function encounterResource(ctx: FhirContext, e: RecordEncounter): FhirResource {
  const participant: { type: ReturnType<typeof participation>; individual: Reference }[] = [
    { type: participation('PPRF', 'primary performer'), individual: ctx.practitioner(e.clinicianId) },
  ];
  if (e.signedBy && e.signedBy !== e.clinicianId) participant.push({ type: participation('AUTHEN', 'authenticator'), individual: ctx.practitioner(e.signedBy) });
  const typeText = TYPE_TEXT[e.type] ?? e.type;
  return {
    resourceType: 'Encounter',
    id: ctx.uuid('Encounter', e.id),
    identifier: [{ system: `${ctx.identifierBase}:encounter`, value: e.id }],
    // A draft note is still being written; a signed one is locked (changes are addenda).
    status: e.status === 'signed' ? 'finished' : 'in-progress',
    class: e.type === 'telephone' ? coding(SYS.actCode, 'VR', 'virtual') : coding(SYS.actCode, 'AMB', 'ambulatory'),
    type: [concept(coding(ENCOUNTER_TYPE_SYSTEM, e.type, typeText), typeText)],
    subject: ctx.patient,
    participant,
    period: { start: e.startedAt },
    ...(e.chiefComplaint ? { reasonCode: [{ text: e.chiefComplaint }] } : {}),
    ...(e.diagnoses.length ? { diagnosis: e.diagnoses.map((d, i) => ({ condition: ctx.ref('Condition', d.id), rank: i + 1 })) } : {}),
    serviceProvider: ctx.organization,
  };
}

export function procedureResource(ctx: FhirContext, e: RecordEncounter, p: RecordEncounter['procedures'][number]): FhirResource {
  return {
    resourceType: 'Procedure',
    id: ctx.uuid('Procedure', p.id),
    identifier: [{ system: `${ctx.identifierBase}:procedure`, value: p.id }],
    status: 'completed',
    // The code may be CPT, CDT or local (the form takes any short code), so no system is claimed.
    code: p.code ? { coding: [{ code: p.code }], text: p.text } : { text: p.text },
    subject: ctx.patient,
    encounter: ctx.encounter(e.id),
    performedDateTime: e.startedAt,
    recorder: ctx.practitioner(p.recordedBy),
    performer: [{ actor: ctx.practitioner(e.clinicianId) }],
  };
}

/** The note of one encounter; `vitalRefs` are the Observations made from its vitals. */
export function compositionResource(ctx: FhirContext, e: RecordEncounter, vitalRefs: Reference[]): FhirResource {
  const section: Record<string, unknown>[] = [];
  for (const [field, code, display, title] of SECTIONS) {
    const text = e.notes[field];
    if (text) section.push({ title, code: loinc(code, display), text: narrative(text) });
  }
  if (e.diagnoses.length) {
    section.push({
      title: 'Diagnoses',
      code: loinc('29548-5', 'Diagnosis Narrative'),
      text: narrative(e.diagnoses.map((d) => (d.icd10 ? `${d.icd10} ${d.text}` : d.text)).join('\n')),
      entry: e.diagnoses.map((d) => ctx.ref('Condition', d.id)),
    });
  }
  if (e.procedures.length) {
    section.push({
      title: 'Procedures',
      code: loinc('47519-4', 'History of Procedures Document'),
      text: narrative(e.procedures.map((p) => (p.code ? `${p.code} ${p.text}` : p.text)).join('\n')),
      entry: e.procedures.map((p) => ctx.ref('Procedure', p.id)),
    });
  }
  if (vitalRefs.length) section.push({ title: 'Vital signs', code: loinc('8716-3', 'Vital signs'), entry: vitalRefs });
  for (const a of e.addenda) {
    section.push({ title: `Addendum ${a.at}`, author: [ctx.practitioner(a.authorId)], text: narrative(a.text) });
  }
  const signed = e.status === 'signed';
  const typeText = TYPE_TEXT[e.type] ?? e.type;
  return {
    resourceType: 'Composition',
    id: ctx.uuid('Composition', e.id),
    identifier: { system: `${ctx.identifierBase}:encounter-note`, value: e.id },
    status: signed ? (e.addenda.length ? 'amended' : 'final') : 'preliminary',
    type: loinc('34109-9', 'Note'),
    subject: ctx.patient,
    encounter: ctx.encounter(e.id),
    date: e.signedAt ?? e.updatedAt,
    author: [ctx.practitioner(e.clinicianId)],
    title: `${typeText} note, ${e.startedAt.slice(0, 10)}`,
    ...(signed && e.signedAt && e.signedBy ? { attester: [{ mode: 'legal', time: e.signedAt, party: ctx.practitioner(e.signedBy) }] } : {}),
    custodian: ctx.organization,
    ...(section.length ? { section } : {}),
  };
}
