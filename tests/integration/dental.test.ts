// The dental chart through the real routes and service: a doctor charts (caries on 16 occlusal, a
// crown on 21) and sees it in the SVG; the chart of an earlier day (clinic time zone) leaves later
// entries out; corrections are new entries and the table refuses UPDATE; strict validation saves
// nothing and answers in the reader's language (AC6); each role reaches only what it may (AC1, AC4),
// assistants only as drafts a doctor settles; restricted records need break-glass (AC5); unknown
// ids give 404 (AC2); every view and entry is audited with the patient (LG1); notes are sealed (CR1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, testInstall, type TestInstall } from '../helpers/system.ts';
import { signedIn } from '../helpers/identity.ts';
import type { Client } from '../helpers/http.ts';
import type { ClinicHandle } from '../../src/tenancy/registry.ts';

let t: TestInstall;
const clock = new FakeClock(); // 2026-12-04T08:00Z: 11:00 in Bahrain
let h: ClinicHandle;
let pid: string; // D-0003
let restrictedId: string; // D-0002
const NOTE = 'Zq-dental-note deep occlusal lesion';

const count = async (where = '1 = 1', args: (string | number)[] = []) =>
  Number((await h.client.execute({ sql: `SELECT COUNT(*) AS n FROM dental_entries WHERE ${where}`, args })).rows[0]!.n);
const auditRows = async (sql: string, args: (string | number)[] = []) => (await h.client.execute({ sql: `SELECT * FROM audit_log WHERE ${sql} ORDER BY seq`, args })).rows;
const top = async () => Number((await h.client.execute('SELECT coalesce(max(seq), 0) AS s FROM audit_log')).rows[0]!.s);

/** The SVG polygon of a surface of a tooth on the last page. */
const surfaceOf = (html: string, tooth: number, surface: string) =>
  html.match(new RegExp(`<g data-tooth="${tooth}"[^>]*>(?:(?!<g data-tooth=)[\\s\\S])*?(<polygon[^>]*data-surface="${surface}"[^>]*>)`))?.[1] ?? '';
const toothGroup = (html: string, tooth: number) => html.match(new RegExp(`<g data-tooth="${tooth}"[^>]*>[\\s\\S]*?</g>(?=</a>)`))?.[0] ?? '';

beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  h = await t.system.clinics.get((await t.system.clinics.bySlug('demo'))!.id);
  const id = async (mrn: string) => String((await h.client.execute({ sql: 'SELECT id FROM patients WHERE mrn = ?', args: [mrn] })).rows[0]!.id);
  pid = await id('D-0003');
  restrictedId = await id('D-0002');
});
afterAll(() => t?.close());

