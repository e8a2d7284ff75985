// Tables for PdfWriter: columns by relative width, cells that wrap, rows that move to the next page whole
// (or, when taller than a page, continue on it), and a header row repeated on every page. Columns run
// from the document's start side, so an Arabic document's first column is at the right.
import { rgb, type Color } from 'pdf-lib';
import { drawLine, wrapText, type Align, type LaidLine } from './bidi-text.ts';
import type { PdfWriter } from './document.ts';

export interface TableColumn {
  header?: string;
  /** Relative width: columns share the text width in proportion. */
  width: number;
  /** 'start' and 'end' follow the document's direction, so a column lines up whatever each cell's script. */
  align?: Align;
  bold?: boolean;
}

export interface TableOptions {
  /** Draw cell borders and a shaded header (default true). */
  borders?: boolean;
  /** Font size (default the document's). */
  size?: number;
  /** Inner cell padding in points (default 4). */
  padding?: number;
}

const HEADER_FILL = rgb(0.92, 0.92, 0.92);
const BORDER = rgb(0.6, 0.6, 0.6);

interface Cell {
  lines: LaidLine[];
  x: number;
  width: number;
  align: Align;
}

export function drawTable(w: PdfWriter, columns: TableColumn[], rows: string[][], opts: TableOptions = {}): void {
  const size = opts.size ?? w.fontSize;
  const pad = opts.padding ?? 4;
  const borders = opts.borders ?? true;
  const lineH = w.lineHeight(size);
  const geometry = columnGeometry(w, columns);

  const layoutRow = (texts: string[], header: boolean): Cell[] =>
    columns.map((col, i) => {
      const { x, width } = geometry[i]!;
      const style = w.style({ bold: header || col.bold, size });
      const lines = wrapText(texts[i] ?? '', style, Math.max(width - 2 * pad, size), { fallbackDir: w.dir });
      return { lines, x, width, align: resolveAlign(col.align ?? 'start', w.dir) };
    });

  const header = columns.some((c) => c.header) ? layoutRow(columns.map((c) => c.header ?? ''), true) : undefined;
  const drawHeader = () => {
    if (header) drawRow(w, header, 0, rowLines(header), { pad, lineH, size, borders, fill: borders ? HEADER_FILL : undefined });
  };
  const headerHeight = header ? rowLines(header) * lineH + 2 * pad : 0;

  // The header must have at least one row under it.
  w.ensureSpace(headerHeight + lineH + 2 * pad);
  drawHeader();
  for (const texts of rows) {
    const cells = layoutRow(texts, false);
    const total = rowLines(cells);
    let done = 0;
    while (done < total) {
      const fits = Math.floor((w.remaining - 2 * pad) / lineH);
      const atTop = w.y >= w.page.getHeight() - w.margins.top - headerHeight - 0.01;
      // A row moves to the next page whole, unless even a fresh page could not hold the rest of it.
      if (fits < total - done && !atTop) {
        w.newPage();
        drawHeader();
        continue;
      }
      const count = Math.max(1, Math.min(fits, total - done));
      drawRow(w, cells, done, count, { pad, lineH, size, borders });
      done += count;
      if (done < total) {
        w.newPage();
        drawHeader();
      }
    }
  }
  w.space(size * 0.6);
}

function columnGeometry(w: PdfWriter, columns: TableColumn[]): Array<{ x: number; width: number }> {
  const sum = columns.reduce((s, c) => s + c.width, 0) || 1;
  let offset = 0;
  return columns.map((c) => {
    const width = (c.width / sum) * w.width;
    const x = w.dir === 'rtl' ? w.left + w.width - offset - width : w.left + offset;
    offset += width;
    return { x, width };
  });
}

function resolveAlign(align: Align, dir: 'ltr' | 'rtl'): Align {
  if (align === 'start') return dir === 'rtl' ? 'right' : 'left';
  if (align === 'end') return dir === 'rtl' ? 'left' : 'right';
  return align;
}

function rowLines(cells: Cell[]): number {
  return Math.max(1, ...cells.map((c) => c.lines.length));
}

/** Draws lines [from, from + count) of every cell as one band at the cursor and moves the cursor below it. */
function drawRow(
  w: PdfWriter,
  cells: Cell[],
  from: number,
  count: number,
  o: { pad: number; lineH: number; size: number; borders: boolean; fill?: Color },
): void {
  const height = count * o.lineH + 2 * o.pad;
  const top = w.y;
  for (const cell of cells) {
    if (o.borders)
      w.page.drawRectangle({ x: cell.x, y: top - height, width: cell.width, height, borderColor: BORDER, borderWidth: 0.5, color: o.fill });
    cell.lines.slice(from, from + count).forEach((line, k) => {
      const y = w.baseline(o.size, top - o.pad - k * o.lineH);
      drawLine(w.page, line, { x: cell.x + o.pad, y, width: cell.width - 2 * o.pad, align: cell.align });
    });
  }
  w.y = top - height;
}
