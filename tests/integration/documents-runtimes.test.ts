// The attachment pipeline on every local runtime (FU3): the local-folder BlobStore, streamed upload
// (multipart with a raw UTF-8 file name, sniffing, SHA-256, chunked AES-GCM) and decryption run the
// same under Node (tsx), Deno and Bun, as real child processes (tests/fixtures/uploads/runtime-check.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = join(root, 'tests/fixtures/uploads/runtime-check.ts');
const RUNTIMES: [string, string, string[]][] = [
  ['node', process.execPath, ['--import', 'tsx', script]],
  ['deno', join(root, 'node_modules/.bin/deno'), ['run', '-A', '--node-modules-dir=manual', script]],
  ['bun', join(root, 'node_modules/.bin/bun'), [script]],
];

describe('attachments on each runtime', () => {
  for (const [name, bin, args] of RUNTIMES) {
    it(`FU3: stores, types, hashes, encrypts and reads back a file under ${name}`, () => {
      const r = spawnSync(bin, args, { cwd: root, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' } });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
      expect(out).toEqual({ runtime: name, name: 'صورة.dcm', type: 'application/dicom', shaMatches: true, mode: '600', files: 1, same: true, deleted: true, missing: true });
    }, 90_000);
  }
});
