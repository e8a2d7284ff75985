// PatientRecord: everything the clinic holds about one patient, decrypted, as plain data. It is what
// src/archive/patient-record.ts gathers from the database and what the archive's parts (record.json,
// medical-history.pdf, per-encounter PDFs) are made from. Types only: nothing here touches a database.
import type { Patient, HistoryEntry } from '../../features/patients/repo.ts';
import type { Addendum, Allergy, Diagnosis, EncounterListItem, EncounterNotes, Medication, Problem, Procedure, Vitals } from '../../features/clinical/types.ts';
import type { Prescription } from '../../features/prescriptions/repo.ts';
import type { DentalEntry } from '../../dental/findings.ts';

/** Who wrote a row and when (ISO UTC): the recorder/asserter of the FHIR resource. */
export interface Recorded {
  recordedBy: string;
  recordedAt: string;
}

/** A member of staff the record names (author, signer, prescriber, nurse...). */
export interface StaffMember {
  id: string;
  /** Display name; the id itself when the person is unknown to this installation ('operator'). */
  name: string;
  /** The licence number last entered on a prescription form, if any. */
  licenceNo?: string | null;
}

export interface RecordEncounter extends EncounterListItem {
  notes: EncounterNotes;
  signedAt: string | null;
  signedBy: string | null;
  updatedAt: string;
  diagnoses: (Diagnosis & Recorded)[];
  procedures: (Procedure & Recorded)[];
  /** The same rows as PatientRecord.vitals with this encounterId (for per-encounter documents). */
  vitals: Vitals[];
  addenda: Addendum[];
}

/**
 * An attachment (issue 6) as it sits in the archive. `path` is where its bytes are inside the ZIP
 * (`attachments/<id>_<safe name>`); DocumentReference points at it with a relative URL.
 */
export interface DocumentInput {
  id: string;
  title: string;
  /** imaging | lab | referral | id-insurance | other (free text is kept as it is). */
  category: string;
  mediaType: string;
  bytes: number;
  /** SHA-256 of the original bytes, hex. */
  sha256: string;
  /** ISO UTC of the upload. */
  created: string;
  uploadedBy: string;
  path: string;
  originalName?: string;
  encounterId?: string | null;
  /** YYYY-MM-DD the image was taken or the report issued. */
  takenOn?: string | null;
  /** Deleted attachments stay in the record, marked (status entered-in-error). */
  deleted?: boolean;
}

/** FHIR R4 consent scopes (http://terminology.hl7.org/CodeSystem/consentscope). */
export type ConsentScopeCode = 'treatment' | 'patient-privacy' | 'research' | 'adr';

/**
 * A signed consent record (issue 6). `path` is its signed PDF inside the ZIP (`consents/<date>_<id>.pdf`).
 * A withdrawn consent maps to Consent.status inactive with the withdrawal date ending its provision.
 */
export interface ConsentInput {
  id: string;
  title: string;
  scope: ConsentScopeCode;
  status: 'active' | 'withdrawn';
  /** YYYY-MM-DD, the clinic's date of signing. */
  signedOn: string;
  /** ISO UTC, when it was recorded. */
  recordedAt: string;
  recordedBy: string;
  signer: 'patient' | 'guardian';
  guardianName?: string | null;
  guardianRelationship?: string | null;
  witnessId?: string | null;
  templateVersion?: number;
  path: string;
  pdfSha256: string;
  pdfBytes: number;
  withdrawnOn?: string | null;
}

export interface PatientRecord {
  clinic: { id: string; slug: string; name: string; timezone: string };
  patient: Patient;
  /** Corrections of the demographics (rectification), oldest first, with the values they replaced. */
  history: HistoryEntry[];
  /** Everyone the record names; the bundle's Practitioner resources. */
  staff: StaffMember[];
  /** Oldest first. */
  encounters: RecordEncounter[];
  /** Every vitals row of the patient, with or without an encounter, oldest first. */
  vitals: Vitals[];
  allergies: Allergy[];
  problems: (Problem & { recordedBy: string })[];
  medications: (Medication & { recordedBy: string })[];
  /** Oldest first, each with its items in order. */
  prescriptions: Prescription[];
  /** The dental chart's entries (append-only, oldest first); the bundle holds the findings standing now. */
  dental?: DentalEntry[];
  /** Issue 6 parts the archive builder supplies (it knows each file's path inside the ZIP). */
  documents?: DocumentInput[];
  consents?: ConsentInput[];
}
