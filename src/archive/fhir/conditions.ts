// Conditions: each encounter diagnosis (category encounter-diagnosis) and each entry of the problem
// list (category problem-list-item). ICD-10 coded when a code was chosen; the text is always there
// (it is what the clinician saw or wrote).
import { lookupIcd10 } from '../../clinical/icd10/index.ts';
import { SYS, coding, concept, translation } from './codes.ts';
import type { FhirContext } from './context.ts';
import type { PatientRecord, RecordEncounter } from './record.ts';
import type { CodeableConcept, FhirResource } from './types.ts';

function icd10Concept(code: string | null, text: string): CodeableConcept {
  if (!code) return { text };
  const entry = lookupIcd10(code);
  const c = coding(SYS.icd10, code, entry?.titleEn);
  // The Arabic title, where the bundled list has one, rides on the display as a translation.
  const withAr = entry?.titleAr ? { ...c, _display: { extension: [translation('ar', entry.titleAr)] } } : c;
  return { coding: [withAr], text };
}

const category = (code: string, display: string) => [concept(coding(SYS.conditionCategory, code, display))];

export function diagnosisResource(ctx: FhirContext, e: RecordEncounter, d: RecordEncounter['diagnoses'][number]): FhirResource {
  return {
    resourceType: 'Condition',
    id: ctx.uuid('Condition', d.id),
    identifier: [{ system: `${ctx.identifierBase}:diagnosis`, value: d.id }],
    // A diagnosis in a signed note is the clinician's confirmed finding; in a draft it may still change.
    verificationStatus: e.status === 'signed' ? concept(coding(SYS.conditionVerification, 'confirmed', 'Confirmed')) : concept(coding(SYS.conditionVerification, 'provisional', 'Provisional')),
    category: category('encounter-diagnosis', 'Encounter Diagnosis'),
    code: icd10Concept(d.icd10, d.text),
    subject: ctx.patient,
    encounter: ctx.encounter(e.id),
    recordedDate: d.recordedAt,
    recorder: ctx.practitioner(d.recordedBy),
    asserter: ctx.practitioner(e.clinicianId),
  };
}

export function problemResource(ctx: FhirContext, p: PatientRecord['problems'][number]): FhirResource {
  const status = p.status === 'resolved' ? coding(SYS.conditionClinical, 'resolved', 'Resolved') : coding(SYS.conditionClinical, 'active', 'Active');
  return {
    resourceType: 'Condition',
    id: ctx.uuid('Condition', p.id),
    identifier: [{ system: `${ctx.identifierBase}:problem`, value: p.id }],
    clinicalStatus: concept(status),
    verificationStatus: concept(coding(SYS.conditionVerification, 'confirmed', 'Confirmed')),
    category: category('problem-list-item', 'Problem List Item'),
    code: icd10Concept(p.icd10, p.text),
    subject: ctx.patient,
    ...(p.onset ? { onsetDateTime: p.onset } : {}),
    recordedDate: p.recordedAt,
    recorder: ctx.practitioner(p.recordedBy),
    asserter: ctx.practitioner(p.recordedBy),
  };
}
