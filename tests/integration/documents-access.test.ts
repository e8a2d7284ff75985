// Who may do what with documents (AC4): doctors and nurses everything; administrators see the list
// but open nothing; reception uploads ID/insurance and referral papers and sees only ID/insurance
// ones; assistants upload only; accountants nothing. Restricted records (AC5), other clinics' and
// malformed ids (AC2, AC3), soft delete with a reason, encounter links, the audit trail of every
// list, view, preview and download (LG1), and the demo patient's attachments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, testInstall, type TestInstall } from '../helpers/system.ts';
import type { Client } from '../helpers/http.ts';
import { addUser, signedIn, DEMO_PASSWORD } from '../helpers/identity.ts';
import { services } from '../../src/system-app.ts';
import type { AuditContext } from '../../src/audit/context.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { blobFiles, fixture, upload } from './documents-helpers.ts';

const clock = new FakeClock(Date.parse('2026-12-04T09:00:00Z'));
let t: TestInstall;
let demoId: string;
let patientId: string;
let otherPatientId: string;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};

const db = async () => (await t.system.clinics.get(demoId)).client;
const top = async () => Number((await (await db()).execute('SELECT coalesce(max(seq), 0) AS s FROM audit_log')).rows[0]!.s);
const eventsAfter = async (seq: number) =>
  (await (await db()).execute({ sql: 'SELECT action, outcome, entity_type, entity_id, patient_id, detail, route FROM audit_log WHERE seq > ? ORDER BY seq', args: [seq] })).rows;

async function put(client: Client, fields: Record<string, string>, file = 'scan.png', pid = patientId): Promise<Response> {
  await client.get(`/patients/${pid}/documents/new`);
  return upload(client, pid, fields, { name: file, bytes: fixture(file) });
}
const newest = async () => String((await (await db()).execute('SELECT id FROM attachments ORDER BY rowid DESC LIMIT 1')).rows[0]!.id);

beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  demoId = (await t.system.clinics.bySlug('demo'))!.id;
  const s = services(t.system, clock);
  patientId = (await s.patients.getByMrn(demoId, 'D-0001'))!.id;
  otherPatientId = (await s.patients.getByMrn(demoId, 'D-0002'))!.id;
  for (const [role, email] of Object.entries({ doctor: 'doctor', nurse: 'nurse', admin: 'admin', reception: 'reception', assistant: 'assistant', accountant: 'accountant' })) {
    as[role] = await signedIn(t, `${email}@demo.test`);
  }
  // One document of each kind of category, by the doctor.
  for (const [category, file] of [['imaging', 'scan.png'], ['lab', 'report.pdf'], ['id-insurance', 'photo.jpg'], ['referral', 'notes.txt']] as const) {
    expect((await put(as.doctor!, { category, title: `Doc ${category}` }, file)).status).toBe(303);
    ids[category] = await newest();
  }
});
afterAll(() => t.close());

