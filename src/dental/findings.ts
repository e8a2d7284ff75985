// What can be charted, and the dated entries that chart it. An entry is never changed once written:
// a correction is a new entry (remove the finding, or record the right one), so the chart of any
// past date can be rebuilt from the entries up to that date (fold.ts).
import { isTooth, toothInfo } from './teeth.ts';

/** Mesial, occlusal (incisal on front teeth), distal, buccal (labial/facial), lingual (palatal on upper teeth). */
export const SURFACES = ['M', 'O', 'D', 'B', 'L'] as const;
export type Surface = (typeof SURFACES)[number];
export const isSurface = (s: unknown): s is Surface => (SURFACES as readonly unknown[]).includes(s);

/** What the tooth is: one of these at a time (the latest wins). */
export const TOOTH_STATES = ['present', 'missing', 'extracted', 'implant', 'to-extract'] as const;
/** Whole-tooth treatments, each on its own alongside the state (a crowned, root-filled tooth). */
export const TOOTH_TREATMENTS = ['crown', 'bridge', 'root-canal'] as const;
export const SURFACE_FINDINGS = ['caries', 'filling', 'fracture', 'sealant'] as const;
/** A note alone, with no finding. */
export const NOTE = 'note';

export const TOOTH_FINDINGS = [...TOOTH_STATES, ...TOOTH_TREATMENTS] as const;
export const FINDINGS = [...TOOTH_FINDINGS, ...SURFACE_FINDINGS, NOTE] as const;
export type ToothState = (typeof TOOTH_STATES)[number];
export type FindingKind = (typeof FINDINGS)[number];
export const isFinding = (s: unknown): s is FindingKind => (FINDINGS as readonly unknown[]).includes(s);

export const isSurfaceFinding = (k: FindingKind) => (SURFACE_FINDINGS as readonly string[]).includes(k);
export const isToothState = (k: FindingKind): k is ToothState => (TOOTH_STATES as readonly string[]).includes(k);

/** Treatments: these may be planned before they are done. Conditions (caries, missing...) are only found. */
export const PLANNABLE: ReadonlySet<FindingKind> = new Set<FindingKind>(['extracted', 'implant', 'crown', 'bridge', 'root-canal', 'filling', 'sealant']);
/** Restorations that are made of something. */
export const WITH_MATERIAL: ReadonlySet<FindingKind> = new Set<FindingKind>(['filling', 'crown', 'bridge']);

export const MATERIALS = ['amalgam', 'composite', 'glass-ionomer', 'ceramic', 'gold', 'metal-ceramic', 'zirconia', 'temporary', 'other'] as const;
export type Material = (typeof MATERIALS)[number];
export const isMaterial = (s: unknown): s is Material => (MATERIALS as readonly unknown[]).includes(s);

