// Downloads and previews (FU4): attachment disposition with an RFC 6266 / RFC 8187 file name made
// safe (no CR/LF, quotes, folders; Arabic kept in filename*), nosniff, a sandboxing CSP; previews
// inline only for JPEG, PNG and PDF; and the archive's entry points (issue 7) give the same bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, testInstall, type TestInstall } from '../helpers/system.ts';
import type { Client } from '../helpers/http.ts';
import { signedIn } from '../helpers/identity.ts';
import { services } from '../../src/system-app.ts';
import { asciiFileName, contentDisposition, safeFileName } from '../../src/features/documents/filename.ts';
import { fixture, upload } from './documents-helpers.ts';

const clock = new FakeClock(Date.parse('2026-12-04T09:00:00Z'));
let t: TestInstall;
let demoId: string;
let patientId: string;
let doctor: Client;

async function put(name: string, bytes: Uint8Array, category = 'imaging', star = false): Promise<string> {
  await doctor.get(`/patients/${patientId}/documents/new`);
  const res = await upload(doctor, patientId, { category }, { name, bytes, star });
  expect(res.status, doctor.lastHtml.slice(0, 2000)).toBe(303);
  const row = (await (await t.system.clinics.get(demoId)).client.execute('SELECT id FROM attachments ORDER BY rowid DESC LIMIT 1')).rows[0]!;
  return String(row.id);
}

/** The name a browser saves the file under: filename* decoded (RFC 8187), as browsers prefer it. */
function savedName(disposition: string): string {
  const star = disposition.match(/filename\*=UTF-8''([^;]+)/)![1]!;
  return decodeURIComponent(star);
}

beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  demoId = (await t.system.clinics.bySlug('demo'))!.id;
  patientId = (await services(t.system, clock).patients.getByMrn(demoId, 'D-0001'))!.id;
  doctor = await signedIn(t, 'doctor@demo.test');
});
afterAll(() => t.close());

describe('download headers (FU4)', () => {
  it('FU4: a download is an attachment with nosniff, a sandboxing CSP, no caching, and the exact length', async () => {
    const bytes = fixture('report.pdf');
    const id = await put('report.pdf', bytes, 'lab');
    const res = await doctor.get(`/documents/${id}/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/pdf');
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Content-Security-Policy')).toMatch(/^sandbox; default-src 'none';.*frame-ancestors 'none'$/);
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Content-Length')).toBe(String(bytes.length));
    expect(Buffer.compare(new Uint8Array(await res.arrayBuffer()), bytes)).toBe(0);
  });

  it('FU4: a name with quotes, CR/LF, ../ and Arabic letters downloads under a safe, correct name', async () => {
    const hostile = '../../etc/"تقرير" الأشعة\r\nX-Injected: 1\\..\\x.png';
    const id = await put(hostile, fixture('scan.png'), 'imaging', true);
    const res = await doctor.get(`/documents/${id}/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Injected')).toBeNull();
    const cd = res.headers.get('Content-Disposition')!;
    expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9%._~-]+$/);
    const ascii = cd.match(/filename="([^"]*)"/)![1]!;
    expect(ascii).not.toMatch(/[\\/"]|\.\./);
    expect(ascii.endsWith('.png')).toBe(true);
    const name = savedName(cd);
    expect(name).toBe('x.png');
    // The real name (not a path) keeps its Arabic: uploaded as a base name, it survives whole.
    const id2 = await put('"تقرير الأشعة"\r\n../final.png', fixture('scan.png'), 'imaging', true);
    const cd2 = (await doctor.get(`/documents/${id2}/download`)).headers.get('Content-Disposition')!;
    expect(savedName(cd2)).toBe('final.png');
    const id3 = await put('تقرير "الأشعة"\r\nسطر.png', fixture('scan.png'), 'imaging', true);
    const cd3 = (await doctor.get(`/documents/${id3}/download`)).headers.get('Content-Disposition')!;
    expect(savedName(cd3)).toBe('تقرير _الأشعة_سطر.png');
    expect(cd3).toContain(`filename="file.png"`);
    // As browsers send names: raw UTF-8 in filename="...", with ", CR and LF escaped as %22, %0D, %0A.
    const id4 = await put('صورة %22الصدر%22%0D%0A.png', fixture('scan.png'));
    const cd4 = (await doctor.get(`/documents/${id4}/download`)).headers.get('Content-Disposition')!;
    expect(savedName(cd4)).toBe('صورة _الصدر_.png');
    const row4 = (await services(t.system, clock).documents.attachmentsOf(demoId, patientId)).find((a) => a.id === id4)!;
    expect(row4.originalName).toBe('صورة "الصدر"\r\n.png');
    // The page shows the original name as text, escaped.
    const page = await doctor.get(`/documents/${id3}`);
    expect(await page.text()).toContain('تقرير &quot;الأشعة&quot;');
  });

  it('FU4: file names are cut down by rule (unit)', () => {
    expect(safeFileName('..', 'application/pdf')).toBe('file.pdf');
    expect(safeFileName('', 'image/jpeg')).toBe('file.jpg');
    expect(safeFileName('.hidden.png', 'image/png')).toBe('hidden.png');
    expect(safeFileName('scan\u202egnp.exe', 'image/png')).toBe('scangnp.exe');
    expect(safeFileName('IM0001', 'application/dicom')).toBe('IM0001.dcm');
    expect(safeFileName('a'.repeat(400) + '.pdf', 'application/pdf')).toHaveLength(150);
    expect(asciiFileName('صورة الصدر.png', 'image/png')).toBe('file.png');
    expect(asciiFileName('X-ray صورة 2026.png', 'image/png')).toBe('X-ray _ 2026.png');
    expect(contentDisposition('inline', "it's (1).pdf", 'application/pdf')).toBe(`inline; filename="it_s (1).pdf"; filename*=UTF-8''it%27s%20%281%29.pdf`);
  });
});

