// Attachments through the real routes: real fixtures of each accepted type pass; hostile ones (an
// HTML page named .jpg, an SVG, a JPEG/HTML polyglot, an empty file, one byte over the limit) are
// refused with a message and leave no row and no blob (FU1, FU2); the stored blob shows nothing of
// the file and a changed byte makes the download fail (FU3); downloads carry safe headers and a safe
// name (FU4); every list, view, preview and download is audited naming the patient (LG1).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, testInstall, type TestInstall } from '../helpers/system.ts';
import type { Client } from '../helpers/http.ts';
import { signedIn } from '../helpers/identity.ts';
import { services } from '../../src/system-app.ts';
import { SYSTEM } from '../../src/audit/types.ts';
import { bigDicom, blobFiles, fixture, upload } from './documents-helpers.ts';

const clock = new FakeClock(Date.parse('2026-12-04T09:00:00Z'));
let t: TestInstall;
let demoId: string;
let patientId: string;
let doctor: Client;

const LOCATION = /^\/patients\/p_[a-z2-7]{26}\/documents\?done=uploaded$/;

const db = async () => (await t.system.clinics.get(demoId)).client;
const rows = async (where = '1=1') => (await (await db()).execute(`SELECT * FROM attachments WHERE ${where} ORDER BY uploaded_at, id`)).rows;
const count = async () => Number((await (await db()).execute('SELECT count(*) AS n FROM attachments')).rows[0]!.n);
const sha256 = async (b: Uint8Array) => Buffer.from(await crypto.subtle.digest('SHA-256', b as BufferSource)).toString('hex');
const lastRow = async () => (await (await db()).execute('SELECT * FROM attachments ORDER BY rowid DESC LIMIT 1')).rows[0]!;

/** Uploads and expects success; returns the new attachment's id. */
async function accepted(client: Client, name: string, bytes: Uint8Array, fields: Record<string, string> = { category: 'imaging' }): Promise<string> {
  await client.get(`/patients/${patientId}/documents/new`);
  const res = await upload(client, patientId, fields, { name, bytes });
  expect(res.status, client.lastHtml.slice(0, 3000)).toBe(303);
  return String((await lastRow()).id);
}

/** Uploads and expects a refusal with this status and message; nothing may be left behind. */
async function refused(name: string, bytes: Uint8Array, status: number, message: RegExp, fields: Record<string, string> = { category: 'imaging' }): Promise<void> {
  const before = { rows: await count(), blobs: blobFiles(t.dir, demoId) };
  await doctor.get(`/patients/${patientId}/documents/new`);
  const res = await upload(doctor, patientId, fields, { name, bytes });
  expect(res.status).toBe(status);
  const html = await res.text();
  expect(html).toMatch(message);
  expect(html).toContain('data-testid="upload-form"');
  expect(await count()).toBe(before.rows);
  expect(blobFiles(t.dir, demoId)).toEqual(before.blobs);
}

beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  demoId = (await t.system.clinics.bySlug('demo'))!.id;
  patientId = (await services(t.system, clock).patients.getByMrn(demoId, 'D-0001'))!.id;
  doctor = await signedIn(t, 'doctor@demo.test');
});
afterAll(() => t.close());

