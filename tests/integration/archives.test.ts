// The patient archive through the real routes, job queue and BlobStore: an administrator asks for
// D-0001's archive (re-authenticated, SE6, with a reason), the job builds it, the progress page shows
// it, the download is the signed ZIP with every part of CONTRACT.md that `verifyArchive` accepts; every
// table with a patient id is in it (PD1); requests, builds and downloads are audited with reason,
// bytes and SHA-256; the ZIP is deleted after 24 hours; a burst of archives raises a security event;
// two runs of one job leave one archive; other roles get 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { FakeClock, memoryLogger, tempDir, testInstall, type TestInstall } from '../helpers/system.ts';
import type { Client } from '../helpers/http.ts';
import { DEMO_PASSWORD, signedIn } from '../helpers/identity.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { services } from '../../src/system-app.ts';
import { selfHostJobHandlers } from '../../src/jobs/self-host.ts';
import { JobWorker } from '../../src/jobs/worker.ts';
import { SqliteJobQueue } from '../../src/jobs/queue-sqlite.ts';
import { verifyArchive } from '../../src/archive/verify.ts';
import { buildPatientArchive } from '../../src/archive/build.ts';
import { PATIENT_TABLES } from '../../src/archive/patient-record.ts';
import { coverageGaps } from '../helpers/schema-coverage.ts';
import type { ClinicHandle } from '../../src/tenancy/registry.ts';
import type { ArchiveManifest } from '../../src/archive/manifest.ts';

const clock = new FakeClock(Date.parse('2026-12-04T08:00:00Z'));
const out = tempDir('invent-archive-');
let t: TestInstall;
let h: ClinicHandle;
let admin: Client;
let d1: string;
let worker: JobWorker;
let archiveId: string;
let zipBytes: Uint8Array;
let manifest: ArchiveManifest;

const one = async (sql: string, args: (string | number)[] = []) => (await h.client.execute({ sql, args })).rows[0]!;
const count = async (sql: string, args: (string | number)[] = []) => Number(Object.values(await one(sql, args))[0]);
const blobFiles = () => readdirSync(join(t.dir, 'blobs', h.id)).filter((f) => !f.endsWith('.part'));

beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  await seedDemo({ control: t.system.control, clinics: t.system.clinics, hasher: t.platform.hasher, assets: t.platform.assets }, DEMO_PASSWORD, { clinical: true });
  h = await t.system.clinics.get((await t.system.clinics.bySlug('demo'))!.id);
  d1 = String((await one("SELECT id FROM patients WHERE mrn = 'D-0001'")).id);
  worker = new JobWorker({ queue: new SqliteJobQueue(t.system.controlClient, clock), handlers: selfHostJobHandlers({ system: t.system, clock, log: memoryLogger() }), clock, log: memoryLogger() });
  admin = await signedIn(t, 'admin@demo.test');
}, 60_000);

afterAll(async () => {
  await t?.close();
  out.remove();
});

