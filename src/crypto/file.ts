// File encryption (FU3): AES-256-GCM in fixed-size chunks, so that a file of any size streams
// through with one chunk in memory.
//
// Each file gets its own random 256-bit key, wrapped with the clinic's file key (crypto/keys.ts) and
// kept in the blob's header: with a key used for one file only, a nonce from the chunk counter can
// never repeat. The associated data of every chunk binds the clinic, the blob's name, the chunk's
// index and whether it is the last one, so a chunk moved to another place or file, reordered,
// dropped, or a file cut short at a chunk boundary, fails to decrypt. WebCrypto checks the tag before
// it returns any plaintext, so a damaged file yields an error, never wrong bytes.
//
// Layout: header = wrap IV (12) || wrapped key (32 + 16 tag); then chunks of FILE_CHUNK plaintext
// bytes (the last one 0..FILE_CHUNK), each followed by its 16-byte tag. The header is random bytes:
// nothing in a stored blob says what kind of file it holds.
import { enc } from './bytes.ts';

export const FILE_CHUNK = 64 * 1024;
const TAG = 16;
const IV = 12;
const HEADER = IV + 32 + TAG;
const SEALED_CHUNK = FILE_CHUNK + TAG;

/** Where an encrypted file belongs: its clinic and its blob's name. */
export interface BlobContext {
  clinicId: string;
  blobId: string;
}

export class FileDecryptError extends Error {
  override name = 'FileDecryptError';
}

const keyAad = (c: BlobContext) => enc(`invent/file-key/v1\u0000${c.clinicId}\u0000${c.blobId}\u0000${FILE_CHUNK}`);
const chunkAad = (c: BlobContext, index: number, final: boolean) =>
  enc(`invent/file/v1\u0000${c.clinicId}\u0000${c.blobId}\u0000${index}\u0000${final ? 1 : 0}`);

/** 96-bit nonce: the chunk index, big-endian, in the last 8 bytes. */
function nonce(index: number): Uint8Array {
  const iv = new Uint8Array(IV);
  new DataView(iv.buffer).setBigUint64(4, BigInt(index));
  return iv;
}

const gcm = (iv: Uint8Array, aad: Uint8Array) => ({ name: 'AES-GCM', iv: iv as BufferSource, additionalData: aad as BufferSource });

/** Encrypts one file as its bytes arrive: push() them in any sizes, then finish(). */
export class FileEncryptor {
  private readonly held = new Uint8Array(FILE_CHUNK);
  private filled = 0;
  private index = 0;
  private done = false;

  private constructor(
    private readonly key: CryptoKey,
    private readonly ctx: BlobContext,
  ) {}

  /** A new file key, wrapped with the clinic's file key: the header to write first. */
  static async start(fileKey: CryptoKey, ctx: BlobContext): Promise<{ encryptor: FileEncryptor; header: Uint8Array }> {
    const raw = crypto.getRandomValues(new Uint8Array(32));
    const iv = crypto.getRandomValues(new Uint8Array(IV));
    const wrapped = new Uint8Array(await crypto.subtle.encrypt(gcm(iv, keyAad(ctx)), fileKey, raw as BufferSource));
    const key = await crypto.subtle.importKey('raw', raw as BufferSource, 'AES-GCM', false, ['encrypt']);
    raw.fill(0);
    const header = new Uint8Array(HEADER);
    header.set(iv, 0);
    header.set(wrapped, IV);
    return { encryptor: new FileEncryptor(key, ctx), header };
  }

  /**
   * Takes plaintext; returns the chunks that are now complete. A full chunk is held back until more
   * bytes arrive, because only then is it known not to be the last.
   */
  async push(data: Uint8Array): Promise<Uint8Array[]> {
    if (this.done) throw new Error('file encryption: push after finish');
    const out: Uint8Array[] = [];
    let off = 0;
    while (off < data.length) {
      if (this.filled === FILE_CHUNK) {
        out.push(await this.seal(this.held, false));
        this.filled = 0;
      }
      const take = Math.min(FILE_CHUNK - this.filled, data.length - off);
      this.held.set(data.subarray(off, off + take), this.filled);
      this.filled += take;
      off += take;
    }
    return out;
  }

