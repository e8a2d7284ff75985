import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { DataDir } from '../ports.ts';

/** The data folder on a local disk (Node, Deno and Bun). Paths may not leave the folder. */
export function localDataDir(root: string): DataDir {
  const base = resolve(root);
  const at = (rel: string) => {
    const full = resolve(base, rel);
    const inside = relative(base, full);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new Error(`path escapes the data folder: ${rel}`);
    return full;
  };
  const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';
  return {
    resolve: at,
    async exists(rel) {
      try {
        await stat(at(rel));
        return true;
      } catch (e) {
        if (missing(e)) return false;
        throw e;
      }
    },
    async read(rel) {
      try {
        return new Uint8Array(await readFile(at(rel)));
      } catch (e) {
        if (missing(e)) return undefined;
        throw e;
      }
    },
    async create(rel, bytes, mode = 0o600) {
      // O_EXCL: never overwrite; the mode is applied at creation, so there is no readable window.
      const fh = await open(at(rel), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
    },
    async mkdirs(rel) {
      await mkdir(at(rel), { recursive: true, mode: 0o700 });
    },
    async list(rel) {
      try {
        return (await readdir(at(rel))).sort();
      } catch (e) {
        if (missing(e)) return [];
        throw e;
      }
    },
    async mode(rel) {
      if (process.platform === 'win32') return undefined;
      return (await stat(at(rel))).mode & 0o777;
    },
  };
}
