// Small, real files made from scratch for the demo clinic's attachments and the upload tests: a PNG
// (grayscale, zlib "stored" blocks, so no compressor is needed and the bytes are the same on every
// runtime), a DICOM Part 10 file (Secondary Capture, explicit VR little endian) and a TIFF. Each
// carries its format's real magic numbers, so the upload checks (FU1) see what a scanner would send.
import { enc } from '../crypto/bytes.ts';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Bytes written big- or little-endian into a growing list. */
class Out {
  parts: number[] = [];
  u8(...v: number[]) {
    this.parts.push(...v.map((x) => x & 0xff));
    return this;
  }
  u16be(v: number) {
    return this.u8(v >>> 8, v);
  }
  u32be(v: number) {
    return this.u8(v >>> 24, v >>> 16, v >>> 8, v);
  }
  u16le(v: number) {
    return this.u8(v, v >>> 8);
  }
  u32le(v: number) {
    return this.u8(v, v >>> 8, v >>> 16, v >>> 24);
  }
  bytes(b: Uint8Array | number[]) {
    for (const x of b) this.parts.push(x);
    return this;
  }
  done() {
    return Uint8Array.from(this.parts);
  }
}

/** A grayscale PNG; `shade(x, y)` gives each pixel 0-255. */
export function grayPng(width: number, height: number, shade: (x: number, y: number) => number): Uint8Array {
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = Math.max(0, Math.min(255, Math.round(shade(x, y))));
  }
  // zlib stream of stored blocks (at most 65,535 bytes each), then Adler-32.
  const z = new Out().u8(0x78, 0x01);
  for (let off = 0; off < raw.length || off === 0; off += 65535) {
    const block = raw.subarray(off, off + 65535);
    const last = off + 65535 >= raw.length;
    z.u8(last ? 1 : 0).u16le(block.length).u16le(~block.length & 0xffff).bytes(block);
    if (last) break;
  }
  let a = 1;
  let b = 0;
  for (const x of raw) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  z.u32be(((b << 16) | a) >>> 0);
  const chunk = (type: string, data: Uint8Array) => {
    const body = new Out().bytes(enc(type)).bytes(data).done();
    return new Out().u32be(data.length).bytes(body).u32be(crc32(body)).done();
  };
  const ihdr = new Out().u32be(width).u32be(height).u8(8, 0, 0, 0, 0).done();
  return new Out()
    .u8(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
    .bytes(chunk('IHDR', ihdr))
    .bytes(chunk('IDAT', z.done()))
    .bytes(chunk('IEND', new Uint8Array(0)))
    .done();
}

/** One DICOM element, explicit VR little endian. */
function element(o: Out, group: number, el: number, vr: string, value: Uint8Array): void {
  const padded = value.length % 2 ? new Out().bytes(value).u8(vr === 'UI' || vr === 'OB' ? 0 : 0x20).done() : value;
  o.u16le(group).u16le(el).bytes(enc(vr));
  if (vr === 'OB' || vr === 'OW' || vr === 'UN' || vr === 'SQ' || vr === 'UT') o.u16le(0).u32le(padded.length);
  else o.u16le(padded.length);
  o.bytes(padded);
}

const u16 = (v: number) => new Out().u16le(v).done();

/**
 * A DICOM Part 10 file: 128-byte preamble, "DICM", file meta group, then a minimal Secondary
 * Capture data set with an 8-bit grayscale image of `rows` x `columns` (the pixels from `shade`).
 */