describe('preview (FU4)', () => {
  const cases: [string, string, string, 'inline' | 'attachment'][] = [
    ['photo.jpg', 'image/jpeg', 'imaging', 'inline'],
    ['scan.png', 'image/png', 'imaging', 'inline'],
    ['report.pdf', 'application/pdf', 'lab', 'inline'],
    ['film.tif', 'image/tiff', 'imaging', 'attachment'],
    ['panoramic.dcm', 'application/dicom', 'imaging', 'attachment'],
    ['notes.txt', 'text/plain; charset=utf-8', 'other', 'attachment'],
  ];
  for (const [file, type, category, disposition] of cases) {
    it(`FU4: the preview of ${file} is ${disposition}, sandboxed, framable only by this site`, async () => {
      const id = await put(file, fixture(file), category);
      const res = await doctor.get(`/documents/${id}/preview`);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe(type);
      expect(res.headers.get('Content-Disposition')!.startsWith(`${disposition}; filename="`)).toBe(true);
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      const csp = res.headers.get('Content-Security-Policy')!;
      expect(csp).toMatch(/^sandbox; default-src 'none'; img-src 'self'/);
      expect(csp).not.toContain('script-src');
      expect(csp).toContain(disposition === 'inline' ? "frame-ancestors 'self'" : "frame-ancestors 'none'");
      expect(Buffer.compare(new Uint8Array(await res.arrayBuffer()), fixture(file))).toBe(0);
      // The document's page embeds it (image or frame) only for the inline kinds.
      const html = await (await doctor.get(`/documents/${id}`)).text();
      expect(html.includes(`src="/documents/${id}/preview"`)).toBe(disposition === 'inline');
    });
  }
});

describe('archive entry points (issue 7)', () => {
  it('lists a patient\'s attachments with metadata and streams their original bytes', async () => {
    const docs = services(t.system, clock).documents;
    const list = await docs.attachmentsOf(demoId, patientId);
    expect(list.length).toBeGreaterThan(5);
    expect(list.map((a) => a.uploadedAt)).toEqual([...list.map((a) => a.uploadedAt)].sort());
    const pdf = list.find((a) => a.mediaType === 'application/pdf')!;
    expect(pdf).toMatchObject({ originalName: 'report.pdf', category: 'lab', bytes: fixture('report.pdf').length });
    const bytes = new Uint8Array(await new Response(await docs.contentOf(demoId, pdf)).arrayBuffer());
    expect(Buffer.compare(bytes, fixture('report.pdf'))).toBe(0);
  });
});
