/** @jsxImportSource hono/jsx */
// Shared pieces of the documents pages: labels for categories, file types and sizes.
import type { Frame } from '../../frame.ts';
import type { MessageKey } from '../../../src/i18n/index.ts';
import type { Category } from '../../../src/features/documents/policy.ts';

const MEDIA_LABEL: Record<string, MessageKey> = {
  'image/jpeg': 'docs.media.jpeg',
  'image/png': 'docs.media.png',
  'image/tiff': 'docs.media.tiff',
  'application/dicom': 'docs.media.dicom',
  'application/pdf': 'docs.media.pdf',
  'text/plain': 'docs.media.text',
};

export const categoryLabel = (frame: Frame, c: Category | string) => frame.t(`docs.category.${c as Category}`);
export const mediaLabel = (frame: Frame, type: string) => (MEDIA_LABEL[type] ? frame.t(MEDIA_LABEL[type]) : type);

export function sizeLabel(frame: Frame, bytes: number): string {
  if (bytes < 1024) return frame.t('docs.size.bytes', { n: bytes });
  if (bytes < 1024 * 1024) return frame.t('docs.size.kb', { n: (bytes / 1024).toFixed(1) });
  return frame.t('docs.size.mb', { n: (bytes / 1024 / 1024).toFixed(1) });
}

/** A date as entered (YYYY-MM-DD), kept left-to-right in Arabic pages. */
export const DateText = ({ value }: { value: string | null }) => (value ? <span dir="ltr">{value}</span> : <>—</>);

/**
 * The chart's link to a patient's documents: the list for those who may list some, the upload form
 * for those who may only upload (assistants), nothing for the rest.
 */
export function DocumentsLink({ frame, patientId }: { frame: Frame; patientId: string }) {
  const has = (p: 'document:index' | 'document:upload-admin' | 'document:upload') => !!frame.viewer?.permissions.has(p);
  const base = `/patients/${patientId}/documents`;
  const href = has('document:index') || has('document:upload-admin') ? base : has('document:upload') ? `${base}/new` : null;
  return href ? <a href={href}>{frame.t('docs.title')}</a> : null;
}
