/** @jsxImportSource hono/jsx */
// Clinical routes: summary, encounters (new, timeline, view, edit draft, sign, addenda), vitals,
// allergies, problems, medications, and the ICD-10 picker. Each declares its permission (AC1);
// each names the patient in its audit event (LG1); ids outside the clinic give 404 (AC2, AC3).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Permission } from '../../access/permissions.ts';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { frameOf, isFragmentRequest, renderPage } from '../../http/render.tsx';
import { parseForm, type FieldErrors } from '../../http/forms.ts';
import { can, redirect } from '../../access/guard.ts';
import { auditContext, markAudited } from '../../audit/context.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { searchIcd10 } from '../../clinical/icd10/index.ts';
import type { Clock } from '../../platform/ports.ts';
import { utcToLocal } from './time.ts';
import { ClinicalError, isCursor, type ClinicalService } from './service.ts';
import type { Encounter } from './types.ts';
import { addendumSchema, allergySchema, codedText, encounterInputOf, encounterSchema, medicationSchema, problemSchema, STATUS_BY_KIND, statusSchema, vitalsSchema } from './forms.ts';
import { ClinicalSummaryPage } from '../../../views/pages/clinical/summary.tsx';
import { TimelinePage, TimelineRows } from '../../../views/pages/clinical/timeline.tsx';
import { EncounterNewPage, EncounterPage, type EncounterPageProps } from '../../../views/pages/clinical/encounter.tsx';
import { AllergyFormPage, Icd10Options, MedicationFormPage, ProblemFormPage, VitalsFormPage } from '../../../views/pages/clinical/forms.tsx';

const MAX_ICD_QUERY = 100;

