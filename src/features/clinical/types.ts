// The shapes of clinical records as the service hands them out (decrypted).
export const ENCOUNTER_TYPES = ['consultation', 'follow-up', 'procedure', 'dental', 'telephone'] as const;
export type EncounterType = (typeof ENCOUNTER_TYPES)[number];
export const SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export const ALLERGY_STATUSES = ['active', 'inactive', 'resolved'] as const;
export const PROBLEM_STATUSES = ['active', 'resolved'] as const;
export const MEDICATION_STATUSES = ['active', 'stopped'] as const;

export const NOTE_FIELDS = ['chiefComplaint', 'subjective', 'objective', 'assessment', 'plan'] as const;
export type NoteField = (typeof NOTE_FIELDS)[number];
/** Empty string = not written. */
export type EncounterNotes = Record<NoteField, string>;

export const ENCOUNTER_ID = /^enc_[a-z2-7]{26}$/;

export interface EncounterListItem {
  id: string;
  patientId: string;
  startedAt: string;
  type: EncounterType;
  clinicianId: string;
  status: 'draft' | 'signed';
  chiefComplaint: string;
}

export interface Diagnosis {
  id: string;
  icd10: string | null;
  text: string;
}

export interface Procedure {
  id: string;
  code: string | null;
  text: string;
}

export interface Addendum {
  id: string;
  authorId: string;
  at: string;
  text: string;
}

export interface Vitals {
  id: string;
  encounterId: string | null;
  takenAt: string;
  takenBy: string;
  systolic: number | null;
  diastolic: number | null;
  pulse: number | null;
  temperatureC: number | null;
  respRate: number | null;
  spo2: number | null;
  weightKg: number | null;
  heightCm: number | null;
  bmi: number | null;
}

export interface Encounter extends EncounterListItem {
  notes: EncounterNotes;
  signedAt: string | null;
  signedBy: string | null;
  updatedAt: string;
  diagnoses: Diagnosis[];
  procedures: Procedure[];
  vitals: Vitals[];
  addenda: Addendum[];
}

export interface Allergy {
  id: string;
  substance: string;
  reaction: string;
  severity: (typeof SEVERITIES)[number];
  status: (typeof ALLERGY_STATUSES)[number];
  recordedAt: string;
  recordedBy: string;
}

export interface Problem {
  id: string;
  icd10: string | null;
  text: string;
  onset: string | null;
  status: (typeof PROBLEM_STATUSES)[number];
  recordedAt: string;
}

export interface Medication {
  id: string;
  name: string;
  strength: string;
  dose: string;
  status: (typeof MEDICATION_STATUSES)[number];
  startDate: string | null;
  stopDate: string | null;
  recordedAt: string;
}

export interface ClinicalSummaryData {
  allergies: Allergy[];
  problems: Problem[];
  activeMedications: Medication[];
  lastVitals: Vitals | null;
  recentEncounters: EncounterListItem[];
}

export interface EncounterPage {
  items: EncounterListItem[];
  /** Cursor for the next (older) page, or undefined at the end. */
  next?: string;
}
