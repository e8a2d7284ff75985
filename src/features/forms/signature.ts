// A drawn signature as data: strokes of integer points on a fixed 600 x 200 grid, posted by
// static/js/signature.js as "v1 x,y x,y;x,y ..." (strokes split by ';'). Compact, vector (drawn as
// SVG on the page and as a path in the PDF, sharp at any size), and checkable to the last byte,
// which an uploaded image is not. Anything else (a PNG data URL, stray characters, points off the
// grid, too many points) is refused, as is a dot or a tick too small to be a signature.

export const PAD_WIDTH = 600;
export const PAD_HEIGHT = 200;
/** Longest accepted encoding; a long, careful signature measures ~4 KB. */
export const MAX_SIGNATURE_CHARS = 16_000;
export const MAX_STROKES = 60;
export const MAX_POINTS = 2_000;
/** The ink must span at least this much of the pad one way or the other. */
const MIN_SPAN = 40;

export type Point = readonly [number, number];
export type Strokes = Point[][];

export type SignatureProblem = 'consents.error.signatureInvalid' | 'consents.error.signatureTooLarge' | 'consents.error.signatureEmpty';

const FORMAT = /^v1 \d{1,3},\d{1,3}(?: \d{1,3},\d{1,3})*(?:;\d{1,3},\d{1,3}(?: \d{1,3},\d{1,3})*)*$/;

export function parseSignature(text: string): { ok: true; strokes: Strokes } | { ok: false; problem: SignatureProblem } {
  if (text.length > MAX_SIGNATURE_CHARS) return { ok: false, problem: 'consents.error.signatureTooLarge' };
  if (!FORMAT.test(text)) return { ok: false, problem: 'consents.error.signatureInvalid' };
  const strokes: Strokes = text
    .slice(3)
    .split(';')
    .map((s) => s.split(' ').map((p) => p.split(',').map(Number) as unknown as Point));
  const points = strokes.reduce((n, s) => n + s.length, 0);
  if (strokes.length > MAX_STROKES || points > MAX_POINTS) return { ok: false, problem: 'consents.error.signatureTooLarge' };
  if (strokes.some((s) => s.some(([x, y]) => x > PAD_WIDTH || y > PAD_HEIGHT))) return { ok: false, problem: 'consents.error.signatureInvalid' };
  const xs = strokes.flat().map((p) => p[0]);
  const ys = strokes.flat().map((p) => p[1]);
  if (points < 3 || Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) < MIN_SPAN) {
    return { ok: false, problem: 'consents.error.signatureEmpty' };
  }
  return { ok: true, strokes };
}

/** The strokes as an SVG path (y down, the pad's grid); a one-point stroke becomes a dot. */
export function svgPath(strokes: Strokes): string {
  return strokes
    .map((s) => {
      const [first, ...rest] = s;
      if (!first) return '';
      const tail = rest.length === 0 ? ' l 0.5 0' : rest.map(([x, y]) => ` L ${x} ${y}`).join('');
      return `M ${first[0]} ${first[1]}${tail}`;
    })
    .join(' ');
}

/** The path of a stored signature (already checked when it was saved). */
export function storedPath(text: string): string {
  const parsed = parseSignature(text);
  return parsed.ok ? svgPath(parsed.strokes) : '';
}
