import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, testInstall, type TestInstall } from '../helpers/system.ts';
import { signedIn } from '../helpers/identity.ts';

let t: TestInstall;
const clock = new FakeClock();
let patientId: string;
let demoId: string;

beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  demoId = (await t.system.clinics.bySlug('demo'))!.id;
  const { client } = await t.system.clinics.get(demoId);
  patientId = String((await client.execute("SELECT id FROM patients WHERE mrn = 'D-0002'")).rows[0]!.id);
});
afterAll(() => t.close());

describe('restricted records and break-glass', () => {
  it('AC5: a doctor restricts a record; only named clinicians see it; another clinician breaks the glass with a reason for 60 minutes, audited and alerted', async () => {
    const doctor = await signedIn(t, 'doctor@demo.test');
    await doctor.get(`/patients/${patientId}/restriction`);
    const saved = await doctor.post(`/patients/${patientId}/restriction`, { restricted: '1' });
    expect(saved.headers.get('Location')).toBe(`/patients/${patientId}/restriction?saved=1`);
    expect((await doctor.get(`/patients/${patientId}`)).status).toBe(200);

    // The nurse is not named: the chart is closed to her, with the break-glass form.
    const nurse = await signedIn(t, 'nurse@demo.test');
    const closed = await nurse.get(`/patients/${patientId}`);
    expect(closed.status).toBe(403);
    expect(nurse.lastHtml).toContain(`action="/patients/${patientId}/break-glass"`);
    expect(nurse.lastHtml).not.toContain('D-0002</h1>');
    // In search results she sees the MRN, not the name or details.
    await nurse.get('/patients?q=D-0002');
    expect(nurse.lastHtml).toContain('data-mrn="D-0002"');
    expect(nurse.lastHtml).toContain('Restricted record');
    await doctor.get('/patients?q=D-0002');
    expect(doctor.lastHtml).not.toContain('Restricted record');
    // Reception cannot break the glass at all; nor can the administrator.
    const reception = await signedIn(t, 'reception@demo.test');
    expect((await reception.get(`/patients/${patientId}`)).status).toBe(403);
    expect(reception.lastHtml).not.toContain('/break-glass"');
    expect((await reception.post(`/patients/${patientId}/break-glass`, { reason: 'patient collapsed in the waiting room' })).status).toBe(403);

    // A reason is required.
    expect((await nurse.post(`/patients/${patientId}/break-glass`, { reason: 'short' })).status).toBe(400);
    const broke = await nurse.post(`/patients/${patientId}/break-glass`, { reason: 'patient collapsed in the waiting room' });
    expect(broke.headers.get('Location')).toBe(`/patients/${patientId}`);
    expect((await nurse.get(`/patients/${patientId}`)).status).toBe(200);

    const { client } = await t.system.clinics.get(demoId);
    const ev = (await client.execute({ sql: "SELECT reason, patient_id, actor_user_id FROM audit_log WHERE action = 'break-glass'", args: [] })).rows;
    expect(ev).toHaveLength(1);
    expect(ev[0]!.reason).toBe('patient collapsed in the waiting room');
    expect(ev[0]!.patient_id).toBe(patientId);
    const alerts = (await client.execute("SELECT kind, patient_id FROM security_events WHERE kind = 'break-glass'")).rows;
    expect(alerts).toHaveLength(1);

    // Listed for review.
    const admin = await signedIn(t, 'admin@demo.test');
    await admin.get('/admin/break-glass');
    expect(admin.lastHtml).toContain('patient collapsed in the waiting room');

    // After 60 minutes the door closes again.
    clock.advance(59 * 60_000);
    const later = await signedIn(t, 'nurse@demo.test'); // her first session idled out meanwhile
    expect((await later.get(`/patients/${patientId}`)).status).toBe(200);
    clock.advance(2 * 60_000);
    const nurse2 = await signedIn(t, 'nurse@demo.test');
    expect((await nurse2.get(`/patients/${patientId}`)).status).toBe(403);

    // Lifting the restriction opens it to every role that may read patients.
    const doctor2 = await signedIn(t, 'doctor@demo.test');
    await doctor2.get(`/patients/${patientId}/restriction`);
    await doctor2.post(`/patients/${patientId}/restriction`, {});
    expect((await nurse2.get(`/patients/${patientId}`)).status).toBe(200);
  });
});
