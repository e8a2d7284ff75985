// Receiving one uploaded file without ever holding it whole (FU1, FU2, FU3). The multipart body is
// read a network chunk at a time and parsed (multipasta); the file's first SNIFF_BYTES decide its
// type; from then on each piece is hashed (SHA-256 of the original), encrypted in chunks and written
// to the BlobStore before the next piece is read, so a slow disk slows the upload instead of filling
// memory. The size limit is counted while streaming. Any refusal removes the partial blob.
import * as MP from 'multipasta';
import type { BlobStore, BlobWriter, StreamingHash } from '../../platform/blob-store.ts';
import { FileEncryptor } from '../../crypto/file.ts';
import { Sha256Stream } from '../../crypto/sha256-stream.ts';
import { SNIFF_BYTES, TextCheck, sniff, type MediaType } from './sniff.ts';
import type { UploadRefusal } from './errors.ts';


export interface StoredFile {
  blobName: string;
  filename: string;
  mediaType: MediaType;
  bytes: number;
  sha256: string;
  /** Removes the stored blob again (when the rest of the form is refused). */
  discard(): Promise<void>;
}

export type Received =
  | { ok: true; fields: Record<string, string>; file: StoredFile }
  | { ok: false; fields: Record<string, string>; refusal: UploadRefusal };

export interface ReceiveOptions {
  blobs: BlobStore;
  clinicId: string;
  fileKey: CryptoKey;
  /** Largest file accepted, in bytes. */
  limit: number;
  /** The one file field of the form. */
  fileField: string;
  /** Form fields allowed besides the file (any other is malformed). */
  fields: readonly string[];
}

const MAX_FIELD = 4096;
/** After a refusal, the rest of a body is read and dropped up to this much, so the browser gets the answer. */
const DRAIN_MAX = 16 * 1024 * 1024;

type Event =
  | { t: 'field'; name: string; value: string }
  | { t: 'file'; name: string; filename: string }
  | { t: 'chunk'; chunk: Uint8Array }
  | { t: 'end' }
  | { t: 'error'; error: MP.MultipartError };

class Refused extends Error {
  constructor(readonly refusal: UploadRefusal) {
    super(refusal);
  }
}

/** The file part as it streams: sniffing window, then hash + encrypt + write. */
class FileSink {
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private started = false;
  private bytes = 0;
  private mediaType: MediaType | undefined;
  private text: TextCheck | undefined;
  private encryptor: FileEncryptor | undefined;
  private hash: StreamingHash;
  private writer: BlobWriter | undefined;

  constructor(
    private readonly opts: ReceiveOptions,
    readonly filename: string,
  ) {
    this.hash = opts.blobs.sha256?.() ?? new Sha256Stream();
  }

  async push(chunk: Uint8Array): Promise<void> {
    this.bytes += chunk.length;
    if (this.bytes > this.opts.limit) throw new Refused('too-large');
    if (this.started) return this.store(chunk);
    // Parser chunks may be views of the network buffer: keep copies while the window fills.
    this.head.push(chunk.slice());
    this.headBytes += chunk.length;
    if (this.headBytes >= SNIFF_BYTES) await this.start();
  }

  async end(): Promise<StoredFile> {
    if (this.bytes === 0) throw new Refused(this.filename ? 'empty' : 'no-file');
    if (!this.started) await this.start();
    const refused = this.text?.push(new Uint8Array(0), true);
    if (refused) throw new Refused(refused);
    await this.writer!.write(await this.encryptor!.finish());
    const writer = this.writer!;
    await writer.close();
    return {
      blobName: writer.name,
      filename: this.filename,
      mediaType: this.mediaType!,
      bytes: this.bytes,
      sha256: this.hash.hex(),
      discard: () => writer.abort(),
    };
  }

  async abort(): Promise<void> {
    await this.writer?.abort();
  }

  private async start(): Promise<void> {
    const head = new Uint8Array(this.headBytes);
    let at = 0;
    for (const c of this.head) {
      head.set(c, at);
      at += c.length;
    }
    this.head = [];
    const sniffed = await sniff(head.subarray(0, SNIFF_BYTES), this.filename);
    if (!sniffed.ok) throw new Refused(sniffed.refusal);
    this.mediaType = sniffed.mediaType;
    if (this.mediaType === 'text/plain') this.text = new TextCheck();
    this.writer = await this.opts.blobs.create(this.opts.clinicId);
    const { encryptor, header } = await FileEncryptor.start(this.opts.fileKey, { clinicId: this.opts.clinicId, blobId: this.writer.name });
    this.encryptor = encryptor;
    await this.writer.write(header);
    this.started = true;
    await this.store(head);
  }

