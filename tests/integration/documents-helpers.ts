// Helpers of the documents tests: multipart bodies built by hand (so that a file name can carry what
// a hostile client sends, not what a browser's encoder allows), uploads through the test client, and
// a look at the blob folder.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '../helpers/http.ts';
import { ORIGIN } from '../helpers/http.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/uploads/', import.meta.url));
export const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

const enc = new TextEncoder();

export interface FilePart {
  /** Sent as filename="..." (raw UTF-8), unless `star` asks for filename*=UTF-8''... (RFC 5987). */
  name: string;
  star?: boolean;
  bytes: Uint8Array | (() => ReadableStream<Uint8Array>);
  type?: string;
}

const BOUNDARY = '----invent-test-7MA4YWxkTrZu0gW';

/** A multipart/form-data body: the fields, then the file (as browsers send it, file last by default). */
export function multipart(fields: Record<string, string>, file?: FilePart, opts: { fileFirst?: boolean } = {}): { body: ReadableStream<Uint8Array>; type: string } {
  const fieldParts = Object.entries(fields).map(([k, v]) => enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const head = file
    ? enc.encode(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; ${file.star ? `filename*=UTF-8''${encodeURIComponent(file.name)}` : `filename="${file.name}"`}\r\n` +
          `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      )
    : undefined;
  const tail = enc.encode(`--${BOUNDARY}--\r\n`);
  // Pulled piece by piece, so an endless file is produced only as fast as the server reads it.
  async function* pieces(): AsyncGenerator<Uint8Array> {
    async function* filePieces(): AsyncGenerator<Uint8Array> {
      if (!file || !head) return;
      yield head;
      if (file.bytes instanceof Uint8Array) yield file.bytes;
      else {
        const r = file.bytes().getReader();
        for (;;) {
          const { done, value } = await r.read();
          if (done) break;
          yield value;
        }
      }
      yield enc.encode('\r\n');
    }
    if (opts.fileFirst) yield* filePieces();
    yield* fieldParts;
    if (!opts.fileFirst) yield* filePieces();
    yield tail;
  }
  const it = pieces();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        const { done, value } = await it.next();
        if (done) c.close();
        else c.enqueue(value);
      },
      async cancel() {
        await it.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
  return { body, type: `multipart/form-data; boundary=${BOUNDARY}` };
}

/** Posts an upload as the browser form does: the CSRF token in the action URL. */
export function upload(client: Client, patientId: string, fields: Record<string, string>, file?: FilePart, opts: { fileFirst?: boolean } = {}): Promise<Response> {
  const { body, type } = multipart(fields, file, opts);
  return client.request(`/patients/${patientId}/documents?_csrf=${encodeURIComponent(client.csrf ?? '')}`, {
    method: 'POST',
    headers: { 'Content-Type': type, Origin: ORIGIN, 'Sec-Fetch-Site': 'same-origin' },
    body,
    duplex: 'half',
  } as RequestInit);
}

/** Every file in the clinic's blob folder, finished or not. */
export function blobFiles(dataDir: string, clinicId: string): string[] {
  try {
    return readdirSync(join(dataDir, 'blobs', clinicId)).sort();
  } catch {
    return [];
  }
}

/** A large DICOM-like file: real preamble and magic, then `size` bytes in all of pseudo-random pixels. */
export function bigDicom(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 132; i < size; i++) {
    // xorshift32: deterministic noise that does not compress or repeat.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  out.set(enc.encode('DICM'), 128);
  out.fill(0, 0, 128);
  return out;
}
