// Synchronous SHA-256 (FIPS 180-4) for the audit chain.
//
// Why not a library: WebCrypto's digest is asynchronous and, one small row at a time, runs at about
// 20-30k digests/s; @oslojs/crypto's sync sha256 allocates per block and counts the length in a
// BigInt, which with the rest of the work kept `invent audit verify` under 100k rows/s. This is the
// textbook compression function over preallocated 32-bit arrays, with no allocation per call. It
// hashes only public data (no secret-dependent timing matters). tests/unit/audit-sha256.test.ts
// compares it with WebCrypto on random inputs of every length around the block boundaries. The
// compression function is the incremental hasher's (crypto/sha256-stream.ts): one implementation.
import { sha256Compress } from '../crypto/sha256-stream.ts';

const INIT = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const H = new Int32Array(8);
const W = new Int32Array(64);
const TAIL = new Uint8Array(128);
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const compress = (bytes: Uint8Array, off: number) => sha256Compress(H, W, bytes, off);

/** Leaves the digest of `data` in H. */
function digestInto(data: Uint8Array): void {
  H.set(INIT);
  const len = data.length;
  const full = len - (len % 64);
  for (let off = 0; off < full; off += 64) compress(data, off);
  // The rest, the 0x80 byte and the 64-bit big-endian length in bits: one or two more blocks.
  const rest = len - full;
  TAIL.fill(0);
  TAIL.set(data.subarray(full), 0);
  TAIL[rest] = 0x80;
  const blocks = rest < 56 ? 1 : 2;
  const end = blocks * 64;
  const hi = Math.floor(len / 0x20000000);
  const lo = (len * 8) >>> 0;
  TAIL[end - 8] = hi >>> 24;
  TAIL[end - 7] = hi >>> 16;
  TAIL[end - 6] = hi >>> 8;
  TAIL[end - 5] = hi;
  TAIL[end - 4] = lo >>> 24;
  TAIL[end - 3] = lo >>> 16;
  TAIL[end - 2] = lo >>> 8;
  TAIL[end - 1] = lo;
  compress(TAIL, 0);
  if (blocks === 2) compress(TAIL, 64);
}

export function sha256(data: Uint8Array): Uint8Array {
  digestInto(data);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = H[i]!;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = v >>> 16;
    out[i * 4 + 2] = v >>> 8;
    out[i * 4 + 3] = v;
  }
  return out;
}

/** Lower-case hex of SHA-256(data). */
export function sha256Hex(data: Uint8Array): string {
  digestInto(data);
  let s = '';
  for (let i = 0; i < 8; i++) {
    const v = H[i]!;
    s += HEX[v >>> 24]! + HEX[(v >>> 16) & 255]! + HEX[(v >>> 8) & 255]! + HEX[v & 255]!;
  }
  return s;
}
