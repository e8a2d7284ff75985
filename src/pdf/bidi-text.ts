// Measuring, wrapping and drawing lines of mixed Arabic/Latin text with pdf-lib. Every line is laid out
// once (bidi, fonts, widths) and then drawn run by run; see bidi-runs.ts for why pdf-lib cannot be given
// the whole line.
import { rgb, type Color, type PDFFont, type PDFPage } from 'pdf-lib';
import type { FontFace } from './fonts.ts';
import { analyse, isBreakSpace, sliceText, visualRuns, type Direction, type Paragraph } from './bidi-runs.ts';

export type { Direction } from './bidi-runs.ts';

export interface TextStyle {
  face: FontFace;
  size: number;
  color?: Color;
}

export interface DirOptions {
  /** 'auto' (default): the first strong character decides, so an Arabic-first line is right-to-left. */
  dir?: Direction | 'auto';
  /** Direction of a line with no strong character at all (digits, punctuation): usually the document's. */
  fallbackDir?: Direction;
}

export interface Run {
  text: string;
  font: PDFFont;
  width: number;
}

/** One line, ready to draw: runs left to right, total width in points. */
export interface LaidLine {
  /** Logical text, for tests and accessibility; not what is drawn. */
  text: string;
  dir: Direction;
  size: number;
  width: number;
  runs: Run[];
}

export type Align = 'start' | 'end' | 'left' | 'right' | 'center';

export interface DrawBox {
  x: number;
  /** Baseline. */
  y: number;
  /** Box width, needed for right, end and center alignment. */
  width?: number;
  /** 'start' (default) is left for a left-to-right line and right for a right-to-left one. */
  align?: Align;
  color?: Color;
}

const BLACK = rgb(0, 0, 0);

// Widths at size 1, per font and run text: wrapping measures the same words again and again, and fontkit's
// shaping is the slow part (widths scale linearly with size, and pdf-lib ignores GPOS, so they add up).
const widthCache = new WeakMap<PDFFont, Map<string, number>>();

function runWidth(font: PDFFont, text: string, size: number): number {
  let perFont = widthCache.get(font);
  if (!perFont) widthCache.set(font, (perFont = new Map()));
  let unit = perFont.get(text);
  if (unit === undefined) {
    unit = font.widthOfTextAtSize(text, 1);
    if (perFont.size > 5000) perFont.clear();
    perFont.set(text, unit);
  }
  return unit * size;
}

function laidLine(p: Paragraph, from: number, to: number, style: TextStyle): LaidLine {
  const covers = { latin: style.face.latinCovers, arabic: style.face.arabicCovers };
  const runs = visualRuns(p, from, to, covers).map((r) => {
    const font = r.script === 'arabic' ? style.face.arabic : style.face.latin;
    return { text: r.text, font, width: runWidth(font, r.text, style.size) };
  });
  const width = runs.reduce((sum, r) => sum + r.width, 0);
  return { text: sliceText(p, from, to), dir: p.dir, size: style.size, width, runs };
}

/**
 * Wraps user-entered text (a name, a drug, a number) in FSI...PDI so it keeps its own direction inside a
 * sentence in the other script: without it, "٢ أقراص (2 tablets)" in an Arabic line shows "(tablets 2)",
 * as the Unicode rules (and every browser) would.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/** Lays out one line without wrapping. */
export function layoutLine(text: string, style: TextStyle, opts: DirOptions = {}): LaidLine {
  const p = analyse(text, opts.dir ?? 'auto', opts.fallbackDir);
  return laidLine(p, 0, p.units.length, style);
}

export function measureText(text: string, style: TextStyle, opts: DirOptions = {}): number {
  return layoutLine(text, style, opts).width;
}

/**
 * Wraps a paragraph to `maxWidth`, breaking at spaces (any script); a word wider than a whole line is
 * broken between characters rather than overflowing the margin. Levels are resolved once for the whole
 * paragraph and each line is reordered on its own (UAX #9 rules L1-L2), as a browser does. Hard line
 * breaks in `text` start a new paragraph, each with its own direction.
 */
