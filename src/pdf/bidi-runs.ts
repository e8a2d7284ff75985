// Unicode bidi for one paragraph, turned into font runs that pdf-lib can draw left to right.
//
// Why by hand: pdf-lib hands each drawText string to fontkit, which shapes Arabic (joined forms) but then
// reverses the whole string whenever its first non-neutral character is in a right-to-left script. It knows
// nothing of the bidi algorithm, so a mixed line drawn as one string comes out scrambled. Here bidi-js gives
// the embedding levels, we reorder (rules L1, L2), mirror brackets ourselves, split by font, and hand fontkit
// each run in the order that its own reversal turns back into the visual order.
import bidiFactory from 'bidi-js';

export type Direction = 'ltr' | 'rtl';
export type Script = 'latin' | 'arabic';

/** A base character with the combining marks (harakat, ZWJ, variation selectors) that belong to it. */
interface Unit {
  text: string;
  level: number;
}

export interface Paragraph {
  text: string;
  dir: Direction;
  units: Unit[];
}

export interface RunSource {
  /** The string to pass to drawText with this script's font. */
  text: string;
  script: Script;
}

export interface Coverage {
  latin: ReadonlySet<number>;
  arabic: ReadonlySet<number>;
}

const bidi = bidiFactory();

// Arabic, Arabic Supplement, Extended-A/B, Presentation Forms A and B. Includes Arabic-Indic digits and the
// Arabic comma, which Noto Sans lacks.
const ARABIC_BLOCK = /[\u0600-\u06FF\u0750-\u077F\u0870-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/u;
const ATTACHES = /^[\p{M}\u200C\u200D\uFE00-\uFE0F]$/u;
// Explicit bidi controls and marks: they steer the levels, then must not be drawn (rule X9), or a
// font without a glyph for them would print a box.
const BIDI_CONTROL = /^[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]$/u;
const SPACE = /^\s$/u;
// Where a line may break: ordinary spaces, not no-break ones (U+00A0, U+202F, U+2007), which keep "500 mg" or
// a date together.
const BREAK_SPACE = /^[ \u1680\u2000-\u2006\u2008-\u200A\u205F\u3000]$/u;
// fontkit's own direction test: the first character whose script is not Common/Inherited decides.
const NEUTRAL_SCRIPT = /[\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]/u;
const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;

/** Resolves a paragraph's direction: 'auto' takes the first strong character (rule P2), else `fallback`. */
export function paragraphDirection(text: string, dir: Direction | 'auto', fallback: Direction = 'ltr'): Direction {
  if (dir !== 'auto') return dir;
  for (const ch of text) {
    const type = bidi.getBidiCharTypeName(ch);
    if (type === 'L') return 'ltr';
    if (type === 'R' || type === 'AL') return 'rtl';
  }
  return fallback;
}

/** Line breaks, tabs and other paragraph separators become spaces: one Paragraph is one bidi paragraph. */
export function analyse(raw: string, dir: Direction | 'auto' = 'auto', fallback: Direction = 'ltr'): Paragraph {
  const text = raw.replace(/[\r\n\t\v\f\u0085\u2028\u2029]/g, ' ');
  const resolved = paragraphDirection(text, dir, fallback);
  const { levels } = bidi.getEmbeddingLevels(text, resolved);
  const units: Unit[] = [];
  let i = 0;
  for (const ch of text) {
    const last = units[units.length - 1];
    if (last && ATTACHES.test(ch)) last.text += ch;
    else units.push({ text: ch, level: levels[i] ?? 0 });
    i += ch.length;
  }
  return { text, dir: resolved, units };
}

/** True where a line may break. */
export function isBreakSpace(p: Paragraph, i: number): boolean {
  const u = p.units[i];
  return !!u && BREAK_SPACE.test(u.text);
}

/** The text of units [from, to) in logical order. */
export function sliceText(p: Paragraph, from: number, to: number): string {
  return p.units.slice(from, to).map((u) => u.text).join('');
}

/** Font runs for units [from, to) of a paragraph, left to right as they appear on the page. */
export function visualRuns(p: Paragraph, from: number, to: number, covers: Coverage): RunSource[] {
  const base = p.dir === 'rtl' ? 1 : 0;
  const line = p.units.slice(from, to).map((u) => ({ ...u }));
  // L1: trailing white space takes the paragraph level, so it stays at the line's end.
  for (let k = line.length - 1; k >= 0 && SPACE.test(line[k]!.text); k--) line[k]!.level = base;
  const visual = reorder(line).filter((u) => !BIDI_CONTROL.test(firstChar(u.text)));
  const scripts = visual.map((u) => scriptOf(u, covers));
  // A space between two Arabic-font characters stays in their run: fewer runs, and the words of a phrase
  // are drawn as one piece.
  visual.forEach((u, k) => {
    const between = scripts[k - 1] === 'arabic' && scripts[k + 1] === 'arabic';
    if (between && SPACE.test(u.text) && covers.arabic.has(u.text.codePointAt(0)!)) scripts[k] = 'arabic';
  });
  const runs: { units: Unit[]; script: Script }[] = [];
  visual.forEach((u, k) => {
    const script = scripts[k]!;
    const last = runs[runs.length - 1];
    if (last && last.script === script) last.units.push(u);
    else runs.push({ units: [u], script });
  });
  return runs.map(({ units, script }) => {
    const text = units.map((u) => u.text).join('');
    // Give fontkit the reverse of what must appear when it will reverse the run itself (it does so for a
    // run that starts, after neutrals, with an Arabic letter; even-level digits inside it come back right).
    return { script, text: shaperReverses(text) ? units.map((u) => u.text).reverse().join('') : text };
  });
}

/** Rule L2 over units, then mirroring of brackets and the like at odd (right-to-left) levels. */
function reorder(line: Unit[]): Unit[] {
  const out = line.slice();
  let high = 0;
  let lowOdd = Infinity;
  for (const u of out) {
    high = Math.max(high, u.level);
    if (u.level % 2 === 1) lowOdd = Math.min(lowOdd, u.level);
  }
  for (let level = high; level >= lowOdd; level--) {
    for (let k = 0; k < out.length; ) {
      if (out[k]!.level < level) {
        k++;
        continue;
      }
      let end = k;
      while (end < out.length && out[end]!.level >= level) end++;
      out.splice(k, end - k, ...out.slice(k, end).reverse());
      k = end;
    }
  }
  return out.map((u) => {
    if (u.level % 2 === 0) return u;
    const ch = firstChar(u.text);
    const mirror = bidi.getMirroredCharacter(ch);
    return mirror ? { ...u, text: mirror + u.text.slice(ch.length) } : u;
  });
}

function scriptOf(u: Unit, covers: Coverage): Script {
  const cp = u.text.codePointAt(0) ?? 32;
  // Mirrored characters stay with Noto Sans: Naskh has no brackets, and its 'rtlm' feature would mirror a
  // second time.
  const wants: Script = ARABIC_BLOCK.test(u.text) && !bidi.getMirroredCharacter(firstChar(u.text)) ? 'arabic' : 'latin';
  const other: Script = wants === 'arabic' ? 'latin' : 'arabic';
  return !covers[wants].has(cp) && covers[other].has(cp) ? other : wants;
}

export function shaperReverses(text: string): boolean {
  for (const ch of text) if (!NEUTRAL_SCRIPT.test(ch)) return RTL_SCRIPT.test(ch);
  return false;
}

function firstChar(s: string): string {
  return String.fromCodePoint(s.codePointAt(0) ?? 32);
}
