// Code systems and the codes the mappers use. External systems are the canonical FHIR/HL7 URIs.
import type { CodeableConcept, Coding, Extension } from './types.ts';

export const SYS = {
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  dataOperation: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  contactRole: 'http://terminology.hl7.org/CodeSystem/v2-0131',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  bcp47: 'urn:ietf:bcp:47',
  iso3166: 'urn:iso:std:iso:3166',
} as const;

/**
 * Bahrain's CPR (personal number). No FHIR NamingSystem is published for it; this URI is the one
 * the system uses everywhere, and identifier.type NI (national identifier) says what it is, so a
 * reader can recognise the number whatever URI a counterpart picked.
 */
export const CPR_SYSTEM = 'http://moh.gov.bh/cpr';

/** Extensions from the FHIR core package. */
export const EXT = {
  language: 'http://hl7.org/fhir/StructureDefinition/language',
  translation: 'http://hl7.org/fhir/StructureDefinition/translation',
  nationality: 'http://hl7.org/fhir/StructureDefinition/patient-nationality',
} as const;

/**
 * The clinic's own identifier namespaces: `urn:invent:clinic:<clinic id>:<kind>` (a private URN,
 * stable across installations because the clinic id is). An installation with a public URL can pass
 * its own base to buildFhirBundle.
 */
export const defaultIdentifierBase = (clinicId: string) => `urn:invent:clinic:${clinicId}`;

/** Our extension carrying a file's SHA-256 (Attachment.hash is SHA-1 in R4). */
export const SHA256_EXTENSION = 'urn:invent:fhir:extension:sha256';

export const coding = (system: string, code: string, display?: string): Coding => (display ? { system, code, display } : { system, code });
export const concept = (c: Coding, text?: string): CodeableConcept => (text ? { coding: [c], text } : { coding: [c] });
export const textOnly = (text: string): CodeableConcept => ({ text });

export const loinc = (code: string, display: string): CodeableConcept => ({ coding: [coding(SYS.loinc, code, display)], text: display });

/** An Arabic (or other) rendering of a string element, as the core translation extension. */
export const translation = (lang: string, content: string): Extension => ({
  url: EXT.translation,
  extension: [
    { url: 'lang', valueCode: lang },
    { url: 'content', valueString: content },
  ],
});

export const languageExt = (lang: string): Extension => ({ url: EXT.language, valueCode: lang });

const LANG_NAMES: Record<string, string> = { en: 'English', ar: 'Arabic' };
export const languageConcept = (lang: string): CodeableConcept => ({ coding: [coding(SYS.bcp47, lang, LANG_NAMES[lang])], text: LANG_NAMES[lang] ?? lang });

/** A date-time as FHIR wants it: our ISO UTC strings already are; a bare date is a valid dateTime too. */
export const dateTime = (iso: string) => iso;

/** XHTML narrative for free text: escaped, one paragraph per line. */
export function narrative(text: string): { status: 'additional'; div: string } {
  // XML 1.0 has no place for control characters other than tab and newline.
  const esc = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const paras = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `<p>${esc(l)}</p>`)
    .join('');
  return { status: 'additional', div: `<div xmlns="http://www.w3.org/1999/xhtml">${paras || '<p/>'}</div>` };
}