export function wrapText(text: string, style: TextStyle, maxWidth: number, opts: DirOptions = {}): LaidLine[] {
  const out: LaidLine[] = [];
  for (const para of text.split(/\r\n|[\n\r\u2028\u2029]/)) {
    const p = analyse(para, opts.dir ?? 'auto', opts.fallbackDir);
    const lines = breakParagraph(p, style, maxWidth);
    if (lines.length === 0) out.push(laidLine(p, 0, 0, style));
    out.push(...lines);
  }
  return out;
}

function breakParagraph(p: Paragraph, style: TextStyle, maxWidth: number): LaidLine[] {
  const words = wordRanges(p);
  // Each word measured alone; a line's width is then close to the sum (exact up to which font draws a
  // space), so the greedy fill adds widths and only the chosen line is laid out whole and checked.
  const widths = words.map(([a, b]) => laidLine(p, a, b, style).width);
  const space = runWidth(style.face.latin, ' ', style.size);
  const lines: LaidLine[] = [];
  let i = 0;
  while (i < words.length) {
    const [start, firstEnd] = words[i]!;
    if (widths[i]! > maxWidth) {
      const [line, cut] = breakLongWord(p, start, firstEnd, style, maxWidth);
      lines.push(line);
      if (cut >= firstEnd) i++;
      else {
        words[i] = [cut, firstEnd];
        widths[i] = laidLine(p, cut, firstEnd, style).width;
      }
      continue;
    }
    let j = i + 1;
    let sum = widths[i]!;
    while (j < words.length && sum + space * (words[j]![0] - words[j - 1]![1]) + widths[j]! <= maxWidth) {
      sum += space * (words[j]![0] - words[j - 1]![1]) + widths[j]!;
      j++;
    }
    let line = laidLine(p, start, words[j - 1]![1], style);
    while (line.width > maxWidth && j - 1 > i) {
      j--;
      line = laidLine(p, start, words[j - 1]![1], style);
    }
    lines.push(line);
    i = j;
  }
  return lines;
}

/** [start, end) unit ranges of the space-separated words. */
function wordRanges(p: Paragraph): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let k = 0; k < p.units.length; ) {
    if (isBreakSpace(p, k)) {
      k++;
      continue;
    }
    const start = k;
    while (k < p.units.length && !isBreakSpace(p, k)) k++;
    out.push([start, k]);
  }
  return out;
}

function breakLongWord(p: Paragraph, start: number, end: number, style: TextStyle, maxWidth: number): [LaidLine, number] {
  let cut = start + 1;
  let line = laidLine(p, start, cut, style);
  for (let k = start + 2; k < end; k++) {
    const next = laidLine(p, start, k, style);
    if (next.width > maxWidth) break;
    line = next;
    cut = k;
  }
  return [line, cut];
}

/** Left edge of a line in the box, by alignment and the line's direction. */
export function alignedX(line: Pick<LaidLine, 'dir' | 'width'>, box: DrawBox): number {
  const align = box.align ?? 'start';
  const side =
    align === 'center' ? 'center' : align === 'left' || align === 'right' ? align : (align === 'start') === (line.dir === 'ltr') ? 'left' : 'right';
  if (side === 'left' || box.width === undefined) return box.x;
  const free = box.width - line.width;
  return side === 'right' ? box.x + free : box.x + free / 2;
}

/** Draws a laid-out line, run by run, advancing by each run's measured width. */
export function drawLine(page: PDFPage, line: LaidLine, box: DrawBox): void {
  let x = alignedX(line, box);
  for (const run of line.runs) {
    // Spaces are drawn too: they put real spaces in the text layer for copy-paste and pdftotext.
    if (run.text) page.drawText(run.text, { x, y: box.y, size: line.size, font: run.font, color: box.color ?? BLACK });
    x += run.width;
  }
}

/** Lays out and draws one line of text (no wrapping); returns its width. */
export function drawTextLine(page: PDFPage, text: string, style: TextStyle, box: DrawBox & DirOptions): number {
  const line = layoutLine(text, style, box);
  drawLine(page, line, { ...box, color: box.color ?? style.color });
  return line.width;
}
