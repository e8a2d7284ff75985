// Where each tooth and surface sits in the odontogram, as the dentist faces the patient: the
// patient's right on the viewer's left, upper arch on top, each tooth a square of five surfaces
// (four trapezoids round an occlusal centre). Pure numbers; odontogram.tsx draws them.
import type { Surface } from '../../../src/dental/findings.ts';
import { PERMANENT_TEETH, PRIMARY_TEETH, toothInfo, type DentitionView } from '../../../src/dental/teeth.ts';

export type { DentitionView };

export const CELL = 44;
export const SQ = 32;
export const INSET = 10;
const GAP = 24;
const MX = 24;
const TOP = 26;
const ROW_H = 66;
const ARCH_GAP = 14;

export const WIDTH = MX * 2 + 16 * CELL + GAP;
export const MIDLINE = MX + 8 * CELL + GAP / 2;

export interface RowLayout {
  upper: boolean;
  /** Teeth of the row, left to right as drawn. */
  teeth: number[];
  y: number;
}

/** The x of a tooth's cell: the patient's right half counts out from the midline leftwards. */
export function cellX(fdi: number): number {
  const { side, position } = toothInfo(fdi);
  return side === 'right' ? MX + (8 - position) * CELL : MX + 8 * CELL + GAP + (position - 1) * CELL;
}

const rowTeeth = (list: readonly number[], upper: boolean) =>
  list.filter((n) => (toothInfo(n).arch === 'upper') === upper).sort((a, b) => cellX(a) - cellX(b));

export interface ChartLayout {
  rows: RowLayout[];
  /** y of the line between the arches. */
  archLine: number;
  /** y where the rows end. */
  bottom: number;
}

export function layoutOf(dentition: DentitionView): ChartLayout {
  const upper: number[][] = [];
  const lower: number[][] = [];
  if (dentition !== 'primary') upper.push(rowTeeth(PERMANENT_TEETH, true));
  if (dentition !== 'permanent') {
    upper.push(rowTeeth(PRIMARY_TEETH, true));
    lower.push(rowTeeth(PRIMARY_TEETH, false));
  }
  if (dentition !== 'primary') lower.push(rowTeeth(PERMANENT_TEETH, false));
  const rows: RowLayout[] = [];
  let y = TOP;
  for (const teeth of upper) {
    rows.push({ upper: true, teeth, y });
    y += ROW_H;
  }
  const archLine = y + ARCH_GAP / 2;
  y += ARCH_GAP;
  for (const teeth of lower) {
    rows.push({ upper: false, teeth, y });
    y += ROW_H;
  }
  return { rows, archLine, bottom: y };
}

export interface ToothBox {
  /** The cell. */
  x: number;
  /** Top-left of the surface square. */
  sx: number;
  sy: number;
  /** The root zone (between the number and the square): implants and root canals are drawn here. */
  rootY: number;
  rootH: number;
  /** Baseline of the tooth number. */
  labelY: number;
}

export function boxOf(fdi: number, row: RowLayout): ToothBox {
  const x = cellX(fdi);
  const sx = x + (CELL - SQ) / 2;
  return row.upper
    ? { x, sx, sy: row.y + 30, rootY: row.y + 16, rootH: 12, labelY: row.y + 12 }
    : { x, sx, sy: row.y + 4, rootY: row.y + 38, rootH: 12, labelY: row.y + 62 };
}

type Side = 'top' | 'right' | 'bottom' | 'left' | 'centre';

/** Which side of the square shows which surface: outer face on the outside of the arch, mesial towards the midline. */
export function sideOf(fdi: number, surface: Surface): Side {
  const { arch, side } = toothInfo(fdi);
  switch (surface) {
    case 'O':
      return 'centre';
    case 'B':
      return arch === 'upper' ? 'top' : 'bottom';
    case 'L':
      return arch === 'upper' ? 'bottom' : 'top';
    case 'M':
      return side === 'right' ? 'right' : 'left';
    case 'D':
      return side === 'right' ? 'left' : 'right';
  }
}

/** The polygon points of one side of the surface square at (x, y). */
export function pointsOf(side: Side, x: number, y: number): string {
  const s = SQ;
  const i = INSET;
  const pts: [number, number][] = {
    top: [[x, y], [x + s, y], [x + s - i, y + i], [x + i, y + i]],
    right: [[x + s, y], [x + s, y + s], [x + s - i, y + s - i], [x + s - i, y + i]],
    bottom: [[x, y + s], [x + s, y + s], [x + s - i, y + s - i], [x + i, y + s - i]],
    left: [[x, y], [x, y + s], [x + i, y + s - i], [x + i, y + i]],
    centre: [[x + i, y + i], [x + s - i, y + i], [x + s - i, y + s - i], [x + i, y + s - i]],
  }[side] as [number, number][];
  return pts.map(([a, b]) => `${a},${b}`).join(' ');
}
