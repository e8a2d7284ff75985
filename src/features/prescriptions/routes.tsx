/** @jsxImportSource hono/jsx */
// Prescriptions: a patient's list, the form (draft with allergy warning), one prescription, sign,
// cancel, and the printable PDF. Every page about a patient passes the restricted-record gate.
import { Hono, type Context } from 'hono';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { parseForm, type FieldErrors } from '../../http/forms.ts';
import { can, redirect } from '../../access/guard.ts';
import { auditContext, markAudited } from '../../audit/context.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import type { PatientService } from '../patients/service.ts';
import type { Patient } from '../patients/repo.ts';
import type { BreakGlassService } from '../break-glass/service.ts';
import { gatePatient } from '../break-glass/routes.tsx';
import type { AllergyMatch } from './allergy.ts';
import { MAX_ROWS, cancelSchema, prescriptionSchema, rowsFor, toItems, valuesOf } from './forms.ts';
import { pdfFileName } from './filename.ts';
import type { Prescription, PrescriptionService } from './service.ts';
import { PrescriptionListPage } from '../../../views/pages/prescriptions/list.tsx';
import { ItemRowFragment, PrescriptionFormPage } from '../../../views/pages/prescriptions/form.tsx';
import { PrescriptionPage } from '../../../views/pages/prescriptions/show.tsx';

type Deps = { urls: StaticUrls; prescriptions: PrescriptionService; patients: PatientService; clinics: ClinicRegistry; breakGlass: BreakGlassService };

const NOTICES: Record<string, MessageKey> = { saved: 'rx.saved', signed: 'rx.signedNotice', cancelled: 'rx.cancelledNotice' };

