/** @jsxImportSource hono/jsx */
// Dental chart routes: the chart (any past date with ?asOf=YYYY-MM-DD, in the clinic's time zone),
// a tooth's page (the chart with its panel; htmx asks for the panel alone), and new entries: a
// dentist's (dental:write) or an assistant's drafts (dental:draft). Each route declares its
// permission (AC1); every patient page passes the restricted-record gate (AC5); reads are audited
// with the patient by the audit middleware, entries by the service in the same transaction (LG1).
import { Hono, type Context } from 'hono';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { isFragmentRequest, frameOf, renderPage } from '../../http/render.tsx';
import { parseForm, type FieldErrors } from '../../http/forms.ts';
import { can, redirect } from '../../access/guard.ts';
import { auditContext, markAudited } from '../../audit/context.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import type { PatientService } from '../patients/service.ts';
import type { Patient } from '../patients/repo.ts';
import type { BreakGlassService } from '../break-glass/service.ts';
import { gatePatient } from '../break-glass/routes.tsx';
import { endOfLocalDay } from '../../dental/as-of.ts';
import { parseFdi } from '../../dental/teeth.ts';
import { DentalError, type DentalService } from './service.ts';
import { dentalHref, entrySchema, inputOf, viewSchema, type ViewOptions } from './forms.ts';
import { DentalChartPage, PANEL_ID } from '../../../views/pages/dental/chart.tsx';
import { ToothPanel } from '../../../views/pages/dental/panel.tsx';

type Deps = { urls: StaticUrls; dental: DentalService; patients: PatientService; clinics: ClinicRegistry; breakGlass: BreakGlassService };

interface ShowOptions {
  selected?: number;
  status?: 200 | 400;
  values?: Record<string, string>;
  errors?: FieldErrors;
  /** Display options of a form post (the query string of a POST is not where they live). */
  view?: Partial<ViewOptions>;
}

export function dentalRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { urls, dental, patients } = deps;
  const clinicOf = (c: Context<AppEnv>) => c.get('viewer')!.clinicId;
  const t = (c: Context<AppEnv>) => c.get('t');

  /** The patient of /patients/:id/dental..., gated; a Response is the answer (404 or the restricted page). */
  const patientOf = async (c: Context<AppEnv>): Promise<Patient | Response> => {
    const patient = await patients.get(clinicOf(c), c.req.param('id') ?? '');
    if (!patient) return c.notFound();
    c.set('auditEntity', { type: 'dental-chart', id: patient.id, patientId: patient.id });
    return (await gatePatient(c, deps, patient)) ?? patient;
  };

  const failure = (c: Context<AppEnv>, err: unknown) => {
    if (err instanceof DentalError && err.problem === 'not-found') return c.notFound();
    if (err instanceof DentalError && err.problem === 'forbidden') return c.get('guard').forbidden(c);
    throw err;
  };

  const show = async (c: Context<AppEnv>, patient: Patient, o: ShowOptions = {}) => {
    const viewer = c.get('viewer')!;
    const timezone = (await deps.clinics.get(clinicOf(c))).timezone;
    const today = await patients.today(clinicOf(c));
    const query = viewSchema.safeParse(c.req.query());
    const q = query.success ? query.data : {};
    let queryError: MessageKey | undefined = query.success ? undefined : 'dental.error.asOf';
    const view: ViewOptions = { numbering: o.view?.numbering ?? q.numbering ?? 'fdi', dentition: o.view?.dentition ?? q.dentition };
    let until: string | undefined;
    // Today (or no date) is the live chart; an earlier day is read-only; a later one is refused.
    if (q.asOf && q.asOf !== today && !o.view) {
      until = q.asOf < today ? endOfLocalDay(q.asOf, timezone) : undefined;
      if (until) view.asOf = q.asOf;
      else queryError = 'dental.error.asOf';
    }
    const status = o.status ?? (queryError ? 400 : 200);
    let data;
    try {
      data = await dental.chart(auditContext(c), patient.id, until);
    } catch (err) {
      return failure(c, err);
    }
    const notice = q.done ? t(c)(q.done === 'draft' ? 'dental.draftSaved' : 'dental.saved') : undefined;
    const past = !!view.asOf;
    const canWrite = viewer.permissions.has('dental:write');
    const canDraft = viewer.permissions.has('dental:draft');
    const panel = { values: o.values, errors: o.errors, notice };
    if (o.selected && isFragmentRequest(c)) {
      c.header('Vary', 'HX-Request');
      return c.html(
        <ToothPanel
          frame={frameOf(c, urls)}
          patientId={patient.id}
          tooth={o.selected}
          chart={data.chart.teeth.get(o.selected)}
          names={data.names}
          view={view}
          past={past}
          canWrite={canWrite}
          canDraft={canDraft}
          timezone={timezone}
          {...panel}
        />,
        status,
      );
    }
    return renderPage(c, urls, {
      title: t(c)('dental.title'),
      status,
      body: (frame) => (
        <DentalChartPage
          frame={frame}
          patient={patient}
          chart={data.chart}
          names={data.names}
          view={view}
          dentition={view.dentition ?? (data.hasPrimary ? 'both' : 'permanent')}
          today={today}
          past={past}
          timezone={timezone}
          canWrite={canWrite}
          canDraft={canDraft}
          selected={o.selected}
          panel={o.selected ? panel : {}}
          queryError={queryError}
          notice={o.selected ? undefined : notice}
        />
      ),
    });
  };

  app.get('/patients/:id/dental', can('dental:read'), async (c) => {
    const patient = await patientOf(c);
    if (patient instanceof Response) return patient;
    return show(c, patient);
  });

  app.get('/patients/:id/dental/teeth/:tooth', can('dental:read'), async (c) => {
    const patient = await patientOf(c);
    if (patient instanceof Response) return patient;
    const tooth = parseFdi(c.req.param('tooth') ?? '');
    if (!tooth) return c.notFound();
    return show(c, patient, { selected: tooth });
  });

  const save = (draft: boolean) => async (c: Context<AppEnv>) => {
    const patient = await patientOf(c);
    if (patient instanceof Response) return patient;
    const tooth = parseFdi(c.req.param('tooth') ?? '');
    if (!tooth) return c.notFound();
    c.set('auditEntity', { type: 'dental-entry', id: null, patientId: patient.id });
    const form = await parseForm(c, entrySchema);
    const view = { numbering: form.ok ? form.data.numbering : undefined, dentition: form.ok ? form.data.dentition : undefined };
    const again = (errors: FieldErrors) => show(c, patient, { selected: tooth, status: 400, values: form.raw, errors, view: { numbering: view.numbering ?? 'fdi', dentition: view.dentition } });
    if (!form.ok) return again(form.errors);
    try {
      const out = await dental.record(auditContext(c), patient.id, inputOf(tooth, form.data), { draft });
      if (!out.ok) return again(out.errors);
    } catch (err) {
      return failure(c, err);
    }
    markAudited(c);
    const back = dentalHref(patient.id, { numbering: view.numbering ?? 'fdi', dentition: view.dentition }, tooth);
    return redirect(c, `${back}${back.includes('?') ? '&' : '?'}done=${draft ? 'draft' : 'saved'}#${PANEL_ID}`);
  };

  app.post('/patients/:id/dental/teeth/:tooth', can('dental:write'), save(false));
  app.post('/patients/:id/dental/teeth/:tooth/drafts', can('dental:draft'), save(true));

  return app;
}
