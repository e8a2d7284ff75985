// Content-Disposition for a stored file (FU4, RFC 6266 + RFC 8187). The original name is whatever the
// uploader's computer called it, so it is cut down to a safe base name first: no folders ("../"), no
// control characters (a CR/LF would split the header), no quotes or backslashes, no bidi overrides
// (which disguise an extension), no leading dots. `filename` gets an ASCII rendering for old clients;
// `filename*` carries the real name (Arabic included) percent-encoded as UTF-8.
import { extensionOf, type MediaType } from './media.ts';

const CANONICAL_EXT: Record<MediaType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/tiff': 'tif',
  'application/dicom': 'dcm',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

const MAX_NAME = 150;

/** A safe file name (Unicode kept) for this file, with an extension that matches its type. */
export function safeFileName(original: string, mediaType: MediaType): string {
  let name = (original.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    // Controls (C0, DEL, C1), bidi embeddings, overrides and isolates, zero-width and BOM.
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/["\\*:<>?|]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (Array.from(name).length > MAX_NAME) {
    const ext = extensionOf(name);
    const keep = MAX_NAME - (ext ? ext.length + 1 : 0);
    name = Array.from(name).slice(0, keep).join('') + (ext ? `.${ext}` : '');
  }
  const stem = name.slice(0, name.length - (extensionOf(name) ? extensionOf(name).length + 1 : 0));
  if (!stem.trim()) name = `file${name}`;
  if (!extensionOf(name)) name = `${name}.${CANONICAL_EXT[mediaType]}`;
  return name;
}

/** The ASCII fallback: every character outside printable ASCII becomes "_", runs collapsed. */
export function asciiFileName(safe: string, mediaType: MediaType): string {
  const ext = extensionOf(safe) || CANONICAL_EXT[mediaType];
  const stem = safe
    .slice(0, safe.length - (extensionOf(safe) ? extensionOf(safe).length + 1 : 0))
    .replace(/[^A-Za-z0-9 ._()+,=@~-]/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[._ ]+|[._ ]+$/g, '');
  return `${/[A-Za-z0-9]/.test(stem) ? stem : 'file'}.${ext.replace(/[^a-z0-9]/g, '')}`;
}

/** RFC 8187 value-chars: percent-encode everything but attr-char. */
const encode5987 = (s: string) => encodeURIComponent(s).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function contentDisposition(kind: 'inline' | 'attachment', original: string, mediaType: MediaType): string {
  const safe = safeFileName(original, mediaType);
  return `${kind}; filename="${asciiFileName(safe, mediaType)}"; filename*=UTF-8''${encode5987(safe)}`;
}
