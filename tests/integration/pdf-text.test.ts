// Generated PDFs read back with poppler's pdftotext, the way a records clerk's copy-paste or a search
// indexer will see them.
//
// What poppler returns for right-to-left text (measured, poppler-utils on Debian): each run of Arabic letters
// in logical order, wrapped in U+202B (RLE) ... U+202C (PDF); on a page where Arabic outweighs Latin the
// whole line is RLE-wrapped and Latin runs sit in U+202A (LRE) ... U+202C. Digits and punctuation count as
// left-to-right for poppler, so "٢ أقراص" comes back with the ٢ beside, not before, the word. The checks
// below therefore strip the embedding controls and look for Arabic phrases, not whole mixed lines.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { wrapText } from '../../src/pdf/bidi-text.ts';
import { PdfWriter } from '../../src/pdf/document.ts';
import { folderAssets } from '../../src/platform/node/assets.ts';

const dir = mkdtempSync(join(tmpdir(), 'invent-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const assets = folderAssets();
const when = new Date('2025-12-04T18:06:00Z');

let n = 0;
/** pdftotext -layout of the whole file, or of one page, without poppler's bidi embedding controls. */
function extract(bytes: Uint8Array, page?: number): string {
  const file = join(dir, `doc-${++n}.pdf`);
  writeFileSync(file, bytes);
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  const out = spawnSync('pdftotext', ['-layout', ...range, file, '-'], { encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  return out.stdout.replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
}

const MIXED = 'Patient: محمد عبدالله — CPR 900101234';
const DOSE = 'Dose: ٢ أقراص مرتين يوميًا (2 tablets twice daily)';
const ARABIC_PARAGRAPH =
  'يسعدنا أن نرحب بكم في العيادة ويرجى إحضار البطاقة الشخصية وجميع التقارير الطبية السابقة عند كل زيارة والوصول قبل الموعد بخمس عشرة دقيقة لإتمام إجراءات التسجيل وإبلاغ الطبيب بأي حساسية من الأدوية';

describe('PDF text layer, read back by pdftotext', () => {
  it('extracts mixed Arabic/Latin lines with every Arabic phrase in logical order', async () => {
    const w = await PdfWriter.create({ assets, lang: 'en', title: 'Text layer', createdAt: when });
    w.letterhead({ name: 'Invent Medical Clinic', nameAr: 'عيادة إنفنت الطبية', address: 'Road 45, Manama, Bahrain', addressAr: 'طريق ٤٥، المنامة، البحرين' });
    w.heading('Summary');
    w.paragraph(MIXED);
    w.paragraph('الله أكبر');
    w.paragraph(DOSE);
    w.paragraph('The quick brown fox jumps over the lazy dog, 3 times.');
    w.keyValues([['Name', 'محمد عبدالله'], ['Allergies', 'Penicillin, and a reaction to latex gloves noted in 2019']]);
    // Poppler picks one direction per page by majority; page 2 is mostly Arabic.
    w.newPage();
    w.paragraph(ARABIC_PARAGRAPH);
    w.paragraph(MIXED);
    const bytes = await w.save({ generatedAt: when, generatedBy: 'Dr Sara Ahmed' });
    const line = (text: string, has: string) => text.split('\n').find((l) => l.includes(has)) ?? '';

    const page1 = extract(bytes, 1);
    // Latin, then the Arabic name (logical order), then the CPR number, on one line.
    expect(line(page1, 'Patient:')).toMatch(/^Patient:.*محمد عبدالله.*CPR 900101234$/);
    // With the 'liga' feature on, Naskh draws الله as one glyph and this comes back as "اهلل".
    expect(line(page1, 'أكبر').trim()).toBe('الله أكبر');
    expect(line(page1, 'Dose:')).toMatch(/^Dose:.*أقراص مرتين يوميًا.*٢.*2 tablets twice daily/);
    expect(page1).toContain('The quick brown fox jumps over the lazy dog, 3 times.');
    expect(line(page1, 'Invent Medical Clinic')).toMatch(/Invent Medical Clinic\s+عيادة إنفنت الطبية$/);
    expect(page1).toMatch(/Name\s+محمد عبدالله/);
    expect(page1).toContain('Page 1 of 2');
    expect(page1).toContain('Generated 4 Dec 2025, 21:06 by Dr Sara Ahmed');

    const page2 = extract(bytes, 2);
    // The paragraph wrapped; each line comes back whole, in logical order.
    const wrapped = wrapText(ARABIC_PARAGRAPH, w.style(), w.width);
    expect(wrapped.length).toBeGreaterThanOrEqual(2);
    for (const l of wrapped) expect(line(page2, l.text).trim(), l.text).toBe(l.text);
    expect(wrapped.map((l) => l.text).join(' ')).toBe(ARABIC_PARAGRAPH);
    // On a right-to-left page poppler writes the same mixed line as an RTL paragraph: pieces from the right.
    expect(line(page2, 'Patient:')).toMatch(/CPR 900101234.*محمد عبدالله.*Patient:/);

    // Subset fonts: the four full TTFs are 1.4 MB; two pages of text are a few tens of KB.
    expect(bytes.length).toBeLessThan(120_000);
  });

  it('is byte-for-byte reproducible for the same input and time, so archive hashes are stable', async () => {
    const make = async () => {
      const w = await PdfWriter.create({ assets, lang: 'ar', title: 'Repro', createdAt: when });
      w.paragraph(MIXED);
      return w.save({ generatedAt: when, generatedBy: 'x' });
    };
    const [a, b] = [await make(), await make()];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('control: the same line drawn naively with pdf-lib comes back broken, so the checks above can fail', async () => {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const naskh = (await assets.read('static/fonts/NotoNaskhArabic-Regular.ttf'))!;
    const font = await doc.embedFont(naskh, { subset: true, features: { liga: false } });
    const ligatures = await doc.embedFont(naskh, { subset: true });
    const page = doc.addPage();
    page.drawText(MIXED, { x: 50, y: 700, size: 12, font });
    page.drawText('الله أكبر', { x: 50, y: 650, size: 12, font: ligatures });
    const text = extract(await doc.save());
    expect(text).not.toContain('محمد عبدالله');
    expect(text).not.toContain('الله أكبر');
  });

  it('flows onto new pages and numbers them "Page N of M" and "صفحة N من M"', async () => {
    const w = await PdfWriter.create({ assets, lang: 'ar', createdAt: when });
    w.heading('ملخص السجل الطبي');
    w.table(
      [{ header: 'التاريخ', width: 1 }, { header: 'الملاحظة', width: 3 }],
      Array.from({ length: 40 }, (_, i) => [`2025-11-${String((i % 28) + 1).padStart(2, '0')}`, `زيارة رقم ${i + 1}: ${ARABIC_PARAGRAPH}`]),
    );
    const bytes = await w.save({ generatedAt: when, generatedBy: 'د. سارة أحمد' });
    const total = w.pages.length;
    expect(total).toBeGreaterThanOrEqual(3);
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(total);
    for (let p = 1; p <= total; p++) {
      const text = extract(bytes, p);
      expect(text).toContain(`Page ${p} of ${total}`);
      // Poppler treats digits as left-to-right islands and moves the spaces around them.
      expect(text).toMatch(new RegExp(`صفحة\\s*${p}\\s*من\\s*${total}`));
      expect(text).toContain('سارة أحمد');
      // The table header repeats on every page.
      expect(text).toMatch(/الملاحظة\s+التاريخ/);
    }
    // Every visit made it, once, in order.
    const all = extract(bytes);
    const visits = [...all.matchAll(/زيارة رقم\s*:?(\d+)/g)].map((m) => Number(m[1]));
    expect(visits).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});
