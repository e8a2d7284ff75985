// The PDF text layer below the drawing: bidi runs, font choice, wrapping, measuring, font loading.
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyse, visualRuns, type Coverage } from '../../src/pdf/bidi-runs.ts';
import { alignedX, isolate, layoutLine, measureText, wrapText, type TextStyle } from '../../src/pdf/bidi-text.ts';
import { embedFonts, loadFontBytes, type PdfFonts } from '../../src/pdf/fonts.ts';
import { folderAssets } from '../../src/platform/node/assets.ts';
import type { Assets } from '../../src/platform/ports.ts';

// Coverage like the real pair: Naskh has Arabic, space and a little punctuation but no brackets or Latin.
const arabic = new Set<number>([0x20, 0x2e, 0xa0]);
for (let c = 0x600; c <= 0x6ff; c++) arabic.add(c);
const latin = new Set<number>();
for (let c = 0x20; c <= 0x24f; c++) latin.add(c);
for (const c of [0x2014, 0x2013, 0x202f]) latin.add(c);
const covers: Coverage = { latin, arabic };

/** Runs as "script:text", left to right on the page; text is what is handed to fontkit. */
function runs(text: string, dir: 'ltr' | 'rtl' | 'auto' = 'auto') {
  const p = analyse(text, dir);
  return { dir: p.dir, runs: visualRuns(p, 0, p.units.length, covers).map((r) => `${r.script}:${r.text}`) };
}

describe('bidi runs', () => {
  it('a Latin-first mixed line is left to right with the Arabic name as one run in logical order', () => {
    expect(runs('Patient: محمد عبدالله — CPR 900101234')).toEqual({
      dir: 'ltr',
      runs: ['latin:Patient: ', 'arabic:محمد عبدالله', 'latin: — CPR 900101234'],
    });
  });

  it('an Arabic-first line is right to left; brackets at odd levels are mirrored by us, not by the font', () => {
    expect(runs('المريض (CPR 900101234) — الجرعة')).toEqual({
      dir: 'rtl',
      // Leftmost first: the last logical word, then the Latin part with "(" and ")" swapped back into place.
      runs: ['arabic:الجرعة', 'latin: — (CPR 900101234) ', 'arabic:المريض'],
    });
  });

  it('digits inside an Arabic run are pre-reversed, because fontkit reverses the whole run again', () => {
    // Visually ١٢٣ reads left to right inside the right-to-left phrase; fontkit will flip "٣٢١" back.
    expect(runs('الجرعة ١٢٣ ملغ').runs).toEqual(['arabic:الجرعة ٣٢١ ملغ']);
    // Arabic-Indic digits are Arabic script, so fontkit reverses them even alone; Latin digits it leaves be.
    expect(runs('١٢٣', 'rtl').runs).toEqual(['arabic:٣٢١']);
    expect(runs('الجرعة 123 ملغ').runs).toEqual(['arabic:ملغ', 'latin: 123 ', 'arabic:الجرعة']);
  });

  it('an Arabic phrase inside Latin text keeps Arabic-Indic digits and harakat with it', () => {
    expect(runs('Dose: ٢ أقراص مرتين يوميًا (2 tablets twice daily)').runs).toEqual([
      'latin:Dose: ',
      'arabic:٢ أقراص مرتين يوميًا',
      'latin: (2 tablets twice daily)',
    ]);
  });

  it('a direction can be forced, and isolates keep embedded Latin text whole; controls are never drawn', () => {
    expect(runs('٢ أقراص (2 tablets)', 'rtl').runs).toEqual(['latin:(tablets 2) ', 'arabic:٢ أقراص']);
    expect(runs(`٢ أقراص (${isolate('2 tablets')})`, 'rtl').runs).toEqual(['latin:(2 tablets) ', 'arabic:٢ أقراص']);
    expect(runs('abc', 'rtl')).toEqual({ dir: 'rtl', runs: ['latin:abc'] });
    expect(runs('\u200fabc\u200e').runs.join('')).not.toMatch(/[\u200e\u200f]/);
  });

  it('a character the preferred font lacks falls back to the other font', () => {
    // U+060C (Arabic comma) is Common script but only Naskh has it; "(" is only in Noto Sans.
    expect(runs('نعم، لا').runs).toEqual(['arabic:نعم، لا']);
    expect(runs('(نعم)').runs).toEqual(['latin:(', 'arabic:نعم', 'latin:)']);
  });
});

