// The local BlobStore's sweep of unfinished blobs (`invent serve` runs it at start): a `.part` file
// older than the limit goes (a process was killed while writing it); a recent one (a write in
// progress) and every finished blob stay.
import { describe, expect, it } from 'vitest';
import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/system.ts';
import { localBlobStore } from '../../src/platform/node/blob-store.ts';

const CLINIC = 'c_aaaaaaaaaaaaaaaaaaaaaaaaaa';

describe('BlobStore.sweepUnfinished', () => {
  it('removes only unfinished blobs older than the limit', async () => {
    const dir = tempDir('invent-blobs-');
    try {
      const store = localBlobStore(dir.path);
      const done = await store.create(CLINIC);
      await done.write(new Uint8Array([1, 2, 3]));
      await done.close();
      const killed = await store.create(CLINIC);
      await killed.write(new Uint8Array([4]));
      const writing = await store.create(CLINIC);
      const folder = join(dir.path, 'blobs', CLINIC);
      const old = new Date(Date.now() - 2 * 3600_000);
      utimesSync(join(folder, `${killed.name}.part`), old, old);
      utimesSync(join(folder, done.name), old, old);
      expect(await store.sweepUnfinished!(3600_000)).toBe(1);
      expect(existsSync(join(folder, `${killed.name}.part`))).toBe(false);
      expect(existsSync(join(folder, `${writing.name}.part`))).toBe(true);
      expect(existsSync(join(folder, done.name))).toBe(true);
      await writing.abort();
      await killed.abort();
    } finally {
      dir.remove();
    }
  });
});
