// Archive verification: a ZIP made with the streaming writer and a signed manifest verifies; any
// changed byte, missing, extra or doubled file, edited manifest or foreign key is found and named,
// by the library and by `invent archive verify` (exit 0 / 1 / 2). The web page: archive-verify-page.test.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { MANIFEST_PATH } from '../../src/archive/manifest.ts';
import { verifyArchive } from '../../src/archive/verify.ts';
import { deriveClinicKeys, type SigningKeys } from '../../src/crypto/keys.ts';
import { invent, inventProcess } from '../helpers/cli.ts';
import { tempDir } from '../helpers/system.ts';
import { buildArchive, report, scan } from '../helpers/archive.ts';

/** Rewrites a ZIP through jszip with a change applied. */
async function rezip(bytes: Uint8Array, change: (zip: JSZip) => Promise<void> | void): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  await change(zip);
  return zip.generateAsync({ type: 'uint8array' });
}

/** Flips bits of one byte in place. */
function flip(bytes: Uint8Array, at: number, mask = 0xff): void {
  expect(at).toBeGreaterThanOrEqual(0);
  bytes[at] = bytes[at]! ^ mask;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

let keys: SigningKeys;
let good: Uint8Array;

beforeAll(async () => {
  keys = await (await deriveClinicKeys('c_x', new Uint8Array(32).fill(3))).signing();
  good = await buildArchive(keys);
});

describe('verifyArchive', () => {
  it('an archive from the streaming writer verifies, against the clinic key too; media stored, text deflated', async () => {
    const v = await verifyArchive(good, { expectedPublicKey: keys.publicKeyB64 });
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.manifest!.files.map((f) => [f.path, f.bytes])).toEqual([
      ['README.txt', expect.any(Number)],
      ['attachments/att_1_scan.jpg', scan.length],
      ['attachments/att_2_report.pdf', report.length],
      ['charts/dup1.txt', 5],
      ['charts/dup2.txt', 5],
      ['record.json', expect.any(Number)],
    ]);
    // The JPEG is stored as is: its bytes appear verbatim in the ZIP (no recompression).
    expect(indexOf(good, scan.subarray(1000, 1064))).toBeGreaterThan(0);
    const zip = await JSZip.loadAsync(good);
    const method = (p: string) => (zip.files[p] as unknown as { _data: { compression: { magic: string } } })._data.compression.magic;
    expect(method('attachments/att_1_scan.jpg')).toBe('\x00\x00');
    expect(method('record.json')).toBe('\x08\x00');
  });

  it('one changed byte inside a stored file is found and names the file', async () => {
    const bad = good.slice();
    const at = indexOf(bad, scan.subarray(50_000, 50_064));
    expect(at).toBeGreaterThan(0);
    flip(bad, at + 10);
    const v = await verifyArchive(bad);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.objectContaining({ path: 'attachments/att_1_scan.jpg', code: 'sha256' })]);
  });

  it('a changed file re-packed (new CRC, same size) is found by its SHA-256', async () => {
    const original = '{"resourceType":"Bundle","type":"collection","entry":[]}';
    const bad = await rezip(good, (z) => void z.file('record.json', original.replace('Bundle', 'Bundla')));
    const v = await verifyArchive(bad);
    expect(v.problems).toEqual([expect.objectContaining({ path: 'record.json', code: 'sha256' })]);
  });

  it('a removed file, an added file and a file name used twice are each named', async () => {
    const removed = await verifyArchive(await rezip(good, (z) => void z.remove('attachments/att_2_report.pdf')));
    expect(removed.problems).toEqual([expect.objectContaining({ path: 'attachments/att_2_report.pdf', code: 'missing' })]);

    const added = await verifyArchive(await rezip(good, (z) => void z.file('attachments/extra.exe', 'MZ')));
    expect(added.problems).toEqual([expect.objectContaining({ path: 'attachments/extra.exe', code: 'extra' })]);

    // Rename the second entry to the first one's name in place: two entries, one name.
    const doubled = good.slice();
    const from = new TextEncoder().encode('charts/dup2.txt');
    for (let i = indexOf(doubled, from); i >= 0; i = indexOf(doubled, from, i + 1)) doubled[i + 10] = '1'.charCodeAt(0);
    const v = await verifyArchive(doubled, { name: 'x.zip' });
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => [p.path, p.code])).toContainEqual(['x.zip', 'duplicate']);
  });

  it('an edited manifest fails its signature; a missing one is named', async () => {
    const edited = await rezip(good, async (z) => {
      const m = JSON.parse(await z.file(MANIFEST_PATH)!.async('string'));
      m.patient.mrn = 'D-0002';
      z.file(MANIFEST_PATH, JSON.stringify(m));
    });
    expect((await verifyArchive(edited)).problems).toEqual([expect.objectContaining({ path: MANIFEST_PATH, code: 'signature' })]);
    const none = await verifyArchive(await rezip(good, (z) => void z.remove(MANIFEST_PATH)));
    expect(none.problems).toEqual([expect.objectContaining({ path: MANIFEST_PATH, code: 'missing' })]);
    expect((await verifyArchive(new TextEncoder().encode('not a zip'), { name: 'a.zip' })).problems).toEqual([
      expect.objectContaining({ path: 'a.zip', code: 'unreadable' }),
    ]);
  });

  it('an archive signed by another key passes alone but fails against the expected clinic key', async () => {
    const other = await (await deriveClinicKeys('c_y', new Uint8Array(32).fill(4))).signing();
    const forged = await buildArchive(other);
    expect((await verifyArchive(forged)).ok).toBe(true);
    const v = await verifyArchive(forged, { expectedPublicKey: keys.publicKeyB64 });
    expect(v.problems).toEqual([expect.objectContaining({ path: MANIFEST_PATH, code: 'key' })]);
  });
});

