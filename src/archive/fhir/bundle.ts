// record.json: the whole PatientRecord as one FHIR R4 Bundle of type collection. Pure: the same
// record and options give the same JSON. Every reference is made through the FhirContext and checked
// here before the bundle is handed out, so a dangling reference fails the build instead of shipping.
import { fullUrlOf, createContext, refTo, type FhirContext } from './context.ts';
import { defaultIdentifierBase } from './codes.ts';
import { coverageResources, historyProvenance, organizationResource, patientResource, practitionerResource } from './patient.ts';
import { compositionResource, encounterResource, procedureResource } from './encounter.ts';
import { diagnosisResource, problemResource } from './conditions.ts';
import { vitalsObservations } from './vitals.ts';
import { allergyResource, medicationRequestResources, medicationStatementResource } from './medications.ts';
import { consentResource, documentReferenceResource, guardianResource } from './documents.ts';
import { dentalResources } from './dental.ts';
import type { PatientRecord } from './record.ts';
import type { Bundle, FhirResource, Reference } from './types.ts';

export interface BundleOptions {
  /** ISO UTC of this build: Bundle.timestamp, and "now" for whether a prescription's course is over. */
  generatedAt: string;
  /** Namespace of the clinic's identifiers; default `urn:invent:clinic:<clinic id>`. */
  identifierBase?: string;
  /**
   * Plug-ins adding resources made with the context (billing, later): ids from ctx.uuid, references
   * from ctx.ref / ctx.patient / ctx.encounter / ctx.practitioner.
   */
  extraResources?: ((ctx: FhirContext) => FhirResource[])[];
}

export class FhirBundleError extends Error {
  override name = 'FhirBundleError';
}

/** Drops undefined members (optional elements left out), so the JSON holds only what was recorded. */
function compact<T>(v: T): T {
  if (Array.isArray(v)) return v.map(compact) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = compact(x);
    return out as T;
  }
  return v;
}

/** Every `reference` string anywhere in a resource. */
export function referencesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const x of value) referencesIn(x, out);
  else if (value && typeof value === 'object') {
    for (const [k, x] of Object.entries(value)) {
      if (k === 'reference' && typeof x === 'string') out.push(x);
      else referencesIn(x, out);
    }
  }
  return out;
}

export function buildFhirBundle(record: PatientRecord, opts: BundleOptions): Bundle {
  const clinicId = record.clinic.id;
  const staffNames = new Map(record.staff.map((s) => [s.id, s.name]));
  const { ctx, usedStaff } = createContext({
    clinicId,
    patientId: record.patient.id,
    identifierBase: opts.identifierBase ?? defaultIdentifierBase(clinicId),
    generatedAt: opts.generatedAt,
    encounterIds: record.encounters.map((e) => e.id),
    staffNames,
  });

  const clinical: FhirResource[] = [];
  const vitalRefs = new Map<string, Reference[]>();
  const observations: FhirResource[] = [];
  for (const v of record.vitals) {
    const obs = vitalsObservations(ctx, v);
    observations.push(...obs);
    if (v.encounterId) vitalRefs.set(v.encounterId, [...(vitalRefs.get(v.encounterId) ?? []), ...obs.map(refTo)]);
  }
  for (const e of record.encounters) {
    clinical.push(encounterResource(ctx, e), compositionResource(ctx, e, vitalRefs.get(e.id) ?? []));
    for (const d of e.diagnoses) clinical.push(diagnosisResource(ctx, e, d));
    for (const p of e.procedures) clinical.push(procedureResource(ctx, e, p));
  }
  clinical.push(...observations);
  if (record.dental?.length) clinical.push(...dentalResources(ctx, record.dental, staffNames));
  for (const p of record.problems) clinical.push(problemResource(ctx, p));
  for (const a of record.allergies) clinical.push(allergyResource(ctx, a));
  for (const m of record.medications) clinical.push(medicationStatementResource(ctx, m));
  for (const rx of record.prescriptions) clinical.push(...medicationRequestResources(ctx, rx));
  for (const d of record.documents ?? []) clinical.push(documentReferenceResource(ctx, d));
  for (const c of record.consents ?? []) {
    const guardian = guardianResource(ctx, c);
    if (guardian) clinical.push(guardian);
    clinical.push(consentResource(ctx, c));
  }
  clinical.push(...coverageResources(ctx, record));
  for (const h of record.history) clinical.push(historyProvenance(ctx, h));
  for (const extra of opts.extraResources ?? []) clinical.push(...extra(ctx));

  // Practitioners last-computed, first-listed: everyone the record names, then anyone referenced
  // but unknown to the staff list (kept by id, so the reference still resolves).
  const known = new Map(record.staff.map((s) => [s.id, s]));
  const staffIds = [...new Set([...record.staff.map((s) => s.id), ...usedStaff()])];
  const practitioners = staffIds.map((id) => practitionerResource(ctx, known.get(id) ?? { id, name: id }));

  const resources = [organizationResource(ctx, record.clinic), patientResource(ctx, record), ...practitioners, ...clinical];
  const bundle: Bundle = {
    resourceType: 'Bundle',
    id: ctx.uuid('Bundle', record.patient.id),
    meta: { lastUpdated: opts.generatedAt },
    identifier: { system: `${ctx.identifierBase}:patient-record`, value: record.patient.id },
    type: 'collection',
    timestamp: opts.generatedAt,
    entry: resources.map((r) => ({ fullUrl: fullUrlOf(r.id), resource: compact(r) })),
  };
  checkBundle(bundle);
  return bundle;
}

/** Unique fullUrls, and every reference pointing at one of them. */
function checkBundle(bundle: Bundle): void {
  const urls = new Set<string>();
  for (const e of bundle.entry) {
    if (urls.has(e.fullUrl)) throw new FhirBundleError(`duplicate entry ${e.resource.resourceType} ${e.fullUrl}`);
    urls.add(e.fullUrl);
  }
  for (const e of bundle.entry) {
    for (const ref of referencesIn(e.resource)) {
      if (!urls.has(ref)) throw new FhirBundleError(`${e.resource.resourceType} ${e.fullUrl} refers to ${ref}, which is not in the bundle`);
    }
  }
}
