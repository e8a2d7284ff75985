/** @jsxImportSource hono/jsx */
// Documents: a patient's list, the upload form and its streamed upload, one document's page, its
// sandboxed preview and its download (FU4), and soft delete with a reason. Who may do what by
// category is the service's decision (policy.ts): these routes are guarded by `patient:read` (anyone
// who opens charts reaches the page, then the service allows or refuses), and delete by
// `document:write`. Every page about a patient passes the restricted-record gate first.
import { Hono, type Context } from 'hono';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { parseForm } from '../../http/forms.ts';
import { can, redirect } from '../../access/guard.ts';
import { auditContext, markAudited } from '../../audit/context.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import type { PatientService } from '../patients/service.ts';
import type { Patient } from '../patients/repo.ts';
import type { BreakGlassService } from '../break-glass/service.ts';
import { gatePatient } from '../break-glass/routes.tsx';
import { deleteSchema, listFilter } from './forms.ts';
import { contentDisposition } from './filename.ts';
import { INLINE_TYPES } from './media.ts';
import { DocumentError, REFUSAL_MESSAGES } from './errors.ts';
import type { Attachment, DocumentService, UploadOutcome } from './service.ts';
import { DocumentListPage } from '../../../views/pages/documents/list.tsx';
import { UploadPage } from '../../../views/pages/documents/upload.tsx';
import { DocumentPage } from '../../../views/pages/documents/show.tsx';

type Deps = { urls: StaticUrls; documents: DocumentService; patients: PatientService; clinics: ClinicRegistry; breakGlass: BreakGlassService };

const NOTICES: Record<string, MessageKey> = { uploaded: 'docs.uploaded', deleted: 'docs.deleted' };

/** A stored file must never run as a page of this site, framed or not (FU4). */
const SANDBOX = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'";

