// The tooth form and the chart's display options: strict schemas (unknown fields refused, sizes
// bounded: AC6), and the links that keep the display options from page to page.
import { z } from 'zod';
import { ACTIONS, FINDINGS, MATERIALS, NOTE_MAX, STATUSES, SURFACES, type EntryInput, type Surface } from '../../dental/findings.ts';
import { DENTITION_VIEWS, NUMBERINGS, type DentitionView, type Numbering } from '../../dental/teeth.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const box = z.literal('1').optional();

export const entrySchema = z
  .object({
    finding: z.enum(FINDINGS),
    status: z.enum(STATUSES).optional().default('completed'),
    material: z.union([z.literal(''), z.enum(MATERIALS)]).optional().default(''),
    action: z.enum(ACTIONS).optional().default('record'),
    // Not trimmed here: checkEntry refuses what is too long or holds control characters, and the entry keeps it trimmed.
    note: z.string().max(NOTE_MAX).optional().default(''),
    surface_M: box,
    surface_O: box,
    surface_D: box,
    surface_B: box,
    surface_L: box,
    // Display options to come back to.
    numbering: z.enum(NUMBERINGS).optional(),
    dentition: z.enum(DENTITION_VIEWS).optional(),
  })
  .strict();
export type EntryForm = z.infer<typeof entrySchema>;

export function inputOf(tooth: number, f: EntryForm): EntryInput {
  return {
    tooth,
    surfaces: SURFACES.filter((s: Surface) => f[`surface_${s}`] === '1'),
    finding: f.finding,
    action: f.action,
    status: f.status,
    material: f.material || null,
    note: f.note,
  };
}

/** The chart's display options, from the query string (unknown keys are ignored: they change nothing). */
export const viewSchema = z.object({
  asOf: z.union([z.literal(''), z.string().regex(DAY)]).optional(),
  numbering: z.enum(NUMBERINGS).optional(),
  dentition: z.enum(DENTITION_VIEWS).optional(),
  done: z.enum(['saved', 'draft']).optional(),
});

export interface ViewOptions {
  numbering: Numbering;
  /** Absent: chosen from the chart (both when a primary tooth was ever charted). */
  dentition?: DentitionView | undefined;
  /** YYYY-MM-DD in the clinic's time zone; absent: today. */
  asOf?: string | undefined;
}

/** The link to the chart (or a tooth's page) that keeps the display options; defaults left out. */
export function dentalHref(patientId: string, v: ViewOptions, tooth?: number): string {
  const q = new URLSearchParams();
  if (v.asOf) q.set('asOf', v.asOf);
  if (v.numbering !== 'fdi') q.set('numbering', v.numbering);
  if (v.dentition) q.set('dentition', v.dentition);
  const query = q.toString();
  return `/patients/${patientId}/dental${tooth ? `/teeth/${tooth}` : ''}${query ? `?${query}` : ''}`;
}
