// The chart at a moment: the fold of every entry recorded before it, in the order recorded.
// Three layers per tooth, each keyed by spot (slotKey): what is there (completed), what is planned,
// and drafts awaiting a dentist. Completing a treatment closes its plan; a dentist's entry on a spot
// settles the drafts there; a draft never changes the other two layers.
import { SURFACES, isToothState, slotKey, type DentalEntry, type FindingKind, type Material, type Status, type Surface, type ToothState } from './findings.ts';

export interface Finding {
  entryId: string;
  tooth: number;
  surface: Surface | null;
  finding: FindingKind;
  status: Status;
  material: Material | null;
  draft: boolean;
  note: string;
  at: string;
  by: string;
}

export interface ToothChart {
  tooth: number;
  /** The recorded state, or null when none was recorded (a tooth is present until charted otherwise). */
  state: Finding | null;
  /** Completed whole-tooth treatments and surface findings, tooth first, then surfaces in order. */
  findings: Finding[];
  planned: Finding[];
  drafts: Finding[];
  /** Entries with a note, newest first. */
  notes: Finding[];
  /** Every entry of this tooth up to the moment, in the order recorded. */
  history: DentalEntry[];
}

export interface DentalChart {
  /** Exclusive upper bound (ISO UTC) of the entries folded, or null for all of them. */
  until: string | null;
  /** Only teeth with at least one entry up to the moment. */
  teeth: Map<number, ToothChart>;
}

const findingOf = (e: DentalEntry): Finding => ({
  entryId: e.id,
  tooth: e.tooth,
  surface: e.surface,
  finding: e.finding,
  status: e.status,
  material: e.material,
  draft: e.draft,
  note: e.note,
  at: e.at,
  by: e.by,
});

const SURFACE_ORDER = new Map<Surface | null, number>([[null, -1], ...SURFACES.map((s, i) => [s, i] as const)]);
const bySpot = (a: Finding, b: Finding) => SURFACE_ORDER.get(a.surface)! - SURFACE_ORDER.get(b.surface)! || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);

interface Layers {
  completed: Map<string, Finding>;
  planned: Map<string, Finding>;
  /** Keyed by spot and status: a draft plan and a draft finding on one spot are two proposals. */
  drafts: Map<string, Finding>;
  notes: Finding[];
  history: DentalEntry[];
}

function apply(l: Layers, e: DentalEntry): void {
  l.history.push(e);
  if (e.note) l.notes.unshift(findingOf(e));
  if (e.finding === 'note') return;
  const key = slotKey(e);
  if (e.draft) {
    if (e.action === 'record') l.drafts.set(`${key}:${e.status}`, findingOf(e));
    return;
  }
  for (const k of [...l.drafts.keys()]) if (k.startsWith(`${key}:`)) l.drafts.delete(k);
  if (e.action === 'reject') return;
  const layer = e.status === 'planned' ? l.planned : l.completed;
  if (e.action === 'remove') {
    // Only what was named goes: removing "missing" leaves an "implant" recorded since.
    if (layer.get(key)?.finding === e.finding) layer.delete(key);
    return;
  }
  layer.set(key, findingOf(e));
  if (e.status === 'completed') l.planned.delete(key);
}

/**
 * Folds entries (in the order they were recorded) up to `until` (exclusive ISO UTC instant; absent:
 * all of them) into the chart as it stood then.
 */
export function foldChart(entries: readonly DentalEntry[], until?: string | null): DentalChart {
  const layers = new Map<number, Layers>();
  for (const e of entries) {
    if (until && e.at >= until) continue;
    let l = layers.get(e.tooth);
    if (!l) layers.set(e.tooth, (l = { completed: new Map(), planned: new Map(), drafts: new Map(), notes: [], history: [] }));
    apply(l, e);
  }
  const teeth = new Map<number, ToothChart>();
  for (const tooth of [...layers.keys()].sort((a, b) => a - b)) {
    const l = layers.get(tooth)!;
    const completed = [...l.completed.values()];
    teeth.set(tooth, {
      tooth,
      state: completed.find((f) => isToothState(f.finding)) ?? null,
      findings: completed.filter((f) => !isToothState(f.finding)).sort(bySpot),
      planned: [...l.planned.values()].sort(bySpot),
      drafts: [...l.drafts.values()].sort(bySpot),
      notes: l.notes,
      history: l.history,
    });
  }
  return { until: until ?? null, teeth };
}

/** The recorded state of a tooth, 'present' when none was recorded. */
export const stateOf = (t: ToothChart | undefined): ToothState => (t?.state?.finding as ToothState | undefined) ?? 'present';

/** Completed findings on one surface of a tooth. */
export const onSurface = (t: ToothChart | undefined, surface: Surface): Finding[] => t?.findings.filter((f) => f.surface === surface) ?? [];
