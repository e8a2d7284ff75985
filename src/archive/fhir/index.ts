// record.json's public surface: build the bundle from a PatientRecord (src/archive/patient-record.ts
// gathers one), with issue 6's documents and consents as optional inputs and plug-ins via the context.
export { buildFhirBundle, FhirBundleError, referencesIn, type BundleOptions } from './bundle.ts';
export { stableUuid, fullUrlOf, refTo, type FhirContext } from './context.ts';
export { CPR_SYSTEM, defaultIdentifierBase } from './codes.ts';
export { documentReferenceResource, consentResource, guardianResource } from './documents.ts';
export type { PatientRecord, RecordEncounter, StaffMember, DocumentInput, ConsentInput, ConsentScopeCode } from './record.ts';
export type { Bundle, BundleEntry, FhirResource, Reference } from './types.ts';