describe('creating an archive', () => {
  it('the chart offers "Create archive" to administrators only; other roles get 403 on every archive route', async () => {
    expect(await (await admin.get(`/patients/${d1}`)).text()).toContain(`href="/patients/${d1}/archives/new"`);
    const doctor = await signedIn(t, 'doctor@demo.test');
    expect(await (await doctor.get(`/patients/${d1}`)).text()).not.toContain('/archives/new');
    expect((await doctor.get(`/patients/${d1}/archives/new`)).status).toBe(403);
    expect((await doctor.post(`/patients/${d1}/archives`, { reason: 'curious doctor', lang: 'en' })).status).toBe(403);
    expect((await doctor.get('/exports')).status).toBe(403);
    expect(await count('SELECT count(*) FROM archives')).toBe(0);
  });

  it('SE6: asks for the password again when the last sign-in is older than a few minutes', async () => {
    clock.advance(6 * 60_000);
    const res = await admin.get(`/patients/${d1}/archives/new`);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/reauth?next=${encodeURIComponent(`/patients/${d1}/archives/new`)}`);
    await admin.get('/reauth');
    const again = await admin.post('/reauth', { password: DEMO_PASSWORD, next: `/patients/${d1}/archives/new` });
    expect(again.status).toBe(303);
    expect((await admin.get(`/patients/${d1}/archives/new`)).status).toBe(200);
  });

  it('refuses a missing reason on the same form, in the person\'s language; nothing is queued', async () => {
    const res = await admin.post(`/patients/${d1}/archives`, { reason: ' ', lang: 'en' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Give a reason of at least 5 characters.');
    expect(await count('SELECT count(*) FROM archives')).toBe(0);
    expect(Number((await t.system.controlClient.execute("SELECT count(*) AS n FROM jobs WHERE type = 'archive'")).rows[0]!.n)).toBe(0);
  });

  it('queues the job and shows its progress; the job builds the archive; the page then offers the download', async () => {
    const res = await admin.post(`/patients/${d1}/archives`, { reason: 'Patient asked for a copy of her record (PDPL)', lang: 'en' });
    expect(res.status).toBe(303);
    archiveId = res.headers.get('Location')!.match(/^\/archives\/(arc_[a-z2-7]{26})$/)![1]!;
    const waiting = await admin.get(`/archives/${archiveId}`);
    const html = await waiting.text();
    expect(html).toMatch(/<noscript><meta http-equiv="refresh" content="3"\/?><\/noscript>/);
    expect(html).toContain('data-status="queued"');
    expect(html).toContain('hx-trigger="every 2s"');
    expect(await worker.runOnce()).toBe(true);
    const ready = await admin.get(`/archives/${archiveId}`);
    const page = await ready.text();
    expect(page).not.toContain('http-equiv="refresh"');
    expect(page).toContain('data-status="ready"');
    expect(page).toContain(`href="/archives/${archiveId}/download"`);
    // The htmx poll gets the section alone.
    const frag = await (await admin.get(`/archives/${archiveId}`, { htmx: true })).text();
    expect(frag).not.toContain('<html');
    expect(frag).toContain('id="archive-status"');
  }, 120_000);

  it('downloads a ZIP that verifies, with every part of CONTRACT.md, and the size and hash recorded', async () => {
    const res = await admin.get(`/archives/${archiveId}/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/zip');
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename="D-0001_archive_2026-12-04\.zip"$/);
    zipBytes = new Uint8Array(await res.arrayBuffer());
    const row = await one('SELECT bytes, sha256, status, downloads FROM archives WHERE id = ?', [archiveId]);
    expect(Number(row.bytes)).toBe(zipBytes.length);
    const { sha256Hex } = await import('../../src/crypto/bytes.ts');
    expect(row.sha256).toBe(await sha256Hex(zipBytes));
    expect(Number(row.downloads)).toBe(1);
    const verdict = await verifyArchive(zipBytes, { name: 'd1.zip' });
    expect(verdict.problems).toEqual([]);
    manifest = verdict.manifest!;
    expect(manifest.patient.mrn).toBe('D-0001');
    expect(manifest.createdBy).toMatchObject({ kind: 'user', name: expect.stringMatching(/\S/) });
    const paths = manifest.files.map((f) => f.path);
    for (const p of ['README.txt', 'medical-history.pdf', 'record.json', 'charts/dental.json', 'charts/dental.svg', 'attachments/index.csv']) expect(paths).toContain(p);
    const n = (prefix: string) => paths.filter((p) => p.startsWith(prefix)).length;
    expect(n('encounters/')).toBe(await count('SELECT count(*) FROM encounters WHERE patient_id = ?', [d1]));
    expect(n('prescriptions/')).toBe(await count('SELECT count(*) FROM prescriptions WHERE patient_id = ?', [d1]));
    expect(n('consents/')).toBe(await count('SELECT count(*) FROM form_records WHERE patient_id = ?', [d1]));
    expect(n('attachments/') - 1).toBe(await count('SELECT count(*) FROM attachments WHERE patient_id = ? AND deleted_at IS NULL', [d1]));
    expect(paths.filter((p) => p.startsWith('encounters/')).every((p) => /^encounters\/\d{4}-\d{2}-\d{2}_enc_[a-z2-7]{26}\.pdf$/.test(p))).toBe(true);
  });

  it('the attachments are the uploaded bytes, listed in index.csv with their hashes; the PDF reads in both scripts', async () => {
    const zip = await JSZip.loadAsync(zipBytes);
    const index = (await zip.file('attachments/index.csv')!.async('string')).replace(/^\uFEFF/, '');
    const lines = index.trim().split(/\r\n/);
    expect(lines[0]).toBe('path,original name,media type,bytes,sha256,uploaded at,uploaded by,linked encounter');
    const { sha256Hex } = await import('../../src/crypto/bytes.ts');
    for (const line of lines.slice(1)) {
      const [path, , , bytes, sha] = line.split(',');
      const data = await zip.file(path!)!.async('uint8array');
      expect(data.length).toBe(Number(bytes));
      expect(await sha256Hex(data)).toBe(sha);
      const stored = await one('SELECT sha256 FROM attachments WHERE id = ?', [path!.split('/')[1]!.slice(0, 30)]);
      expect(stored.sha256).toBe(sha);
    }
    const pdf = join(out.path, 'history.pdf');
    writeFileSync(pdf, await zip.file('medical-history.pdf')!.async('uint8array'));
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout.replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
    expect(text).toContain('Medical history');
    expect(text).toContain('Contents');
    expect(text).toContain('مريم أحمد المحمود');
    expect(text).toMatch(/Page 1 of \d+/);
    const bundle = JSON.parse(await zip.file('record.json')!.async('string')) as { resourceType: string; type: string; entry: { resource: { resourceType: string } }[] };
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const kinds = (k: string) => bundle.entry.filter((e) => e.resource.resourceType === k).length;
    expect(kinds('DocumentReference')).toBe(await count('SELECT count(*) FROM attachments WHERE patient_id = ? AND deleted_at IS NULL', [d1]));
    expect(kinds('Consent')).toBe(await count("SELECT count(*) FROM form_records WHERE patient_id = ? AND kind = 'consent'", [d1]));
  });

  it('PD1: every clinic table with a patient id is in the archive, or listed with the reason it is not', async () => {
    const { missing, stale } = await coverageGaps(h.client, PATIENT_TABLES);
    expect(missing).toEqual([]);
    expect(stale).toEqual([]);
    // Each table the builder adds has rows for D-0001, and each row is a file of the archive.
    const paths = manifest.files.map((f) => f.path);
    for (const [table, c] of Object.entries(PATIENT_TABLES)) {
      if (c.in !== 'archive') continue;
      const live = table === 'attachments' ? ' AND deleted_at IS NULL' : '';
      const ids = (await h.client.execute({ sql: `SELECT id FROM ${table} WHERE patient_id = ?${live}`, args: [d1] })).rows.map((r) => String(r.id));
      expect(ids.length, table).toBeGreaterThan(0);
      for (const id of ids) expect(paths.some((p) => p.includes(id)), `${table} ${id}`).toBe(true);
    }
  });

  it('audits the request, the build and the download with who, why, scope, bytes and SHA-256; the Exports page lists it', async () => {
    const events = (await h.client.execute({ sql: "SELECT actor_user_id, reason, detail FROM audit_log WHERE action = 'export' AND entity_id = ? ORDER BY seq", args: [archiveId] })).rows;
    const ops = events.map((e) => JSON.parse(String(e.detail)) as Record<string, unknown>);
    expect(ops.map((o) => o.op)).toEqual(['request', 'build', 'download']);
    const adminId = String((await t.system.controlClient.execute("SELECT id FROM users WHERE email = 'admin@demo.test'")).rows[0]!.id);
    for (const e of events) {
      expect(e.actor_user_id).toBe(adminId);
      expect(e.reason).toBe('Patient asked for a copy of her record (PDPL)');
    }
    const row = await one('SELECT bytes, sha256 FROM archives WHERE id = ?', [archiveId]);
    for (const o of ops.slice(1)) expect(o).toMatchObject({ scope: 'all', bytes: Number(row.bytes), sha256: row.sha256 });
    const exports = await (await admin.get('/exports')).text();
    expect(exports).toContain(`data-archive="${archiveId}"`);
    expect(exports).toContain('D-0001');
    expect(exports).toContain('Patient asked for a copy of her record (PDPL)');
  });

  it('makes each document and opens each attachment only when the ZIP is read that far (memory does not grow with the record)', async () => {
    const s = services(t.system, clock);
    // Count what the builder touches: font files (the first PDF made reads them) and attachments opened.
    let fontReads = 0;
    let opened = 0;
    const assets = { read: (rel: string) => ((fontReads += rel.startsWith('static/fonts/') ? 1 : 0), t.platform.assets.read(rel)) };
    const documents = { attachmentsOf: s.documents.attachmentsOf.bind(s.documents), contentOf: (c: string, a: Parameters<typeof s.documents.contentOf>[1]) => (opened++, s.documents.contentOf(c, a)) };
    const built = await buildPatientArchive(
      { clinics: t.system.clinics, control: t.system.control, assets, documents, dental: s.dental },
      { clinicId: h.id, patientId: d1, createdBy: { kind: 'operator', id: null, name: 'test' }, lang: 'en', now: clock.now() },
    );
    await new Promise((r) => setTimeout(r, 300));
    // Nothing read yet: no attachment is open (the writer may have begun the first document).
    expect(opened).toBe(0);
    const reader = built.zip.getReader();
    let attachmentsSeen = false;
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      // Attachments come last: none is opened while the PDFs are still being made.
      if (opened > 0) attachmentsSeen = true;
      if (!attachmentsSeen) expect(opened).toBe(0);
    }
    expect(fontReads).toBeGreaterThan(0);
    expect(opened).toBe(await count('SELECT count(*) FROM attachments WHERE patient_id = ? AND deleted_at IS NULL', [d1]));
  }, 120_000);

  it('two runs of one job (a crash and a retry racing) leave one archive and one stored ZIP', async () => {
    const svc = services(t.system, clock).archives;
    const a = (await svc.request({ clinicId: h.id, actor: { userId: null, kind: 'operator', roles: [], sessionHash: null, ip: null, userAgent: 'test' }, requestId: 'req_t', route: 't' }, d1, 'twice over', 'en'))!;
    const before = blobFiles().length;
    const job = { jobId: a.jobId!, type: 'archive', clinicId: h.id, payload: { clinicId: h.id, archiveId: a.id, lang: 'en' }, attempt: 1, resultKey: () => 'k', progress: async () => undefined, signal: new AbortController().signal };
    const results = await Promise.all([svc.runJob(job), svc.runJob({ ...job, attempt: 2 })]);
    expect(results.filter((r) => 'sha256' in r)).toHaveLength(1);
    expect(blobFiles().length).toBe(before + 1);
    expect((await one('SELECT status FROM archives WHERE id = ?', [a.id])).status).toBe('ready');
    // And a late third run changes nothing.
    expect(await svc.runJob({ ...job, attempt: 3 })).toMatchObject({ skipped: 'ready' });
    expect(blobFiles().length).toBe(before + 1);
  }, 120_000);

  it('deletes the ZIP once its 24 hours are over; the record stays and the download says so', async () => {
    const before = blobFiles().length;
    clock.advance(25 * 3600_000);
    await signedIn(t, 'admin@demo.test').then((c) => (admin = c));
    while (await worker.runOnce()) {
      /* the expiry jobs are due now */
    }
    expect(blobFiles().length).toBe(before - 2);
    expect((await one('SELECT status, blob_name FROM archives WHERE id = ?', [archiveId])).status).toBe('expired');
    const res = await admin.get(`/archives/${archiveId}/download`);
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('its 24 hours are over');
    expect(await (await admin.get('/exports')).text()).toContain(`data-archive="${archiveId}"`);
  });

  it('raises one security event when more patients than the clinic allows are archived within an hour', async () => {
    const svc = services(t.system, clock).archives;
    const limit = h.settings.archiveAlertPerHour;
    const ids = (await h.client.execute({ sql: 'SELECT id FROM patients ORDER BY mrn LIMIT ?', args: [limit + 2] })).rows.map((r) => String(r.id));
    const ctx = { clinicId: h.id, actor: { userId: null, kind: 'operator' as const, roles: [], sessionHash: null, ip: null, userAgent: 'test' }, requestId: 'req_t', route: 't' };
    const events = () => count("SELECT count(*) FROM security_events WHERE kind = 'large-export'");
    for (const id of ids.slice(0, limit)) await svc.request(ctx, id, 'bulk copy for transfer', 'en');
    expect(await events()).toBe(0);
    await svc.request(ctx, ids[limit]!, 'bulk copy for transfer', 'en');
    expect(await events()).toBe(1);
    await svc.request(ctx, ids[limit + 1]!, 'bulk copy for transfer', 'en');
    expect(await events()).toBe(1);
  });
});