describe('invent archive verify', () => {
  const dir = tempDir('invent-archive-');
  const env = { INVENT_DATA_DIR: join(dir.path, 'data') };
  const file = (name: string, bytes: Uint8Array) => {
    const p = join(dir.path, name);
    writeFileSync(p, bytes);
    return p;
  };
  afterAll(() => dir.remove());

  it('exits 0 for an intact archive, with and without the clinic key; --json prints the verdict', async () => {
    const path = file('good.zip', good);
    const r = await invent(['archive', 'verify', path], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^intact: 6 files/);
    expect((await invent(['archive', 'verify', path, '--public-key', keys.publicKeyB64], env)).code).toBe(0);
    const j = await invent(['archive', 'verify', '--json', path], env);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: true, problems: [], patient: { mrn: 'D-0001' }, files: 6 });
  });

  it('exits 1 naming the file on the first stderr line', async () => {
    const bad = good.slice();
    flip(bad, indexOf(bad, scan.subarray(9000, 9064)) + 3, 1);
    const r = await invent(['archive', 'verify', file('bad.zip', bad)], env);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/^attachments\/att_1_scan\.jpg: SHA-256 does not match/);
    const removed = await invent(['archive', 'verify', file('removed.zip', await rezip(good, (z) => void z.remove('README.txt')))], env);
    expect(removed.code).toBe(1);
    expect(removed.stderr).toMatch(/^README\.txt: listed in the manifest but missing/);
    const other = await (await deriveClinicKeys('c_y', new Uint8Array(32).fill(4))).signing();
    const wrongKey = await invent(['archive', 'verify', file('good2.zip', good), '--public-key', other.publicKeyB64], env);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/^manifest\.json: signed with a key/);
    const missing = await invent(['archive', 'verify', join(dir.path, 'nope.zip')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.zip: no such file/);
  });

  it('exits 2 on usage errors', async () => {
    for (const argv of [['archive'], ['archive', 'verify'], ['archive', 'verify', 'a.zip', 'b.zip'], ['archive', 'verify', 'a.zip', '--public-key', 'short'], ['archive', 'frobnicate']]) {
      expect((await invent(argv, env)).code, argv.join(' ')).toBe(2);
    }
  });

  it('the real command (child process) gives the same exit codes', () => {
    const goodPath = file('p-good.zip', good);
    const bad = good.slice();
    flip(bad, indexOf(bad, scan.subarray(20_000, 20_064)), 1);
    expect(inventProcess(['archive', 'verify', goodPath], env).code).toBe(0);
    const r = inventProcess(['archive', 'verify', file('p-bad.zip', bad)], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^attachments\/att_1_scan\.jpg: /);
    expect(inventProcess(['archive', 'verify'], env).code).toBe(2);
  }, 60_000);
});
