// A streaming ZIP writer over jszip for patient archives. Entries come as bytes, text or web
// ReadableStreams; each entry's size and SHA-256 are taken as its bytes stream through, for the
// manifest, and the ZIP comes out as a ReadableStream that is produced only as fast as it is read.
// With streamFiles (data descriptors) jszip never needs a whole file in memory, so peak memory does
// not grow with the attachments' total (STACK-NOTES.md "ZIP streaming").
//
// Already-compressed media (JPEG, PNG, PDF, DICOM, ZIP...) are STOREd: deflating them again costs
// time and saves nothing. Text formats (JSON, TXT, CSV, SVG) are DEFLATEd.
//
// The last entry (manifest.json) may be computed from every other entry's size and hash: jszip
// writes entries one after another, so when it reaches the last one the others have all streamed.
//
// Streamed entries reach jszip through its Node-stream input (an object with on/pause/resume), which
// jszip enables where a `Buffer` global exists: Node, Deno and Bun. jszip writes no ZIP64: at most
// 65,535 entries and 4 GB, checked here rather than written wrong.
import JSZip from 'jszip';
import { Sha256Stream } from '../crypto/sha256-stream.ts';
import { enc } from '../crypto/bytes.ts';
import type { ManifestFile } from './manifest.ts';

export type ZipSource = Uint8Array | string | ReadableStream<Uint8Array>;

/** An incremental SHA-256 (the platform's native one where it has one: BlobStore.sha256). */
export interface IncrementalHash {
  update(chunk: Uint8Array): unknown;
  hex(): string;
}
export type HashFactory = () => IncrementalHash;
const jsHash: HashFactory = () => new Sha256Stream();

const MAX_ENTRIES = 65_534;
const MAX_TOTAL_BYTES = 0xffff_0000;

const MEDIA_TYPES: Record<string, string> = {
  json: 'application/json',
  txt: 'text/plain',
  csv: 'text/csv',
  svg: 'image/svg+xml',
  xml: 'application/xml',
  html: 'text/html',
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  dcm: 'application/dicom',
  zip: 'application/zip',
  gz: 'application/gzip',
};

/** The media type of an archive path, from its extension. */
export function mediaTypeOf(path: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return MEDIA_TYPES[ext] ?? 'application/octet-stream';
}

/** True for formats that shrink when deflated; everything else (already compressed or unknown) is stored. */
export function deflates(mediaType: string): boolean {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  return type.startsWith('text/') || ['application/json', 'application/fhir+json', 'application/xml', 'image/svg+xml'].includes(type);
}

function hexOf(hash: IncrementalHash, bytes: Uint8Array): string {
  hash.update(bytes);
  return hash.hex();
}

/** jszip's internal stream (StreamHelper), as far as it is used here. */
interface ZipStreamHelper {
  on(event: 'data', fn: (chunk: Uint8Array) => void): ZipStreamHelper;
  on(event: 'end', fn: () => void): ZipStreamHelper;
  on(event: 'error', fn: (e: Error) => void): ZipStreamHelper;
  pause(): ZipStreamHelper;
  resume(): ZipStreamHelper;
}

export class ArchiveZipWriter {
  private readonly zip = new JSZip();
  private readonly entries: Promise<ManifestFile>[] = [];
  private readonly paths = new Set<string>();
  private total = 0;
  private finished = false;

  private readonly newHash: HashFactory;

  /** `date`: the time stamped on every entry (the archive's creation time); `sha256`: a faster hash. */
  constructor(private readonly opts: { date?: Date; sha256?: HashFactory } = {}) {
    this.newHash = opts.sha256 ?? jsHash;
  }

  add(path: string, source: ZipSource, opts: { mediaType?: string } = {}): void {
    if (this.finished) throw new Error('zip: add after finish');
    if (this.paths.has(path)) throw new Error(`zip: ${path} added twice`);
    if (this.paths.size >= MAX_ENTRIES) throw new Error('zip: too many entries for a ZIP without ZIP64');
    this.paths.add(path);
    const mediaType = opts.mediaType ?? mediaTypeOf(path);
    const options = { binary: true, createFolders: false, compression: deflates(mediaType) ? 'DEFLATE' : 'STORE', ...(this.opts.date ? { date: this.opts.date } : {}) } as const;
    if (source instanceof ReadableStream) {
      let settle!: { ok: (f: ManifestFile) => void; fail: (e: unknown) => void };
      this.entries.push(new Promise<ManifestFile>((ok, fail) => (settle = { ok, fail })));
      const input = new StreamInput(source, this.newHash(), (chunk) => this.count(chunk.length), (bytes, sha256) => settle.ok({ path, bytes, mediaType, sha256 }), (e) => settle.fail(e));
      this.zip.file(path, input as unknown as Uint8Array, options);
      return;
    }
    const bytes = typeof source === 'string' ? enc(source) : source;
    this.count(bytes.length);
    this.entries.push(Promise.resolve({ path, bytes: bytes.length, mediaType, sha256: hexOf(this.newHash(), bytes) }));
    this.zip.file(path, bytes, options);
  }

