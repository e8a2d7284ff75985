// Issue 6's parts as FHIR: each attachment a DocumentReference whose content points at its bytes in
// the archive (a relative URL, `attachments/<file>`), each signed consent a Consent whose source is
// its signed PDF (`consents/<file>.pdf`); a guardian who signed becomes a RelatedPerson.
import { SHA256_EXTENSION, SYS, coding, concept, loinc, textOnly } from './codes.ts';
import type { FhirContext } from './context.ts';
import type { ConsentInput, DocumentInput } from './record.ts';
import type { CodeableConcept, FhirResource, Reference } from './types.ts';

const DOC_TYPES: Record<string, CodeableConcept> = {
  imaging: loinc('18748-4', 'Diagnostic imaging study'),
  lab: loinc('11502-2', 'Laboratory report'),
  referral: loinc('57133-1', 'Referral note'),
};

const sha256Ext = (hex: string) => [{ url: SHA256_EXTENSION, valueString: hex }];

export function documentReferenceResource(ctx: FhirContext, d: DocumentInput): FhirResource {
  const encounter = ctx.encounter(d.encounterId);
  return {
    resourceType: 'DocumentReference',
    id: ctx.uuid('DocumentReference', d.id),
    identifier: [{ system: `${ctx.identifierBase}:attachment`, value: d.id }],
    // Deleted attachments are kept (retention) and exported, marked as withdrawn from the record.
    status: d.deleted ? 'entered-in-error' : 'current',
    type: DOC_TYPES[d.category] ?? textOnly(d.category),
    category: [textOnly(d.category)],
    subject: ctx.patient,
    date: d.created,
    author: [ctx.practitioner(d.uploadedBy)],
    custodian: ctx.organization,
    description: d.title,
    content: [
      {
        attachment: {
          extension: sha256Ext(d.sha256),
          contentType: d.mediaType,
          url: d.path,
          size: d.bytes,
          title: d.originalName || d.title,
          creation: d.takenOn || d.created,
        },
      },
    ],
    ...(encounter ? { context: { encounter: [encounter] } } : {}),
  };
}

const SCOPE_DISPLAY: Record<ConsentInput['scope'], string> = {
  treatment: 'Treatment',
  'patient-privacy': 'Privacy Consent',
  research: 'Research',
  adr: 'Advanced Care Directive',
};

const ROLE_CODES: Record<string, [string, string]> = {
  parent: ['PRN', 'parent'],
  'legal-guardian': ['GUARD', 'guardian'],
  spouse: ['SPS', 'spouse'],
  child: ['CHILD', 'child'],
  sibling: ['SIB', 'sibling'],
};

/** The guardian who signed for the patient (null when the patient signed). */
export function guardianResource(ctx: FhirContext, c: ConsentInput): FhirResource | null {
  if (c.signer !== 'guardian') return null;
  const rel = c.guardianRelationship ?? '';
  const role = ROLE_CODES[rel];
  return {
    resourceType: 'RelatedPerson',
    id: ctx.uuid('RelatedPerson', c.id),
    patient: ctx.patient,
    ...(rel ? { relationship: [role ? concept(coding('http://terminology.hl7.org/CodeSystem/v3-RoleCode', role[0], role[1]), rel) : textOnly(rel)] } : {}),
    ...(c.guardianName ? { name: [{ text: c.guardianName }] } : {}),
  };
}

export function consentResource(ctx: FhirContext, c: ConsentInput): FhirResource {
  const signer: Reference = c.signer === 'guardian' ? ctx.ref('RelatedPerson', c.id) : ctx.patient;
  const category = c.scope === 'patient-privacy' ? loinc('57016-8', 'Privacy policy acknowledgment Document') : loinc('59284-0', 'Consent Document');
  return {
    resourceType: 'Consent',
    id: ctx.uuid('Consent', c.id),
    identifier: [{ system: `${ctx.identifierBase}:consent`, value: c.id }],
    // A withdrawn consent no longer applies; its provision period ends on the withdrawal date.
    status: c.status === 'withdrawn' ? 'inactive' : 'active',
    scope: concept(coding(SYS.consentScope, c.scope, SCOPE_DISPLAY[c.scope])),
    category: [category],
    patient: ctx.patient,
    dateTime: c.recordedAt,
    performer: [signer],
    organization: [ctx.organization],
    sourceAttachment: { extension: sha256Ext(c.pdfSha256), contentType: 'application/pdf', url: c.path, size: c.pdfBytes, title: c.title, creation: c.signedOn },
    // The rule agreed to is the clinic's own form, kept verbatim in the signed PDF.
    policyRule: textOnly(`Clinic form "${c.title}"${c.templateVersion ? `, version ${c.templateVersion}` : ''}`),
    provision: { type: 'permit', period: { start: c.signedOn, ...(c.status === 'withdrawn' && c.withdrawnOn ? { end: c.withdrawnOn } : {}) } },
  };
}
