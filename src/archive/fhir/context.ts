// Stable ids and in-bundle references. Every resource id is a UUID derived from the clinic id and our
// own row id, so the same patient gives the same ids on every build (a reader can diff two archives),
// and every reference is made here, against resources the bundle is known to hold.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { FhirResource, Reference } from './types.ts';

/**
 * A name-based UUID: SHA-256 of (clinic id, name), first 16 bytes, version 8 and the RFC 9562
 * variant set. Version 8 ("custom") rather than 5, because 5 means SHA-1.
 */
export function stableUuid(clinicId: string, name: string): string {
  const b = sha256(new TextEncoder().encode(`invent-fhir\u0000${clinicId}\u0000${name}`)).slice(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = encodeHexLowerCase(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const fullUrlOf = (uuid: string) => `urn:uuid:${uuid}`;

/** A reference to a resource already made (and bound for the bundle). */
export const refTo = (r: FhirResource): Reference => ({ reference: fullUrlOf(r.id), type: r.resourceType });

/** What every mapper (and a plug-in such as the dental chart's) needs to name and link resources. */
export interface FhirContext {
  clinicId: string;
  /** Namespace of the clinic's own identifiers (MRN, user ids, prescription ids). */
  identifierBase: string;
  /** ISO UTC of this build (used to decide whether a prescription's course is over). */
  generatedAt: string;
  /** The stable id of the resource of `type` made from our row `ourId` (and `part`, when one row makes several). */
  uuid(type: string, ourId: string, part?: string): string;
  /** A reference to that resource; the caller must put the resource in the bundle. */
  ref(type: string, ourId: string, part?: string): Reference;
  patient: Reference;
  organization: Reference;
  /** A member of staff; the bundle gets a Practitioner for everyone referenced this way. */
  practitioner(userId: string): Reference;
  /** The encounter, when the record holds it; otherwise undefined (never a dangling reference). */
  encounter(encounterId: string | null | undefined): Reference | undefined;
}

export interface ContextState {
  ctx: FhirContext;
  /** Staff ids referenced so far, in first-use order. */
  usedStaff: () => string[];
}

export function createContext(opts: {
  clinicId: string;
  patientId: string;
  identifierBase: string;
  generatedAt: string;
  encounterIds: Iterable<string>;
  staffNames: Map<string, string>;
}): ContextState {
  const encounters = new Set(opts.encounterIds);
  const used = new Set<string>();
  // The same target is referenced many times (the patient, the clinician): hash each name once.
  const memo = new Map<string, string>();
  const uuid = (type: string, ourId: string, part?: string) => {
    const name = `${type}/${ourId}${part ? `#${part}` : ''}`;
    let id = memo.get(name);
    if (!id) memo.set(name, (id = stableUuid(opts.clinicId, name)));
    return id;
  };
  const ref = (type: string, ourId: string, part?: string): Reference => ({ reference: fullUrlOf(uuid(type, ourId, part)), type });
  const ctx: FhirContext = {
    clinicId: opts.clinicId,
    identifierBase: opts.identifierBase,
    generatedAt: opts.generatedAt,
    uuid,
    ref,
    patient: ref('Patient', opts.patientId),
    organization: ref('Organization', opts.clinicId),
    practitioner(userId) {
      used.add(userId);
      const name = opts.staffNames.get(userId);
      return name ? { ...ref('Practitioner', userId), display: name } : ref('Practitioner', userId);
    },
    encounter: (id) => (id && encounters.has(id) ? ref('Encounter', id) : undefined),
  };
  return { ctx, usedStaff: () => [...used] };
}
