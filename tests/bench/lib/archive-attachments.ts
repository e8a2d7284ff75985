// Attachments for the archive benchmark: `count` files of `fileMb` MB on B-000001 of the bench clinic,
// uploaded through DocumentService.upload (the real path: multipart parsing, type sniffing, SHA-256,
// chunked encryption into the BlobStore, the row and its audit event). Each file is a valid-looking
// DICOM, JPEG, PNG or PDF head followed by random bytes, so nothing compresses and `zip -0` of the
// same files is a fair baseline. Idempotent: files already there (by name) are not uploaded again.
import { randomFillSync } from 'node:crypto';
import { TEST_MASTER_KEY, testInstall } from '../../helpers/system.ts';
import { services } from '../../../src/system-app.ts';
import { findUserByEmail } from '../../../src/auth/users.ts';
import { newId } from '../../../src/crypto/bytes.ts';

const MB = 1024 * 1024;
const BOUNDARY = '----invent-archive-bench';
export const ATTACHMENT_PREFIX = 'bench-archive-';

/** The first bytes of each kind: enough for file-type to name it, then noise. */
const KINDS = [
  { ext: 'dcm', category: 'imaging', head: () => Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1')]) },
  { ext: 'jpg', category: 'imaging', head: () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]) },
  { ext: 'png', category: 'lab', head: () => png() },
  { ext: 'pdf', category: 'referral', head: () => Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1') },
] as const;

/** PNG signature and an IHDR chunk without its CRC (the caller adds it with the IDAT header that follows). */
function png(): Buffer {
  const ihdr = Buffer.alloc(21);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(4096, 8);
  ihdr.writeUInt32BE(4096, 12);
  ihdr.set([8, 6, 0, 0, 0], 16);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]);
}

/** The multipart body of one upload, made as it is read (never the whole file in memory). */
function multipart(name: string, category: string, head: Buffer, size: number): ReadableStream<Uint8Array> {
  const parts: (() => Uint8Array)[] = [
    () => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="category"\r\n\r\n${category}\r\n`),
    () => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${name}\r\n`),
    () => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    () => head,
  ];
  let left = size - head.length;
  while (left > 0) {
    const n = Math.min(left, MB);
    parts.push(() => randomFillSync(Buffer.allocUnsafe(n)));
    left -= n;
  }
  parts.push(() => Buffer.from(`\r\n--${BOUNDARY}--\r\n`));
  let i = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (i < parts.length) c.enqueue(parts[i++]!());
        else c.close();
      },
    },
    { highWaterMark: 0 },
  );
}

export interface BenchPatient {
  encounters: number;
  /** The bench attachments B-000001 has now. */
  files: number;
  bytes: number;
  added: number;
}

/**
 * Makes sure B-000001 in the bench clinic of `dir` has `count` bench attachments of `fileMb` MB.
 * Returns undefined when the folder holds no bench clinic with a B-000001.
 */
export async function ensureArchiveAttachments(dir: string, count: number, fileMb: number): Promise<BenchPatient | undefined> {
  const t = await testInstall({ dir, env: { INVENT_MASTER_KEY: TEST_MASTER_KEY, INVENT_DATA_DIR: dir } });
  try {
    const clinic = await t.system.clinics.bySlug('bench');
    if (!clinic) return undefined;
    const s = services(t.system, t.system.platform.clock);
    const patient = await s.patients.getByMrn(clinic.id, 'B-000001');
    const doctor = await findUserByEmail(t.system.control, 'doctor@bench.test');
    if (!patient || !doctor) return undefined;
    const h = await t.system.clinics.get(clinic.id);
    const encounters = Number((await h.client.execute({ sql: 'SELECT count(*) AS n FROM encounters WHERE patient_id = ?', args: [patient.id] })).rows[0]!.n);

    const mine = async () => (await s.documents.attachmentsOf(clinic.id, patient.id)).filter((a) => a.originalName.startsWith(ATTACHMENT_PREFIX));
    const have = new Set((await mine()).map((a) => a.originalName));
    const ctx = {
      clinicId: clinic.id,
      actor: { userId: doctor.id, kind: 'user' as const, roles: ['doctor'], sessionHash: null, ip: null, userAgent: 'archive-bench' },
      requestId: newId('req'),
      route: 'bench:archive attachments',
    };
    let added = 0;
    for (let k = 0; k < count; k++) {
      const kind = KINDS[k % KINDS.length]!;
      const name = `${ATTACHMENT_PREFIX}${String(k + 1).padStart(3, '0')}.${kind.ext}`;
      if (have.has(name)) continue;
      const size = fileMb * MB;
      let head = kind.head();
      if (kind.ext === 'png') {
        // IHDR's CRC, then an IDAT chunk spanning the rest (its CRC and IEND are left out: noise to the end).
        const idat = Buffer.alloc(12);
        idat.writeUInt32BE(size - head.length - 12, 4);
        idat.write('IDAT', 8, 'latin1');
        head = Buffer.concat([head, idat]);
      }
      const req = new Request('http://bench.invalid/upload', {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        body: multipart(name, kind.category, head, size),
        duplex: 'half',
      } as RequestInit);
      const out = await s.documents.upload(ctx, patient.id, req);
      if (!out.ok) throw new Error(`uploading ${name} was refused: ${JSON.stringify(out.refusal ?? out.errors)}`);
      added++;
    }
    const files = await mine();
    return { encounters, files: files.length, bytes: files.reduce((n, a) => n + a.bytes, 0), added };
  } finally {
    await t.system.close();
  }
}