describe('roles (AC4)', () => {
  it('AC4: doctors and nurses list, view, preview, download, upload any category and delete', async () => {
    for (const role of ['doctor', 'nurse']) {
      const c = as[role]!;
      const list = await c.get(`/patients/${patientId}/documents`);
      expect(list.status).toBe(200);
      for (const title of ['Doc imaging', 'Doc lab', 'Doc id-insurance', 'Doc referral']) expect(c.lastHtml).toContain(title);
      expect((await c.get(`/documents/${ids.lab}`)).status).toBe(200);
      expect((await c.get(`/documents/${ids.imaging}/preview`)).status).toBe(200);
      expect((await c.get(`/documents/${ids.lab}/download`)).status).toBe(200);
      expect((await put(c, { category: 'lab' }, 'report.pdf')).status).toBe(303);
      await c.get(`/documents/${ids.lab}`);
      expect(c.lastHtml).toContain(`action="/documents/${ids.lab}/delete"`);
    }
  });

  it('AC4: administrators see the list (metadata) but cannot open, upload or delete', async () => {
    const c = as.admin!;
    expect((await c.get(`/patients/${patientId}/documents`)).status).toBe(200);
    expect(c.lastHtml).toContain('Doc lab');
    expect(c.lastHtml).not.toContain(`/documents/${ids.lab}/download`);
    expect(c.lastHtml).not.toContain('/documents/new');
    expect((await c.get(`/documents/${ids.lab}`)).status).toBe(200);
    expect(c.lastHtml).toContain('You can see that this document exists, but not open it.');
    expect(c.lastHtml).not.toContain('/preview"');
    expect((await c.get(`/documents/${ids.lab}/download`)).status).toBe(403);
    expect((await c.get(`/documents/${ids.imaging}/preview`)).status).toBe(403);
    expect((await c.get(`/patients/${patientId}/documents/new`)).status).toBe(403);
    expect((await put(c, { category: 'lab' }, 'report.pdf')).status).toBe(403);
    expect((await c.post(`/documents/${ids.lab}/delete`, { reason: 'not needed any more' })).status).toBe(403);
  });

  it('AC4: reception uploads ID/insurance and referral papers only, and sees and opens only ID/insurance ones', async () => {
    const c = as.reception!;
    const form = await c.get(`/patients/${patientId}/documents/new`);
    expect(form.status).toBe(200);
    expect(c.lastHtml).toContain('value="id-insurance"');
    expect(c.lastHtml).toContain('value="referral"');
    expect(c.lastHtml).not.toContain('value="lab"');
    const before = { n: Number((await (await db()).execute('SELECT count(*) AS n FROM attachments')).rows[0]!.n), blobs: blobFiles(t.dir, demoId) };
    const lab = await put(c, { category: 'lab' }, 'report.pdf');
    expect(lab.status).toBe(400);
    expect(await lab.text()).toContain('You may not upload documents of this category.');
    expect(Number((await (await db()).execute('SELECT count(*) AS n FROM attachments')).rows[0]!.n)).toBe(before.n);
    expect(blobFiles(t.dir, demoId)).toEqual(before.blobs);
    expect((await put(c, { category: 'id-insurance', title: 'CPR card' }, 'photo.jpg')).headers.get('Location')).toBe(`/patients/${patientId}/documents?done=uploaded`);
    // A referral goes in, then is out of reception's reach (it is clinical).
    expect((await put(c, { category: 'referral', title: 'Referral letter' }, 'report.pdf')).headers.get('Location')).toBe(`/patients/${patientId}/documents/new?done=uploaded`);
    const referral = await newest();
    await c.get(`/patients/${patientId}/documents`);
    expect(c.lastHtml).toContain('CPR card');
    expect(c.lastHtml).toContain('Doc id-insurance');
    for (const hidden of ['Doc imaging', 'Doc lab', 'Doc referral', 'Referral letter']) expect(c.lastHtml).not.toContain(hidden);
    expect((await c.get(`/documents/${ids['id-insurance']}/download`)).status).toBe(200);
    for (const id of [ids.imaging, ids.lab, referral]) {
      expect((await c.get(`/documents/${id}`)).status).toBe(403);
      expect((await c.get(`/documents/${id}/download`)).status).toBe(403);
      expect((await c.get(`/documents/${id}/preview`)).status).toBe(403);
    }
    expect((await c.get(`/patients/${patientId}/documents?category=lab`)).status).toBe(200);
    expect(c.lastHtml).not.toContain('Doc lab');
  });

  it('AC4: assistants upload but cannot list or open; accountants can do nothing with documents', async () => {
    const a = as.assistant!;
    const res = await put(a, { category: 'imaging', title: 'Bitewing' }, 'photo.jpg');
    expect(res.headers.get('Location')).toBe(`/patients/${patientId}/documents/new?done=uploaded`);
    expect((await a.follow(res)).status).toBe(200);
    expect(a.lastHtml).toContain('The document was uploaded.');
    expect((await a.get(`/patients/${patientId}/documents`)).status).toBe(403);
    expect((await a.get(`/documents/${ids.imaging}/download`)).status).toBe(403);
    await a.get(`/patients/${patientId}`);
    expect(a.lastHtml).toContain(`href="/patients/${patientId}/documents/new"`);

    const acc = as.accountant!;
    expect((await acc.get(`/patients/${patientId}/documents`)).status).toBe(403);
    expect((await acc.get(`/patients/${patientId}/documents/new`)).status).toBe(403);
    expect((await acc.get(`/documents/${ids['id-insurance']}/download`)).status).toBe(403);
    await acc.get(`/patients/${patientId}`);
    expect(acc.lastHtml).not.toContain('/documents');
  });

  it('AC2, AC3: malformed, unknown and other clinics\' ids are not found', async () => {
    const c = as.doctor!;
    for (const path of ['/documents/x', '/documents/att_aaaaaaaaaaaaaaaaaaaaaaaaaa/download', `/patients/p_aaaaaaaaaaaaaaaaaaaaaaaaaa/documents`]) {
      expect((await c.get(path)).status, path).toBe(404);
    }
    await t.system.clinics.create({ slug: 'north', name: 'North Clinic' });
    const pw = await addUser(t, 'north', 'doc@north.test', ['doctor']);
    const north = await signedIn(t, 'doc@north.test', pw);
    expect((await north.get(`/documents/${ids.lab}/download`)).status).toBe(404);
    expect((await north.get(`/documents/${ids.lab}`)).status).toBe(404);
    expect((await north.get(`/patients/${patientId}/documents`)).status).toBe(404);
  });
});