export function documentRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { urls, documents, patients } = deps;
  const clinicOf = (c: Context<AppEnv>) => c.get('viewer')!.clinicId;
  const t = (c: Context<AppEnv>) => c.get('t');
  const access = (c: Context<AppEnv>) => documents.access(auditContext(c));
  const timezone = async (c: Context<AppEnv>) => (await deps.clinics.get(clinicOf(c))).timezone;
  const notice = (c: Context<AppEnv>) => {
    const key = NOTICES[c.req.query('done') ?? ''];
    return key ? { notice: t(c)(key) } : {};
  };

  /** The patient of the request, gated; a Response is the answer (404, or the restricted page). */
  const gated = async (c: Context<AppEnv>, patientId: string | null, entity: { type: string; id: string }): Promise<Patient | Response> => {
    const patient = patientId ? await patients.get(clinicOf(c), patientId) : null;
    if (!patient) return c.notFound();
    c.set('auditEntity', { ...entity, patientId: patient.id });
    return (await gatePatient(c, deps, patient)) ?? patient;
  };
  const patientOf = (c: Context<AppEnv>) => {
    const id = c.req.param('id') ?? '';
    return gated(c, id, { type: 'patient', id });
  };
  const docPatientOf = async (c: Context<AppEnv>) => {
    const id = c.req.param('id') ?? '';
    return gated(c, await documents.patientOf(clinicOf(c), id), { type: 'attachment', id });
  };

  /** Expected refusals become pages; anything else goes to the error page. */
  const failed = (c: Context<AppEnv>, err: unknown): Response | Promise<Response> => {
    if (!(err instanceof DocumentError)) throw err;
    if (err.problem === 'not-found') return c.notFound();
    if (err.problem === 'forbidden') return c.get('guard').forbidden(c);
    markAudited(c); // the service recorded the failed read
    return renderPage(c, urls, { title: t(c)('docs.title'), status: 500, body: () => <p class="alert">{t(c)('docs.error.damaged')}</p> });
  };

  const uploadForm = async (c: Context<AppEnv>, patient: Patient, o: { values: Record<string, string>; out?: UploadOutcome; notice?: string }, status: 200 | 400 | 413 | 422 = 200) => {
    const ctx = auditContext(c);
    const a = documents.access(ctx);
    const [choices, zone, h] = await Promise.all([documents.encounterChoices(ctx, patient.id), timezone(c), deps.clinics.get(clinicOf(c))]);
    const out = o.out && !o.out.ok ? o.out : undefined;
    const error = out?.refusal ? t(c)(REFUSAL_MESSAGES[out.refusal], { mb: out.limitMb }) : undefined;
    return renderPage(c, urls, {
      title: t(c)('docs.upload'),
      status,
      body: (frame) => (
        <UploadPage
          frame={frame}
          patient={patient}
          categories={a.upload}
          encounters={choices}
          limitMb={h.settings.uploadLimitMb}
          timezone={zone}
          values={o.values}
          canList={a.list.length > 0}
          {...(out?.errors ? { errors: out.errors } : {})}
          {...(error ? { error } : {})}
          {...(o.notice ? { notice: o.notice } : {})}
        />
      ),
    });
  };

  app.get('/patients/:id/documents', can('patient:read'), async (c) => {
    const patient = await patientOf(c);
    if (patient instanceof Response) return patient;
    const ctx = auditContext(c);
    const a = documents.access(ctx);
    const filter = listFilter(c.req.query());
    let items: Attachment[];
    try {
      items = await documents.list(ctx, patient.id, { category: filter.category, encounterId: filter.encounterId, deleted: filter.deleted });
    } catch (err) {
      return failed(c, err);
    }
    markAudited(c);
    const names = await documents.staffNames(items.map((i) => i.uploadedBy));
    const zone = await timezone(c);
    return renderPage(c, urls, {
      title: t(c)('docs.title'),
      body: (frame) => (
        <DocumentListPage frame={frame} patient={patient} items={items} names={names} categories={a.list} openable={a.open} canUpload={a.upload.length > 0} filter={filter} timezone={zone} {...notice(c)} />
      ),
    });
  });

  app.get('/patients/:id/documents/new', can('patient:read'), async (c) => {
    const patient = await patientOf(c);
    if (patient instanceof Response) return patient;
    if (access(c).upload.length === 0) return c.get('guard').forbidden(c);
    const encounter = c.req.query('encounter') ?? '';
    const values: Record<string, string> = /^enc_[a-z2-7]{26}$/.test(encounter) ? { encounterId: encounter } : {};
    const done = notice(c);
    return uploadForm(c, patient, { values, ...done });
  });

  app.post('/patients/:id/documents', can('patient:read'), async (c) => {
    const patient = await patientOf(c);
    if (patient instanceof Response) return patient;
    if (access(c).upload.length === 0) return c.get('guard').forbidden(c);
    let out: UploadOutcome;
    try {
      out = await documents.upload(auditContext(c), patient.id, c.req.raw);
    } catch (err) {
      return failed(c, err);
    }
    if (out.ok) {
      markAudited(c);
      const listed = access(c).list.includes(out.category);
      return redirect(c, listed ? `/patients/${patient.id}/documents?done=uploaded` : `/patients/${patient.id}/documents/new?done=uploaded`);
    }
    const status = out.refusal === 'too-large' ? 413 : out.refusal && !['malformed', 'no-file'].includes(out.refusal) ? 422 : 400;
    return uploadForm(c, patient, { values: out.fields, out }, status);
  });

  const page = async (c: Context<AppEnv>, o: { error?: string; reason?: string } = {}, status: 200 | 400 | 409 = 200) => {
    const patient = await docPatientOf(c);
    if (patient instanceof Response) return patient;
    const ctx = auditContext(c);
    let doc: Attachment;
    try {
      doc = await documents.view(ctx, c.req.param('id') ?? '');
    } catch (err) {
      return failed(c, err);
    }
    markAudited(c);
    const a = documents.access(ctx);
    const names = await documents.staffNames([doc.uploadedBy, ...(doc.deletedBy ? [doc.deletedBy] : [])]);
    const zone = await timezone(c);
    return renderPage(c, urls, {
      title: doc.title,
      status,
      body: (frame) => (
        <DocumentPage
          frame={frame}
          patient={patient}
          doc={doc}
          names={names}
          canOpen={a.open.includes(doc.category)}
          canDelete={a.remove}
          canList={a.list.length > 0}
          timezone={zone}
          {...notice(c)}
          {...o}
        />
      ),
    });
  };

  app.get('/documents/:id', can('patient:read'), (c) => page(c));

  const send = async (c: Context<AppEnv>, op: 'preview' | 'download') => {
    const patient = await docPatientOf(c);
    if (patient instanceof Response) return patient;
    let opened: Awaited<ReturnType<DocumentService['open']>>;
    try {
      opened = await documents.open(auditContext(c), c.req.param('id') ?? '', op);
    } catch (err) {
      return failed(c, err);
    }
    markAudited(c);
    const { attachment: a, body } = opened;
    const inline = op === 'preview' && INLINE_TYPES.has(a.mediaType);
    return c.body(body, 200, {
      'Content-Type': a.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : a.mediaType,
      'Content-Length': String(a.bytes),
      'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', a.originalName, a.mediaType),
      'X-Content-Type-Options': 'nosniff',
      // The preview may be framed by the document's own page; nothing else may frame either.
      'Content-Security-Policy': `${SANDBOX}; frame-ancestors ${inline ? "'self'" : "'none'"}`,
      'X-Frame-Options': inline ? 'SAMEORIGIN' : 'DENY',
      'Cache-Control': 'no-store',
    });
  };

  app.get('/documents/:id/preview', can('patient:read'), (c) => send(c, 'preview'));
  app.get('/documents/:id/download', can('patient:read'), (c) => send(c, 'download'));

  app.post('/documents/:id/delete', can('document:write'), async (c) => {
    const form = await parseForm(c, deleteSchema);
    if (!form.ok) return page(c, { error: t(c)('docs.error.reason'), reason: (form.raw.reason ?? '').slice(0, 500) }, 400);
    const patient = await docPatientOf(c);
    if (patient instanceof Response) return patient;
    let done: 'ok' | 'already';
    try {
      done = await documents.remove(auditContext(c), c.req.param('id') ?? '', form.data.reason);
    } catch (err) {
      return failed(c, err);
    }
    if (done === 'already') return page(c, { error: t(c)('docs.error.already') }, 409);
    markAudited(c);
    return redirect(c, `/patients/${patient.id}/documents?done=deleted`);
  });

  return app;
}