  /** Every entry added so far, once each has streamed through (in the order added). */
  files(): Promise<ManifestFile[]> {
    return Promise.all(this.entries);
  }

  /**
   * The ZIP, as a stream. `last` is written after every other entry, from their sizes and hashes
   * (the manifest); it is not itself listed.
   */
  finish(last?: { path: string; mediaType?: string; content: (files: ManifestFile[]) => Promise<Uint8Array | string> }): ReadableStream<Uint8Array> {
    if (this.finished) throw new Error('zip: finished twice');
    if (last) {
      const content = this.files().then(last.content);
      content.catch(() => undefined); // reported through the ZIP stream, not as an unhandled rejection
      const mediaType = last.mediaType ?? mediaTypeOf(last.path);
      this.zip.file(last.path, content, { binary: true, createFolders: false, compression: deflates(mediaType) ? 'DEFLATE' : 'STORE', ...(this.opts.date ? { date: this.opts.date } : {}) });
    }
    this.finished = true;
    const helper = this.zip.generateInternalStream({ type: 'uint8array', streamFiles: true, platform: 'UNIX' }) as unknown as ZipStreamHelper;
    return new ReadableStream<Uint8Array>(
      {
        start(controller) {
          helper
            .on('data', (chunk) => {
              controller.enqueue(chunk);
              if ((controller.desiredSize ?? 1) <= 0) helper.pause();
            })
            .on('error', (e) => controller.error(e))
            .on('end', () => controller.close());
        },
        pull() {
          helper.resume();
        },
        cancel() {
          helper.pause();
        },
      },
      { highWaterMark: 8 },
    );
  }

  private count(n: number): void {
    this.total += n;
    if (this.total > MAX_TOTAL_BYTES) throw new Error('zip: over 4 GB, which needs ZIP64');
  }
}

/**
 * A web ReadableStream dressed as the Node readable jszip accepts (on/pause/resume), hashing and
 * counting each chunk as it passes. Reads only while jszip wants data.
 */
class StreamInput {
  private handlers: { data: ((c: Uint8Array) => void)[]; end: (() => void)[]; error: ((e: unknown) => void)[] } = { data: [], end: [], error: [] };
  private paused = true;
  private pumping = false;
  private ended = false;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private bytes = 0;
  private pendingError: unknown;

  constructor(
    stream: ReadableStream<Uint8Array>,
    private readonly hash: IncrementalHash,
    private readonly onChunk: (chunk: Uint8Array) => void,
    private readonly onEnd: (bytes: number, sha256: string) => void,
    private readonly onError: (e: unknown) => void,
  ) {
    this.reader = stream.getReader();
  }

  on(event: 'data' | 'end' | 'error', fn: never): this {
    (this.handlers[event] as unknown[]).push(fn);
    return this;
  }

  pause(): this {
    this.paused = true;
    return this;
  }

  resume(): this {
    this.paused = false;
    if (this.pendingError !== undefined) {
      // jszip drops an error that arrives while it is paused: hand it over now that it listens.
      const e = this.pendingError;
      this.pendingError = undefined;
      for (const fn of this.handlers.error) fn(e);
      return this;
    }
    void this.pump();
    return this;
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.ended) return;
    this.pumping = true;
    try {
      while (!this.paused) {
        const { done, value } = await this.reader.read();
        if (done) {
          this.ended = true;
          this.onEnd(this.bytes, this.hash.hex());
          for (const fn of this.handlers.end) fn();
          return;
        }
        if (value.length === 0) continue;
        this.onChunk(value);
        this.bytes += value.length;
        this.hash.update(value);
        for (const fn of this.handlers.data) fn(value);
      }
    } catch (e) {
      this.ended = true;
      this.onError(e);
      void this.reader.cancel(e).catch(() => undefined);
      if (this.paused) this.pendingError = e;
      else for (const fn of this.handlers.error) fn(e);
    } finally {
      this.pumping = false;
    }
  }
}

/** Passes a stream through unchanged, counting its bytes and hashing them (the finished archive's size and SHA-256). */
export function measureStream(
  stream: ReadableStream<Uint8Array>,
  newHash: HashFactory = jsHash,
): { stream: ReadableStream<Uint8Array>; measured: Promise<{ bytes: number; sha256: string }> } {
  const hash = newHash();
  let bytes = 0;
  let settle!: (m: { bytes: number; sha256: string }) => void;
  const measured = new Promise<{ bytes: number; sha256: string }>((r) => (settle = r));
  const tap = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.length;
      hash.update(chunk);
      controller.enqueue(chunk);
    },
    flush() {
      settle({ bytes, sha256: hash.hex() });
    },
  });
  return { stream: stream.pipeThrough(tap), measured };
}
