// The four fonts every generated PDF uses, read once through the Assets port so the same code runs from a
// folder (Node, Deno), from the single binary's embedded static/ and on Workers.
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';
import type { Assets } from '../platform/ports.ts';

/** Shipped in static/fonts with their OFL-1.1 licence (static/fonts/OFL.txt). */
export const FONT_FILES = {
  sans: 'static/fonts/NotoSans-Regular.ttf',
  sansBold: 'static/fonts/NotoSans-Bold.ttf',
  arabic: 'static/fonts/NotoNaskhArabic-Regular.ttf',
  arabicBold: 'static/fonts/NotoNaskhArabic-Bold.ttf',
} as const;

export type FontRole = keyof typeof FONT_FILES;
export type FontBytes = Record<FontRole, Uint8Array>;

/** One face of the pair used for a piece of text: Latin/common glyphs and Arabic glyphs. */
export interface FontFace {
  latin: PDFFont;
  arabic: PDFFont;
  /** Code points each font has a glyph for; lets a character fall back to the other font. */
  latinCovers: ReadonlySet<number>;
  arabicCovers: ReadonlySet<number>;
}

export interface PdfFonts {
  regular: FontFace;
  bold: FontFace;
}

// Keyed by the Assets object so tests with their own assets never see another's bytes; a WeakMap lets a
// discarded platform take its ~1.4 MB with it.
const cache = new WeakMap<Assets, Promise<FontBytes>>();

export function loadFontBytes(assets: Assets): Promise<FontBytes> {
  let pending = cache.get(assets);
  if (!pending) {
    pending = readAll(assets);
    // A failed read (missing file) must not poison the cache for later attempts.
    pending.catch(() => cache.delete(assets));
    cache.set(assets, pending);
  }
  return pending;
}

async function readAll(assets: Assets): Promise<FontBytes> {
  const roles = Object.keys(FONT_FILES) as FontRole[];
  const bytes = await Promise.all(
    roles.map(async (role) => {
      const data = await assets.read(FONT_FILES[role]);
      if (!data) throw new Error(`PDF font missing from the shipped assets: ${FONT_FILES[role]}`);
      return data;
    }),
  );
  return Object.fromEntries(roles.map((role, i) => [role, bytes[i]])) as FontBytes;
}

/**
 * fontkit, parsing each font file once per process: pdf-lib parses the bytes again for every
 * document, and the first layout on a fresh font object reads its shaping tables (~20 ms per
 * document for these four fonts: most of a one-page PDF's time, and an archive makes hundreds).
 * A parsed font is only read from; each document still gets its own subset.
 */
const parsed = new WeakMap<Uint8Array, unknown>();
const sharedFontkit = {
  ...fontkit,
  create(data: Uint8Array, postscriptName?: string) {
    if (postscriptName) return fontkit.create(data, postscriptName);
    let font = parsed.get(data);
    if (!font) parsed.set(data, (font = memoiseLayout(fontkit.create(data) as unknown as LayoutFont)));
    return font;
  },
} as typeof fontkit;

/**
 * Shaping (GSUB/GPOS lookups) is most of a PDF's cost, and documents repeat their strings (labels,
 * dates, units), each shaped at least twice (measured, then drawn). The parsed fonts are shared, so
 * their layouts are too: a bounded cache per font, oldest out first. Layouts are only read.
 */
interface LayoutFont {
  layout(text: string, ...rest: unknown[]): unknown;
}
// Short strings only (labels, dates, units, names): they repeat; a line of notes rarely does, and
// its glyph run is big. Bounded, so a 1,000-encounter archive holds a few MB of runs, not hundreds.
const LAYOUTS_PER_FONT = 4_000;
const CACHED_LENGTH = 48;
function memoiseLayout(font: LayoutFont): LayoutFont {
  const shape = font.layout.bind(font);
  const cache = new Map<string, unknown>();
  font.layout = (text: string, ...rest: unknown[]) => {
    if (text.length > CACHED_LENGTH) return shape(text, ...rest);
    const key = rest.length === 0 ? text : `${text}\u0000${JSON.stringify(rest)}`;
    let run = cache.get(key);
    if (run === undefined) {
      run = shape(text, ...rest);
      if (cache.size >= LAYOUTS_PER_FONT) cache.delete(cache.keys().next().value!);
      cache.set(key, run);
    }
    return run;
  };
  return font;
}

/**
 * Embeds the fonts into `doc`. Subsetting keeps a typical document small (only used glyphs ship).
 * `liga: false` is required: with it on, Naskh turns "الله" into one ligature glyph whose ToUnicode
 * entry makes pdftotext (and screen readers, copy-paste) return the wrong text.
 */
export async function embedFonts(doc: PDFDocument, assets: Assets): Promise<PdfFonts> {
  const bytes = await loadFontBytes(assets);
  doc.registerFontkit(sharedFontkit);
  const opts = { subset: true, features: { liga: false } };
  const [sans, sansBold, arabic, arabicBold] = await Promise.all([
    doc.embedFont(bytes.sans, opts),
    doc.embedFont(bytes.sansBold, opts),
    doc.embedFont(bytes.arabic, opts),
    doc.embedFont(bytes.arabicBold, opts),
  ]);
  // Regular and bold cover the same characters; one set per script is enough.
  const latinCovers = new Set(sans.getCharacterSet());
  const arabicCovers = new Set(arabic.getCharacterSet());
  return {
    regular: { latin: sans, arabic, latinCovers, arabicCovers },
    bold: { latin: sansBold, arabic: arabicBold, latinCovers, arabicCovers },
  };
}