describe('restricted records (AC5)', () => {
  it('AC5: a restricted patient\'s documents are closed to clinicians who are not named, until they break the glass', async () => {
    await (await db()).execute({ sql: 'UPDATE patients SET restricted = 1 WHERE id = ?', args: [patientId] });
    try {
      const nurse = as.nurse!;
      for (const path of [`/patients/${patientId}/documents`, `/documents/${ids.lab}`, `/documents/${ids.lab}/download`, `/patients/${patientId}/documents/new`]) {
        expect((await nurse.get(path)).status, path).toBe(403);
        expect(nurse.lastHtml).toContain(`action="/patients/${patientId}/break-glass"`);
      }
      expect((await put(nurse, { category: 'lab' }, 'report.pdf')).status).toBe(403);
      const s = services(t.system, clock);
      const ctx: AuditContext = { clinicId: demoId, actor: { userId: 'u_nobody', kind: 'user', roles: ['doctor'], sessionHash: null, ip: null, userAgent: null }, requestId: 'r', route: 't' };
      await expect(s.documents.list(ctx, patientId)).rejects.toThrow(/forbidden/);
      await nurse.post(`/patients/${patientId}/break-glass`, { reason: 'patient collapsed in the waiting room' });
      expect((await nurse.get(`/documents/${ids.lab}/download`)).status).toBe(200);
    } finally {
      await (await db()).execute({ sql: 'UPDATE patients SET restricted = 0 WHERE id = ?', args: [patientId] });
    }
  });
});