describe('charting and the chart of a past date', () => {
  let doctor: Client;

  it('LG1: a doctor charts caries on 16 (occlusal) and a crown on 21; the SVG shows both; entries are audited with the patient', async () => {
    doctor = await signedIn(t, 'doctor@demo.test');
    const chart = await doctor.get(`/patients/${pid}`);
    expect(doctor.lastHtml).toContain(`href="/patients/${pid}/dental"`);
    expect(chart.status).toBe(200);
    expect((await doctor.get(`/patients/${pid}/dental/teeth/16`)).status).toBe(200);
    expect(doctor.lastHtml).toContain(`action="/patients/${pid}/dental/teeth/16"`);
    const before = await top();
    const saved = await doctor.post(`/patients/${pid}/dental/teeth/16`, { finding: 'caries', surface_O: '1', status: 'completed', material: '', note: NOTE });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe(`/patients/${pid}/dental/teeth/16?done=saved#dental-panel`);
    expect((await doctor.post(`/patients/${pid}/dental/teeth/21`, { finding: 'crown', material: 'ceramic' })).status).toBe(303);

    const page = await doctor.get(`/patients/${pid}/dental`);
    expect(page.status).toBe(200);
    const html = doctor.lastHtml;
    expect(surfaceOf(html, 16, 'O')).toContain('data-finding="caries"');
    expect(surfaceOf(html, 16, 'M')).not.toContain('data-finding');
    expect(toothGroup(html, 21)).toContain('data-mark="crown"');
    // Each tooth is a link to its page, with htmx loading the panel.
    expect(html).toContain(`<a href="/patients/${pid}/dental/teeth/16#dental-panel" hx-get="/patients/${pid}/dental/teeth/16#dental-panel" hx-target="#dental-panel"`);
    expect(html).toMatch(/<div dir="ltr" class="odontogram"><svg/);

    const created = await auditRows("seq > ? AND action = 'create' AND entity_type = 'dental-entry'", [before]);
    expect(created).toHaveLength(2);
    expect(created.every((r) => r.patient_id === pid && r.outcome === 'success' && r.actor_user_id)).toBe(true);
    expect(JSON.parse(String(created[0]!.detail))).toMatchObject({ tooth: 16, surface: 'O', finding: 'caries', draft: false });
  });

  it('CR1: the note is sealed in the database and shown on the tooth page', async () => {
    const row = (await h.client.execute({ sql: 'SELECT note FROM dental_entries WHERE tooth = 16 AND patient_id = ?', args: [pid] })).rows[0]!;
    expect(String(row.note)).not.toContain('Zq-');
    await doctor.get(`/patients/${pid}/dental/teeth/16`);
    expect(doctor.lastHtml).toContain(NOTE);
  });

  it('LG1: every view is audited as a read of the patient (chart, tooth, past date)', async () => {
    const before = await top();
    await doctor.get(`/patients/${pid}/dental`);
    await doctor.get(`/patients/${pid}/dental/teeth/21`);
    await doctor.get(`/patients/${pid}/dental?asOf=2026-12-01`);
    const reads = await auditRows("seq > ? AND action = 'read'", [before]);
    expect(reads.map((r) => [r.entity_type, r.patient_id, r.route])).toEqual([
      ['dental-chart', pid, '/patients/:id/dental'],
      ['dental-chart', pid, '/patients/:id/dental/teeth/:tooth'],
      ['dental-chart', pid, '/patients/:id/dental'],
    ]);
  });

  it('?asOf shows the chart at the end of that day in the clinic time zone: yesterday without the entries, today with them', async () => {
    clock.advance(24 * 3600_000); // 2026-12-05
    doctor = await signedIn(t, 'doctor@demo.test');
    await doctor.get(`/patients/${pid}/dental?asOf=2026-12-04`);
    expect(surfaceOf(doctor.lastHtml, 16, 'O')).toContain('data-finding="caries"');
    expect(doctor.lastHtml).toContain('data-as-of="2026-12-04"');
    const past = await doctor.get(`/patients/${pid}/dental?asOf=2026-12-03`);
    expect(past.status).toBe(200);
    expect(surfaceOf(doctor.lastHtml, 16, 'O')).not.toContain('data-finding');
    expect(toothGroup(doctor.lastHtml, 21)).not.toContain('data-mark="crown"');
    expect(doctor.lastHtml).toContain('The chart as it stood at the end of 2026-12-03');
    // A past date is read-only: no form on its tooth page; links keep the date.
    await doctor.get(`/patients/${pid}/dental/teeth/16?asOf=2026-12-03`);
    expect(doctor.lastHtml).not.toContain('data-form="entry"');
    expect(doctor.lastHtml).toContain(`href="/patients/${pid}/dental/teeth/21?asOf=2026-12-03#dental-panel"`);
    // Today (the clinic's) is the live chart.
    await doctor.get(`/patients/${pid}/dental/teeth/16?asOf=2026-12-05`);
    expect(doctor.lastHtml).toContain('data-form="entry"');
  });

  it('AC6: a malformed, impossible or future date is refused with a message', async () => {
    for (const bad of ['2026-02-30', '2026-13-01', 'yesterday', '2026-12-06']) {
      const res = await doctor.get(`/patients/${pid}/dental?asOf=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(doctor.lastHtml).toContain('Enter a real date, not in the future.');
    }
  });

  it('a correction is a new entry: removing the caries keeps both in the history; the database refuses UPDATE', async () => {
    await doctor.get(`/patients/${pid}/dental/teeth/16`);
    expect(doctor.lastHtml).toMatch(/<input type="hidden" name="action" value="remove"/);
    const res = await doctor.post(`/patients/${pid}/dental/teeth/16`, { finding: 'caries', surface_O: '1', status: 'completed', action: 'remove', numbering: 'fdi' });
    expect(res.status).toBe(303);
    await doctor.get(`/patients/${pid}/dental`);
    expect(surfaceOf(doctor.lastHtml, 16, 'O')).not.toContain('data-finding');
    await doctor.get(`/patients/${pid}/dental?asOf=2026-12-04`);
    expect(surfaceOf(doctor.lastHtml, 16, 'O')).toContain('data-finding="caries"');
    expect(await count('tooth = 16 AND patient_id = ?', [pid])).toBe(2);
    await expect(h.client.execute({ sql: "UPDATE dental_entries SET finding = 'filling' WHERE patient_id = ?", args: [pid] })).rejects.toThrow(/append-only/);
  });

  it('Universal numbering is a display option: tooth 16 is shown as 3, links stay FDI', async () => {
    await doctor.get(`/patients/${pid}/dental?numbering=universal`);
    expect(doctor.lastHtml).toMatch(/<g data-tooth="16"[^>]*><title>Tooth 3 — upper right first molar/);
    expect(doctor.lastHtml).toContain(`href="/patients/${pid}/dental/teeth/16?numbering=universal#dental-panel"`);
    await doctor.get(`/patients/${pid}/dental?dentition=primary`);
    expect(doctor.lastHtml).toContain('data-tooth="55"');
    expect(doctor.lastHtml).not.toContain('data-tooth="16"');
  });

  it('htmx asks for the tooth panel alone', async () => {
    const res = await doctor.get(`/patients/${pid}/dental/teeth/21`, { htmx: true });
    const body = await res.text();
    expect(res.headers.get('Vary')).toContain('HX-Request');
    expect(body).not.toContain('<html');
    expect(body).toContain('data-panel-tooth="21"');
    expect(body).toContain('Crown, Ceramic');
  });

  it('in Arabic the drawing stays left-to-right, with translated labels', async () => {
    doctor.cookies.set('lang', 'ar');
    await doctor.get(`/patients/${pid}/dental`);
    expect(doctor.lastHtml).toContain('dir="rtl"');
    expect(doctor.lastHtml).toMatch(/<div dir="ltr" class="odontogram">/);
    expect(doctor.lastHtml).toContain('الفك العلوي');
    expect(doctor.lastHtml).toContain('تاج');
    doctor.cookies.delete('lang');
  });
});

describe('validation (AC6): nothing saved, the form again with a translated message', () => {
  let doctor: Client;
  beforeAll(async () => {
    doctor = await signedIn(t, 'doctor@demo.test');
    await doctor.get(`/patients/${pid}/dental/teeth/26`);
  });

  const BAD: [string, Record<string, string>, string][] = [
    ['caries without a surface', { finding: 'caries' }, 'Choose at least one surface for this finding.'],
    ['a crown on a surface', { finding: 'crown', surface_M: '1' }, 'This finding is for the whole tooth'],
    ['planned caries', { finding: 'caries', surface_O: '1', status: 'planned' }, 'Only treatments can be planned.'],
    ['a material for a missing tooth', { finding: 'missing', material: 'gold' }, 'Only fillings, crowns and bridges have a material.'],
    ['an empty note', { finding: 'note', note: '   ' }, 'Write the note.'],
    ['an unknown finding', { finding: 'braces' }, 'This value is not valid.'],
    ['an unknown material', { finding: 'filling', surface_O: '1', material: 'unobtainium' }, 'This value is not valid.'],
    ['a surface box with another value', { finding: 'caries', surface_O: 'yes' }, 'This value is not valid.'],
    ['an unknown field', { finding: 'caries', surface_O: '1', tooth: '11' }, 'The form had fields this page does not take'],
    ['an over-long note', { finding: 'note', note: 'x'.repeat(1001) }, 'This is too long.'],
    ['a bidi override in the note', { finding: 'note', note: 'abc\u202edef' }, 'This value is not valid.'],
  ];
  for (const [name, fields, message] of BAD) {
    it(`refuses ${name}`, async () => {
      const before = await count();
      const res = await doctor.post(`/patients/${pid}/dental/teeth/26`, fields);
      expect(res.status).toBe(400);
      expect(doctor.lastHtml).toContain(message);
      expect(doctor.lastHtml).toContain('data-form="entry"');
      expect(await count()).toBe(before);
    });
  }

  it('answers in Arabic for an Arabic reader', async () => {
    doctor.cookies.set('lang', 'ar');
    const res = await doctor.post(`/patients/${pid}/dental/teeth/26`, { finding: 'caries' });
    expect(res.status).toBe(400);
    expect(doctor.lastHtml).toContain('اختر سطحًا واحدًا على الأقل لهذا الموجود.');
    doctor.cookies.delete('lang');
  });

  it('AC2: unknown teeth and patients are 404, saving nothing', async () => {
    const before = await count();
    expect((await doctor.get(`/patients/${pid}/dental/teeth/19`)).status).toBe(404);
    expect((await doctor.post(`/patients/${pid}/dental/teeth/56`, { finding: 'missing' })).status).toBe(404);
    expect((await doctor.get('/patients/pat_aaaaaaaaaaaaaaaaaaaaaaaaaa/dental')).status).toBe(404);
    expect((await doctor.post('/patients/pat_aaaaaaaaaaaaaaaaaaaaaaaaaa/dental/teeth/16', { finding: 'missing' })).status).toBe(404);
    expect(await count()).toBe(before);
  });
});

describe('roles (AC1, AC4) and drafts', () => {
  it('nurses read but cannot chart; reception, accountant and admin cannot open the chart', async () => {
    const nurse = await signedIn(t, 'nurse@demo.test');
    expect((await nurse.get(`/patients/${pid}/dental`)).status).toBe(200);
    await nurse.get(`/patients/${pid}/dental/teeth/21`);
    expect(nurse.lastHtml).not.toContain('data-form="entry"');
    expect(nurse.lastHtml).not.toContain('name="action" value="remove"');
    expect((await nurse.post(`/patients/${pid}/dental/teeth/21`, { finding: 'missing' })).status).toBe(403);
    expect((await nurse.post(`/patients/${pid}/dental/teeth/21/drafts`, { finding: 'missing' })).status).toBe(403);
    for (const email of ['reception@demo.test', 'accountant@demo.test', 'admin@demo.test']) {
      const c = await signedIn(t, email);
      await c.get(`/patients/${pid}`);
      expect(c.lastHtml, email).not.toContain(`/patients/${pid}/dental"`);
      expect((await c.get(`/patients/${pid}/dental`)).status, email).toBe(403);
      expect(c.lastHtml, email).not.toContain('data-tooth=');
    }
  });

  it('an assistant charts only drafts, shown apart; a doctor confirms one and rejects another', async () => {
    const assistant = await signedIn(t, 'assistant@demo.test');
    await assistant.get(`/patients/${pid}/dental/teeth/36`);
    expect(assistant.lastHtml).toContain(`action="/patients/${pid}/dental/teeth/36/drafts"`);
    expect(assistant.lastHtml).toContain('Save as draft');
    expect((await assistant.post(`/patients/${pid}/dental/teeth/36`, { finding: 'missing' })).status).toBe(403);
    const drafted = await assistant.post(`/patients/${pid}/dental/teeth/36/drafts`, { finding: 'caries', surface_B: '1' });
    expect(drafted.headers.get('Location')).toBe(`/patients/${pid}/dental/teeth/36?done=draft#dental-panel`);
    expect((await assistant.post(`/patients/${pid}/dental/teeth/36/drafts`, { finding: 'sealant', surface_O: '1' })).status).toBe(303);
    // Drafts only propose.
    const remove = await assistant.post(`/patients/${pid}/dental/teeth/21/drafts`, { finding: 'crown', action: 'remove' });
    expect(remove.status).toBe(400);
    expect(assistant.lastHtml).toContain('A draft can only propose a finding.');
    expect(await count('tooth = 36 AND draft = 1 AND patient_id = ?', [pid])).toBe(2);

    const doctor = await signedIn(t, 'doctor@demo.test');
    await doctor.get(`/patients/${pid}/dental`);
    expect(toothGroup(doctor.lastHtml, 36)).toContain('data-mark="draft"');
    expect(surfaceOf(doctor.lastHtml, 36, 'B')).toContain('data-planned="caries"');
    expect(surfaceOf(doctor.lastHtml, 36, 'B')).not.toContain('data-finding');
    await doctor.get(`/patients/${pid}/dental/teeth/36`);
    expect(doctor.lastHtml).toContain('Drafts awaiting review');
    expect((await doctor.post(`/patients/${pid}/dental/teeth/36`, { finding: 'caries', surface_B: '1', status: 'completed', action: 'record' })).status).toBe(303);
    expect((await doctor.post(`/patients/${pid}/dental/teeth/36`, { finding: 'sealant', surface_O: '1', status: 'completed', action: 'reject' })).status).toBe(303);
    await doctor.get(`/patients/${pid}/dental`);
    expect(toothGroup(doctor.lastHtml, 36)).not.toContain('data-mark="draft"');
    expect(surfaceOf(doctor.lastHtml, 36, 'B')).toContain('data-finding="caries"');
    expect(surfaceOf(doctor.lastHtml, 36, 'O')).not.toContain('data-finding');
  });

  it('a doctor has no drafts route', async () => {
    const doctor = await signedIn(t, 'doctor@demo.test');
    await doctor.get(`/patients/${pid}/dental`);
    expect((await doctor.post(`/patients/${pid}/dental/teeth/36/drafts`, { finding: 'caries', surface_B: '1' })).status).toBe(403);
  });
});

describe('restricted records (AC5)', () => {
  it('a restricted patient\'s chart is closed to clinicians not named, until they break the glass; the service refuses too', async () => {
    const doctor = await signedIn(t, 'doctor@demo.test');
    await doctor.get(`/patients/${restrictedId}/restriction`);
    expect((await doctor.post(`/patients/${restrictedId}/restriction`, { restricted: '1' })).status).toBe(303);
    expect((await doctor.get(`/patients/${restrictedId}/dental`)).status).toBe(200);
    const nurse = await signedIn(t, 'nurse@demo.test');
    const before = await top();
    expect((await nurse.get(`/patients/${restrictedId}/dental`)).status).toBe(403);
    expect(nurse.lastHtml).toContain(`action="/patients/${restrictedId}/break-glass"`);
    expect(nurse.lastHtml).not.toContain('data-tooth=');
    const denied = await auditRows("seq > ? AND outcome = 'denied'", [before]);
    expect(denied.map((r) => r.patient_id)).toContain(restrictedId);
    const dental = (await import('../../src/system-app.ts')).services(t.system, clock).dental;
    const nurseId = String((await t.system.controlClient.execute("SELECT id FROM users WHERE email = 'nurse@demo.test'")).rows[0]!.id);
    const ctx = { clinicId: h.id, actor: { userId: nurseId, kind: 'user' as const, roles: ['nurse' as const], sessionHash: null, ip: null, userAgent: null }, requestId: 'req_t', route: 't' };
    await expect(dental.chart(ctx, restrictedId)).rejects.toMatchObject({ problem: 'forbidden' });
    expect((await nurse.post(`/patients/${restrictedId}/break-glass`, { reason: 'patient in pain, dentist away' })).status).toBe(303);
    expect((await nurse.get(`/patients/${restrictedId}/dental`)).status).toBe(200);
    await expect(dental.chart(ctx, restrictedId)).resolves.toBeTruthy();
  });
});