export function clinicalRoutes(deps: { urls: StaticUrls; clinical: ClinicalService; clinics: ClinicRegistry; clock: Clock }) {
  const app = new Hono<AppEnv>();
  const { urls, clinical } = deps;
  const t = (c: Context<AppEnv>) => c.get('t');
  const tz = async (c: Context<AppEnv>) => (await deps.clinics.get(c.get('viewer')!.clinicId)).timezone;
  const has = (c: Context<AppEnv>, p: Permission) => c.get('viewer')!.permissions.has(p);
  const pid = (c: Context<AppEnv>) => c.req.param('id') ?? '';
  const aboutPatient = (c: Context<AppEnv>, type = 'patient-clinical') => c.set('auditEntity', { type, id: pid(c), patientId: pid(c) });

  /** Expected failures: unknown ids -> 404, wrong role -> 403; everything else is unexpected. */
  const failure = (c: Context<AppEnv>, err: unknown) => {
    if (err instanceof ClinicalError && err.problem === 'not-found') return c.notFound();
    if (err instanceof ClinicalError && err.problem === 'forbidden') return c.get('guard').forbidden(c);
    throw err;
  };

  type Extra = Partial<Omit<EncounterPageProps, 'frame' | 'encounter' | 'names' | 'timezone'>> & { status?: 200 | 400 | 403 | 409; timezone?: string };
  const encounterPage = async (c: Context<AppEnv>, e: Encounter, extra: Extra = {}) => {
    const timezone = await tz(c);
    const names = await clinical.staffNames([e.clinicianId, e.signedBy ?? '', ...e.addenda.map((a) => a.authorId)].filter(Boolean));
    const { status, ...rest } = extra;
    return renderPage(c, urls, {
      title: t(c)('clinical.encounter.title'),
      ...(status ? { status } : {}),
      body: (frame) => (
        <EncounterPage
          frame={frame}
          encounter={e}
          names={names}
          timezone={timezone}
          canWrite={has(c, 'clinical:write')}
          canSign={has(c, 'clinical:sign')}
          isAuthor={e.clinicianId === c.get('viewer')?.userId}
          canVitals={has(c, 'vitals:write')}
          {...rest}
        />
      ),
    });
  };

  /** Loads the encounter named in the path and names it (and its patient) in the audit event. */
  const loadEncounter = async (c: Context<AppEnv>): Promise<Encounter | Response> => {
    c.set('auditEntity', { type: 'encounter', id: pid(c) });
    try {
      const e = await clinical.encounter(auditContext(c), pid(c));
      c.set('auditEntity', { type: 'encounter', id: e.id, patientId: e.patientId });
      return e;
    } catch (err) {
      return failure(c, err);
    }
  };

  // ---- summary and timeline ------------------------------------------------------------------

  app.get('/patients/:id/clinical', can('clinical:read'), async (c) => {
    aboutPatient(c);
    try {
      const summary = await clinical.summary(auditContext(c), pid(c));
      const names = await clinical.staffNames(summary.recentEncounters.map((e) => e.clinicianId));
      const timezone = await tz(c);
      return renderPage(c, urls, {
        title: t(c)('clinical.summary.title'),
        body: (frame) => <ClinicalSummaryPage frame={frame} patientId={pid(c)} summary={summary} names={names} timezone={timezone} />,
      });
    } catch (err) {
      return failure(c, err);
    }
  });

  app.get('/patients/:id/encounters', can('clinical:read'), async (c) => {
    aboutPatient(c, 'encounter-list');
    const before = c.req.query('before');
    if (before !== undefined && !isCursor(before)) return c.notFound();
    try {
      const page = await clinical.encountersPage(auditContext(c), pid(c), { before });
      const names = await clinical.staffNames(page.items.map((e) => e.clinicianId));
      const props = { patientId: pid(c), page, names, timezone: await tz(c) };
      if (before && isFragmentRequest(c)) {
        c.header('Vary', 'HX-Request');
        return c.html(<TimelineRows frame={frameOf(c, urls)} {...props} />);
      }
      return renderPage(c, urls, { title: t(c)('clinical.encounters.title'), body: (frame) => <TimelinePage frame={frame} {...props} canWrite={has(c, 'clinical:write')} /> });
    } catch (err) {
      return failure(c, err);
    }
  });

  // ---- encounters ------------------------------------------------------------------------------

  const newForm = (c: Context<AppEnv>, status: 200 | 400, values?: Record<string, string>, errors?: FieldErrors) =>
    renderPage(c, urls, { title: t(c)('clinical.encounters.new'), status, body: (frame) => <EncounterNewPage frame={frame} patientId={pid(c)} values={values} errors={errors} /> });

  app.get('/patients/:id/encounters/new', can('clinical:write'), async (c) => {
    aboutPatient(c);
    try {
      await clinical.checkPatient(auditContext(c), pid(c));
    } catch (err) {
      return failure(c, err);
    }
    return newForm(c, 200);
  });

  app.post('/patients/:id/encounters/new', can('clinical:write'), async (c) => {
    aboutPatient(c, 'encounter');
    const form = await parseForm(c, encounterSchema);
    if (!form.ok) return newForm(c, 400, form.raw, form.errors);
    const input = encounterInputOf(form.data, { timeZone: await tz(c), now: deps.clock.now() });
    if (!input.ok) return newForm(c, 400, form.raw, input.errors);
    try {
      const id = await clinical.createEncounter(auditContext(c), pid(c), input.input);
      markAudited(c);
      return redirect(c, `/encounters/${id}?saved=1`);
    } catch (err) {
      return failure(c, err);
    }
  });

  const NOTICES: Record<string, MessageKey> = { saved: 'clinical.encounter.saved', signed: 'clinical.encounter.signed', addendum: 'clinical.addenda.saved' };

  app.get('/encounters/:id', can('clinical:read'), async (c) => {
    const e = await loadEncounter(c);
    if (e instanceof Response) return e;
    const key = Object.keys(NOTICES).find((k) => c.req.query(k) === '1');
    return encounterPage(c, e, { ...(key ? { notice: t(c)(NOTICES[key]!) } : {}) });
  });

  app.post('/encounters/:id', can('clinical:write'), async (c) => {
    const e = await loadEncounter(c);
    if (e instanceof Response) return e;
    if (e.status === 'signed') return encounterPage(c, e, { status: 409, problem: t(c)('clinical.encounter.locked') });
    const form = await parseForm(c, encounterSchema);
    if (!form.ok) return encounterPage(c, e, { status: 400, values: form.raw, errors: form.errors });
    const timeZone = await tz(c);
    const input = encounterInputOf(form.data, { timeZone, now: deps.clock.now(), unchanged: utcToLocal(e.startedAt, timeZone) });
    if (!input.ok) return encounterPage(c, e, { status: 400, values: form.raw, errors: input.errors });
    try {
      await clinical.editEncounter(auditContext(c), e.id, input.input);
      markAudited(c);
      return redirect(c, `/encounters/${e.id}?saved=1`);
    } catch (err) {
      if (err instanceof ClinicalError && err.problem === 'locked') return encounterPage(c, e, { status: 409, problem: t(c)('clinical.encounter.locked') });
      if (err instanceof ClinicalError && err.problem === 'not-author') return encounterPage(c, e, { status: 403, problem: t(c)('clinical.encounter.notAuthor') });
      return failure(c, err);
    }
  });

  app.post('/encounters/:id/sign', can('clinical:sign'), async (c) => {
    const e = await loadEncounter(c);
    if (e instanceof Response) return e;
    const form = await parseForm(c, z.object({}).strict());
    if (!form.ok) return encounterPage(c, e, { status: 400, problem: t(c)(form.errors._form ?? 'form.invalid') });
    try {
      await clinical.sign(auditContext(c), e.id);
      markAudited(c);
      return redirect(c, `/encounters/${e.id}?signed=1`);
    } catch (err) {
      if (err instanceof ClinicalError && err.problem === 'locked') return encounterPage(c, e, { status: 409, problem: t(c)('clinical.encounter.alreadySigned') });
      if (err instanceof ClinicalError && err.problem === 'not-author') return encounterPage(c, e, { status: 403, problem: t(c)('clinical.encounter.notAuthor') });
      return failure(c, err);
    }
  });

  app.post('/encounters/:id/addenda', can('clinical:write'), async (c) => {
    const e = await loadEncounter(c);
    if (e instanceof Response) return e;
    const form = await parseForm(c, addendumSchema);
    if (!form.ok) return encounterPage(c, e, { status: 400, addendumError: form.errors.text ?? form.errors._form ?? 'form.invalid' });
    try {
      await clinical.addAddendum(auditContext(c), e.id, form.data.text);
      markAudited(c);
      return redirect(c, `/encounters/${e.id}?addendum=1`);
    } catch (err) {
      if (err instanceof ClinicalError && err.problem === 'not-signed') return encounterPage(c, e, { status: 409, problem: t(c)('clinical.addenda.notSigned') });
      return failure(c, err);
    }
  });

  // ---- vitals, allergies, problems, medications ---------------------------------------------------

  /** A GET form page for a patient that must exist in this clinic. */
  const formPage = (path: string, permission: Parameters<typeof can>[0], title: MessageKey, Page: typeof AllergyFormPage) =>
    app.get(`/patients/:id/${path}/new`, can(permission), async (c) => {
      aboutPatient(c);
      try {
        await clinical.checkPatient(auditContext(c), pid(c));
      } catch (err) {
        return failure(c, err);
      }
      return renderPage(c, urls, { title: t(c)(title), body: (frame) => <Page frame={frame} patientId={pid(c)} /> });
    });

  const back = (c: Context<AppEnv>) => redirect(c, `/patients/${pid(c)}/clinical?saved=1`);

  app.get('/patients/:id/vitals/new', can('vitals:write'), async (c) => {
    aboutPatient(c);
    const enc = c.req.query('encounter');
    try {
      await clinical.checkPatient(auditContext(c), pid(c));
    } catch (err) {
      return failure(c, err);
    }
    return renderPage(c, urls, {
      title: t(c)('clinical.vitals.record'),
      body: (frame) => <VitalsFormPage frame={frame} patientId={pid(c)} {...(enc && /^enc_[a-z2-7]{26}$/.test(enc) ? { encounterId: enc } : {})} />,
    });
  });

  app.post('/patients/:id/vitals', can('vitals:write'), async (c) => {
    aboutPatient(c, 'vitals');
    const form = await parseForm(c, vitalsSchema);
    const show = (errors: FieldErrors) =>
      renderPage(c, urls, {
        title: t(c)('clinical.vitals.record'),
        status: 400,
        body: (frame) => <VitalsFormPage frame={frame} patientId={pid(c)} values={form.raw} errors={errors} {...(form.raw.encounterId ? { encounterId: form.raw.encounterId } : {})} />,
      });
    if (!form.ok) return show(form.errors);
    try {
      const { encounterId, ...raw } = form.data;
      const out = await clinical.recordVitals(auditContext(c), pid(c), raw, encounterId || undefined);
      if (!out.ok) return show(out.errors);
      markAudited(c);
      return encounterId ? redirect(c, `/encounters/${encounterId}?saved=1`) : back(c);
    } catch (err) {
      return failure(c, err);
    }
  });

  formPage('allergies', 'allergy:write', 'clinical.allergies.add', AllergyFormPage);
  formPage('problems', 'clinical:write', 'clinical.problems.add', ProblemFormPage);
  formPage('medications', 'clinical:write', 'clinical.medications.add', MedicationFormPage);

  const invalid = (c: Context<AppEnv>, title: MessageKey, Page: typeof AllergyFormPage, raw: Record<string, string>, errors: FieldErrors) =>
    renderPage(c, urls, { title: t(c)(title), status: 400, body: (frame) => <Page frame={frame} patientId={pid(c)} values={raw} errors={errors} /> });

  app.post('/patients/:id/allergies', can('allergy:write'), async (c) => {
    aboutPatient(c, 'allergy');
    const form = await parseForm(c, allergySchema);
    if (!form.ok) return invalid(c, 'clinical.allergies.add', AllergyFormPage, form.raw, form.errors);
    try {
      await clinical.addAllergy(auditContext(c), pid(c), { substance: form.data.substance, reaction: form.data.reaction.trim(), severity: form.data.severity });
      markAudited(c);
      return back(c);
    } catch (err) {
      return failure(c, err);
    }
  });

  app.post('/patients/:id/problems', can('clinical:write'), async (c) => {
    aboutPatient(c, 'problem');
    const form = await parseForm(c, problemSchema);
    if (!form.ok) return invalid(c, 'clinical.problems.add', ProblemFormPage, form.raw, form.errors);
    const coded = codedText(form.data.code, form.data.text, { code: 'code', text: 'text' });
    if (!coded.ok) return invalid(c, 'clinical.problems.add', ProblemFormPage, form.raw, coded.errors);
    if (!coded.value) return invalid(c, 'clinical.problems.add', ProblemFormPage, form.raw, { text: 'form.required' });
    try {
      await clinical.addProblem(auditContext(c), pid(c), { ...coded.value, onset: form.data.onset || null });
      markAudited(c);
      return back(c);
    } catch (err) {
      return failure(c, err);
    }
  });

  app.post('/patients/:id/medications', can('clinical:write'), async (c) => {
    aboutPatient(c, 'medication');
    const form = await parseForm(c, medicationSchema);
    if (!form.ok) return invalid(c, 'clinical.medications.add', MedicationFormPage, form.raw, form.errors);
    try {
      const d = form.data;
      await clinical.addMedication(auditContext(c), pid(c), { name: d.name, strength: d.strength.trim(), dose: d.dose.trim(), startDate: d.startDate || null });
      markAudited(c);
      return back(c);
    } catch (err) {
      return failure(c, err);
    }
  });

  const PERMISSION = { allergy: 'allergy:write', problem: 'clinical:write', medication: 'clinical:write' } as const;
  const PATH = { allergy: 'allergies', problem: 'problems', medication: 'medications' } as const;
  for (const kind of ['allergy', 'problem', 'medication'] as const) {
    app.post(`/patients/:id/${PATH[kind]}/:rid/status`, can(PERMISSION[kind]), async (c) => {
      aboutPatient(c, kind);
      const rid = c.req.param('rid') ?? '';
      const form = await parseForm(c, statusSchema);
      if (!/^[a-z]{2,4}_[a-z2-7]{26}$/.test(rid)) return c.notFound();
      if (!form.ok || !(STATUS_BY_KIND[kind] as readonly string[]).includes(form.data.status)) return c.text(t(c)('form.invalid'), 400);
      try {
        await clinical.setStatus(auditContext(c), kind, pid(c), rid, form.data.status);
        markAudited(c);
        return back(c);
      } catch (err) {
        return failure(c, err);
      }
    });
  }

  // ---- ICD-10 picker -------------------------------------------------------------------------------

  app.get('/icd10', can('clinical:read'), (c) => {
    c.set('auditEntity', { type: 'icd10-search' });
    const q = c.req.query('q') ?? c.req.query('dxCode') ?? c.req.query('code') ?? '';
    if (q.length > MAX_ICD_QUERY) return c.json({ error: t(c)('form.tooLong') }, 400);
    const matches = q.trim() ? searchIcd10(q, { limit: 20, lang: c.get('lang') }) : [];
    c.header('Vary', 'Accept, HX-Request');
    if ((c.req.header('Accept') ?? '').includes('application/json') || c.req.query('format') === 'json') {
      return c.json({ results: matches.map((m) => ({ code: m.code, title: m.title })) });
    }
    return c.html(<Icd10Options matches={matches} />);
  });

  return app;
}