describe('soft delete, encounters, audit', () => {
  it('deletes with a reason (required): hidden from the list unless asked, kept with its blob', async () => {
    const c = as.doctor!;
    await c.get(`/documents/${ids.referral}`);
    const short = await c.post(`/documents/${ids.referral}/delete`, { reason: 'no' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('at least 5 characters');
    const done = await c.post(`/documents/${ids.referral}/delete`, { reason: 'uploaded to the wrong patient' });
    expect(done.headers.get('Location')).toBe(`/patients/${patientId}/documents?done=deleted`);
    await c.follow(done);
    expect(c.lastHtml).toContain('The document was deleted.');
    expect(c.lastHtml).not.toContain('Doc referral');
    await c.get(`/patients/${patientId}/documents?deleted=1`);
    expect(c.lastHtml).toContain('Doc referral');
    const row = (await (await db()).execute({ sql: 'SELECT * FROM attachments WHERE id = ?', args: [ids.referral!] })).rows[0]!;
    expect(row.deleted_at).toBeTruthy();
    expect(String(row.delete_reason)).toMatch(/^v1\./);
    expect(blobFiles(t.dir, demoId)).toContain(String(row.blob_name));
    await c.get(`/documents/${ids.referral}`);
    expect(c.lastHtml).toContain('uploaded to the wrong patient');
    expect((await c.post(`/documents/${ids.referral}/delete`, { reason: 'again and again' })).status).toBe(409);
    expect((await as.nurse!.get(`/documents/${ids.referral}/download`)).status).toBe(200);
    // The archive (issue 7) gets deleted attachments too, marked; a caller may leave them out.
    const docs = services(t.system, clock).documents;
    expect((await docs.attachmentsOf(demoId, patientId)).find((a) => a.id === ids.referral)?.deleteReason).toBe('uploaded to the wrong patient');
    expect((await docs.attachmentsOf(demoId, patientId, { includeDeleted: false })).some((a) => a.id === ids.referral)).toBe(false);
  });

  it('links an upload to an encounter of the same patient only, and filters by encounter', async () => {
    const s = services(t.system, clock);
    const ctx: AuditContext = { clinicId: demoId, actor: { userId: 'u_doc', kind: 'user', roles: ['doctor'], sessionHash: null, ip: null, userAgent: null }, requestId: 'r', route: 't' };
    const notes = { chiefComplaint: 'Tooth pain', subjective: '', objective: '', assessment: '', plan: '' };
    const mine = await s.clinical.createEncounter(ctx, patientId, { type: 'dental', notes });
    const theirs = await s.clinical.createEncounter(ctx, otherPatientId, { type: 'dental', notes });
    const c = as.doctor!;
    await c.get(`/patients/${patientId}/documents/new?encounter=${mine}`);
    expect(c.lastHtml).toMatch(new RegExp(`<option value="${mine}" selected`));
    expect((await put(c, { category: 'imaging', title: 'Periapical', encounterId: theirs })).status).toBe(400);
    expect((await put(c, { category: 'imaging', title: 'Periapical', encounterId: mine })).status).toBe(303);
    await c.get(`/patients/${patientId}/documents?encounter=${mine}`);
    expect(c.lastHtml).toContain('Periapical');
    expect(c.lastHtml).not.toContain('Doc lab');
  });

  it('LG1: every list, view, preview, download, upload and delete is audited naming the attachment and the patient', async () => {
    const c = as.nurse!;
    const mark = await top();
    await c.get(`/patients/${patientId}/documents`);
    await c.get(`/documents/${ids.lab}`);
    await c.get(`/documents/${ids.lab}/preview`);
    await c.get(`/documents/${ids.lab}/download`);
    await put(c, { category: 'other', title: 'Audit me' }, 'notes.txt');
    const added = await newest();
    await c.post(`/documents/${added}/delete`, { reason: 'testing the audit trail' });
    const rows = (await eventsAfter(mark)).filter((r) => r.entity_type === 'attachment');
    const seen = rows.map((r) => [r.action, r.outcome, r.entity_id, r.patient_id, JSON.parse(String(r.detail ?? '{}')).op ?? null]);
    expect(seen).toEqual([
      ['read', 'success', null, patientId, 'list'],
      ['read', 'success', ids.lab, patientId, 'view'],
      ['read', 'success', ids.lab, patientId, 'preview'],
      ['read', 'success', ids.lab, patientId, 'download'],
      ['create', 'success', added, patientId, null],
      ['delete', 'success', added, patientId, 'soft-delete'],
    ]);
    const download = JSON.parse(String(rows[3]!.detail));
    expect(download).toMatchObject({ bytes: fixture('report.pdf').length });
    expect(download.sha256).toMatch(/^[0-9a-f]{64}$/);
    // No title, name or reason in the audit details.
    expect(JSON.stringify(rows)).not.toMatch(/Audit me|notes\.txt|testing the audit/);
  });
});

describe('demo data', () => {
  it('D-0001 has an image, a PDF lab report and a DICOM file that download intact; a second run adds none', async () => {
    const u = await testInstall({ clock });
    try {
      await seedDemo({ control: u.system.control, clinics: u.system.clinics, hasher: u.platform.hasher }, DEMO_PASSWORD, { clinical: true });
      await seedDemo({ control: u.system.control, clinics: u.system.clinics, hasher: u.platform.hasher }, DEMO_PASSWORD, { clinical: true });
      const id = (await u.system.clinics.bySlug('demo'))!.id;
      const s = services(u.system, clock);
      const pid = (await s.patients.getByMrn(id, 'D-0001'))!.id;
      const docs = await s.documents.attachmentsOf(id, pid);
      expect(docs.length).toBeGreaterThanOrEqual(3);
      const types = docs.map((d) => `${d.category}:${d.mediaType}`);
      expect(types).toEqual(expect.arrayContaining(['imaging:image/png', 'lab:application/pdf', 'imaging:application/dicom']));
      const doctor = await signedIn(u, 'doctor@demo.test');
      for (const d of docs) {
        const res = await doctor.get(`/documents/${d.id}/download`);
        expect(res.status).toBe(200);
        const bytes = new Uint8Array(await res.arrayBuffer());
        expect(Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex')).toBe(d.sha256);
      }
      await doctor.get(`/patients/${pid}`);
      expect(doctor.lastHtml).toContain(`href="/patients/${pid}/documents"`);
    } finally {
      await u.close();
    }
  }, 60_000);
});
