// What an uploaded file is (FU1): decided from its bytes (file-type's magic numbers) and its name's
// extension together, never from the browser's claimed Content-Type. Only an allow-list passes:
// JPEG, PNG, TIFF, DICOM, PDF and UTF-8 plain text. Anything carrying web-page or script markup is
// refused outright, so a file can never turn into a page of this site: SVG, HTML under any name, and
// polyglots (valid image or PDF magic with HTML hidden after it).
import { fileTypeFromBuffer } from 'file-type/core';
import { MEDIA_TYPES, extensionOf, type MediaType } from './media.ts';

export type { MediaType };


/** Extensions each type may carry. DICOM files often have none (CD exports name them IM0001...). */
const EXTENSIONS: Record<MediaType, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jpe'],
  'image/png': ['png'],
  'image/tiff': ['tif', 'tiff'],
  'application/dicom': ['dcm', 'dicom', ''],
  'application/pdf': ['pdf'],
  'text/plain': ['txt', 'text'],
};

/** How much of the start of a file is examined before anything is stored (and scanned for markup). */
export const SNIFF_BYTES = 64 * 1024;

export type SniffRefusal = 'type' | 'mismatch' | 'markup' | 'text';

export type Sniffed = { ok: true; mediaType: MediaType } | { ok: false; refusal: SniffRefusal };

// Markup a browser would act on. In binary files only unmistakable openers count (random compressed
// bytes must not trip it); in text anything that looks like HTML, SVG or XML is enough.
const BINARY_MARKUP = /<(?:!doctype\s+html|html|head|body|script|iframe|svg[\s>/]|object|embed|frameset)/i;
const TEXT_MARKUP = /<(?:!doctype|html|head|body|script|iframe|svg|object|embed|frameset|meta|link|style|\?xml|xml|img|a\s|form|math|base)/i;

/** Latin-1 view of bytes: every byte one character, so markup can be searched for in binary data. */
function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

export function hasBinaryMarkup(bytes: Uint8Array): boolean {
  return BINARY_MARKUP.test(latin1(bytes));
}

/** The start of a file (up to SNIFF_BYTES, or all of a shorter file) and its name decide. */
export async function sniff(head: Uint8Array, filename: string): Promise<Sniffed> {
  const ext = extensionOf(filename);
  if (hasBinaryMarkup(head)) return { ok: false, refusal: 'markup' };
  // file-type parses some containers (ZIP, Office) further and may throw on a damaged one: unknown.
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  if (found) {
    const type = MEDIA_TYPES.find((t) => t === found.mime);
    if (!type || type === 'text/plain') return { ok: false, refusal: 'type' };
    return EXTENSIONS[type].includes(ext) ? { ok: true, mediaType: type } : { ok: false, refusal: EXTENSIONS_BY_EXT.has(ext) ? 'mismatch' : 'type' };
  }
  // No magic number: only plain text may pass, and only under a text extension.
  if (!EXTENSIONS['text/plain'].includes(ext)) return { ok: false, refusal: EXTENSIONS_BY_EXT.has(ext) ? 'mismatch' : 'type' };
  return { ok: true, mediaType: 'text/plain' };
}

const EXTENSIONS_BY_EXT = new Set(Object.values(EXTENSIONS).flat().filter(Boolean));

/**
 * Checks a text file as it streams: valid UTF-8, no NUL (binary), no markup. A marker split across
 * two chunks is caught by keeping the end of the previous chunk.
 */
export class TextCheck {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private tail = '';

  /** Returns the refusal, or null while the text is still acceptable. */
  push(bytes: Uint8Array, last = false): SniffRefusal | null {
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: !last });
    } catch {
      return 'text';
    }
    if (text.includes('\u0000')) return 'text';
    const window = this.tail + text;
    if (TEXT_MARKUP.test(window)) return 'markup';
    this.tail = window.slice(-16);
    return null;
  }
}