  /** The last chunk (possibly empty), marked final. */
  async finish(): Promise<Uint8Array> {
    if (this.done) throw new Error('file encryption: finished twice');
    this.done = true;
    return this.seal(this.held.subarray(0, this.filled), true);
  }

  private async seal(plain: Uint8Array, final: boolean): Promise<Uint8Array> {
    const i = this.index++;
    return new Uint8Array(await crypto.subtle.encrypt(gcm(nonce(i), chunkAad(this.ctx, i, final)), this.key, plain as BufferSource));
  }
}

/** A stream's bytes, taken in exact amounts (the stored chunks do not line up with reads). */
class ByteQueue {
  private parts: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array): void {
    if (b.length === 0) return;
    this.parts.push(b);
    this.length += b.length;
  }
  take(n: number): Uint8Array {
    const first = this.parts[0]!;
    if (first.length >= n) {
      this.parts[0] = first.subarray(n);
      if (this.parts[0].length === 0) this.parts.shift();
      this.length -= n;
      return first.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const p = this.parts[0]!;
      const k = Math.min(p.length, n - at);
      out.set(p.subarray(0, k), at);
      at += k;
      if (k === p.length) this.parts.shift();
      else this.parts[0] = p.subarray(k);
    }
    this.length -= n;
    return out;
  }
}

/**
 * Decrypts a stored file as it is read. The stream errors with FileDecryptError on any damage
 * (a changed byte, a missing or extra chunk, another file's header): bytes already passed on were
 * each authenticated, and nothing unauthenticated is ever passed on.
 */
export function decryptStream(fileKey: CryptoKey, ctx: BlobContext, source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const queue = new ByteQueue();
  let ended = false;
  let key: CryptoKey | undefined;
  let index = 0;

  /** Reads until `n` bytes are queued, or the source ends. */
  const fill = async (n: number) => {
    while (!ended && queue.length < n) {
      const { done, value } = await reader.read();
      if (done) ended = true;
      else queue.push(value);
    }
  };

  const open = async (sealed: Uint8Array, final: boolean) => {
    const i = index++;
    try {
      return new Uint8Array(await crypto.subtle.decrypt(gcm(nonce(i), chunkAad(ctx, i, final)), key!, sealed as BufferSource));
    } catch {
      throw new FileDecryptError(`chunk ${i} of the file does not authenticate (damaged, truncated or not this file)`);
    }
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!key) {
            await fill(HEADER);
            if (queue.length < HEADER) throw new FileDecryptError('the file is shorter than its header');
            const header = queue.take(HEADER);
            let raw: Uint8Array;
            try {
              raw = new Uint8Array(await crypto.subtle.decrypt(gcm(header.subarray(0, IV), keyAad(ctx)), fileKey, header.subarray(IV) as BufferSource));
            } catch {
              throw new FileDecryptError('the file key does not unwrap (damaged header, another clinic or another blob)');
            }
            key = await crypto.subtle.importKey('raw', raw as BufferSource, 'AES-GCM', false, ['decrypt']);
            raw.fill(0);
          }
          // One byte past a chunk tells whether it is the last.
          await fill(SEALED_CHUNK + 1);
          if (queue.length > SEALED_CHUNK) {
            controller.enqueue(await open(queue.take(SEALED_CHUNK), false));
            return;
          }
          if (queue.length < TAG) throw new FileDecryptError('the file is cut short');
          const last = await open(queue.take(queue.length), true);
          if (last.length > 0) controller.enqueue(last);
          controller.close();
        } catch (err) {
          await reader.cancel().catch(() => undefined);
          controller.error(err);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/** Encrypts a whole stream: the header, then the chunks (for callers that hold a stream, like the demo). */
export function encryptStream(fileKey: CryptoKey, ctx: BlobContext, source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let encryptor: FileEncryptor | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!encryptor) {
        const started = await FileEncryptor.start(fileKey, ctx);
        encryptor = started.encryptor;
        controller.enqueue(started.header);
        return;
      }
      // A pull must hand on something (or end): a stream does not pull again by itself after a
      // pull that enqueued nothing, so keep reading while the encryptor is still filling a chunk.
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          controller.enqueue(await encryptor.finish());
          controller.close();
          return;
        }
        const sealed = await encryptor.push(value);
        for (const c of sealed) controller.enqueue(c);
        if (sealed.length > 0) return;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
