import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Assets } from '../ports.ts';

/** The project's root folder (where static/ and migrations/ are), from this file's place in src/platform/node. */
export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

export function folderAssets(root = projectRoot): Assets {
  return {
    async read(rel) {
      const full = resolve(root, rel);
      const inside = relative(root, full);
      if (inside.startsWith('..') || isAbsolute(inside)) return undefined;
      try {
        return new Uint8Array(await readFile(full));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
  };
}

/** Assets embedded in a build: a map from relative path to a loader. */
export function embeddedAssets(files: Record<string, () => Promise<Uint8Array>>): Assets {
  return {
    async read(rel) {
      const load = files[rel];
      return load ? load() : undefined;
    },
  };
}
