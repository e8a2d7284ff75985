/** @jsxImportSource hono/jsx */
// Consents and forms of a patient: the list, filling one from a template's current version (drawn
// signature with static/js/signature.js, or the typed name without JavaScript), one record, its
// signed PDF, and withdrawing a consent. Every page about a patient passes the restricted-record
// gate; ids of another clinic are unknown here (AC2, AC3). Template administration: template-routes.tsx.
import { newId } from '../../crypto/bytes.ts';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { parseForm, readForm, type FieldErrors } from '../../http/forms.ts';
import { can, redirect } from '../../access/guard.ts';
import { auditContext, markAudited } from '../../audit/context.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import type { PatientService } from '../patients/service.ts';
import type { Patient } from '../patients/repo.ts';
import type { BreakGlassService } from '../break-glass/service.ts';
import { gatePatient } from '../break-glass/routes.tsx';
import type { FormRecord, FormRecordService } from './service.ts';
import type { FormTemplateService, Template } from './templates.ts';
import { DAY, TEMPLATE_ID, recordSchemaFor, toRecordInput } from './answers.ts';
import { formPdfFileName } from './filename.ts';
import { templateRoutes } from './template-routes.tsx';
import { PatientFormsPage } from '../../../views/pages/forms/list.tsx';
import { FillFormPage } from '../../../views/pages/forms/fill.tsx';
import { FormRecordPage } from '../../../views/pages/forms/record.tsx';

export interface FormServices {
  templates: FormTemplateService;
  records: FormRecordService;
}

type Deps = { urls: StaticUrls; forms: FormServices; patients: PatientService; clinics: ClinicRegistry; breakGlass: BreakGlassService };

const NOTICES: Record<string, MessageKey> = { saved: 'consents.saved', withdrawn: 'consents.withdrawnNotice' };
const withdrawSchema = z.object({ withdrawnOn: z.string().regex(DAY), reason: z.string().trim().min(3).max(500) }).strict();