describe('uploads (FU1)', () => {
  const good: [string, string, string][] = [
    ['photo.jpg', 'image/jpeg', 'imaging'],
    ['scan.png', 'image/png', 'imaging'],
    ['report.pdf', 'application/pdf', 'lab'],
    ['panoramic.dcm', 'application/dicom', 'imaging'],
    ['film.tif', 'image/tiff', 'imaging'],
    ['notes.txt', 'text/plain', 'referral'],
  ];
  for (const [file, type, category] of good) {
    it(`FU1: a valid ${type} (${file}) is accepted, typed from its bytes, with its size and SHA-256`, async () => {
      const bytes = fixture(file);
      const id = await accepted(doctor, file, bytes, { category, title: `Test ${file}`, takenOn: '2026-11-30' });
      const row = (await rows(`id = '${id}'`))[0]!;
      expect(row).toMatchObject({ media_type: type, bytes: bytes.length, sha256: await sha256(bytes), category, taken_on: '2026-11-30', patient_id: patientId });
      // CR1: the title and the original name are sealed.
      expect(String(row.title)).toMatch(/^v1\./);
      expect(String(row.original_name)).toMatch(/^v1\./);
    });
  }

  it('FU1: a file is typed by its bytes, not by the Content-Type the client claims', async () => {
    await doctor.get(`/patients/${patientId}/documents/new`);
    const res = await upload(doctor, patientId, { category: 'imaging' }, { name: 'scan.png', bytes: fixture('scan.png'), type: 'text/html' });
    expect(res.status).toBe(303);
    expect((await lastRow()).media_type).toBe('image/png');
  });

  it('FU1: the fields may come after the file in the body', async () => {
    await doctor.get(`/patients/${patientId}/documents/new`);
    const res = await upload(doctor, patientId, { category: 'lab', title: 'After' }, { name: 'report.pdf', bytes: fixture('report.pdf') }, { fileFirst: true });
    expect(res.status).toBe(303);
    expect((await lastRow()).category).toBe('lab');
  });

  it('FU1: an HTML page renamed .jpg is refused with a clear message and nothing saved', () => refused('page-renamed.jpg', fixture('page-renamed.jpg'), 422, /web-page or script code/));
  it('FU1: an SVG is refused', () => refused('drawing.svg', fixture('drawing.svg'), 422, /web-page or script code/));
  it('FU1: a JPEG/HTML polyglot is refused', () => refused('polyglot.jpg', fixture('polyglot.jpg'), 422, /web-page or script code/));
  it('FU1: a zero-byte file is refused', () => refused('empty.jpg', fixture('empty.jpg'), 422, /The file is empty/));
  it('FU1: an extension that does not match the bytes is refused (a JPEG named .png, a PDF named .jpg)', async () => {
    await refused('photo.png', fixture('photo.jpg'), 422, /does not match its content/);
    await refused('report.jpg', fixture('report.pdf'), 422, /does not match its content/);
  });
  it('FU1: types outside the allow-list are refused (a ZIP, an executable name)', async () => {
    const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...new Uint8Array(60)]);
    await refused('archive.zip', zip, 422, /not accepted/);
    await refused('tool.exe', new TextEncoder().encode('MZ plain words'), 422, /not accepted/);
  });
  it('FU1: plain text must be UTF-8 without NULs or markup', async () => {
    await refused('bad.txt', Uint8Array.from([0x68, 0x69, 0xff, 0xfe, 0x0a]), 422, /UTF-8 text/);
    await refused('nul.txt', Uint8Array.from([0x68, 0x00, 0x69]), 422, /UTF-8 text/);
    // Markup late in the file, split across the reads, is still found.
    const late = new TextEncoder().encode('a'.repeat(200_000) + '<scr' + 'ipt>alert(1)</script>');
    await refused('late.txt', late, 422, /web-page or script code/);
  });
  it('FU1: no file, or a form without its file, is refused', async () => {
    await doctor.get(`/patients/${patientId}/documents/new`);
    const res = await upload(doctor, patientId, { category: 'lab' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Choose a file to upload.');
  });
  it('AC6: unknown fields and bad values are refused, the file discarded', async () => {
    await refused('scan.png', fixture('scan.png'), 400, /upload could not be read/, { category: 'imaging', extra: 'x' });
    await refused('scan.png', fixture('scan.png'), 400, /field-error/, { category: 'xray' });
    await refused('scan.png', fixture('scan.png'), 400, /field-error/, { category: 'imaging', takenOn: '2026-02-30' });
  });
  it('CS2: an upload without the CSRF token is refused before anything is read', async () => {
    const before = await count();
    doctor.csrf = 'wrong';
    const res = await upload(doctor, patientId, { category: 'imaging' }, { name: 'scan.png', bytes: fixture('scan.png') });
    expect(res.status).toBe(403);
    expect(await count()).toBe(before);
    await doctor.get('/');
  });
});

