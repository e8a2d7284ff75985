// What can go wrong with documents, as the routes show it (kept apart from the service, so that the
// routes bundled for every target do not pull in the upload pipeline).
import type { MessageKey } from '../../i18n/index.ts';
import type { SniffRefusal } from './sniff.ts';

export type UploadRefusal = SniffRefusal | 'no-file' | 'empty' | 'too-large' | 'malformed';

export type DocumentProblem = 'not-found' | 'forbidden' | 'damaged';

export class DocumentError extends Error {
  override name = 'DocumentError';
  constructor(readonly problem: DocumentProblem) {
    super(`documents: ${problem}`);
  }
}

export const REFUSAL_MESSAGES: Record<UploadRefusal, MessageKey> = {
  'no-file': 'docs.error.noFile',
  empty: 'docs.error.empty',
  'too-large': 'docs.error.tooLarge',
  type: 'docs.error.type',
  mismatch: 'docs.error.mismatch',
  markup: 'docs.error.markup',
  text: 'docs.error.text',
  malformed: 'docs.error.malformed',
};