export function formRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { urls, patients } = deps;
  const { templates, records } = deps.forms;
  app.route('/', templateRoutes({ urls, templates }));

  const clinicOf = (c: Context<AppEnv>) => c.get('viewer')!.clinicId;
  const t = (c: Context<AppEnv>) => c.get('t');
  const timezone = async (c: Context<AppEnv>) => (await deps.clinics.get(clinicOf(c))).timezone;
  /** Questionnaire answers describe the patient's health: only roles that read the clinical record see them (AC4). */
  const seesAnswers = (c: Context<AppEnv>, r: { kind: string }) => r.kind === 'consent' || c.get('viewer')!.permissions.has('clinical:read');

  const patientOf = async (c: Context<AppEnv>): Promise<Patient | Response> => {
    const patient = await patients.get(clinicOf(c), c.req.param('id') ?? '');
    if (!patient) return c.notFound();
    c.set('auditEntity', { type: 'patient-forms', id: patient.id, patientId: patient.id });
    return (await gatePatient(c, deps, patient)) ?? patient;
  };

  const recordOf = async (c: Context<AppEnv>): Promise<{ record: FormRecord; patient: Patient } | Response> => {
    const record = await records.get(auditContext(c), c.req.param('id') ?? '');
    const patient = record && (await patients.get(clinicOf(c), record.patientId));
    if (!record || !patient) return c.notFound();
    c.set('auditEntity', { type: record.kind === 'consent' ? 'consent' : 'form', id: record.id, patientId: record.patientId });
    return (await gatePatient(c, deps, patient)) ?? { record, patient };
  };

  const listPage = async (c: Context<AppEnv>, patient: Patient, o: { notice?: string; error?: string } = {}, status: 200 | 400 | 409 = 200) => {
    const [items, usable] = await Promise.all([records.listFor(auditContext(c), patient.id), templates.usable(clinicOf(c))]);
    return renderPage(c, urls, { title: t(c)('consents.title'), status, body: (frame) => <PatientFormsPage frame={frame} patient={patient} items={items} templates={usable} {...o} /> });
  };

  const fillPage = async (c: Context<AppEnv>, patient: Patient, tpl: Template, o: { values?: Record<string, string>; errors?: FieldErrors; error?: string } = {}, status: 200 | 400 | 409 = 200) => {
    const [witnesses, today] = await Promise.all([records.witnesses(clinicOf(c)), records.today(clinicOf(c))]);
    // A refused drawing is not sent back: the pad starts clean.
    // `submission`: this showing of the form's own id, kept across corrections, so that a double
    // click or a resent POST finds the record the first one made instead of signing twice.
    const values = { signedOn: today, signer: 'patient', witness: c.get('viewer')!.userId, submission: newId('fr'), ...o.values, ...(o.errors?.signature ? { signature: '' } : {}) };
    return renderPage(c, urls, {
      title: c.get('lang') === 'ar' ? tpl.current.content.titleAr : tpl.current.content.titleEn,
      status,
      body: (frame) => <FillFormPage frame={frame} patient={patient} template={tpl} witnesses={witnesses} today={today} values={values} errors={o.errors ?? {}} {...(o.error ? { error: o.error } : {})} />,
    });
  };

  const recordPage = async (c: Context<AppEnv>, record: FormRecord, patient: Patient, o: { notice?: string; error?: string; values?: Record<string, string>; errors?: FieldErrors } = {}, status: 200 | 400 | 409 = 200) => {
    const [names, zone, today] = await Promise.all([records.staffNames([record.recordedBy, record.withdrawnBy ?? '']), timezone(c), records.today(clinicOf(c))]);
    return renderPage(c, urls, {
      title: t(c)(record.kind === 'consent' ? 'consents.record.consent' : 'consents.record.form'),
      status,
      body: (frame) => <FormRecordPage frame={frame} record={record} patient={patient} names={names} timezone={zone} today={today} showAnswers={seesAnswers(c, record)} {...o} />,
    });
  };

  app.get('/patients/:id/forms', can('consent:collect'), async (c) => {
    const patient = await patientOf(c);
    if (patient instanceof Response) return patient;
    return listPage(c, patient);
  });

  app.get('/patients/:id/forms/new', can('consent:collect'), async (c) => {
    const patient = await patientOf(c);
    if (patient instanceof Response) return patient;
    const tpl = await templates.get(clinicOf(c), c.req.query('template') ?? '');
    if (!tpl || tpl.status !== 'active') return redirect(c, `/patients/${patient.id}/forms`);
    return fillPage(c, patient, tpl);
  });

  app.post('/patients/:id/forms', can('consent:collect'), async (c) => {
    const patient = await patientOf(c);
    if (patient instanceof Response) return patient;
    const raw = await readForm(c);
    const templateId = raw === 'unsupported' ? '' : String(raw.templateId ?? '');
    const tpl = TEMPLATE_ID.test(templateId) ? await templates.get(clinicOf(c), templateId) : null;
    if (!tpl || tpl.status !== 'active') return listPage(c, patient, { error: t(c)(raw === 'unsupported' ? 'form.unsupported' : 'consents.error.templateUnusable') }, 400);
    const values = raw as Record<string, string>;
    // The form showed another version than the current one: show the current text before anyone signs it.
    if (values.version !== String(tpl.currentVersion)) return fillPage(c, patient, tpl, { values: { ...values, version: '' }, error: t(c)('consents.error.templateChanged') }, 409);
    const parsed = await parseForm(c, recordSchemaFor(tpl.kind, tpl.current.content));
    if (!parsed.ok) return fillPage(c, patient, tpl, { values: parsed.raw, errors: parsed.errors }, 400);
    const input = toRecordInput(tpl.kind, tpl.current.content, parsed.data as Record<string, string>, await records.today(clinicOf(c)));
    if (!input.ok) return fillPage(c, patient, tpl, { values: parsed.raw, errors: input.errors }, 400);
    const out = await records.create(auditContext(c), patient, input.input, { recordedByName: c.get('viewer')!.name });
    if (out.ok) {
      markAudited(c);
      return redirect(c, `/forms/${out.id}?done=saved`);
    }
    if (out.errors) return fillPage(c, patient, tpl, { values: parsed.raw, errors: out.errors }, 400);
    return fillPage(c, patient, tpl, { values: { ...parsed.raw, version: '' }, error: t(c)('consents.error.templateChanged') }, 409);
  });

  app.get('/forms/:id', can('consent:collect'), async (c) => {
    const found = await recordOf(c);
    if (found instanceof Response) return found;
    const notice = NOTICES[c.req.query('done') ?? ''];
    return recordPage(c, found.record, found.patient, notice ? { notice: t(c)(notice) } : {});
  });

  app.get('/forms/:id/pdf', can('consent:collect'), async (c) => {
    const found = await recordOf(c);
    if (found instanceof Response) return found;
    const { record, patient } = found;
    if (!seesAnswers(c, record)) return c.get('guard').forbidden(c);
    const bytes = await records.openPdf(auditContext(c), record);
    markAudited(c);
    const disposition = c.req.query('download') === '1' ? 'attachment' : 'inline';
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `${disposition}; filename="${formPdfFileName(record.kind, patient.mrn, record.signedOn, record.id)}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
  });

  app.post('/forms/:id/withdraw', can('consent:collect'), async (c) => {
    const found = await recordOf(c);
    if (found instanceof Response) return found;
    const { record, patient } = found;
    const parsed = await parseForm(c, withdrawSchema);
    if (!parsed.ok) return recordPage(c, record, patient, { values: parsed.raw, errors: parsed.errors }, 400);
    const out = await records.withdraw(auditContext(c), record.id, { on: parsed.data.withdrawnOn, reason: parsed.data.reason });
    if (out.ok) {
      markAudited(c);
      return redirect(c, `/forms/${record.id}?done=withdrawn`);
    }
    if (out.errors) return recordPage(c, record, patient, { values: parsed.raw, errors: out.errors }, 400);
    if (out.problem === 'not-found') return c.notFound();
    return recordPage(c, record, patient, { error: t(c)(out.problem === 'not-consent' ? 'consents.error.notConsent' : 'consents.error.alreadyWithdrawn') }, 409);
  });

  return app;
}
