import { createReadStream } from 'node:fs';
import { link, open, readFile, stat, unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { LocalFileError, type LocalFiles } from '../local-files.ts';

const why = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  if (code === 'EEXIST') return 'already exists';
  return code ?? 'cannot be used';
};

export const localFiles: LocalFiles = {
  async read(path) {
    try {
      return new Uint8Array(await readFile(path));
    } catch (e) {
      throw new LocalFileError(`${path}: ${why(e)}`);
    }
  },
  async readStream(path) {
    try {
      if (!(await stat(path)).isFile()) throw Object.assign(new Error(), { code: 'EISDIR' });
    } catch (e) {
      throw new LocalFileError(`${path}: ${why(e)}`);
    }
    return Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>;
  },
  async write(path, data, opts = {}) {
    const tmp = `${path}.${randomBytes(6).toString('hex')}.partial`;
    try {
      const fh = await open(tmp, 'wx', opts.mode ?? 0o600);
      try {
        const reader = data.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          await fh.write(value);
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      await link(tmp, path); // fails if the file exists: never replaces one
    } catch (e) {
      // A failing source (the archive builder) is its own error; only file-system ones are ours.
      if (!(e as NodeJS.ErrnoException).code) throw e;
      throw new LocalFileError(`${path}: ${why(e)}`);
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  },
};
