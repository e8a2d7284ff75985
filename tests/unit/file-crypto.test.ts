// File encryption (FU3) at the edges: sizes around the chunk boundary, empty files, and each way a
// stored file can be tampered with (a changed byte, chunks swapped, dropped, cut at a boundary, an
// extra chunk, another blob's or clinic's context); and the incremental SHA-256 against WebCrypto.
import { describe, expect, it } from 'vitest';
import { FILE_CHUNK, FileDecryptError, decryptStream, encryptStream } from '../../src/crypto/file.ts';
import { Sha256Stream } from '../../src/crypto/sha256-stream.ts';

const ctx = { clinicId: 'c_aaaaaaaaaaaaaaaaaaaaaaaaaa', blobId: 'bbbbbbbbbbbbbbbbbbbbbbbbbb' };
const key = await crypto.subtle.importKey('raw', new Uint8Array(32).fill(9), 'AES-GCM', false, ['encrypt', 'decrypt']);

const streamOf = (b: Uint8Array, piece = 10_000) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < b.length; i += piece) c.enqueue(b.slice(i, i + piece));
      c.close();
    },
  });
const all = async (s: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(s).arrayBuffer());
const random = (n: number) => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
};
const seal = (plain: Uint8Array, c = ctx) => all(encryptStream(key, c, streamOf(plain, 7777)));
const open = (sealed: Uint8Array, c = ctx) => all(decryptStream(key, c, streamOf(sealed, 50_000)));

const HEADER = 60;
const SEALED = FILE_CHUNK + 16;

describe('chunked file encryption', () => {
  it('FU3: round-trips every size around the chunk boundary, empty included', async () => {
    for (const n of [0, 1, 100, FILE_CHUNK - 1, FILE_CHUNK, FILE_CHUNK + 1, 2 * FILE_CHUNK, 3 * FILE_CHUNK + 5]) {
      const plain = random(n);
      const sealed = await seal(plain);
      expect(sealed.length, String(n)).toBe(HEADER + n + 16 * Math.max(1, Math.ceil(n / FILE_CHUNK)));
      expect(Buffer.compare(await open(sealed), plain), String(n)).toBe(0);
    }
  });

  it('FU3: the same file encrypts differently each time (a fresh key per file)', async () => {
    const plain = random(1000);
    expect(Buffer.compare(await seal(plain), await seal(plain))).not.toBe(0);
  });

  it('FU3: a changed byte, swapped or dropped chunks, a cut at a chunk boundary or an extra chunk all fail', async () => {
    const plain = random(3 * FILE_CHUNK + 100);
    const sealed = await seal(plain);
    const chunk = (i: number) => sealed.slice(HEADER + i * SEALED, HEADER + (i + 1) * SEALED);
    const header = sealed.slice(0, HEADER);
    const join = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));
    const flipped = sealed.slice();
    flipped[HEADER + SEALED + 5]! ^= 1;
    const cases: [string, Uint8Array][] = [
      ['changed byte', flipped],
      // Flip a bit (setting a byte to a fixed value leaves it unchanged one time in 256).
      ['changed header', join(Uint8Array.from(header, (b, i) => (i === 0 ? b ^ 1 : b)), sealed.slice(HEADER))],
      ['swapped chunks', join(header, chunk(1), chunk(0), sealed.slice(HEADER + 2 * SEALED))],
      ['dropped chunk', join(header, chunk(0), sealed.slice(HEADER + 2 * SEALED))],
      ['cut at a chunk boundary', join(header, chunk(0), chunk(1), chunk(2))],
      ['cut inside the header', sealed.slice(0, 30)],
      ['header only', header],
      ['extra chunk', join(sealed, chunk(0))],
    ];
    for (const [name, bad] of cases) await expect(open(bad), name).rejects.toBeInstanceOf(FileDecryptError);
  });

  it('FU3: a file read as another blob or another clinic does not decrypt', async () => {
    const sealed = await seal(random(500));
    await expect(open(sealed, { ...ctx, blobId: 'cccccccccccccccccccccccccc' })).rejects.toBeInstanceOf(FileDecryptError);
    await expect(open(sealed, { ...ctx, clinicId: 'c_dddddddddddddddddddddddddd' })).rejects.toBeInstanceOf(FileDecryptError);
  });
});

describe('incremental SHA-256', () => {
  it('matches WebCrypto for every length around the block boundaries, fed in uneven pieces', async () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 70_000]) {
      const data = random(n);
      const h = new Sha256Stream();
      for (let i = 0; i < n; i += 37) h.update(data.subarray(i, i + 37));
      const want = Buffer.from(await crypto.subtle.digest('SHA-256', data)).toString('hex');
      expect(h.hex(), String(n)).toBe(want);
    }
  });
});
