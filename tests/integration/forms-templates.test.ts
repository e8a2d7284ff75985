// Consent and form templates through the real routes: only administrators manage them (AC1);
// the built-in set is added on demand, once; bad templates are refused with messages in English
// and Arabic and nothing saved (AC6); editing saves the next version and never changes what was
// signed on an earlier one (its text, its PDF bytes and hash); retiring stops new records only;
// every change is audited (LG1).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, testInstall, type TestInstall } from '../helpers/system.ts';
import type { Client } from '../helpers/http.ts';
import { signedIn } from '../helpers/identity.ts';
import { services } from '../../src/system-app.ts';
import { findUserByEmail } from '../../src/auth/users.ts';
import { demoSignature } from '../../src/demo/forms.ts';
import { SYSTEM } from '../../src/audit/types.ts';

const clock = new FakeClock(Date.parse('2026-12-04T08:00:00Z'));
const TODAY = '2026-12-04';
let t: TestInstall;
let demoId: string;
let patientId: string;
let doctorId: string;
let admin: Client;
let doctor: Client;

const TEMPLATE = /^\/admin\/forms\/(ft_[a-z2-7]{26})\?done=created$/;
const VALID = {
  kind: 'consent',
  titleEn: 'Consent to tooth whitening',
  titleAr: 'الموافقة على تبييض الأسنان',
  bodyEn: 'I agree to in-office tooth whitening. Sensitivity may follow for a few days.',
  bodyAr: 'أوافق على تبييض الأسنان في العيادة. قد تحدث حساسية لبضعة أيام.',
  scope: 'treatment',
  fieldType_0: 'choice',
  fieldLabelEn_0: 'Shade goal',
  fieldLabelAr_0: 'الدرجة المطلوبة',
  fieldRequired_0: '1',
  fieldOptions_0: 'Natural | طبيعي\nBright | ناصع',
};