describe('measuring and wrapping', () => {
  let fonts: PdfFonts;
  let style: TextStyle;
  beforeAll(async () => {
    fonts = await embedFonts(await PDFDocument.create(), folderAssets());
    style = { face: fonts.regular, size: 12 };
  });

  it('measures a mixed line as the sum of its runs, bold wider than regular', () => {
    const line = layoutLine('Patient: محمد عبدالله — CPR 900101234', style);
    expect(line.runs.map((r) => r.font)).toEqual([fonts.regular.latin, fonts.regular.arabic, fonts.regular.latin]);
    expect(line.width).toBeCloseTo(line.runs.reduce((s, r) => s + r.width, 0), 6);
    expect(line.width).toBeGreaterThan(150);
    expect(measureText(line.text, { ...style, face: fonts.bold })).toBeGreaterThan(line.width);
    expect(measureText(line.text, { ...style, size: 24 })).toBeCloseTo(line.width * 2, 6);
  });

  it('wraps an Arabic paragraph at spaces within the width, losing no word, each line right to left', () => {
    const text =
      'يسعدنا أن نرحب بكم في العيادة ويرجى إحضار البطاقة الشخصية وجميع التقارير الطبية السابقة عند كل زيارة والوصول قبل الموعد بخمس عشرة دقيقة';
    const lines = wrapText(text, style, 180);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) {
      expect(l.width).toBeLessThanOrEqual(180);
      expect(l.dir).toBe('rtl');
      expect(l.text).toBe(l.text.trim());
    }
    expect(lines.map((l) => l.text).join(' ')).toBe(text);
    // Greedy: the next line's first word would not have fitted.
    const [first, second] = lines;
    expect(measureText(`${first!.text} ${second!.text.split(' ')[0]}`, style)).toBeGreaterThan(180);
  });

  it('keeps the paragraph direction on every line, breaks over-long words, not no-break spaces', () => {
    const lines = wrapText('Notes: محمد عبدالله محمد عبدالله محمد عبدالله محمد عبدالله', style, 120);
    expect(lines.map((l) => l.dir)).toEqual(lines.map(() => 'ltr'));
    const hash = 'a3f1c9e07b5d24681f0e9c3b7a5d2e4f6081a3c5e7f9b1d3'.repeat(2);
    const broken = wrapText(hash, style, 100);
    expect(broken.length).toBeGreaterThan(3);
    expect(broken.map((l) => l.text).join('')).toBe(hash);
    for (const l of broken) expect(l.width).toBeLessThanOrEqual(100);
    expect(wrapText('500\u00a0mg 500\u00a0mg', style, 50).map((l) => l.text)).toEqual(['500\u00a0mg', '500\u00a0mg']);
    expect(wrapText('one\n\nتحت', style, 300).map((l) => [l.text, l.dir])).toEqual([['one', 'ltr'], ['', 'ltr'], ['تحت', 'rtl']]);
  });

  it('aligns right-to-left lines to the right edge by default, left-to-right ones to the left', () => {
    const rtl = layoutLine('الله أكبر', style);
    const ltr = layoutLine('Allahu akbar', style);
    expect(alignedX(rtl, { x: 50, y: 0, width: 400 })).toBeCloseTo(450 - rtl.width, 6);
    expect(alignedX(ltr, { x: 50, y: 0, width: 400 })).toBe(50);
    expect(alignedX(ltr, { x: 50, y: 0, width: 400, align: 'end' })).toBeCloseTo(450 - ltr.width, 6);
    expect(alignedX(rtl, { x: 50, y: 0, width: 400, align: 'center' })).toBeCloseTo(50 + (400 - rtl.width) / 2, 6);
  });
});

describe('font loading', () => {
  it('reads the four shipped fonts once per Assets and says which one is missing', async () => {
    const real = folderAssets();
    const reads: string[] = [];
    const counting: Assets = { read: (rel) => (reads.push(rel), real.read(rel)) };
    const a = await loadFontBytes(counting);
    const b = await loadFontBytes(counting);
    expect(b).toBe(a);
    expect(reads.sort()).toEqual([
      'static/fonts/NotoNaskhArabic-Bold.ttf',
      'static/fonts/NotoNaskhArabic-Regular.ttf',
      'static/fonts/NotoSans-Bold.ttf',
      'static/fonts/NotoSans-Regular.ttf',
    ]);
    const licence = new TextDecoder().decode(await real.read('static/fonts/OFL.txt'));
    expect(licence).toMatch(/SIL OPEN FONT LICENSE Version 1\.1/);
    expect(licence).toMatch(/Copyright 2019-2020 Google LLC/);

    const missing: Assets = { read: async (rel) => (rel.endsWith('NotoSans-Bold.ttf') ? undefined : real.read(rel)) };
    await expect(embedFonts(await PDFDocument.create(), missing)).rejects.toThrow(/NotoSans-Bold\.ttf/);
  });
});
