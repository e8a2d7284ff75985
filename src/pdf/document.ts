// A small flow-layout writer over pdf-lib: A4 pages, a cursor that moves down and opens new pages,
// headings, paragraphs, key-value rows, tables (table.ts), a bilingual letterhead and page footers.
// Generic on purpose: prescriptions, consent forms and archive summaries build on it.
import { PDFDocument, rgb, type Color, type PDFContentStream, type PDFPage, type PDFRef } from 'pdf-lib';
import type { Lang } from '../i18n/index.ts';
import { formatDateTime } from '../i18n/format.ts';
import type { Assets } from '../platform/ports.ts';
import { embedFonts, type FontFace, type PdfFonts } from './fonts.ts';
import { drawLine, drawTextLine, wrapText, type Align, type Direction, type LaidLine, type TextStyle } from './bidi-text.ts';
import { drawTable, type TableColumn, type TableOptions } from './table.ts';

export const A4: [number, number] = [595.28, 841.89];
export const MUTED = rgb(0.35, 0.35, 0.35);
export const RULE = rgb(0.75, 0.75, 0.75);
/** Line height as a multiple of the font size: Naskh's tall ascenders and deep descenders need room. */
export const LEADING = 1.55;

export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface PdfWriterOptions {
  assets: Assets;
  /** Document language: sets the default direction (ar = right to left), footer labels and PDF /Lang. */
  lang: Lang;
  title?: string;
  subject?: string;
  /** Body text size in points (default 10). */
  fontSize?: number;
  /** The bottom margin must leave room for the footer (two small lines). */
  margins?: Partial<Margins>;
  /** Written as the PDF's creation date; pass the Clock's time so output is reproducible. */
  createdAt?: Date;
}

export interface TextOptions {
  bold?: boolean;
  size?: number;
  color?: Color;
  /** Default 'start' of the paragraph's own direction, so an Arabic paragraph in an English document is right-aligned. */
  align?: Align;
  dir?: Direction | 'auto';
}

export interface LetterheadOptions {
  name: string;
  nameAr: string;
  address?: string;
  addressAr?: string;
  /** Further lines (phone, e-mail, licence number), centred. */
  lines?: string[];
}

export interface FooterLabels {
  /** Drawn at the document's start side. */
  page(n: number, m: number): string;
  /** Drawn at the end side, in the other script; null for none. */
  pageOther: ((n: number, m: number) => string) | null;
  generated(when: string, by: string): string;
}

export interface FooterOptions {
  generatedAt: Date;
  generatedBy: string;
  timeZone?: string;
  /** Overrides, e.g. from the message catalogue. */
  labels?: Partial<FooterLabels>;
}

const PAGE_EN = (n: number, m: number) => `Page ${n} of ${m}`;
const PAGE_AR = (n: number, m: number) => `صفحة ${n} من ${m}`;
const DEFAULT_LABELS: Record<Lang, FooterLabels> = {
  en: { page: PAGE_EN, pageOther: PAGE_AR, generated: (when, by) => `Generated ${when} by ${by}` },
  ar: { page: PAGE_AR, pageOther: PAGE_EN, generated: (when, by) => `أُنشئ في ${when} بواسطة ${by}` },
};

export class PdfWriter {
  readonly pages: PDFPage[] = [];
  readonly dir: Direction;
  readonly margins: Margins;
  readonly fontSize: number;
  /** Distance from the page's bottom edge to the top of the next thing drawn. */
  y = 0;

  private constructor(
    readonly doc: PDFDocument,
    readonly fonts: PdfFonts,
    readonly lang: Lang,
    opts: PdfWriterOptions,
  ) {
    this.dir = lang === 'ar' ? 'rtl' : 'ltr';
    this.margins = { top: 50, right: 50, bottom: 64, left: 50, ...opts.margins };
    this.fontSize = opts.fontSize ?? 10;
    this.newPage();
  }