const db = async () => (await t.system.clinics.get(demoId)).client;
const count = async (table: string) => Number((await (await db()).execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

async function create(fields: Record<string, string>): Promise<string> {
  await admin.get('/admin/forms/new?kind=consent');
  const res = await admin.post('/admin/forms', fields);
  expect(res.status, admin.lastHtml.slice(0, 3000)).toBe(303);
  return res.headers.get('Location')!.match(TEMPLATE)![1]!;
}

async function sign(templateId: string, version: string, answer = 'o1'): Promise<string> {
  await doctor.get(`/patients/${patientId}/forms/new?template=${templateId}`);
  const res = await doctor.post(`/patients/${patientId}/forms`, { templateId, version, signedOn: TODAY, signer: 'patient', witness: doctorId, answer_q1: answer, signature: demoSignature() });
  expect(res.status, doctor.lastHtml.slice(0, 3000)).toBe(303);
  return res.headers.get('Location')!.match(/^\/forms\/(fr_[a-z2-7]{26})/)![1]!;
}

beforeAll(async () => {
  t = await testInstall({ demo: true, clock });
  demoId = (await t.system.clinics.bySlug('demo'))!.id;
  patientId = (await services(t.system, clock).patients.getByMrn(demoId, 'D-0002'))!.id;
  doctorId = (await findUserByEmail(t.system.control, 'doctor@demo.test'))!.id;
  admin = await signedIn(t, 'admin@demo.test');
  doctor = await signedIn(t, 'doctor@demo.test');
});
afterAll(() => t.close());

describe('who manages templates', () => {
  it('AC1: only administrators reach template administration; they do not collect consents', async () => {
    expect((await admin.get('/admin/forms')).status).toBe(200);
    for (const email of ['doctor@demo.test', 'nurse@demo.test', 'reception@demo.test', 'accountant@demo.test', 'assistant@demo.test']) {
      const c = await signedIn(t, email);
      expect((await c.get('/admin/forms')).status, email).toBe(403);
      expect((await c.get('/admin/forms/new')).status, email).toBe(403);
      expect((await c.post('/admin/forms', VALID)).status, email).toBe(403);
      expect((await c.post('/admin/forms/builtin', {})).status, email).toBe(403);
    }
    expect(await count('form_templates')).toBe(0);
    expect((await admin.get(`/patients/${patientId}/forms`)).status).toBe(403);
  });

  it('the service refuses a caller without form:manage too', async () => {
    const ctx = { clinicId: demoId, actor: { ...SYSTEM, roles: ['doctor'] }, requestId: 'req_test', route: 'test' };
    await expect(services(t.system, clock).forms.templates.addBuiltins(ctx)).rejects.toThrow(/form:manage/);
  });
});

describe('built-in templates', () => {
  it('are added on demand, once, and audited', async () => {
    await admin.get('/admin/forms');
    expect((await admin.post('/admin/forms/builtin', {})).status).toBe(303);
    expect((await admin.post('/admin/forms/builtin', {})).status).toBe(303);
    const rows = (await (await db()).execute('SELECT code, kind, current_version FROM form_templates ORDER BY code')).rows.map((r) => [r.code, r.kind, r.current_version]);
    expect(rows).toEqual([
      ['intake-questionnaire', 'questionnaire', 1],
      ['pdpl-consent', 'consent', 1],
      ['photography-consent', 'consent', 1],
      ['treatment-consent', 'consent', 1],
    ]);
    const events = (await (await db()).execute("SELECT detail FROM audit_log WHERE entity_type = 'form-template' AND action = 'create'")).rows;
    expect(events.map((e) => JSON.parse(String(e.detail)).builtin).sort()).toEqual(['intake-questionnaire', 'pdpl-consent', 'photography-consent', 'treatment-consent']);
    const html = await (await admin.get('/admin/forms?done=builtin')).text();
    expect(html).toContain('Consent to processing of personal health data (PDPL)');
    expect(html).toContain('الموافقة على معالجة البيانات الصحية الشخصية');
  });
});

describe('writing a template', () => {
  it('AC6: a bad template is refused with the messages, in English and in Arabic, and nothing is saved', async () => {
    const before = await count('form_templates');
    const bad = { ...VALID, titleAr: 'Whitening', fieldOptions_0: 'Natural | طبيعي', fieldType_1: 'yesno', fieldLabelEn_1: 'Sensitive teeth?', fieldType_2: 'text', fieldLabelAr_2: 'ملاحظات', fieldOptions_2: 'a | ب\nc | د' };
    await admin.get('/admin/forms/new');
    expect((await admin.post('/admin/forms', bad)).status).toBe(400);
    for (const m of ['Write this in Arabic.', 'Give between 2 and 20 options', 'This field is required.', 'Only a choice field has options.']) expect(admin.lastHtml).toContain(m);
    expect((await admin.post('/admin/forms', { ...VALID, scope: '' })).status).toBe(400);
    expect(admin.lastHtml).toContain('Choose what the consent covers.');
    expect((await admin.post('/admin/forms', { ...VALID, extra: 'x' })).status).toBe(400);
    expect(admin.lastHtml).toContain('The form had fields this page does not take');
    const { fieldRequired_0: _unticked, ...noQuestions } = { ...VALID, kind: 'questionnaire', scope: '', fieldType_0: '', fieldLabelEn_0: '', fieldLabelAr_0: '', fieldOptions_0: '' };
    expect((await admin.post('/admin/forms', noQuestions)).status).toBe(400);
    expect(admin.lastHtml).toContain('A questionnaire needs at least one question.');

    const arabic = await signedIn(t, 'admin@demo.test');
    await arabic.post('/lang', { lang: 'ar', next: '/admin/forms/new' });
    await arabic.get('/admin/forms/new');
    expect((await arabic.post('/admin/forms', bad)).status).toBe(400);
    expect(arabic.lastHtml).toContain('dir="rtl"');
    for (const m of ['اكتب هذا بالعربية.', 'أدخل من خيارين إلى ٢٠ خيارًا', 'هذا الحقل مطلوب.', 'الخيارات لحقل الاختيار فقط.']) expect(arabic.lastHtml).toContain(m);
    expect(await count('form_templates')).toBe(before);
  });

  it('more question rows without JavaScript: the form comes back with more rows, nothing saved', async () => {
    const before = await count('form_templates');
    await admin.get('/admin/forms/new');
    expect(admin.lastHtml).toContain('name="fieldType_2"');
    expect(admin.lastHtml).not.toContain('name="fieldType_3"');
    const res = await admin.post('/admin/forms', { ...VALID, rows: '3', more: '1' });
    expect(res.status).toBe(200);
    expect(admin.lastHtml).toContain('name="fieldType_5"');
    expect(admin.lastHtml).toContain('value="Consent to tooth whitening"');
    expect(await count('form_templates')).toBe(before);
  });
});

describe('versions', () => {
  let tplId: string;
  let v1Record: string;
  let v1Pdf: Uint8Array;

  beforeAll(async () => {
    tplId = await create(VALID);
    v1Record = await sign(tplId, '1');
    v1Pdf = new Uint8Array(await (await doctor.get(`/forms/${v1Record}/pdf`)).arrayBuffer());
  });

  it('editing saves version 2; the record signed on version 1 keeps its text, answers, PDF bytes and hash', async () => {
    await admin.get(`/admin/forms/${tplId}/edit`);
    expect(admin.lastHtml).toContain('Saving creates version 2.');
    const edited = { ...VALID, bodyEn: 'I agree to in-office whitening with a peroxide gel. Sensitivity may follow.', fieldOptions_0: 'Natural | طبيعي\nBright | ناصع\nHollywood | هوليوود', basedOn: '1' };
    delete (edited as Record<string, string>).kind;
    const res = await admin.post(`/admin/forms/${tplId}`, edited);
    expect(res.status, admin.lastHtml.slice(0, 2000)).toBe(303);
    expect(res.headers.get('Location')).toBe(`/admin/forms/${tplId}?done=saved`);
    const page = await (await admin.get(`/admin/forms/${tplId}`)).text();
    expect(page).toContain('data-version="2"');
    expect(page).toContain(`href="/admin/forms/${tplId}?version=1"`);
    const old = await (await admin.get(`/admin/forms/${tplId}?version=1`)).text();
    expect(old).toContain('Sensitivity may follow for a few days.');

    // The old record: same text, same version, same PDF bytes.
    const html = await (await doctor.get(`/forms/${v1Record}`)).text();
    expect(html).toContain(`${tplId} v1`);
    expect(html).toContain('Sensitivity may follow for a few days.');
    expect(html).not.toContain('peroxide');
    const again = new Uint8Array(await (await doctor.get(`/forms/${v1Record}/pdf`)).arrayBuffer());
    expect(Buffer.from(again).equals(Buffer.from(v1Pdf))).toBe(true);
    const row = (await (await db()).execute({ sql: 'SELECT template_version, pdf_sha256 FROM form_records WHERE id = ?', args: [v1Record] })).rows[0]!;
    expect(row).toMatchObject({ template_version: 1, pdf_sha256: createHash('sha256').update(v1Pdf).digest('hex') });

    // New records use version 2; a form opened on version 1 is not signed against version 2.
    const form = await (await doctor.get(`/patients/${patientId}/forms/new?template=${tplId}`)).text();
    expect(form).toContain('peroxide');
    expect(form).toContain('name="version" value="2"');
    const stale = await doctor.post(`/patients/${patientId}/forms`, { templateId: tplId, version: '1', signedOn: TODAY, signer: 'patient', witness: doctorId, answer_q1: 'o3', signature: demoSignature() });
    expect(stale.status).toBe(409);
    expect(doctor.lastHtml).toContain('This form was updated since the page was opened.');
    const v2Record = await sign(tplId, '2', 'o3');
    expect(await (await doctor.get(`/forms/${v2Record}`)).text()).toContain(`${tplId} v2`);
  });

  it('versions are immutable in the database', async () => {
    await expect((await db()).execute({ sql: "UPDATE form_template_versions SET content = '{}' WHERE template_id = ?", args: [tplId] })).rejects.toThrow(/immutable/);
    expect(await count(`form_template_versions WHERE template_id = '${tplId}'`)).toBe(2);
  });

  it('unchanged content makes no version; an edit based on an old version is a conflict', async () => {
    const current = { ...VALID, bodyEn: 'I agree to in-office whitening with a peroxide gel. Sensitivity may follow.', fieldOptions_0: 'Natural | طبيعي\nBright | ناصع\nHollywood | هوليوود', basedOn: '2' };
    delete (current as Record<string, string>).kind;
    await admin.get(`/admin/forms/${tplId}/edit`);
    const same = await admin.post(`/admin/forms/${tplId}`, current);
    expect(same.headers.get('Location')).toBe(`/admin/forms/${tplId}?done=unchanged`);
    const stale = await admin.post(`/admin/forms/${tplId}`, { ...current, titleEn: 'Whitening consent', basedOn: '1' });
    expect(stale.status).toBe(409);
    expect(admin.lastHtml).toContain('Someone else changed this template meanwhile.');
    expect(await count(`form_template_versions WHERE template_id = '${tplId}'`)).toBe(2);
    const changeKind = await admin.post(`/admin/forms/${tplId}`, { ...current, kind: 'questionnaire' });
    expect(changeKind.status).toBe(400);
  });

  it('a retired template takes no new records; its records still open; it can be reinstated', async () => {
    await admin.get(`/admin/forms/${tplId}`);
    expect((await admin.post(`/admin/forms/${tplId}/retire`, {})).status).toBe(303);
    expect((await admin.post(`/admin/forms/${tplId}/retire`, {})).status).toBe(409);
    const list = await (await doctor.get(`/patients/${patientId}/forms`)).text();
    expect(list).not.toContain(`new?template=${tplId}`);
    expect(list).toContain(`/forms/${v1Record}`);
    const open = await doctor.get(`/patients/${patientId}/forms/new?template=${tplId}`);
    expect(open.status).toBe(303);
    const before = await count('form_records');
    expect((await doctor.post(`/patients/${patientId}/forms`, { templateId: tplId, version: '2', signedOn: TODAY, signer: 'patient', witness: doctorId, answer_q1: 'o1', signature: demoSignature() })).status).toBe(400);
    expect(doctor.lastHtml).toContain('This template is not in use.');
    expect(await count('form_records')).toBe(before);
    expect((await doctor.get(`/forms/${v1Record}/pdf`)).status).toBe(200);
    await admin.get(`/admin/forms/${tplId}/edit`);
    expect((await admin.post(`/admin/forms/${tplId}`, { ...VALID, kind: 'consent', basedOn: '2' })).status).toBe(409);
    expect(admin.lastHtml).toContain('A retired template cannot be edited');
    expect((await admin.post(`/admin/forms/${tplId}/reinstate`, {})).status).toBe(303);
    expect(await (await doctor.get(`/patients/${patientId}/forms`)).text()).toContain(`new?template=${tplId}`);
  });

  it('LG1: each change is audited with its version and hash', async () => {
    const rows = (await (await db()).execute({ sql: "SELECT action, detail, actor_user_id FROM audit_log WHERE entity_type = 'form-template' AND entity_id = ? AND outcome = 'success' AND action IN ('create', 'update') ORDER BY seq", args: [tplId] })).rows;
    const ops = rows.map((r) => JSON.parse(String(r.detail)) as Record<string, unknown>);
    expect(ops.map((o) => o.op ?? 'create')).toEqual(['create', 'new-version', 'retire', 'reinstate']);
    expect(ops[1]).toMatchObject({ version: 2 });
    expect(String(ops[1]!.sha256)).toMatch(/^[0-9a-f]{64}$/);
    const adminId = (await findUserByEmail(t.system.control, 'admin@demo.test'))!.id;
    for (const r of rows) expect(r.actor_user_id).toBe(adminId);
  });

  it('AC2: an unknown or malformed template id is 404', async () => {
    for (const path of ['/admin/forms/ft_nope', '/admin/forms/ft_aaaaaaaaaaaaaaaaaaaaaaaaaa', '/admin/forms/..%2f/edit']) expect((await admin.get(path)).status, path).toBe(404);
    expect((await admin.post('/admin/forms/ft_aaaaaaaaaaaaaaaaaaaaaaaaaa/retire', {})).status).toBe(404);
  });
});
