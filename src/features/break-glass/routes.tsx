/** @jsxImportSource hono/jsx */
// Restricted records and break-glass (AC5): the gate every patient page passes, the form to break
// the glass, the doctor's restriction form, and the administrators' review list.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { parseForm, readForm } from '../../http/forms.ts';
import { can, redirect } from '../../access/guard.ts';
import { auditContext, markAudited } from '../../audit/context.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import { patients as patientsTable } from '../../tenancy/schema/clinic/index.ts';
import { formatDateTime } from '../../i18n/format.ts';
import type { PatientService } from '../patients/service.ts';
import type { StaffService } from '../staff/service.ts';
import { BREAK_GLASS_MINUTES, REASON_MIN, type BreakGlassService } from './service.ts';
import { GrantsPage, RestrictedPage, RestrictionPage } from '../../../views/pages/break-glass/break-glass.tsx';

export interface GateDeps {
  urls: StaticUrls;
  breakGlass: BreakGlassService;
}

/**
 * The gate of every page about one patient: undefined lets the request through; otherwise the
 * answer is the restricted-record page (403), with the break-glass form for clinicians.
 */
export async function gatePatient(c: Context<AppEnv>, deps: GateDeps, patient: { id: string; mrn: string; restricted: boolean }): Promise<Response | undefined> {
  const viewer = c.get('viewer')!;
  if ((await deps.breakGlass.access(viewer.clinicId, viewer.userId, patient)) !== 'restricted') return undefined;
  return renderPage(c, deps.urls, {
    title: c.get('t')('glass.title'),
    status: 403,
    body: (frame) => (
      <RestrictedPage frame={frame} patientId={patient.id} mrn={patient.mrn} canBreak={deps.breakGlass.canBreak(viewer.roles)} minutes={BREAK_GLASS_MINUTES} minReason={REASON_MIN} />
    ),
  });
}

const reasonSchema = z.object({ reason: z.string().trim().min(REASON_MIN).max(500) }).strict();
const USER_ID = /^u_[a-z2-7]{26}$/;

export function breakGlassRoutes(deps: GateDeps & { patients: PatientService; staff: StaffService; clinics: ClinicRegistry }) {
  const app = new Hono<AppEnv>();
  const { urls, breakGlass, patients } = deps;

  const patientOf = async (c: Context<AppEnv>) => {
    const p = await patients.get(c.get('viewer')!.clinicId, c.req.param('id') ?? '');
    if (p) c.set('auditEntity', { type: 'patient', id: p.id, patientId: p.id });
    return p;
  };

  app.post('/patients/:id/break-glass', can('patient:read'), async (c) => {
    const patient = await patientOf(c);
    if (!patient) return c.notFound();
    const viewer = c.get('viewer')!;
    if (!breakGlass.canBreak(viewer.roles)) return c.get('guard').forbidden(c);
    const form = await parseForm(c, reasonSchema);
    if (!form.ok) {
      return renderPage(c, urls, {
        title: c.get('t')('glass.title'),
        status: 400,
        body: (frame) => (
          <RestrictedPage
            frame={frame}
            patientId={patient.id}
            mrn={patient.mrn}
            canBreak
            minutes={BREAK_GLASS_MINUTES}
            minReason={REASON_MIN}
            reason={(form.raw.reason ?? '').slice(0, 500)}
            error={frame.t('glass.reasonShort', { min: REASON_MIN })}
          />
        ),
      });
    }
    await breakGlass.breakGlass(auditContext(c), viewer.roles, patient.id, form.data.reason);
    markAudited(c);
    return redirect(c, `/patients/${patient.id}`);
  });

  const clinicians = async (c: Context<AppEnv>, patientId: string) => {
    const staff = await deps.staff.list(auditContext(c));
    const { db } = await deps.clinics.get(c.get('viewer')!.clinicId);
    const named = new Set(await breakGlass.named(db, patientId));
    return staff
      .filter((m) => !m.disabled && m.roles.some((r) => r === 'doctor' || r === 'nurse' || r === 'assistant'))
      .map((m) => ({ id: m.userId, name: m.name, named: named.has(m.userId) }));
  };

  app.get('/patients/:id/restriction', can('clinical:sign'), async (c) => {
    const patient = await patientOf(c);
    if (!patient) return c.notFound();
    const denied = await gatePatient(c, deps, patient);
    if (denied) return denied;
    const list = await clinicians(c, patient.id);
    const saved = c.req.query('saved') === '1';
    return renderPage(c, urls, {
      title: c.get('t')('restrict.title'),
      body: (frame) => (
        <RestrictionPage frame={frame} patientId={patient.id} restricted={patient.restricted} clinicians={list} {...(saved ? { notice: frame.t('restrict.saved') } : {})} />
      ),
    });
  });

  app.post('/patients/:id/restriction', can('clinical:sign'), async (c) => {
    const patient = await patientOf(c);
    if (!patient) return c.notFound();
    const denied = await gatePatient(c, deps, patient);
    if (denied) return denied;
    const raw = await readForm(c, { repeatable: ['clinicians'] });
    const ok =
      raw !== 'unsupported' &&
      Object.keys(raw).every((k) => k === 'restricted' || k === 'clinicians') &&
      (raw.restricted === undefined || raw.restricted === '1') &&
      (raw.clinicians as string[]).every((id) => USER_ID.test(id));
    if (!ok) return c.text(c.get('t')('form.invalid'), 400);
    const allowed = new Set((await clinicians(c, patient.id)).map((m) => m.id));
    const ids = (raw.clinicians as string[]).filter((id) => allowed.has(id));
    const restricted = raw.restricted === '1';
    await breakGlass.setRestriction(auditContext(c), patient.id, restricted, ids, async (tx) => {
      await tx.update(patientsTable).set({ restricted }).where(eq(patientsTable.id, patient.id));
    });
    markAudited(c);
    return redirect(c, `/patients/${patient.id}/restriction?saved=1`);
  });

  app.get('/admin/break-glass', can('security:read'), async (c) => {
    const viewer = c.get('viewer')!;
    const rows = await breakGlass.grants(viewer.clinicId);
    const handle = await deps.clinics.get(viewer.clinicId);
    const names = new Map((await deps.staff.list(auditContext(c))).map((m) => [m.userId, m.name]));
    const lang = c.get('lang');
    const grants = await Promise.all(
      rows.map(async (g) => ({
        who: names.get(g.userId) ?? g.userId,
        mrn: (await patients.get(viewer.clinicId, g.patientId))?.mrn ?? g.patientId,
        patientId: g.patientId,
        reason: g.reason,
        granted: formatDateTime(g.grantedAt, lang, handle.timezone),
        until: formatDateTime(g.expiresAt, lang, handle.timezone),
      })),
    );
    return renderPage(c, urls, { title: c.get('t')('glass.reviewTitle'), body: (frame) => <GrantsPage frame={frame} grants={grants} /> });
  });

  return app;
}
