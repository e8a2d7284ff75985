// The file types attachments may have (FU1), apart from the sniffing code so that pages and routes
// can name them without pulling in file-type.

export const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/tiff', 'application/dicom', 'application/pdf', 'text/plain'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** Browsers render these inline without harm (image elements and the PDF viewer); the rest download. */
export const INLINE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'application/pdf']);
export const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png']);

/** The extension of a file name, lower-case, without the dot ('' when there is none). */
export function extensionOf(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}
