// The BlobStore on a local disk (Node, and Deno and Bun through their Node compatibility): one file
// per blob at <data folder>/blobs/<clinic id>/<random name>, owner-only (0600, folders 0700), never
// under static/. A blob is written as <name>.part and renamed once complete and synced, so a crash
// mid-upload leaves no file under a real name (a stray .part is recognisable as unfinished).
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { BLOB_CLINIC, BLOB_NAME, type BlobStore, type BlobWriter } from '../blob-store.ts';

/** How much one read of a blob hands on: a few encrypted chunks, so reads stay few and memory small. */
const READ_BYTES = 256 * 1024;

const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

export function localBlobStore(dataDir: string): BlobStore {
  const root = resolve(dataDir, 'blobs');
  const folder = (clinicId: string) => {
    if (!BLOB_CLINIC.test(clinicId)) throw new Error('blob store: malformed clinic id');
    return join(root, clinicId);
  };
  const file = (clinicId: string, name: string) => {
    if (!BLOB_NAME.test(name)) throw new Error('blob store: malformed blob name');
    return join(folder(clinicId), name);
  };

  return {
    async create(clinicId) {
      const dir = folder(clinicId);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const random = new Uint8Array(16);
      crypto.getRandomValues(random);
      const name = encodeBase32LowerCaseNoPadding(random);
      const final = join(dir, name);
      const part = `${final}.part`;
      // O_EXCL: a name is never reused; the mode applies at creation, so there is no readable window.
      const fh = await open(part, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      return partWriter(name, fh, part, final);
    },

    async get(clinicId, name) {
      let fh: FileHandle;
      try {
        fh = await open(file(clinicId, name), constants.O_RDONLY);
      } catch (e) {
        if (missing(e)) return null;
        throw e;
      }
      let closed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        await fh.close();
      };
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            try {
              const buf = new Uint8Array(READ_BYTES);
              const { bytesRead } = await fh.read(buf, 0, READ_BYTES, null);
              if (bytesRead === 0) {
                await close();
                controller.close();
              } else controller.enqueue(bytesRead === READ_BYTES ? buf : buf.subarray(0, bytesRead));
            } catch (err) {
              await close().catch(() => undefined);
              controller.error(err);
            }
          },
          cancel: close,
        },
        { highWaterMark: 0 },
      );
    },

    async delete(clinicId, name) {
      try {
        await unlink(file(clinicId, name));
        return true;
      } catch (e) {
        if (missing(e)) return false;
        throw e;
      }
    },

    async sweepUnfinished(olderThanMs) {
      let removed = 0;
      const before = Date.now() - olderThanMs;
      const clinics = await readdir(root).catch((e: unknown) => (missing(e) ? [] : Promise.reject(e)));
      for (const clinic of clinics) {
        if (!BLOB_CLINIC.test(clinic)) continue;
        for (const f of await readdir(join(root, clinic))) {
          if (!f.endsWith('.part') || !BLOB_NAME.test(f.slice(0, -5))) continue;
          const path = join(root, clinic, f);
          const info = await stat(path).catch(() => undefined);
          if (info && info.mtimeMs < before) {
            await unlink(path).catch(() => undefined);
            removed++;
          }
        }
      }
      return removed;
    },

    sha256() {
      const h = createHash('sha256');
      return { update: (chunk) => void h.update(chunk), hex: () => h.digest('hex') };
    },
  };
}

function partWriter(name: string, fh: FileHandle, part: string, final: string): BlobWriter {
  let bytes = 0;
  let state: 'open' | 'closed' | 'aborted' = 'open';
  return {
    name,
    async write(chunk) {
      if (state !== 'open') throw new Error('blob store: write after close');
      for (let off = 0; off < chunk.length; ) {
        const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
        off += bytesWritten;
      }
      bytes += chunk.length;
    },
    async close() {
      if (state !== 'open') throw new Error('blob store: closed twice');
      await fh.sync();
      await fh.close();
      await rename(part, final);
      state = 'closed';
      return bytes;
    },
    async abort() {
      if (state === 'aborted') return;
      const was = state;
      state = 'aborted';
      if (was === 'open') await fh.close().catch(() => undefined);
      // After a close the blob is under its real name (the caller's own step failed after it).
      await unlink(was === 'closed' ? final : part).catch((e: unknown) => {
        if (!missing(e)) throw e;
      });
    },
  };
}