export const STATUSES = ['completed', 'planned'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * record: the finding holds from now on. remove: it no longer holds (treated, or charted in error).
 * reject: a reviewer turns down the pending drafts on that spot, changing nothing else.
 */
export const ACTIONS = ['record', 'remove', 'reject'] as const;
export type Action = (typeof ACTIONS)[number];

export interface DentalEntry {
  id: string;
  patientId: string;
  /** FDI number. */
  tooth: number;
  /** null: the whole tooth. */
  surface: Surface | null;
  finding: FindingKind;
  action: Action;
  status: Status;
  material: Material | null;
  /** Recorded by someone who may only propose (an assistant): shown apart until a dentist settles it. */
  draft: boolean;
  /** Free text (sealed in the database); '' when none. */
  note: string;
  /** ISO UTC, when it was recorded. */
  at: string;
  /** User id of the author. */
  by: string;
}

/** Where a finding sits: the tooth's state is one spot; every other finding has its own. */
export const slotOf = (finding: FindingKind): string => (isToothState(finding) ? 'state' : finding);
export const slotKey = (e: { surface: Surface | null; finding: FindingKind }) => `${e.surface ?? 'tooth'}:${slotOf(e.finding)}`;

/** One submission of the tooth form: one finding on the tooth or on several surfaces at once. */
export interface EntryInput {
  tooth: number;
  surfaces: Surface[];
  finding: FindingKind;
  action: Action;
  status: Status;
  material: Material | null;
  note: string;
}

export const NOTE_MAX = 1000;

/** Control characters (but tab and newline) and bidi overrides have no place in a note. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

export type EntryProblem =
  | 'dental.error.tooth'
  | 'dental.error.surfaceNeeded'
  | 'dental.error.noSurfaces'
  | 'dental.error.notPlannable'
  | 'dental.error.noMaterial'
  | 'dental.error.noteNeeded'
  | 'dental.error.noteAction'
  | 'dental.error.draftAction'
  | 'form.invalid'
  | 'form.tooLong';

/**
 * Checks a submission against the chart's rules; errors are keyed by form field. Draft authors
 * may only propose findings, never remove or reject them.
 */
export function checkEntry(input: EntryInput, opts: { draft: boolean }): Record<string, EntryProblem> {
  const errors: Record<string, EntryProblem> = {};
  if (!isTooth(input.tooth)) errors.tooth = 'dental.error.tooth';
  const surfaceKind = isSurfaceFinding(input.finding);
  if (surfaceKind && input.surfaces.length === 0) errors.surfaces = 'dental.error.surfaceNeeded';
  if (!surfaceKind && input.surfaces.length > 0) errors.surfaces = 'dental.error.noSurfaces';
  if (input.status === 'planned' && !PLANNABLE.has(input.finding)) errors.status = 'dental.error.notPlannable';
  if (input.material && !WITH_MATERIAL.has(input.finding)) errors.material = 'dental.error.noMaterial';
  if (input.finding === NOTE && input.action !== 'record') errors.action = 'dental.error.noteAction';
  if (input.finding === NOTE && !input.note.trim()) errors.note = 'dental.error.noteNeeded';
  if (opts.draft && input.action !== 'record') errors.action = 'dental.error.draftAction';
  if (input.note.length > NOTE_MAX) errors.note = 'form.tooLong';
  else if (CONTROL.test(input.note)) errors.note = 'form.invalid';
  return errors;
}

/** The entries a valid submission makes: one per surface (or one for the whole tooth). */
export function toEntries(input: EntryInput, base: { patientId: string; at: string; by: string; draft: boolean }, newId: () => string): DentalEntry[] {
  const surfaces: (Surface | null)[] = input.surfaces.length > 0 ? [...new Set(input.surfaces)] : [null];
  return surfaces.map((surface) => ({
    id: newId(),
    patientId: base.patientId,
    tooth: input.tooth,
    surface,
    finding: input.finding,
    action: input.action,
    status: input.status,
    material: input.material,
    draft: base.draft,
    note: input.note.trim(),
    at: base.at,
    by: base.by,
  }));
}

/** The FHIR surface code of a surface of this tooth: front teeth have an incisal edge, not an occlusal face. */
export function surfaceCode(tooth: number, surface: Surface): 'M' | 'O' | 'I' | 'D' | 'B' | 'L' {
  return surface === 'O' && toothInfo(tooth).anterior ? 'I' : surface;
}

/** Message key suffix naming a surface of this tooth ('occlusal', 'incisal', 'palatal'...). */
export function surfaceName(tooth: number, surface: Surface): 'mesial' | 'distal' | 'occlusal' | 'incisal' | 'buccal' | 'labial' | 'lingual' | 'palatal' {
  const info = toothInfo(tooth);
  switch (surface) {
    case 'M':
      return 'mesial';
    case 'D':
      return 'distal';
    case 'O':
      return info.anterior ? 'incisal' : 'occlusal';
    case 'B':
      return info.anterior ? 'labial' : 'buccal';
    case 'L':
      return info.arch === 'upper' ? 'palatal' : 'lingual';
  }
}
