// Incremental SHA-256 (FIPS 180-4) for uploads: the digest of a file is taken as its chunks stream
// through, so no file is held whole. WebCrypto has no incremental digest, and @oslojs/crypto's
// SHA256 allocates a copy of every 64-byte block and counts the length in a BigInt (about 80 MB/s
// here); this keeps its state in preallocated 32-bit arrays and reads blocks in place.
// tests/unit/sha256-stream.test.ts compares it with WebCrypto across block boundaries.

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INIT = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class Sha256Stream {
  private readonly h = Int32Array.from(INIT);
  private readonly w = new Int32Array(64);
  /** Bytes of an unfinished block. */
  private readonly block = new Uint8Array(64);
  private filled = 0;
  private length = 0;
  private done = false;

  update(data: Uint8Array): this {
    if (this.done) throw new Error('sha256: update after digest');
    this.length += data.length;
    let off = 0;
    if (this.filled > 0) {
      const take = Math.min(64 - this.filled, data.length);
      this.block.set(data.subarray(0, take), this.filled);
      this.filled += take;
      off = take;
      if (this.filled < 64) return this;
      this.compress(this.block, 0);
      this.filled = 0;
    }
    for (; off + 64 <= data.length; off += 64) this.compress(data, off);
    if (off < data.length) {
      this.block.set(data.subarray(off), 0);
      this.filled = data.length - off;
    }
    return this;
  }

  /** Lower-case hex of the digest; the hasher is finished after this. */
  hex(): string {
    if (!this.done) this.finish();
    let s = '';
    for (let i = 0; i < 8; i++) {
      const v = this.h[i]!;
      s += HEX[v >>> 24]! + HEX[(v >>> 16) & 255]! + HEX[(v >>> 8) & 255]! + HEX[v & 255]!;
    }
    return s;
  }

  private finish(): void {
    this.done = true;
    // The 0x80 byte and the 64-bit big-endian length in bits: one or two more blocks.
    const tail = new Uint8Array(128);
    tail.set(this.block.subarray(0, this.filled), 0);
    tail[this.filled] = 0x80;
    const end = this.filled < 56 ? 64 : 128;
    const hi = Math.floor(this.length / 0x20000000);
    const lo = (this.length * 8) >>> 0;
    tail[end - 8] = hi >>> 24;
    tail[end - 7] = hi >>> 16;
    tail[end - 6] = hi >>> 8;
    tail[end - 5] = hi;
    tail[end - 4] = lo >>> 24;
    tail[end - 3] = lo >>> 16;
    tail[end - 2] = lo >>> 8;
    tail[end - 1] = lo;
    this.compress(tail, 0);
    if (end === 128) this.compress(tail, 64);
  }

  private compress(bytes: Uint8Array, off: number): void {
    sha256Compress(this.h, this.w, bytes, off);
  }
}

/**
 * One SHA-256 compression of the 64-byte block at `off` into the state `H`, with `w` as the message
 * schedule scratch (both preallocated by the caller). Shared with the audit chain's one-shot digest.
 */
export function sha256Compress(H: Int32Array, w: Int32Array, bytes: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++, off += 4) {
    w[i] = (bytes[off]! << 24) | (bytes[off + 1]! << 16) | (bytes[off + 2]! << 8) | bytes[off + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = H[0]!;
  let b = H[1]!;
  let c = H[2]!;
  let d = H[3]!;
  let e = H[4]!;
  let f = H[5]!;
  let g = H[6]!;
  let h = H[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}