describe('size limit (FU2)', () => {
  const MB = 1024 * 1024;
  beforeAll(async () => {
    const s = services(t.system, clock);
    const cur = await s.settings.current(demoId);
    await s.settings.save({ clinicId: demoId, actor: { ...SYSTEM, roles: ['admin'] }, requestId: 'req_test', route: 'test' }, { ...cur.settings, uploadLimitMb: 1 }, cur.timezone);
  });
  afterAll(async () => {
    const s = services(t.system, clock);
    const cur = await s.settings.current(demoId);
    await s.settings.save({ clinicId: demoId, actor: { ...SYSTEM, roles: ['admin'] }, requestId: 'req_test', route: 'test' }, { ...cur.settings, uploadLimitMb: 50 }, cur.timezone);
  });

  it('FU2: a file one byte over the clinic limit (1 MB) gets 413 with a message, and nothing is saved', () => refused('over.dcm', bigDicom(MB + 1), 413, /larger than this clinic&#39;s limit of 1 MB|larger than this clinic's limit of 1 MB/));

  it('FU2: a file of exactly the limit is accepted', async () => {
    const id = await accepted(doctor, 'exact.dcm', bigDicom(MB, 7));
    expect((await rows(`id = '${id}'`))[0]!.bytes).toBe(MB);
  });

  it('FU2: the limit is enforced while streaming: an endless body is cut off, not read to its end', async () => {
    let sent = 0;
    const endless = () =>
      new ReadableStream<Uint8Array>({
        pull(c) {
          sent += 65536;
          c.enqueue(new Uint8Array(65536));
        },
      });
    const head = Uint8Array.from([...new Uint8Array(128), ...new TextEncoder().encode('DICM')]);
    const stream = () => {
      const r = endless().getReader();
      let first = true;
      return new ReadableStream<Uint8Array>({
        async pull(c) {
          if (first) {
            first = false;
            c.enqueue(head);
            return;
          }
          c.enqueue((await r.read()).value!);
        },
      });
    };
    const before = { rows: await count(), blobs: blobFiles(t.dir, demoId) };
    await doctor.get(`/patients/${patientId}/documents/new`);
    const res = await upload(doctor, patientId, { category: 'imaging' }, { name: 'endless.dcm', bytes: stream });
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(20 * MB);
    expect(await count()).toBe(before.rows);
    expect(blobFiles(t.dir, demoId)).toEqual(before.blobs);
  });

  it('FU2: the limit is a clinic setting on the settings page', async () => {
    const admin = await signedIn(t, 'admin@demo.test');
    const page = await admin.get('/admin/settings');
    expect(await page.text()).toMatch(/name="uploadLimitMb"[^>]*value="1"/);
  });
});

describe('stored blobs (FU3)', () => {
  let bigId: string;
  let big: Uint8Array;

  it('FU3: the blob is under a random name in the data folder (not static/), owner-only, with no recognisable header', async () => {
    const id = await accepted(doctor, 'report.pdf', fixture('report.pdf'), { category: 'lab' });
    const row = (await rows(`id = '${id}'`))[0]!;
    const name = String(row.blob_name);
    expect(name).toMatch(/^[a-z2-7]{26}$/);
    const file = join(t.dir, 'blobs', demoId, name);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = new Uint8Array(readFileSync(file));
    expect(await fileTypeFromBuffer(stored)).toBeUndefined();
    const latin = Buffer.from(stored).toString('latin1');
    for (const magic of ['%PDF', 'JFIF', 'DICM', 'PNG', 'Laboratory']) expect(latin).not.toContain(magic);
    // Header (60 bytes) + the file + one 16-byte tag per 64 KiB chunk.
    expect(stored.length).toBe(60 + Number(row.bytes) + 16);
  });

  it('FU3: every stored blob of every accepted type shows no file header', async () => {
    for (const r of await rows()) {
      const stored = new Uint8Array(readFileSync(join(t.dir, 'blobs', demoId, String(r.blob_name))));
      expect(await fileTypeFromBuffer(stored), String(r.media_type)).toBeUndefined();
      const latin = Buffer.from(stored.subarray(0, 4096)).toString('latin1');
      for (const magic of ['%PDF', 'JFIF', 'DICM', '\u0089PNG', 'II*\u0000']) expect(latin).not.toContain(magic);
    }
  });

  it('FU3: a 3 MB file downloads byte-identical to the upload', async () => {
    big = bigDicom(3 * 1024 * 1024 + 12345, 99);
    bigId = await accepted(doctor, 'ct-series.dcm', big);
    const res = await doctor.get(`/documents/${bigId}/download`);
    expect(res.status).toBe(200);
    const got = new Uint8Array(await res.arrayBuffer());
    expect(got.length).toBe(big.length);
    expect(Buffer.compare(got, big)).toBe(0);
    expect((await rows(`id = '${bigId}'`))[0]!.sha256).toBe(await sha256(big));
  });

  it('FU3: one changed byte in the blob makes the download fail instead of returning wrong bytes', async () => {
    const file = join(t.dir, 'blobs', demoId, String((await rows(`id = '${bigId}'`))[0]!.blob_name));
    const original = readFileSync(file);
    try {
      // In the first chunk: refused before anything is sent.
      const early = Buffer.from(original);
      early[100] = early[100]! ^ 0x01;
      writeFileSync(file, early);
      const res = await doctor.get(`/documents/${bigId}/download`);
      expect(res.status).toBe(500);
      expect(await res.text()).toContain('damaged');
      // Deep inside: the stream breaks off; what came before is the file's true beginning.
      const late = Buffer.from(original);
      late[2 * 1024 * 1024] = late[2 * 1024 * 1024]! ^ 0x80;
      writeFileSync(file, late);
      const res2 = await doctor.get(`/documents/${bigId}/download`);
      expect(res2.status).toBe(200);
      const reader = res2.body!.getReader();
      const seen: Uint8Array[] = [];
      await expect(
        (async () => {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            seen.push(value);
          }
        })(),
      ).rejects.toThrow();
      const prefix = Buffer.concat(seen);
      expect(prefix.length).toBeLessThan(big.length);
      expect(Buffer.compare(prefix, Buffer.from(big.subarray(0, prefix.length)))).toBe(0);
      // Cut short at a chunk boundary: also refused.
      writeFileSync(file, original.subarray(0, 60 + 10 * (65536 + 16)));
      const res3 = await doctor.get(`/documents/${bigId}/download`);
      await expect(res3.arrayBuffer()).rejects.toThrow();
    } finally {
      writeFileSync(file, original);
    }
    expect((await doctor.get(`/documents/${bigId}/download`)).status).toBe(200);
  });

  it("FU3: another attachment's blob put in its place does not decrypt (the name is bound into the encryption)", async () => {
    const [a, b] = (await rows("media_type = 'image/png'")).slice(0, 2);
    const fa = join(t.dir, 'blobs', demoId, String(a!.blob_name));
    const fb = join(t.dir, 'blobs', demoId, String(b!.blob_name));
    const original = readFileSync(fa);
    try {
      writeFileSync(fa, readFileSync(fb));
      expect((await doctor.get(`/documents/${String(a!.id)}/download`)).status).toBe(500);
    } finally {
      writeFileSync(fa, original);
    }
  });
});