  static async create(opts: PdfWriterOptions): Promise<PdfWriter> {
    // updateMetadata off: pdf-lib would otherwise stamp its own producer and the wall-clock time.
    const doc = await PDFDocument.create({ updateMetadata: false });
    const fonts = await embedFonts(doc, opts.assets);
    const created = opts.createdAt ?? new Date();
    doc.setCreationDate(created);
    doc.setModificationDate(created);
    doc.setCreator('Invent Medical');
    doc.setProducer('Invent Medical (pdf-lib)');
    doc.setLanguage(opts.lang === 'ar' ? 'ar-BH' : 'en-GB');
    if (opts.title) doc.setTitle(opts.title, { showInWindowTitleBar: true });
    if (opts.subject) doc.setSubject(opts.subject);
    return new PdfWriter(doc, fonts, opts.lang, opts);
  }

  get page(): PDFPage {
    return this.pages[this.pages.length - 1]!;
  }
  get left(): number {
    return this.margins.left;
  }
  get width(): number {
    return this.page.getWidth() - this.margins.left - this.margins.right;
  }
  /** Vertical room left on the current page. */
  get remaining(): number {
    return this.y - this.margins.bottom;
  }

  face(bold = false): FontFace {
    return bold ? this.fonts.bold : this.fonts.regular;
  }
  lineHeight(size = this.fontSize): number {
    return size * LEADING;
  }

  newPage(): void {
    const last = this.pages[this.pages.length - 1];
    if (last) this.freeze(last);
    this.pages.push(this.doc.addPage(A4));
    this.y = this.page.getHeight() - this.margins.top;
  }

  /** Opens a new page unless `height` still fits on this one. */
  /**
   * Turns a finished page's drawing operations into its compressed content stream now, instead of
   * keeping every operator object of every page until save(): a history of hundreds of pages then
   * holds one page's operators at a time. pdf-lib has no API for this: it keeps the page's current
   * stream in two fields, and clearing them makes any later drawing on the page (footers, a table
   * of contents) start a new stream appended to the page's /Contents.
   */
  private freeze(page: PDFPage): void {
    const p = page as unknown as { contentStream?: PDFContentStream; contentStreamRef?: PDFRef };
    if (!p.contentStream || !p.contentStreamRef) return;
    this.doc.context.assign(p.contentStreamRef, this.doc.context.flateStream(p.contentStream.getUnencodedContents()));
    p.contentStream = undefined;
    p.contentStreamRef = undefined;
  }

  ensureSpace(height: number): void {
    if (height > this.remaining && this.y < this.page.getHeight() - this.margins.top) this.newPage();
  }

  space(points: number): void {
    this.y -= Math.min(points, Math.max(this.remaining, 0));
  }

  /** Draws laid-out lines at the cursor in a column [x, x + width], breaking pages between lines. */
  flowLines(lines: LaidLine[], x: number, width: number, opts: { align?: Align; color?: Color } = {}): void {
    for (const line of lines) {
      const h = this.lineHeight(line.size);
      this.ensureSpace(h);
      drawLine(this.page, line, { x, y: this.baseline(line.size), width, align: opts.align, color: opts.color });
      this.y -= h;
    }
  }

  /** Baseline of a line whose box starts at the cursor; ~0.45 em stays free below for descenders. */
  baseline(size: number, top = this.y): number {
    return top - size * 1.1;
  }

  paragraph(text: string, opts: TextOptions = {}): void {
    const style = this.style(opts);
    const lines = wrapText(text, style, this.width, { dir: opts.dir ?? 'auto', fallbackDir: this.dir });
    this.flowLines(lines, this.left, this.width, { align: opts.align, color: opts.color });
  }

  heading(text: string, level: 1 | 2 | 3 = 1): void {
    const size = this.fontSize * ([1.6, 1.3, 1.1] as const)[level - 1]!;
    this.space(this.y < this.page.getHeight() - this.margins.top ? size * 0.6 : 0);
    // Keep the heading with at least two lines of what follows.
    this.ensureSpace(this.lineHeight(size) + 2 * this.lineHeight());
    this.paragraph(text, { bold: true, size, dir: 'auto' });
    this.space(size * 0.2);
  }

