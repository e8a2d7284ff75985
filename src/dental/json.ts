// charts/dental.json of the patient archive: the chart per tooth and surface in FDI numbering, each
// finding with its date and author, and the full history of entries it was folded from. Plain
// data with stable names, so that another system can read it without this code.
import type { DentalEntry } from './findings.ts';
import { foldChart, type Finding } from './fold.ts';
import { toUniversal, toothInfo } from './teeth.ts';

export const DENTAL_JSON_FORMAT = 'invent-dental-chart';
export const DENTAL_JSON_VERSION = 1;

export interface JsonAuthor {
  id: string;
  name: string | null;
}

export interface JsonFinding {
  entryId: string;
  finding: string;
  status: 'completed' | 'planned';
  material: string | null;
  draft: boolean;
  note: string | null;
  recordedAt: string;
  recordedBy: JsonAuthor;
}

export interface JsonTooth {
  /** FDI (ISO 3950) number, as text: '16', '55'. */
  fdi: string;
  universal: string;
  dentition: 'permanent' | 'primary';
  arch: 'upper' | 'lower';
  side: 'right' | 'left';
  /** The recorded state; null when none was recorded (the tooth is taken to be present). */
  state: JsonFinding | null;
  /** Completed whole-tooth treatments (crown, bridge, root canal). */
  tooth: JsonFinding[];
  /** Completed findings per surface: M, O (occlusal or incisal), D, B (buccal or labial), L (lingual or palatal). */
  surfaces: Partial<Record<'M' | 'O' | 'D' | 'B' | 'L', JsonFinding[]>>;
  planned: (JsonFinding & { surface: string | null })[];
  drafts: (JsonFinding & { surface: string | null })[];
  notes: { entryId: string; note: string; recordedAt: string; recordedBy: JsonAuthor }[];
}

export interface JsonEntry {
  id: string;
  fdi: string;
  surface: string | null;
  finding: string;
  action: 'record' | 'remove' | 'reject';
  status: 'completed' | 'planned';
  material: string | null;
  draft: boolean;
  note: string | null;
  recordedAt: string;
  recordedBy: JsonAuthor;
}

export interface DentalChartJson {
  format: typeof DENTAL_JSON_FORMAT;
  version: typeof DENTAL_JSON_VERSION;
  numbering: 'FDI';
  patientId: string;
  /** Entries recorded before this instant (ISO UTC) are folded in; null: all of them. */
  asOf: string | null;
  teeth: JsonTooth[];
  /** Every entry up to asOf, oldest first: the chart can be folded again from these alone. */
  history: JsonEntry[];
}

/**
 * The chart as data. `entries` are the patient's entries in the order recorded; `names` maps user
 * ids to display names (absent names are null, the id stays).
 */
export function dentalChartJson(entries: readonly DentalEntry[], opts: { patientId: string; names?: Map<string, string>; until?: string | null }): DentalChartJson {
  const chart = foldChart(entries, opts.until);
  const author = (id: string): JsonAuthor => ({ id, name: opts.names?.get(id) ?? null });
  const finding = (f: Finding): JsonFinding => ({
    entryId: f.entryId,
    finding: f.finding,
    status: f.status,
    material: f.material,
    draft: f.draft,
    note: f.note || null,
    recordedAt: f.at,
    recordedBy: author(f.by),
  });
  const teeth: JsonTooth[] = [...chart.teeth.values()].map((t) => {
    const info = toothInfo(t.tooth);
    const surfaces: JsonTooth['surfaces'] = {};
    for (const f of t.findings) if (f.surface) (surfaces[f.surface] ??= []).push(finding(f));
    return {
      fdi: String(t.tooth),
      universal: toUniversal(t.tooth),
      dentition: info.dentition,
      arch: info.arch,
      side: info.side,
      state: t.state ? finding(t.state) : null,
      tooth: t.findings.filter((f) => f.surface === null).map(finding),
      surfaces,
      planned: t.planned.map((f) => ({ ...finding(f), surface: f.surface })),
      drafts: t.drafts.map((f) => ({ ...finding(f), surface: f.surface })),
      notes: t.notes.map((f) => ({ entryId: f.entryId, note: f.note, recordedAt: f.at, recordedBy: author(f.by) })),
    };
  });
  const history: JsonEntry[] = entries
    .filter((e) => !opts.until || e.at < opts.until)
    .map((e) => ({
      id: e.id,
      fdi: String(e.tooth),
      surface: e.surface,
      finding: e.finding,
      action: e.action,
      status: e.status,
      material: e.material,
      draft: e.draft,
      note: e.note || null,
      recordedAt: e.at,
      recordedBy: author(e.by),
    }));
  return { format: DENTAL_JSON_FORMAT, version: DENTAL_JSON_VERSION, numbering: 'FDI', patientId: opts.patientId, asOf: opts.until ?? null, teeth, history };
}
