// The few FHIR R4 shapes the mappers build. Loose on purpose: the resources are checked against the
// full R4 definitions by an independent validator in the tests (@medplum/core), not by these types.

export interface Coding {
  system?: string;
  code: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

/** A reference inside the bundle: `urn:uuid:<id>` plus the target's type (readers need not look it up). */
export interface Reference {
  reference: string;
  type: string;
  display?: string;
}

export interface Extension {
  url: string;
  valueCode?: string;
  valueString?: string;
  valueCodeableConcept?: CodeableConcept;
  extension?: Extension[];
}

export interface Identifier {
  use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
  type?: CodeableConcept;
  system?: string;
  value: string;
  assigner?: { display: string };
}

export interface Quantity {
  value: number;
  unit?: string;
  system?: string;
  code?: string;
}

export interface Period {
  start?: string;
  end?: string;
}

export interface Narrative {
  status: 'generated' | 'extensions' | 'additional' | 'empty';
  div: string;
}

/** Any resource: its type, its stable id, and whatever elements that type has. */
export interface FhirResource {
  resourceType: string;
  id: string;
  [element: string]: unknown;
}

export interface BundleEntry {
  fullUrl: string;
  resource: FhirResource;
}

export interface Bundle {
  resourceType: 'Bundle';
  id: string;
  meta: { lastUpdated: string };
  identifier: Identifier;
  type: 'collection';
  timestamp: string;
  entry: BundleEntry[];
}
