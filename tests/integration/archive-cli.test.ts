// Issue 7 acceptance through the CLI alone: `invent archive create` for demo patient D-0001 holds
// every part of CONTRACT.md and `invent archive verify` exits 0; one changed byte of any file, a
// removed file or an added one makes it exit 1 naming the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { TEST_MASTER_KEY, tempDir } from '../helpers/system.ts';
import { invent } from '../helpers/cli.ts';

const dir = tempDir('invent-archive-cli-');
const env = { INVENT_DATA_DIR: join(dir.path, 'data'), INVENT_MASTER_KEY: TEST_MASTER_KEY };
const file = (name: string) => join(dir.path, name);
let good: Uint8Array;

async function rezip(change: (zip: JSZip) => Promise<void> | void): Promise<string> {
  const zip = await JSZip.loadAsync(good);
  await change(zip);
  const path = file(`changed-${Math.floor(performance.now())}.zip`);
  writeFileSync(path, await zip.generateAsync({ type: 'uint8array' }));
  return path;
}

beforeAll(async () => {
  expect((await invent(['demo'], env)).code).toBe(0);
}, 120_000);
afterAll(() => dir.remove());

describe('invent archive create / verify for D-0001', () => {
  it('creates the archive with every part, and verify exits 0', async () => {
    const made = await invent(['archive', 'create', '--clinic', 'demo', '--mrn', 'D-0001', '--out', file('d1.zip'), '--json'], env);
    expect(made.code, made.stderr).toBe(0);
    const out = JSON.parse(made.stdout) as { files: number; bytes: number; sha256: string };
    good = new Uint8Array(readFileSync(file('d1.zip')));
    expect(out.bytes).toBe(good.length);
    const paths = Object.keys((await JSZip.loadAsync(good)).files);
    for (const p of ['manifest.json', 'README.txt', 'medical-history.pdf', 'record.json', 'charts/dental.json', 'charts/dental.svg', 'attachments/index.csv']) expect(paths).toContain(p);
    for (const folder of ['encounters/', 'prescriptions/', 'consents/', 'attachments/']) expect(paths.filter((p) => p.startsWith(folder)).length, folder).toBeGreaterThan(0);
    const ok = await invent(['archive', 'verify', file('d1.zip')], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('intact');
  }, 120_000);

  it('exits 1 naming the file when one byte of a file changes, a file is removed or one is added', async () => {
    const pdf = await rezip(async (z) => {
      const bytes = await z.file('medical-history.pdf')!.async('uint8array');
      bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 1;
      z.file('medical-history.pdf', bytes);
    });
    const changed = await invent(['archive', 'verify', pdf], env);
    expect(changed.code).toBe(1);
    expect(changed.stderr.split('\n')[0]).toMatch(/^medical-history\.pdf: /);

    const json = await rezip(async (z) => void z.file('record.json', (await z.file('record.json')!.async('string')).replace('"collection"', '"collectioN"')));
    expect((await invent(['archive', 'verify', json], env)).stderr).toMatch(/^record\.json: /);

    const removed = await invent(['archive', 'verify', await rezip((z) => void z.remove('charts/dental.svg'))], env);
    expect(removed.code).toBe(1);
    expect(removed.stderr).toMatch(/^charts\/dental\.svg: /m);

    const added = await invent(['archive', 'verify', await rezip((z) => void z.file('attachments/extra.txt', 'not in the manifest'))], env);
    expect(added.code).toBe(1);
    expect(added.stderr).toMatch(/^attachments\/extra\.txt: /m);
  }, 120_000);
});
