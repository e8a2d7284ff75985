// Filling consents and forms through the real routes: a doctor signs one on the canvas (strokes)
// and one with the typed name (no JavaScript); a guardian needs a name and relationship; bad
// signature data and bad forms are refused with nothing saved (AC6); the signed PDF is stored with
// its SHA-256 and read back with pdftotext, Arabic title included; sealed columns hold no plaintext
// (CR1). Withdrawal, reach and audit: forms-access.test.ts.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, type TestInstall } from '../helpers/system.ts';
import type { Client } from '../helpers/http.ts';
import { addUser, signedIn } from '../helpers/identity.ts';
import { SIGNATURE, TODAY, closeForms, counts, db, formsFixture, pdftotext, post, record, treatment, type FormsFixture } from '../helpers/forms.ts';

const clock = new FakeClock(Date.parse('2026-12-04T08:00:00Z'));
let t: TestInstall;
let patientId: string;
let doctorId: string;
let ids: FormsFixture['ids'];
let doctor: Client;

beforeAll(async () => {
  ({ t, patientId, doctorId, ids, doctor } = await formsFixture(clock));
});
afterAll(closeForms);

describe('filling a consent', () => {
  it('the chart links to consents and forms; the page lists the templates in use', async () => {
    const chart = await (await doctor.get(`/patients/${patientId}`)).text();
    expect(chart).toContain(`href="/patients/${patientId}/forms"`);
    const list = await doctor.get(`/patients/${patientId}/forms`);
    expect(list.status).toBe(200);
    const html = await list.text();
    for (const id of Object.values(ids)) expect(html).toContain(`/patients/${patientId}/forms/new?template=${id}`);
    expect(html).toContain('Consent to treatment');
  });

  it('HD1, HD2: the form shows the text in both languages, the canvas hidden until the script runs, and the typed-name fallback', async () => {
    const res = await doctor.get(`/patients/${patientId}/forms/new?template=${ids.treatment}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('الموافقة على العلاج');
    expect(html).toContain('Consent to treatment');
    expect(html).toMatch(/<div class="signature-pad" data-signature-pad="true" hidden="">/);
    expect(html).toContain('name="typedName"');
    expect(html).toContain('name="confirm"');
    expect(html).toContain(`<option value="${doctorId}" selected="">`);
    const src = html.match(/<script src="(\/static\/signature\.[0-9a-f]{12}\.js)" defer=""><\/script>/)?.[1];
    expect(src).toBeDefined();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    const js = await doctor.get(src!);
    expect(js.status).toBe(200);
    expect(js.headers.get('Content-Type')).toContain('text/javascript');
    expect(await js.text()).toContain('data-signature-pad');
  });

  it('CR1: a drawn signature: saved (sealed) with its signed PDF, whose SHA-256 matches the stored bytes; pdftotext reads both titles', async () => {
    const before = await counts();
    const id = await record(doctor, treatment());
    expect(await counts()).toEqual(before.map((x) => x + 1));
    const page = await doctor.get(`/forms/${id}?done=saved`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-testid="signature-svg"');
    expect(html).toMatch(/<path d="M 60 \d+ L 66 \d+/);
    const shown = html.match(/data-testid="pdf-sha256">([0-9a-f]{64})</)![1]!;

    const pdf = await doctor.get(`/forms/${id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf');
    expect(pdf.headers.get('Content-Disposition')).toMatch(/^inline; filename="consent-D-0001-2026-12-04-[a-z2-7]{8}\.pdf"$/);
    expect(pdf.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(pdf.headers.get('Cache-Control')).toBe('no-store');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(sha).toBe(shown);
    const row = (await (await db()).execute({ sql: 'SELECT pdf_sha256, pdf_bytes, answers, signature, signature_kind, template_version FROM form_records WHERE id = ?', args: [id] })).rows[0]!;
    expect(row).toMatchObject({ pdf_sha256: sha, pdf_bytes: bytes.length, signature_kind: 'drawn', template_version: 1 });
    // CR1: answers and strokes are sealed; so is the PDF.
    expect(String(row.answers)).not.toContain('tooth');
    expect(String(row.signature)).toMatch(/^v1\./);
    expect(String(row.signature)).not.toContain('60,');
    const stored = String((await (await db()).execute({ sql: 'SELECT pdf FROM form_documents WHERE record_id = ?', args: [id] })).rows[0]!.pdf);
    expect(stored.startsWith('v1.')).toBe(true);
    expect(stored).not.toContain('JVBER');

    const text = pdftotext(bytes);
    expect(text).toContain('Consent to treatment');
    expect(text).toContain('الموافقة على العلاج');
    // D-0001 prefers Arabic: the labels are Arabic, the template text is in both languages.
    expect(text).toContain('Composite filling of tooth 16');
    expect(text).toContain('الشاهد');
    expect(text).toContain('Dr. Ahmed Al-Khalifa');
    expect(text).toContain(`${ids.treatment}`);
    // The drawn strokes are vector paths, not an image.
    expect(Buffer.from(bytes).toString('latin1')).not.toContain('/Subtype /Image');
    // Download, as an attachment.
    const dl = await doctor.get(`/forms/${id}/pdf?download=1`);
    expect(dl.headers.get('Content-Disposition')).toMatch(/^attachment; filename="consent-D-0001-/);
  });

  it('the typed-name path (no JavaScript): refused without "I confirm", saved with it', async () => {
    const before = await counts();
    const fields = treatment({ signature: '', typedName: 'Mariam Ahmed Al-Mahmood' });
    const refused = await post(doctor, fields);
    expect(refused.status).toBe(400);
    expect(doctor.lastHtml).toContain('Tick the box to confirm the typed name as the signature.');
    expect(await counts()).toEqual(before);
    const id = await record(doctor, { ...fields, confirm: '1' });
    const html = await (await doctor.get(`/forms/${id}`)).text();
    expect(html).toContain('data-testid="typed-signature"');
    expect(html).toContain('Mariam Ahmed Al-Mahmood');
    const text = pdftotext(new Uint8Array(await (await doctor.get(`/forms/${id}/pdf`)).arrayBuffer()));
    expect(text).toContain('Mariam Ahmed Al-Mahmood');
    // Neither a drawing nor a name: refused.
    expect((await post(doctor, treatment({ signature: '' }))).status).toBe(400);
    expect(doctor.lastHtml).toContain('Sign in the box, or type the full name');
  });

  it('the same form sent twice (a double click) makes one record; a submission id that is not this one\'s is not reused', async () => {
    const form = await (await doctor.get(`/patients/${patientId}/forms/new?template=${ids.treatment}`)).text();
    const submission = form.match(/name="submission" value="(fr_[a-z2-7]{26})"/)![1]!;
    const before = await counts();
    const first = await doctor.post(`/patients/${patientId}/forms`, treatment({ submission }));
    const second = await doctor.post(`/patients/${patientId}/forms`, treatment({ submission }));
    expect(first.status).toBe(303);
    expect(second.headers.get('Location')).toBe(first.headers.get('Location'));
    expect(first.headers.get('Location')).toBe(`/forms/${submission}?done=saved`);
    expect(await counts()).toEqual(before.map((n) => n + 1));
    // Someone else's record id sent as the submission: a new record under a new id, the other untouched.
    await addUser(t, 'demo', 'nurse.two@demo.test', ['nurse']);
    const nurse = await signedIn(t, 'nurse.two@demo.test', 'a quiet river under granite hills');
    const res = await post(nurse, treatment({ submission }));
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).not.toContain(submission);
    expect(await counts()).toEqual(before.map((n) => n + 2));
  });

  it('a guardian signs: the relationship and the name are required', async () => {
    const before = await counts();
    expect((await post(doctor, treatment({ signer: 'guardian', guardianName: 'Ahmed Al-Mahmood' }))).status).toBe(400);
    expect(doctor.lastHtml).toContain("Choose the guardian&#39;s relationship to the patient.");
    expect((await post(doctor, treatment({ signer: 'guardian', relationship: 'parent' }))).status).toBe(400);
    expect(doctor.lastHtml).toContain("Enter the guardian&#39;s full name.");
    expect(await counts()).toEqual(before);
    const id = await record(doctor, treatment({ signer: 'guardian', guardianName: 'أحمد المحمود', relationship: 'parent' }));
    const html = await (await doctor.get(`/forms/${id}`)).text();
    expect(html).toContain('أحمد المحمود');
    expect(html).toContain('Parent');
    const row = (await (await db()).execute({ sql: 'SELECT guardian_name, guardian_relationship FROM form_records WHERE id = ?', args: [id] })).rows[0]!;
    expect(row.guardian_relationship).toBe('parent');
    expect(String(row.guardian_name)).not.toContain('أحمد');
  });

  it('AC6: bad signature data is refused with a clear message and nothing is saved', async () => {
    const png = 'data:image/png;base64,' + Buffer.alloc(64, 1).toString('base64');
    const manyPoints = 'v1 ' + Array.from({ length: 2001 }, (_, i) => `${i % 600},${i % 200}`).join(' ');
    const cases: Array<[string, string, string]> = [
      ['a PNG data URL', png, 'The signature could not be read.'],
      ['markup', 'v1 10,10 <script>alert(1)</script>', 'The signature could not be read.'],
      ['points off the pad', 'v1 10,10 700,20 30,190', 'The signature could not be read.'],
      ['negative numbers', 'v1 10,10 -5,20 30,190', 'The signature could not be read.'],
      ['too many points', manyPoints, 'The signature is too long.'],
      ['over the size limit', 'v1 ' + '100,100 '.repeat(2100).trim(), 'The signature is too long.'],
      ['far over the size limit', 'v1 ' + '100,100 '.repeat(5000).trim(), 'This is too long.'],
      ['a dot', 'v1 100,100 101,101 102,100', 'The signature is too small.'],
    ];
    const before = await counts();
    for (const [name, signature, message] of cases) {
      const res = await post(doctor, treatment({ signature }));
      expect(res.status, name).toBe(400);
      expect(doctor.lastHtml, name).toContain(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('AC6: unknown fields, a future date, a missing answer, a witness from nowhere and a stale version are refused; nothing saved', async () => {
    const before = await counts();
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['unknown field', treatment({ isAdmin: '1' }), 400, 'The form had fields this page does not take'],
      ['future date', treatment({ signedOn: '2026-12-05' }), 400, 'The date cannot be in the future.'],
      ['not a date', treatment({ signedOn: '2026-02-30' }), 400, 'Enter a valid date.'],
      ['required answer', treatment({ answer_q2: '' }), 400, 'This question needs an answer.'],
      ['not yes or no', treatment({ answer_q2: 'maybe' }), 400, 'This value is not valid.'],
      ['witness from nowhere', treatment({ witness: 'u_aaaaaaaaaaaaaaaaaaaaaaaaaa' }), 400, 'Choose a staff member of this clinic as the witness.'],
      ['stale version', treatment({ version: '7' }), 409, 'This form was updated since the page was opened.'],
      ['a questionnaire does not take a signature', { templateId: ids.intake, version: '1', signedOn: TODAY, signer: 'patient', witness: doctorId, answer_q1: 'x', answer_q2: 'no', answer_q4: 'no', signature: SIGNATURE }, 400, 'The form had fields this page does not take'],
    ];
    for (const [name, fields, status, message] of cases) {
      const res = await post(doctor, fields);
      expect(res.status, name).toBe(status);
      expect(doctor.lastHtml, name).toContain(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('messages in Arabic for an Arabic page', async () => {
    const client = await signedIn(t, 'nurse@demo.test');
    await client.post('/lang', { lang: 'ar', next: '/' });
    expect((await post(client, treatment({ signature: 'v1 1,1', witness: doctorId }))).status).toBe(400);
    expect(client.lastHtml).toContain('dir="rtl"');
    expect(client.lastHtml).toContain('التوقيع صغير جدًا. امسحه ووقّع مرة أخرى.');
  });
});
