// Consent records after signing: withdrawal keeps the record and the database refuses DELETE and
// any change to what was signed; reception collects consents but sees no questionnaire answers
// (AC4); other clinics' ids are unknown (AC2, AC3); writes, reads and PDFs name the patient (LG1).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, type TestInstall } from '../helpers/system.ts';
import type { Client } from '../helpers/http.ts';
import { addUser, signedIn } from '../helpers/identity.ts';
import { findUserByEmail } from '../../src/auth/users.ts';
import { SIGNATURE, TODAY, closeForms, count, db, formsFixture, pdftotext, record, treatment, type FormsFixture } from '../helpers/forms.ts';

const clock = new FakeClock(Date.parse('2026-12-04T08:00:00Z'));
let t: TestInstall;
let demoId: string;
let patientId: string;
let doctorId: string;
let ids: FormsFixture['ids'];
let doctor: Client;
let reception: Client;

beforeAll(async () => {
  ({ t, demoId, patientId, doctorId, ids, doctor, reception } = await formsFixture(clock));
});
afterAll(closeForms);

describe('a record is never deleted; a consent can be withdrawn', () => {
  let id: string;
  let active: string;
  beforeAll(async () => {
    id = await record(doctor, { templateId: ids.pdpl, version: '1', signedOn: TODAY, signer: 'patient', witness: doctorId, answer_q1: 'yes', signature: SIGNATURE });
    active = await record(doctor, treatment());
  });

  it('withdrawal needs a reason and a date; it keeps the record and its PDF', async () => {
    await doctor.get(`/forms/${id}`);
    expect((await doctor.post(`/forms/${id}/withdraw`, { withdrawnOn: TODAY, reason: 'x' })).status).toBe(400);
    expect((await doctor.post(`/forms/${id}/withdraw`, { withdrawnOn: '2026-12-01', reason: 'Signed on the 4th' })).status).toBe(400);
    expect(doctor.lastHtml).toContain('The date of withdrawal must be between the date of signing and today.');
    const res = await doctor.post(`/forms/${id}/withdraw`, { withdrawnOn: TODAY, reason: 'The patient no longer agrees to SMS reminders' });
    expect(res.status).toBe(303);
    const html = await (await doctor.get(`/forms/${id}?done=withdrawn`)).text();
    expect(html).toContain('data-status="withdrawn"');
    expect(html).toContain('The patient no longer agrees to SMS reminders');
    expect(html).not.toContain(`action="/forms/${id}/withdraw"`);
    expect((await doctor.get(`/forms/${id}/pdf`)).status).toBe(200);
    const row = (await (await db()).execute({ sql: 'SELECT status, withdrawn_on, withdrawn_by, withdraw_reason FROM form_records WHERE id = ?', args: [id] })).rows[0]!;
    expect(row).toMatchObject({ status: 'withdrawn', withdrawn_on: TODAY, withdrawn_by: doctorId });
    expect(String(row.withdraw_reason)).not.toContain('SMS');
    // A second withdrawal is refused.
    expect((await doctor.post(`/forms/${id}/withdraw`, { withdrawnOn: TODAY, reason: 'Again, for the record' })).status).toBe(409);
    // LG1: the withdrawal is audited with the patient, without the reason.
    const audit = (await (await db()).execute({ sql: "SELECT action, patient_id, detail FROM audit_log WHERE entity_id = ? AND action = 'update'", args: [id] })).rows;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ patient_id: patientId });
    expect(JSON.parse(String(audit[0]!.detail))).toEqual({ op: 'withdraw', withdrawnOn: TODAY });
  });

  it('AC1: there is no delete route, and the database refuses DELETE and any change to what was signed', async () => {
    for (const method of ['DELETE', 'PUT', 'PATCH']) {
      const res = await doctor.request(`/forms/${id}`, { method, headers: { Origin: 'http://localhost', 'Sec-Fetch-Site': 'same-origin', 'X-CSRF-Token': doctor.csrf! } });
      expect(res.status, method).toBe(404);
    }
    const client = await db();
    await expect(client.execute({ sql: 'DELETE FROM form_records WHERE id = ?', args: [id] })).rejects.toThrow(/never deleted/);
    await expect(client.execute({ sql: 'DELETE FROM form_documents WHERE record_id = ?', args: [id] })).rejects.toThrow(/write-once/);
    await expect(client.execute({ sql: "UPDATE form_records SET status = 'active' WHERE id = ?", args: [id] })).rejects.toThrow(/does not change/);
    await expect(client.execute({ sql: "UPDATE form_records SET answers = 'x' WHERE id = ?", args: [active] })).rejects.toThrow(/does not change/);
    await expect(client.execute({ sql: "UPDATE form_records SET status = 'withdrawn', signature = NULL WHERE id = ?", args: [active] })).rejects.toThrow(/does not change/);
    await expect(client.execute({ sql: "UPDATE form_records SET pdf_sha256 = 'x' WHERE id = ?", args: [id] })).rejects.toThrow(/does not change/);
    await expect(client.execute({ sql: "UPDATE form_documents SET pdf = 'x'", args: [] })).rejects.toThrow(/write-once/);
    await expect(client.execute('DELETE FROM form_template_versions')).rejects.toThrow(/immutable/);
    await expect(client.execute('DELETE FROM form_templates')).rejects.toThrow(/retired, not deleted/);
    expect(await count(`form_records WHERE id = '${id}'`)).toBe(1);
  });
});

