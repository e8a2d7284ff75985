/** @jsxImportSource hono/jsx */
// Patient archives: "Create archive" on the chart (administrators, after re-authenticating: SE6, with
// a reason), the progress page, the download (24 hours), and the Exports page.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { parseForm } from '../../http/forms.ts';
import { can, redirect } from '../../access/guard.ts';
import { auditContext, markAudited } from '../../audit/context.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import type { PatientService } from '../patients/service.ts';
import type { ArchiveService } from './service.ts';
import { ArchiveRequestPage, ArchiveStatus, ExportsPage } from '../../../views/pages/archives/archives.tsx';

type Deps = { urls: StaticUrls; archives: ArchiveService; patients: PatientService; clinics: ClinicRegistry };

const requestSchema = z.object({ reason: z.string().trim().min(5).max(500), lang: z.enum(['en', 'ar']) }).strict();

export function archiveRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { urls, archives, patients } = deps;
  const clinicOf = (c: Context<AppEnv>) => c.get('viewer')!.clinicId;
  const timezone = async (c: Context<AppEnv>) => (await deps.clinics.get(clinicOf(c))).timezone;

  const patientOf = async (c: Context<AppEnv>) => {
    const patient = await patients.get(clinicOf(c), c.req.param('id') ?? '');
    if (patient) c.set('auditEntity', { type: 'patient', id: patient.id, patientId: patient.id });
    return patient;
  };

  const requestPage = async (c: Context<AppEnv>, patient: NonNullable<Awaited<ReturnType<typeof patientOf>>>, o: { values?: { reason?: string; lang?: string }; error?: 'archives.reasonRequired' } = {}, status: 200 | 400 = 200) => {
    const previous = await archives.ofPatient(clinicOf(c), patient.id);
    const tz = await timezone(c);
    return renderPage(c, urls, { title: c.get('t')('archives.create'), status, body: (frame) => <ArchiveRequestPage frame={frame} patient={patient} previous={previous} timezone={tz} {...o} /> });
  };

  app.get('/patients/:id/archives/new', can('export:archive', { fresh: true }), async (c) => {
    const patient = await patientOf(c);
    if (!patient) return c.notFound();
    return requestPage(c, patient);
  });

  app.post('/patients/:id/archives', can('export:archive', { fresh: true }), async (c) => {
    const patient = await patientOf(c);
    if (!patient) return c.notFound();
    const form = await parseForm(c, requestSchema);
    if (!form.ok) return requestPage(c, patient, { values: form.raw, error: 'archives.reasonRequired' }, 400);
    const archive = await archives.request(auditContext(c), patient.id, form.data.reason, form.data.lang);
    if (!archive) return c.notFound();
    markAudited(c);
    return redirect(c, `/archives/${archive.id}`);
  });

  app.get('/archives/:id', can('export:archive'), async (c) => {
    c.set('auditEntity', { type: 'archive', id: c.req.param('id') });
    const found = await archives.status(clinicOf(c), c.req.param('id'));
    if (!found) return c.notFound();
    c.set('auditEntity', { type: 'archive', id: found.archive.id, patientId: found.archive.patientId });
    const tz = await timezone(c);
    return renderPage(c, urls, { title: c.get('t')('archives.title'), body: (frame) => <ArchiveStatus frame={frame} archive={found.archive} job={found.job} timezone={tz} /> });
  });

  app.get('/archives/:id/download', can('export:archive', { fresh: true }), async (c) => {
    c.set('auditEntity', { type: 'archive', id: c.req.param('id') });
    const out = await archives.download(auditContext(c), c.req.param('id'));
    if (out === 'not-found') return c.notFound();
    if (out === 'not-ready') {
      const found = await archives.status(clinicOf(c), c.req.param('id'));
      const tz = await timezone(c);
      return renderPage(c, urls, {
        title: c.get('t')('archives.title'),
        status: 409,
        body: (frame) => <ArchiveStatus frame={frame} archive={found!.archive} job={found!.job} timezone={tz} error={frame.t('archives.notReady')} />,
      });
    }
    markAudited(c);
    const a = out.archive;
    const mrn = (await patients.get(clinicOf(c), a.patientId))?.mrn ?? 'patient';
    const name = `${mrn.replace(/[^A-Za-z0-9-]/g, '_')}_archive_${a.requestedAt.slice(0, 10)}.zip`;
    return new Response(out.body, {
      headers: {
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="${name}"`,
        ...(a.bytes !== null ? { 'Content-Length': String(a.bytes) } : {}),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });

  app.get('/exports', can('export:archive'), async (c) => {
    const before = c.req.query('before');
    const list = await archives.list(clinicOf(c), { ...(before && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(before) ? { before } : {}), limit: 50 });
    const h = await deps.clinics.get(clinicOf(c));
    const mrns = await archives.mrnsOf(h.id, list.map((a) => a.patientId));
    const names = await patients.staffNames(list.map((a) => a.requestedBy));
    const older = list.length === 50 ? list[list.length - 1]!.requestedAt : undefined;
    return renderPage(c, urls, {
      title: c.get('t')('archives.exportsTitle'),
      body: (frame) => <ExportsPage frame={frame} archives={list} timezone={h.timezone} names={names} mrns={mrns} {...(older ? { older } : {})} />,
    });
  });

  return app;
}