export function dicomFile(opts: { rows: number; columns: number; patientName: string; description: string; shade: (x: number, y: number) => number }): Uint8Array {
  const sopClass = '1.2.840.10008.5.1.4.1.1.7';
  const sopInstance = '1.2.826.0.1.3680043.10.1.' + String(opts.rows * 1000 + opts.columns);
  const meta = new Out();
  element(meta, 0x0002, 0x0001, 'OB', Uint8Array.from([0, 1]));
  element(meta, 0x0002, 0x0002, 'UI', enc(sopClass));
  element(meta, 0x0002, 0x0003, 'UI', enc(sopInstance));
  element(meta, 0x0002, 0x0010, 'UI', enc('1.2.840.10008.1.2.1'));
  const metaBytes = meta.done();
  const pixels = new Uint8Array(opts.rows * opts.columns);
  for (let y = 0; y < opts.rows; y++) for (let x = 0; x < opts.columns; x++) pixels[y * opts.columns + x] = Math.max(0, Math.min(255, Math.round(opts.shade(x, y))));
  const ds = new Out();
  element(ds, 0x0008, 0x0016, 'UI', enc(sopClass));
  element(ds, 0x0008, 0x0018, 'UI', enc(sopInstance));
  element(ds, 0x0008, 0x0060, 'CS', enc('OT'));
  element(ds, 0x0008, 0x103e, 'LO', enc(opts.description));
  element(ds, 0x0010, 0x0010, 'PN', enc(opts.patientName));
  element(ds, 0x0028, 0x0002, 'US', u16(1));
  element(ds, 0x0028, 0x0004, 'CS', enc('MONOCHROME2'));
  element(ds, 0x0028, 0x0010, 'US', u16(opts.rows));
  element(ds, 0x0028, 0x0011, 'US', u16(opts.columns));
  element(ds, 0x0028, 0x0100, 'US', u16(8));
  element(ds, 0x0028, 0x0101, 'US', u16(8));
  element(ds, 0x0028, 0x0102, 'US', u16(7));
  element(ds, 0x0028, 0x0103, 'US', u16(0));
  element(ds, 0x7fe0, 0x0010, 'OB', pixels);
  const out = new Out().bytes(new Uint8Array(128)).bytes(enc('DICM'));
  element(out, 0x0002, 0x0000, 'UL', new Out().u32le(metaBytes.length).done());
  return out.bytes(metaBytes).bytes(ds.done()).done();
}

/** An uncompressed 8-bit grayscale baseline TIFF (little endian). */
export function grayTiff(width: number, height: number, shade: (x: number, y: number) => number): Uint8Array {
  const entries: [number, number, number, number][] = []; // tag, type (3 SHORT, 4 LONG, 5 RATIONAL), count, value
  const ifdAt = 8;
  const count = 11;
  const afterIfd = ifdAt + 2 + count * 12 + 4;
  const resAt = afterIfd;
  const pixelsAt = resAt + 16;
  entries.push([256, 3, 1, width], [257, 3, 1, height], [258, 3, 1, 8], [259, 3, 1, 1], [262, 3, 1, 1]);
  entries.push([273, 4, 1, pixelsAt], [278, 3, 1, height], [279, 4, 1, width * height], [282, 5, 1, resAt], [283, 5, 1, resAt + 8], [296, 3, 1, 2]);
  const o = new Out().u8(0x49, 0x49).u16le(42).u32le(ifdAt).u16le(count);
  for (const [tag, type, n, v] of entries) {
    o.u16le(tag).u16le(type).u32le(n);
    if (type === 3) o.u16le(v).u16le(0);
    else o.u32le(v);
  }
  o.u32le(0).u32le(72).u32le(1).u32le(72).u32le(1);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) o.u8(Math.max(0, Math.min(255, Math.round(shade(x, y)))));
  return o.done();
}

/** A chest-X-ray-like picture: dark lungs, lighter ribs and spine (for the demo only). */
export function xrayShade(w: number, h: number) {
  return (x: number, y: number) => {
    const cx = (x - w / 2) / (w / 2);
    const cy = (y - h / 2) / (h / 2);
    const body = Math.max(0, 1 - (cx * cx) / 0.9 - (cy * cy) / 1.4);
    const lungs = Math.max(0, 1 - ((Math.abs(cx) - 0.4) ** 2) / 0.06 - (cy * cy) / 0.45);
    const ribs = 0.5 + 0.5 * Math.sin((cy * 14 + Math.abs(cx) * 3) * Math.PI);
    const spine = Math.max(0, 1 - (cx * cx) / 0.008);
    return 30 + 150 * body - 90 * lungs + 25 * ribs * body + 70 * spine * body;
  };
}