  /** Label/value rows: labels bold in a narrow column at the start side, values wrapping beside them. */
  keyValues(rows: Array<[label: string, value: string]>, opts: { labelWidth?: number } = {}): void {
    const labelWidth = opts.labelWidth ?? 0.3;
    drawTable(this, [{ width: labelWidth, bold: true }, { width: 1 - labelWidth }], rows, { borders: false, padding: 2 });
  }

  table(columns: TableColumn[], rows: string[][], opts?: TableOptions): void {
    drawTable(this, columns, rows, opts);
  }

  rule(color: Color = RULE): void {
    this.ensureSpace(6);
    this.y -= 3;
    this.page.drawLine({ start: { x: this.left, y: this.y }, end: { x: this.left + this.width, y: this.y }, thickness: 0.5, color });
    this.y -= 3;
  }

  /** Clinic name in both scripts (English at the left, Arabic at the right), address lines, a rule. */
  letterhead(o: LetterheadOptions): void {
    const name = { face: this.fonts.bold, size: this.fontSize * 1.6 };
    const small = { face: this.fonts.regular, size: this.fontSize * 0.9 };
    const rows: Array<[string, string, TextStyle]> = [[o.name, o.nameAr, name]];
    if (o.address || o.addressAr) rows.push([o.address ?? '', o.addressAr ?? '', small]);
    for (const [en, ar, style] of rows) {
      const h = this.lineHeight(style.size);
      this.ensureSpace(h);
      const box = { x: this.left, y: this.baseline(style.size), width: this.width };
      if (en) drawTextLine(this.page, en, style, { ...box, align: 'left', dir: 'auto', fallbackDir: 'ltr' });
      if (ar) drawTextLine(this.page, ar, style, { ...box, align: 'right', dir: 'auto', fallbackDir: 'rtl' });
      this.y -= h;
    }
    for (const line of o.lines ?? []) this.paragraph(line, { size: small.size, align: 'center', color: MUTED });
    this.rule();
    this.space(this.fontSize);
  }

  /** Draws every page's footer (needs the page count, so it runs last) and returns the PDF bytes. */
  async save(footer: FooterOptions): Promise<Uint8Array> {
    const labels = { ...DEFAULT_LABELS[this.lang], ...footer.labels };
    const when = formatDateTime(footer.generatedAt, this.lang, footer.timeZone);
    const generated = labels.generated(when, footer.generatedBy);
    const style = { face: this.fonts.regular, size: this.fontSize * 0.8, color: MUTED };
    const total = this.pages.length;
    this.pages.forEach((page, i) => {
      const x = this.left;
      const width = page.getWidth() - this.margins.left - this.margins.right;
      const top = this.margins.bottom - 14;
      page.drawLine({ start: { x, y: top }, end: { x: x + width, y: top }, thickness: 0.5, color: RULE });
      const row1 = this.baseline(style.size, top - 2);
      const row2 = row1 - this.lineHeight(style.size);
      drawTextLine(page, generated, style, { x, y: row1, width, align: 'center', dir: 'auto', fallbackDir: this.dir });
      const start = this.dir === 'rtl' ? 'right' : 'left';
      const end = this.dir === 'rtl' ? 'left' : 'right';
      drawTextLine(page, labels.page(i + 1, total), style, { x, y: row2, width, align: start, dir: 'auto', fallbackDir: this.dir });
      if (labels.pageOther) drawTextLine(page, labels.pageOther(i + 1, total), style, { x, y: row2, width, align: end, dir: 'auto' });
    });
    // A font no text used would still be subset and embedded (most of a small PDF's time): leave it out.
    const doc = this.doc as unknown as { fonts: Array<{ embedder: { glyphIdMap?: Map<number, number> } }> };
    doc.fonts = doc.fonts.filter((f) => !f.embedder.glyphIdMap || f.embedder.glyphIdMap.size > 0);
    // pdf-lib yields to the event loop (a timer) every 50 objects by default: ~1 ms each, most of a
    // small PDF's time. These documents are made in the background or for one request: no yielding.
    return this.doc.save({ objectsPerTick: Number.POSITIVE_INFINITY });
  }

  style(opts: { bold?: boolean; size?: number; color?: Color } = {}): TextStyle {
    return { face: this.face(opts.bold), size: opts.size ?? this.fontSize, color: opts.color };
  }
}
