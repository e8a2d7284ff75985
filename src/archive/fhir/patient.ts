// The people and organisations of the record: the clinic (Organization), the patient, staff
// (Practitioner), the patient's insurance (Coverage + the payer's Organization) and the corrections
// of the demographics (Provenance: who changed what, when and why; the old values stay in the PDF).
import type { HistoryEntry } from '../../features/patients/repo.ts';
import { CPR_SYSTEM, EXT, SYS, coding, concept, languageConcept, languageExt, narrative, textOnly } from './codes.ts';
import type { FhirContext } from './context.ts';
import type { PatientRecord, StaffMember } from './record.ts';
import type { FhirResource, Identifier } from './types.ts';

const idType = (code: string, display: string) => concept(coding(SYS.identifierType, code, display));

export function organizationResource(ctx: FhirContext, clinic: PatientRecord['clinic']): FhirResource {
  return {
    resourceType: 'Organization',
    id: ctx.uuid('Organization', clinic.id),
    identifier: [
      { system: 'urn:invent:clinic', value: clinic.id },
      { system: 'urn:invent:clinic-slug', value: clinic.slug },
    ],
    active: true,
    type: [concept(coding('http://terminology.hl7.org/CodeSystem/organization-type', 'prov', 'Healthcare Provider'))],
    name: clinic.name,
  };
}

export function practitionerResource(ctx: FhirContext, staff: StaffMember): FhirResource {
  const identifier: Identifier[] = [{ system: `${ctx.identifierBase}:user`, value: staff.id }];
  if (staff.licenceNo) identifier.push({ type: idType('MD', 'Medical License number'), value: staff.licenceNo });
  return { resourceType: 'Practitioner', id: ctx.uuid('Practitioner', staff.id), identifier, name: [{ text: staff.name }] };
}

function humanName(lang: 'en' | 'ar', full: string, family: string, given: string) {
  return {
    extension: [languageExt(lang)],
    use: 'official',
    text: full,
    ...(family ? { family } : {}),
    ...(given ? { given: given.split(' ').filter(Boolean) } : {}),
  };
}

export function patientResource(ctx: FhirContext, record: PatientRecord): FhirResource {
  const p = record.patient;
  const d = p.demographics;
  const identifier: Identifier[] = [
    { use: 'usual', type: idType('MR', 'Medical record number'), system: `${ctx.identifierBase}:mrn`, value: p.mrn, assigner: ctx.organization } as Identifier,
  ];
  if (d.cpr) identifier.push({ use: 'official', type: idType('NI', 'National unique individual identifier'), system: CPR_SYSTEM, value: d.cpr });
  const name = [];
  if (d.fullNameEn) name.push(humanName('en', d.fullNameEn, d.familyNameEn, d.givenNameEn));
  if (d.fullNameAr) name.push(humanName('ar', d.fullNameAr, d.familyNameAr, d.givenNameAr));
  const telecom = [
    ...d.phones.map((value, i) => ({ system: 'phone', value, use: 'mobile', rank: i + 1 })),
    ...(d.email ? [{ system: 'email', value: d.email, use: 'home' }] : []),
  ];
  const contact =
    d.emergencyName || d.emergencyPhone
      ? [
          {
            relationship: [
              concept(coding(SYS.contactRole, 'C', 'Emergency Contact')),
              ...(d.emergencyRelationship ? [textOnly(d.emergencyRelationship)] : []),
            ],
            ...(d.emergencyName ? { name: { text: d.emergencyName } } : {}),
            ...(d.emergencyPhone ? { telecom: [{ system: 'phone', value: d.emergencyPhone }] } : {}),
          },
        ]
      : undefined;
  return {
    resourceType: 'Patient',
    id: ctx.uuid('Patient', p.id),
    meta: {
      lastUpdated: p.updatedAt,
      // A restricted record is visible only to named clinicians in the clinic (AC5); say so to the reader.
      security: [p.restricted ? coding(SYS.confidentiality, 'R', 'restricted') : coding(SYS.confidentiality, 'N', 'normal')],
    },
    ...(d.nationality ? { extension: [{ url: EXT.nationality, extension: [{ url: 'code', valueCodeableConcept: textOnly(d.nationality) }] }] } : {}),
    identifier,
    active: true,
    ...(name.length ? { name } : {}),
    ...(telecom.length ? { telecom } : {}),
    gender: d.sex,
    ...(d.dateOfBirth ? { birthDate: d.dateOfBirth } : {}),
    ...(d.address ? { address: [{ use: 'home', text: d.address }] } : {}),
    ...(contact ? { contact } : {}),
    communication: [{ language: languageConcept(d.preferredLanguage), preferred: true }],
    managingOrganization: ctx.organization,
  };
}

/** The patient's insurance, when recorded: a Coverage and an Organization for the payer it names. */
export function coverageResources(ctx: FhirContext, record: PatientRecord): FhirResource[] {
  const d = record.patient.demographics;
  if (!d.insurancePayer) return [];
  const pid = record.patient.id;
  const payer: FhirResource = { resourceType: 'Organization', id: ctx.uuid('Organization', pid, 'payer'), type: [concept(coding('http://terminology.hl7.org/CodeSystem/organization-type', 'ins', 'Insurance Company'))], name: d.insurancePayer };
  const coverage: FhirResource = {
    resourceType: 'Coverage',
    id: ctx.uuid('Coverage', pid),
    status: 'active',
    ...(d.insuranceMember ? { subscriberId: d.insuranceMember } : {}),
    beneficiary: ctx.patient,
    ...(d.insuranceExpiry ? { period: { end: d.insuranceExpiry } } : {}),
    payor: [ctx.ref('Organization', pid, 'payer')],
  };
  return [coverage, payer];
}

/** One correction of the demographics: who, when, which fields and why. */
export function historyProvenance(ctx: FhirContext, h: HistoryEntry): FhirResource {
  const fields = h.fields.join(', ');
  return {
    resourceType: 'Provenance',
    id: ctx.uuid('Provenance', h.id),
    text: narrative(`Demographics corrected (version ${h.version}): ${fields || 'no field named'}.\nReason: ${h.reason}`),
    target: [ctx.patient],
    occurredDateTime: h.at,
    recorded: h.at,
    reason: [textOnly(h.reason)],
    activity: concept(coding(SYS.dataOperation, 'UPDATE', 'revise')),
    agent: [{ who: h.userId ? ctx.practitioner(h.userId) : ctx.organization }],
  };
}