  private async store(chunk: Uint8Array): Promise<void> {
    const refused = this.text?.push(chunk);
    if (refused) throw new Refused(refused);
    this.hash.update(chunk);
    for (const sealed of await this.encryptor!.push(chunk)) await this.writer!.write(sealed);
  }
}

/**
 * A part's field name and file name. multipasta reads only ASCII parameters, but browsers send a
 * file's name as raw UTF-8 (an Arabic name arrives that way), so its header is read here when
 * multipasta found no name. Browsers escape `"`, CR and LF in names as %22, %0D and %0A (HTML's
 * form encoding); they are turned back, and made safe only where a name is used (filename.ts).
 */
export function partNames(info: MP.PartInfo): { name: string; filename: string | undefined } {
  const unescape = (v: string) => v.replace(/%22/gi, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
  if (info.name) return { name: info.name, filename: info.filename === undefined ? undefined : unescape(info.filename) };
  const raw = info.headers['content-disposition'];
  const header = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  const param = (key: string) => header.match(new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*"([^"]*)"`, 'i'))?.[1];
  const filename = param('filename');
  return { name: param('name') ?? '', filename: filename === undefined ? undefined : unescape(filename) };
}

/** Reads a multipart/form-data request with one file; stores the file if it passes every check. */
export async function receiveUpload(req: Request, opts: ReceiveOptions): Promise<Received> {
  const fields: Record<string, string> = {};
  const type = req.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data') || !req.body) return { ok: false, fields, refusal: 'malformed' };

  const events: Event[] = [];
  const parser = MP.make({
    headers: Object.fromEntries(req.headers),
    maxParts: opts.fields.length + 1,
    maxFieldSize: MAX_FIELD,
    // The file is counted against the limit below (413); this only bounds everything else.
    maxTotalSize: opts.limit + 1024 * 1024,
    isFile: (info) => partNames(info).name === opts.fileField,
    onField: (info, value) => void events.push({ t: 'field', name: partNames(info).name, value: MP.decodeField(info, value) }),
    onFile: (info) => {
      const names = partNames(info);
      events.push({ t: 'file', name: names.name, filename: names.filename ?? '' });
      return (chunk) => void events.push(chunk === null ? { t: 'end' } : { t: 'chunk', chunk });
    },
    onError: (error) => void events.push({ t: 'error', error }),
    onDone: () => undefined,
  });

  const reader = req.body.getReader();
  let sink: FileSink | undefined;
  let file: StoredFile | undefined;
  let finished = false;

  const handle = async (e: Event) => {
    switch (e.t) {
      case 'field':
        if (!opts.fields.includes(e.name) || e.name in fields) throw new Refused('malformed');
        fields[e.name] = e.value;
        return;
      case 'file':
        if (sink || file) throw new Refused('malformed');
        sink = new FileSink(opts, e.filename);
        return;
      case 'chunk':
        return sink!.push(e.chunk);
      case 'end':
        file = await sink!.end();
        sink = undefined;
        return;
      case 'error':
        throw new Refused(e.error._tag === 'ReachedLimit' && e.error.limit === 'MaxTotalSize' ? 'too-large' : 'malformed');
    }
  };

  try {
    while (!finished) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        parser.end();
      } else parser.write(value);
      // Each piece is stored before the next is read (backpressure).
      while (events.length > 0) await handle(events.shift()!);
    }
    if (!file) throw new Refused('no-file');
    return { ok: true, fields, file };
  } catch (err) {
    await sink?.abort();
    await file?.discard();
    if (!(err instanceof Refused)) {
      await reader.cancel().catch(() => undefined);
      throw err;
    }
    if (!finished) await drain(reader);
    return { ok: false, fields, refusal: err.refusal };
  }
}

/** Reads and drops the rest of a refused body (bounded), so the client is not cut off mid-send. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let dropped = 0;
  try {
    while (dropped < DRAIN_MAX) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.length;
    }
    await reader.cancel();
  } catch {
    /* the client went away */
  }
}