export function prescriptionRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { urls, prescriptions, patients } = deps;
  const clinicOf = (c: Context<AppEnv>) => c.get('viewer')!.clinicId;
  const has = (c: Context<AppEnv>, p: 'rx:write' | 'rx:sign') => c.get('viewer')!.permissions.has(p);
  const t = (c: Context<AppEnv>) => c.get('t');
  const timezone = async (c: Context<AppEnv>) => (await deps.clinics.get(clinicOf(c))).timezone;

  /** The patient of /patients/:id/..., gated; a Response is the answer (404 or the restricted page). */
  const patientOf = async (c: Context<AppEnv>): Promise<Patient | Response> => {
    const patient = await patients.get(clinicOf(c), c.req.param('id') ?? '');
    if (!patient) return c.notFound();
    c.set('auditEntity', { type: 'patient', id: patient.id, patientId: patient.id });
    return (await gatePatient(c, deps, patient)) ?? patient;
  };

  /** The prescription of /prescriptions/:id/... and its patient, gated (AC2: another clinic's id is unknown here). */
  const rxOf = async (c: Context<AppEnv>): Promise<{ rx: Prescription; patient: Patient } | Response> => {
    const rx = await prescriptions.get(clinicOf(c), c.req.param('id') ?? '');
    const patient = rx && (await patients.get(clinicOf(c), rx.patientId));
    if (!rx || !patient) return c.notFound();
    c.set('auditEntity', { type: 'prescription', id: rx.id, patientId: rx.patientId });
    return (await gatePatient(c, deps, patient)) ?? { rx, patient };
  };

  const form = async (
    c: Context<AppEnv>,
    patient: Patient,
    o: { values: Record<string, string>; rows: number; errors?: FieldErrors; warnings?: AllergyMatch[]; rxId?: string },
    status: 200 | 400 | 409 = 200,
  ) => {
    const allergies = await prescriptions.activeAllergies(clinicOf(c), patient.id);
    return renderPage(c, urls, {
      title: t(c)(o.rxId ? 'rx.edit' : 'rx.new'),
      status,
      body: (frame) => <PrescriptionFormPage frame={frame} patient={patient} allergies={allergies} {...o} />,
    });
  };

  const show = async (c: Context<AppEnv>, rx: Prescription, patient: Patient, o: { notice?: string; error?: string; reason?: string } = {}, status: 200 | 400 | 403 | 409 = 200) => {
    const zone = await timezone(c);
    return renderPage(c, urls, {
      title: t(c)('rx.pdf.title'),
      status,
      body: (frame) => <PrescriptionPage frame={frame} rx={rx} patient={patient} timezone={zone} canSign={has(c, 'rx:sign')} canCancel={has(c, 'rx:write')} canEdit={has(c, 'rx:write') && rx.prescriberId === c.get('viewer')!.userId} {...o} />,
    });
  };

  app.get('/patients/:id/prescriptions', can('rx:read'), async (c) => {
    const patient = await patientOf(c);
    if (patient instanceof Response) return patient;
    const items = await prescriptions.listFor(clinicOf(c), patient.id);
    const zone = await timezone(c);
    return renderPage(c, urls, {
      title: t(c)('rx.title'),
      body: (frame) => <PrescriptionListPage frame={frame} patient={patient} items={items} canWrite={has(c, 'rx:write')} timezone={zone} />,
    });
  });

  app.get('/patients/:id/prescriptions/new', can('rx:write'), async (c) => {
    const patient = await patientOf(c);
    if (patient instanceof Response) return patient;
    const licenceNo = await prescriptions.licence(clinicOf(c), c.get('viewer')!.userId);
    const encounterId = c.req.query('encounter') ?? '';
    const values = { licenceNo, ...(/^enc_[a-z2-7]{26}$/.test(encounterId) ? { encounterId } : {}) };
    return form(c, patient, { values, rows: rowsFor({}, c.req.query('rows')) });
  });

  // htmx "add a row": one more empty row of the form (the hidden `rows` field is only a hint).
  app.get('/patients/:id/prescriptions/new/row', can('rx:write'), async (c) => {
    const patient = await patientOf(c);
    if (patient instanceof Response) return patient;
    const n = c.req.query('n') ?? '';
    if (!/^\d{1,2}$/.test(n) || Number(n) >= MAX_ROWS) return c.text(t(c)('form.invalid'), 400);
    return renderPage(c, urls, { title: t(c)('rx.new'), body: (frame) => <ItemRowFragment frame={frame} patientId={patient.id} row={Number(n)} /> });
  });

  app.post('/patients/:id/prescriptions', can('rx:write'), async (c) => {
    const patient = await patientOf(c);
    if (patient instanceof Response) return patient;
    const parsed = await parseForm(c, prescriptionSchema);
    const rows = rowsFor(parsed.raw, parsed.raw.rows);
    if (!parsed.ok) return form(c, patient, { values: parsed.raw, rows, errors: parsed.errors }, 400);
    const items = toItems(parsed.data as unknown as Record<string, string>);
    if (!items.ok) return form(c, patient, { values: parsed.raw, rows, errors: items.errors }, 400);
    const out = await prescriptions.createDraft(auditContext(c), patient.id, {
      items: items.items,
      licenceNo: parsed.data.licenceNo,
      prescriberName: c.get('viewer')!.name,
      encounterId: parsed.data.encounterId || undefined,
      prescribeAnyway: parsed.data.prescribeAnyway === '1',
    });
    if (out.ok) {
      markAudited(c);
      return redirect(c, `/prescriptions/${out.id}?done=saved`);
    }
    if (out.errors) return form(c, patient, { values: parsed.raw, rows, errors: out.errors }, 400);
    return form(c, patient, { values: parsed.raw, rows, warnings: out.warnings }, 409);
  });

  app.get('/prescriptions/:id', can('rx:read'), async (c) => {
    const found = await rxOf(c);
    if (found instanceof Response) return found;
    const notice = NOTICES[c.req.query('done') ?? ''];
    return show(c, found.rx, found.patient, notice ? { notice: t(c)(notice) } : {});
  });

  app.get('/prescriptions/:id/edit', can('rx:write'), async (c) => {
    const found = await rxOf(c);
    if (found instanceof Response) return found;
    const { rx, patient } = found;
    if (rx.status !== 'draft') return show(c, rx, patient, { error: t(c)('rx.error.locked') }, 409);
    if (rx.prescriberId !== c.get('viewer')!.userId) return show(c, rx, patient, { error: t(c)('rx.error.notAuthor') }, 403);
    const values = valuesOf(rx);
    return form(c, patient, { values, rows: rowsFor(values), rxId: rx.id });
  });

  app.post('/prescriptions/:id', can('rx:write'), async (c) => {
    const found = await rxOf(c);
    if (found instanceof Response) return found;
    const { rx, patient } = found;
    const parsed = await parseForm(c, prescriptionSchema);
    const rows = rowsFor(parsed.raw, parsed.raw.rows);
    if (!parsed.ok) return form(c, patient, { values: parsed.raw, rows, errors: parsed.errors, rxId: rx.id }, 400);
    const items = toItems(parsed.data as unknown as Record<string, string>);
    if (!items.ok) return form(c, patient, { values: parsed.raw, rows, errors: items.errors, rxId: rx.id }, 400);
    const out = await prescriptions.updateDraft(auditContext(c), rx.id, {
      items: items.items,
      licenceNo: parsed.data.licenceNo,
      prescriberName: rx.prescriberName,
      encounterId: parsed.data.encounterId || undefined,
      prescribeAnyway: parsed.data.prescribeAnyway === '1',
    });
    if (out.ok) {
      markAudited(c);
      return redirect(c, `/prescriptions/${rx.id}?done=saved`);
    }
    if (out.errors) return form(c, patient, { values: parsed.raw, rows, errors: out.errors, rxId: rx.id }, 400);
    if (out.warnings) return form(c, patient, { values: parsed.raw, rows, warnings: out.warnings, rxId: rx.id }, 409);
    if (out.problem === 'not-found') return c.notFound();
    return show(c, rx, patient, { error: t(c)(out.problem === 'locked' ? 'rx.error.locked' : 'rx.error.notAuthor') }, out.problem === 'locked' ? 409 : 403);
  });

  app.post('/prescriptions/:id/sign', can('rx:sign'), async (c) => {
    const found = await rxOf(c);
    if (found instanceof Response) return found;
    const out = await prescriptions.sign(auditContext(c), found.rx.id);
    if (out.ok) {
      markAudited(c);
      return redirect(c, `/prescriptions/${found.rx.id}?done=signed`);
    }
    if (out.problem === 'not-found') return c.notFound();
    return show(c, found.rx, found.patient, { error: t(c)(out.problem === 'allergy' ? 'rx.error.allergySign' : 'rx.error.locked') }, 409);
  });

  app.post('/prescriptions/:id/cancel', can('rx:write'), async (c) => {
    const found = await rxOf(c);
    if (found instanceof Response) return found;
    const parsed = await parseForm(c, cancelSchema);
    if (!parsed.ok) return show(c, found.rx, found.patient, { error: t(c)('rx.error.reason'), reason: (parsed.raw.reason ?? '').slice(0, 500) }, 400);
    const out = await prescriptions.cancel(auditContext(c), found.rx.id, parsed.data.reason);
    if (out.ok) {
      markAudited(c);
      return redirect(c, `/prescriptions/${found.rx.id}?done=cancelled`);
    }
    if (out.problem === 'not-found') return c.notFound();
    return show(c, found.rx, found.patient, { error: t(c)('rx.error.locked') }, 409);
  });

  app.get('/prescriptions/:id/pdf', can('rx:read'), async (c) => {
    const found = await rxOf(c);
    if (found instanceof Response) return found;
    const { rx, patient } = found;
    if (rx.status !== 'signed') {
        return show(c, rx, patient, { error: t(c)('rx.error.notSigned') }, 409);
    }
    const viewer = c.get('viewer')!;
    const bytes = await prescriptions.print(auditContext(c), rx, patient, c.get('lang'), viewer.name);
    markAudited(c);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="${pdfFileName(patient.mrn, rx.signedAt ?? rx.createdAt, await timezone(c))}"`,
      'Cache-Control': 'no-store',
    });
  });

  return app;
}
