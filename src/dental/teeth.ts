// Tooth numbering. FDI (ISO 3950) is what we store and export: two digits, quadrant then position
// from the midline; permanent quadrants 1-4 (positions 1-8), primary quadrants 5-8 (positions 1-5).
// Universal (ADA) numbering is only a way of showing them: permanent 1-32 from the upper right third
// molar round to the lower right, primary A-T the same way round.

export type Dentition = 'permanent' | 'primary';
export type Numbering = 'fdi' | 'universal';
export const NUMBERINGS = ['fdi', 'universal'] as const;
/** Which teeth a chart shows. */
export const DENTITION_VIEWS = ['permanent', 'primary', 'both'] as const;
export type DentitionView = (typeof DENTITION_VIEWS)[number];

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The 32 permanent teeth, 11-18, 21-28, 31-38, 41-48. */
export const PERMANENT_TEETH: readonly number[] = [1, 2, 3, 4].flatMap((q) => range(1, 8).map((p) => q * 10 + p));
/** The 20 primary teeth, 51-55, 61-65, 71-75, 81-85. */
export const PRIMARY_TEETH: readonly number[] = [5, 6, 7, 8].flatMap((q) => range(1, 5).map((p) => q * 10 + p));
export const ALL_TEETH: readonly number[] = [...PERMANENT_TEETH, ...PRIMARY_TEETH];

const KNOWN = new Set(ALL_TEETH);
export const isTooth = (n: unknown): n is number => typeof n === 'number' && KNOWN.has(n);

/** A tooth number from text ('16'), or undefined when it names no tooth. */
export function parseFdi(text: string): number | undefined {
  if (!/^[1-8][1-8]$/.test(text)) return undefined;
  const n = Number(text);
  return isTooth(n) ? n : undefined;
}

export interface ToothInfo {
  fdi: number;
  quadrant: number;
  /** 1 (central incisor) outwards. */
  position: number;
  dentition: Dentition;
  arch: 'upper' | 'lower';
  /** The patient's side (shown on the viewer's opposite side). */
  side: 'right' | 'left';
  /** Incisors and canines: their chewing edge is incisal and their outer face labial. */
  anterior: boolean;
  /** Message key suffix of the tooth's kind ('firstMolar'). */
  kind: ToothKind;
}

export type ToothKind =
  | 'centralIncisor'
  | 'lateralIncisor'
  | 'canine'
  | 'firstPremolar'
  | 'secondPremolar'
  | 'firstMolar'
  | 'secondMolar'
  | 'thirdMolar';

const PERMANENT_KINDS: ToothKind[] = ['centralIncisor', 'lateralIncisor', 'canine', 'firstPremolar', 'secondPremolar', 'firstMolar', 'secondMolar', 'thirdMolar'];
const PRIMARY_KINDS: ToothKind[] = ['centralIncisor', 'lateralIncisor', 'canine', 'firstMolar', 'secondMolar'];

export function toothInfo(fdi: number): ToothInfo {
  if (!isTooth(fdi)) throw new RangeError(`not an FDI tooth number: ${fdi}`);
  const quadrant = Math.floor(fdi / 10);
  const position = fdi % 10;
  const dentition: Dentition = quadrant <= 4 ? 'permanent' : 'primary';
  const q = ((quadrant - 1) % 4) + 1; // 1-4 for both dentitions
  return {
    fdi,
    quadrant,
    position,
    dentition,
    arch: q <= 2 ? 'upper' : 'lower',
    side: q === 1 || q === 4 ? 'right' : 'left',
    anterior: position <= 3,
    kind: (dentition === 'permanent' ? PERMANENT_KINDS : PRIMARY_KINDS)[position - 1]!,
  };
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRST';

/**
 * FDI -> Universal. Universal counts round the mouth from the patient's upper right: up the right
 * upper quadrant towards the midline, out along the upper left, back along the lower left, and
 * out along the lower right.
 */
export function toUniversal(fdi: number): string {
  const { quadrant: q, position: p, dentition } = toothInfo(fdi);
  if (dentition === 'permanent') {
    const n = q === 1 ? 9 - p : q === 2 ? 8 + p : q === 3 ? 25 - p : 24 + p;
    return String(n);
  }
  const i = q === 5 ? 6 - p : q === 6 ? 5 + p : q === 7 ? 16 - p : 15 + p;
  return LETTERS[i - 1]!;
}

/** Universal -> FDI ('3' -> 16, 'a' -> 55); undefined for anything else. */
export function fromUniversal(text: string): number | undefined {
  const s = text.trim().toUpperCase();
  if (/^[A-T]$/.test(s)) {
    const i = LETTERS.indexOf(s) + 1;
    if (i <= 5) return 50 + (6 - i);
    if (i <= 10) return 60 + (i - 5);
    if (i <= 15) return 70 + (16 - i);
    return 80 + (i - 15);
  }
  if (!/^[1-9]\d?$/.test(s)) return undefined;
  const n = Number(s);
  if (n < 1 || n > 32) return undefined;
  if (n <= 8) return 10 + (9 - n);
  if (n <= 16) return 20 + (n - 8);
  if (n <= 24) return 30 + (25 - n);
  return 40 + (n - 24);
}

/** The number shown for a tooth in the chosen numbering. */
export const displayNumber = (fdi: number, numbering: Numbering): string => (numbering === 'universal' ? toUniversal(fdi) : String(fdi));
