// The BlobStore port: opaque byte blobs of one clinic under random names (attachments, stored
// exports). It never sees plaintext: callers encrypt before writing (crypto/file.ts). Adapters: a
// local folder under the data folder (node/blob-store.ts, for Node, Deno and Bun).

/** A blob being written. Nothing is visible under `name` until close() succeeds. */
export interface BlobWriter {
  /** The blob's random name, known before the first byte (encryption binds it as associated data). */
  readonly name: string;
  /** Resolves once the bytes are handed to storage: awaiting it is the backpressure. */
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the blob durable and visible under its name; returns its size in bytes. */
  close(): Promise<number>;
  /** Throws away what was written, even after close(); safe to call more than once. */
  abort(): Promise<void>;
}

/** An incremental SHA-256: update with each chunk, then the lower-case hex digest. */
export interface StreamingHash {
  update(chunk: Uint8Array): void;
  hex(): string;
}

export interface BlobStore {
  /** Starts a new blob of this clinic under a fresh random name. */
  create(clinicId: string): Promise<BlobWriter>;
  /** The blob's bytes as a stream, or null when there is no such blob. */
  get(clinicId: string, name: string): Promise<ReadableStream<Uint8Array> | null>;
  /** Removes a blob; false when there was none. */
  delete(clinicId: string, name: string): Promise<boolean>;
  /** The runtime's native SHA-256, where it has one (much faster than hashing in JavaScript). */
  sha256?(): StreamingHash;
  /**
   * Removes blobs that were never finished (a process killed mid-upload or mid-archive) and are older
   * than `olderThanMs`; returns how many. Where unfinished writes leave nothing behind, absent.
   */
  sweepUnfinished?(olderThanMs: number): Promise<number>;
}

/** Names of blobs: 26 lower-case base32 characters (128 random bits), nothing else. */
export const BLOB_NAME = /^[a-z2-7]{26}$/;
/** Clinic ids as the registry makes them; checked so that no id can steer a path. */
export const BLOB_CLINIC = /^c_[a-z2-7]{26}$/;

/** Writes a whole stream as one blob; the partial blob is removed when the stream fails. */
export async function putStream(store: BlobStore, clinicId: string, source: (name: string) => ReadableStream<Uint8Array>): Promise<{ name: string; bytes: number }> {
  const writer = await store.create(clinicId);
  try {
    const reader = source(writer.name).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await writer.write(value);
    }
    return { name: writer.name, bytes: await writer.close() };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
