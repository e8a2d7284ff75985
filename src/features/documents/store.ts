// Storing bytes already in hand as an encrypted blob (the demo's files, files made by the system):
// the same encryption as an upload (crypto/file.ts), for callers that hold the whole file anyway.
import { putStream, type BlobStore } from '../../platform/blob-store.ts';
import { encryptStream } from '../../crypto/file.ts';
import { sha256Hex } from '../../crypto/bytes.ts';
import type { ClinicHandle } from '../../tenancy/registry.ts';

export async function storeBytes(blobs: BlobStore, h: Pick<ClinicHandle, 'id' | 'keys'>, bytes: Uint8Array): Promise<{ blobName: string; bytes: number; sha256: string }> {
  const plain = () => new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(bytes), c.close()) });
  const { name } = await putStream(blobs, h.id, (blobId) => encryptStream(h.keys.file, { clinicId: h.id, blobId }, plain()));
  return { blobName: name, bytes: bytes.length, sha256: await sha256Hex(bytes) };
}
