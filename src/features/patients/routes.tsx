/** @jsxImportSource hono/jsx */
// Patients: search (page and htmx fragment), register, chart, correct, rectification history.
import { Hono, type Context } from 'hono';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { parseForm, type FieldErrors } from '../../http/forms.ts';
import { can } from '../../access/guard.ts';
import { auditContext, markAudited } from '../../audit/context.ts';
import { ageOn, editSchema, registerSchema, toFormValues } from './demographics.ts';
import { MAX_QUERY } from './search.ts';
import type { PatientService } from './service.ts';
import type { Patient } from './repo.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import type { BreakGlassService } from '../break-glass/service.ts';
import type { ClinicalService } from '../clinical/service.ts';
import { AllergyBanner, ClinicalSummary } from '../../../views/pages/clinical/summary.tsx';
import { gatePatient } from '../break-glass/routes.tsx';
import { PatientSearchPage } from '../../../views/pages/patients/search.tsx';
import { PatientFormPage, type PatientFormProps } from '../../../views/pages/patients/form.tsx';
import { PatientChartPage } from '../../../views/pages/patients/chart.tsx';
import { PatientHistoryPage } from '../../../views/pages/patients/history.tsx';

export function patientRoutes(deps: { urls: StaticUrls; patients: PatientService; clinics: ClinicRegistry; breakGlass: BreakGlassService; clinical: ClinicalService }) {
  const app = new Hono<AppEnv>();
  const { urls, patients } = deps;
  const clinicOf = (c: Context<AppEnv>) => c.get('viewer')!.clinicId;
  const t = (c: Context<AppEnv>) => c.get('t');

  /** The patient in the viewer's clinic, and the read event names it (LG1); undefined -> 404 (AC2, AC3). */
  const load = async (c: Context<AppEnv>): Promise<Patient | undefined> => {
    const patient = await patients.get(clinicOf(c), c.req.param('id') ?? '');
    if (patient) c.set('auditEntity', { type: 'patient', id: patient.id, patientId: patient.id });
    return patient ?? undefined;
  };
  const masked = async (c: Context<AppEnv>, p: Patient): Promise<Patient> => {
    const viewer = c.get('viewer')!;
    if (!p.restricted || (await deps.breakGlass.access(viewer.clinicId, viewer.userId, p)) !== 'restricted') return p;
    const blank = Object.fromEntries(Object.entries(p.demographics).map(([k, v]) => [k, Array.isArray(v) ? [] : ''])) as unknown as Patient['demographics'];
    return { ...p, demographics: { ...blank, sex: 'unknown', fullNameEn: t(c)('glass.title') } };
  };
  const ageOf = async (c: Context<AppEnv>, p: Patient) => ageOn(p.demographics.dateOfBirth, await patients.today(clinicOf(c)));

  const form = (c: Context<AppEnv>, props: Omit<PatientFormProps, 'frame'>, status: 200 | 400 | 409 = 200) =>
    renderPage(c, urls, {
      title: props.mode === 'new' ? t(c)('patients.register') : t(c)('patients.editTitle', { mrn: props.patient!.mrn }),
      status,
      body: (frame) => <PatientFormPage frame={frame} {...props} />,
    });

  app.get('/patients', can('patient:read'), async (c) => {
    const q = c.req.query('q') ?? '';
    const offsetRaw = c.req.query('offset') ?? '0';
    const canWrite = c.get('viewer')!.permissions.has('patient:write');
    c.set('auditEntity', { type: 'patient-search' });
    const bad = q.length > MAX_QUERY || !/^\d{1,6}$/.test(offsetRaw);
    const found = bad || !q.trim() ? undefined : await patients.search(clinicOf(c), q, { offset: Number(offsetRaw) });
    // Restricted records show only their MRN to those who may not open them (AC5).
    const page = found && { ...found, results: await Promise.all(found.results.map((p) => masked(c, p))) };
    return renderPage(c, urls, {
      title: t(c)('patients.title'),
      ...(bad ? { status: 400 as const } : {}),
      body: (frame) => (
        <PatientSearchPage frame={frame} q={q.slice(0, MAX_QUERY)} page={page} canWrite={canWrite} {...(bad ? { error: frame.t('patients.search.bad') } : {})} />
      ),
    });
  });

  app.get('/patients/new', can('patient:write'), (c) => form(c, { mode: 'new' }));

  app.post('/patients', can('patient:write'), async (c) => {
    const parsed = await parseForm(c, registerSchema);
    if (!parsed.ok) return form(c, { mode: 'new', values: parsed.raw, errors: parsed.errors }, 400);
    const out = await patients.register(auditContext(c), parsed.data);
    if (out.ok) {
      markAudited(c);
      return c.redirect(`/patients/${out.patient.id}?registered=1`, 303);
    }
    if (out.errors) return form(c, { mode: 'new', values: parsed.raw, errors: out.errors }, 400);
    return form(c, { mode: 'new', values: parsed.raw, duplicates: out.duplicates, cprMismatch: out.cprMismatch }, 409);
  });

  app.get('/patients/:id', can('patient:read'), async (c) => {
    const patient = await load(c);
    if (!patient) return c.notFound();
    const denied = await gatePatient(c, deps, patient);
    if (denied) return denied;
    const age = await ageOf(c, patient);
    const notice = c.req.query('registered') === '1' ? 'patients.registered' : c.req.query('saved') === '1' ? 'patients.saved' : undefined;
    const viewer = c.get('viewer')!;
    const canWrite = viewer.permissions.has('patient:write');
    // The clinical summary only for roles that may read the clinical record (AC4).
    const summary = viewer.permissions.has('clinical:read') ? await deps.clinical.summary(auditContext(c), patient.id) : undefined;
    const names = summary ? await deps.clinical.staffNames(summary.recentEncounters.map((e) => e.clinicianId)) : undefined;
    const timezone = (await deps.clinics.get(clinicOf(c))).timezone;
    return renderPage(c, urls, {
      title: patient.mrn,
      body: (frame) => (
        <PatientChartPage
          frame={frame}
          patient={patient}
          age={age}
          canWrite={canWrite}
          {...(notice ? { notice: frame.t(notice) } : {})}
          {...(summary
            ? {
                clinical: (
                  <>
                    <AllergyBanner frame={frame} summary={summary} />
                    <ClinicalSummary frame={frame} patientId={patient.id} summary={summary} banner={false} {...(names ? { names } : {})} timezone={timezone} />
                  </>
                ),
              }
            : {})}
        />
      ),
    });
  });

  app.get('/patients/:id/edit', can('patient:write'), async (c) => {
    const patient = await load(c);
    if (!patient) return c.notFound();
    const denied = await gatePatient(c, deps, patient);
    if (denied) return denied;
    return form(c, { mode: 'edit', patient, values: { ...toFormValues(patient.demographics), version: String(patient.version) } });
  });

  app.post('/patients/:id', can('patient:write'), async (c) => {
    const patient = await load(c);
    if (!patient) return c.notFound();
    const denied = await gatePatient(c, deps, patient);
    if (denied) return denied;
    const parsed = await parseForm(c, editSchema);
    const again = (errors: FieldErrors, status: 400 | 409, problem?: string) =>
      form(c, { mode: 'edit', patient, values: parsed.raw, errors, ...(problem ? { problem } : {}) }, status);
    if (!parsed.ok) return again(parsed.errors, 400);
    const { version, reason, ...fields } = parsed.data;
    const out = await patients.edit(auditContext(c), patient.id, fields, Number(version), reason);
    if (out.ok) {
      if (out.changed.length > 0) markAudited(c);
      return c.redirect(`/patients/${patient.id}?saved=1`, 303);
    }
    if (out.errors) return again(out.errors, 400);
    if (out.problem === 'not-found') return c.notFound();
    if (out.problem === 'cpr-mismatch') return form(c, { mode: 'edit', patient, values: parsed.raw, cprMismatch: true }, 409);
    // Someone saved the record since this form was opened: say so, and offer the form again over their version.
    const fresh = (await patients.get(clinicOf(c), patient.id)) ?? patient;
    return form(c, { mode: 'edit', patient: fresh, values: { ...parsed.raw, version: String(fresh.version) }, problem: t(c)('patients.error.conflict') }, 409);
  });

  app.get('/patients/:id/history', can('patient:read'), async (c) => {
    const patient = await load(c);
    if (!patient) return c.notFound();
    const denied = await gatePatient(c, deps, patient);
    if (denied) return denied;
    const entries = (await patients.history(clinicOf(c), patient.id)) ?? [];
    const names = await patients.staffNames(entries.map((e) => e.userId).filter((u): u is string => !!u));
    const age = await ageOf(c, patient);
    const timezone = (await deps.clinics.get(clinicOf(c))).timezone;
    return renderPage(c, urls, {
      title: t(c)('patients.history'),
      body: (frame) => <PatientHistoryPage frame={frame} patient={patient} age={age} entries={entries} names={names} timezone={timezone} />,
    });
  });

  return app;
}
