// Shared ground of the consents-and-forms tests: a demo installation with the built-in templates
// added by the administrator, signed-in doctor and receptionist, and small helpers to fill a form,
// count what was saved and read a PDF back with pdftotext. One installation per test file (vitest
// isolates modules per file, so this module's state is the file's own).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { tempDir, testInstall, type TestInstall } from './system.ts';
import type { Client } from './http.ts';
import { signedIn } from './identity.ts';
import type { Clock } from '../../src/platform/ports.ts';
import { services } from '../../src/system-app.ts';
import { findUserByEmail } from '../../src/auth/users.ts';
import { demoSignature } from '../../src/demo/forms.ts';

export const TODAY = '2026-12-04';
export const SIGNATURE = demoSignature();
export const PROCEDURE = 'Composite filling of tooth 16 under local anaesthetic';
export const RECORD_LOCATION = /^\/forms\/(fr_[a-z2-7]{26})\?done=saved$/;

export interface FormsFixture {
  t: TestInstall;
  demoId: string;
  patientId: string;
  doctorId: string;
  ids: Record<'treatment' | 'pdpl' | 'photo' | 'intake', string>;
  doctor: Client;
  reception: Client;
}

let f: FormsFixture;
const out = tempDir('invent-forms-pdf-');

export async function formsFixture(clock: Clock): Promise<FormsFixture> {
  const t = await testInstall({ demo: true, clock });
  const demoId = (await t.system.clinics.bySlug('demo'))!.id;
  const admin = await signedIn(t, 'admin@demo.test');
  await admin.get('/admin/forms');
  expect((await admin.post('/admin/forms/builtin', {})).status).toBe(303);
  const tpl = services(t.system, clock).forms.templates;
  const id = async (code: string) => (await tpl.builtinId(demoId, code))!;
  f = {
    t,
    demoId,
    patientId: (await services(t.system, clock).patients.getByMrn(demoId, 'D-0001'))!.id,
    doctorId: (await findUserByEmail(t.system.control, 'doctor@demo.test'))!.id,
    ids: { treatment: await id('treatment-consent'), pdpl: await id('pdpl-consent'), photo: await id('photography-consent'), intake: await id('intake-questionnaire') },
    doctor: await signedIn(t, 'doctor@demo.test'),
    reception: await signedIn(t, 'reception@demo.test'),
  };
  return f;
}

export async function closeForms(): Promise<void> {
  await f?.t.close();
  out.remove();
}

export const db = async () => (await f.t.system.clinics.get(f.demoId)).client;
export const count = async (table: string) => Number((await (await db()).execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
/** Records, their PDFs, and their create events: what a refused form must leave unchanged. */
export const counts = async () => [await count('form_records'), await count('form_documents'), await count("audit_log WHERE action = 'create' AND entity_type IN ('consent', 'form')")];

/** The treatment consent's fields, signed on the canvas, with changes. */
export const treatment = (extra: Record<string, string> = {}) => ({
  templateId: f.ids.treatment,
  version: '1',
  signedOn: TODAY,
  signer: 'patient',
  witness: f.doctorId,
  answer_q1: PROCEDURE,
  answer_q2: 'yes',
  answer_q3: 'yes',
  signature: SIGNATURE,
  ...extra,
});

/** Opens the form (for the CSRF token) and posts it. */
export async function post(client: Client, fields: Record<string, string>, patient = f.patientId): Promise<Response> {
  await client.get(`/patients/${patient}/forms/new?template=${fields.templateId}`);
  return client.post(`/patients/${patient}/forms`, fields);
}

/** Posts a form that must be saved; returns the record's id. */
export async function record(client: Client, fields: Record<string, string>, patient = f.patientId): Promise<string> {
  const res = await post(client, fields, patient);
  expect(res.status, client.lastHtml.slice(0, 3000)).toBe(303);
  return res.headers.get('Location')!.match(RECORD_LOCATION)![1]!;
}

let n = 0;
/** pdftotext -layout, without poppler's bidi embedding controls (see pdf-text.test.ts). */
export function pdftotext(bytes: Uint8Array): string {
  const file = join(out.path, `form-${++n}.pdf`);
  writeFileSync(file, bytes);
  const res = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(res.status, res.stderr).toBe(0);
  return res.stdout.replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
}