describe('reception collects consents but sees no clinical answers (AC4)', () => {
  let intakeId: string;
  beforeAll(async () => {
    intakeId = await record(doctor, { templateId: ids.intake, version: '1', signedOn: TODAY, signer: 'patient', witness: doctorId, answer_q1: 'Knee pain', answer_q2: 'yes', answer_q3: 'Penicillin', answer_q4: 'no', answer_q5: 'o2', answer_q6: '2025-06-01' });
  });

  it('the receptionist signs a consent (typed name) and sees it', async () => {
    const receptionId = (await findUserByEmail(t.system.control, 'reception@demo.test'))!.id;
    const id = await record(reception, { templateId: ids.photo, version: '1', signedOn: TODAY, signer: 'patient', witness: receptionId, answer_q1: 'o1', typedName: 'Mariam Al-Mahmood', confirm: '1' });
    const html = await (await reception.get(`/forms/${id}`)).text();
    expect(html).toContain('My medical record only');
    expect((await reception.get(`/forms/${id}/pdf`)).status).toBe(200);
  });

  it("the questionnaire's answers stay hidden from reception, page and PDF; the clinical record is refused", async () => {
    const html = await (await reception.get(`/forms/${intakeId}`)).text();
    expect(html).toContain('data-testid="answers-hidden"');
    expect(html).not.toContain('Penicillin');
    expect(html).not.toContain('Knee pain');
    expect((await reception.get(`/forms/${intakeId}/pdf`)).status).toBe(403);
    expect((await reception.get(`/patients/${patientId}/clinical`)).status).toBe(403);
    const list = await (await reception.get(`/patients/${patientId}/forms`)).text();
    expect(list).not.toContain('Penicillin');
    // The doctor sees them, and the answers print.
    const full = await (await doctor.get(`/forms/${intakeId}`)).text();
    expect(full).toContain('Penicillin');
    const text = pdftotext(new Uint8Array(await (await doctor.get(`/forms/${intakeId}/pdf`)).arrayBuffer()));
    expect(text).toContain('Penicillin');
    expect(text).toContain('Former smoker');
  });

  it('the accountant and the assistant reach none of it', async () => {
    for (const email of ['accountant@demo.test', 'assistant@demo.test']) {
      const c = await signedIn(t, email);
      expect((await c.get(`/patients/${patientId}/forms`)).status, email).toBe(403);
      expect((await c.get(`/forms/${intakeId}`)).status, email).toBe(403);
      expect((await c.get(`/forms/${intakeId}/pdf`)).status, email).toBe(403);
      expect(await (await c.get(`/patients/${patientId}`)).text()).not.toContain(`/patients/${patientId}/forms"`);
    }
  });
});

describe('reach and audit', () => {
  it("AC2, AC3: a malformed id or another clinic's record is 404", async () => {
    const north = await t.system.clinics.create({ slug: 'forms-north', name: 'North Clinic' });
    await addUser(t, 'forms-north', 'doctor@north.test', ['doctor']);
    const northDoctor = await signedIn(t, 'doctor@north.test', 'a quiet river under granite hills');
    const [someRecord] = (await (await db()).execute('SELECT id FROM form_records LIMIT 1')).rows;
    for (const path of [`/forms/${someRecord!.id}`, `/forms/${someRecord!.id}/pdf`, `/patients/${patientId}/forms`, `/patients/${patientId}/forms/new?template=${ids.treatment}`]) {
      expect((await northDoctor.get(path)).status, path).toBe(404);
    }
    expect((await northDoctor.post(`/forms/${someRecord!.id}/withdraw`, { withdrawnOn: TODAY, reason: 'not this clinic' })).status).toBe(404);
    for (const path of ['/forms/fr_nope', '/forms/..%2f', `/forms/${someRecord!.id}x/pdf`]) expect((await doctor.get(path)).status, path).toBe(404);
    expect(north.id).not.toBe(demoId);
  });

  it('LG1: creating, reading and opening the PDF are audited, naming the patient', async () => {
    const id = await record(doctor, treatment());
    await doctor.get(`/forms/${id}`);
    const pdf = new Uint8Array(await (await doctor.get(`/forms/${id}/pdf`)).arrayBuffer());
    const rows = (await (await db()).execute({ sql: 'SELECT action, entity_type, patient_id, route, detail, actor_user_id FROM audit_log WHERE entity_id = ? ORDER BY seq', args: [id] })).rows;
    expect(rows.map((r) => [r.action, r.entity_type, r.route])).toEqual([
      ['create', 'consent', '/patients/:id/forms'],
      ['read', 'consent', '/forms/:id'],
      ['print', 'consent', '/forms/:id/pdf'],
    ]);
    for (const r of rows) expect(r).toMatchObject({ patient_id: patientId, actor_user_id: doctorId });
    const created = JSON.parse(String(rows[0]!.detail));
    expect(created).toMatchObject({ template: ids.treatment, version: 1, signature: 'drawn', signer: 'patient', bytes: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') });
    expect(JSON.parse(String(rows[2]!.detail)).sha256).toBe(created.sha256);
    // No answer, name or stroke leaks into the log.
    expect(JSON.stringify(rows)).not.toContain('tooth 16');
    const list = (await (await db()).execute({ sql: "SELECT action, entity_type FROM audit_log WHERE route = '/patients/:id/forms' AND action = 'read' AND patient_id = ?", args: [patientId] })).rows;
    expect(list.length).toBeGreaterThan(0);
  });
});
