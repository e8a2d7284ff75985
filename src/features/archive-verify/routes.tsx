/** @jsxImportSource hono/jsx */
// Public archive verification (no session needed: a patient, an insurer or a court may hold the
// archive): the check page, and each clinic's published archive-signing key as JSON.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { open } from '../../access/guard.ts';
import { CSRF_FIELD } from '../../http/csrf.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { SLUG_PATTERN, type ClinicRegistry } from '../../tenancy/registry.ts';
import { ArchiveKeyService, type ManifestCheck } from './service.ts';
import { ArchiveVerifyPage, type VerifyFormValues } from '../../../views/pages/archive/verify.tsx';

/** A manifest lists hundreds to a few thousand files at ~200 bytes each: 2 MB is ample, and bounds the work. */
const MAX_MANIFEST_BYTES = 2 * 1024 * 1024;
const MAX_BODY_BYTES = MAX_MANIFEST_BYTES + 64 * 1024;

const formSchema = z.strictObject({
  // A file input left empty arrives as an empty file (or, from some clients, an empty string).
  manifest: z.union([z.instanceof(File), z.literal('')]).optional(),
  manifestText: z.string().max(MAX_MANIFEST_BYTES).optional(),
  clinic: z
    .string()
    .trim()
    .toLowerCase()
    .refine((s) => s === '' || SLUG_PATTERN.test(s))
    .optional(),
});

type Status = 200 | 400 | 404 | 413 | 422;

export function archiveVerifyRoutes(deps: { urls: StaticUrls; clinics: ClinicRegistry }) {
  const app = new Hono<AppEnv>();
  const keys = new ArchiveKeyService(deps.clinics);

  const page = (
    c: Context<AppEnv>,
    o: { values?: VerifyFormValues; error?: MessageKey; errorField?: string; result?: Extract<ManifestCheck, { kind: 'checked' }> } = {},
    status: Status = 200,
  ) => renderPage(c, deps.urls, { title: c.get('t')('archive.verify.title'), status, body: (frame) => <ArchiveVerifyPage frame={frame} {...o} /> });

  app.get('/archive/verify', open(), (c) => page(c));

  // Uploads are bounded while they stream in. A urlencoded form was already read whole by the CSRF
  // check before this route (its field is in the body), so there is nothing left to limit.
  const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => page(c as Context<AppEnv>, { error: 'archive.error.tooLarge' }, 413) });
  const uploadLimit: MiddlewareHandler<AppEnv> = (c, next) =>
    (c.req.header('Content-Type') ?? '').startsWith('multipart/form-data') ? limit(c, next) : next();

  app.post(
    '/archive/verify',
    open(),
    uploadLimit,
    async (c) => {
      const type = c.req.header('Content-Type') ?? '';
      if (!type.startsWith('multipart/form-data') && !type.startsWith('application/x-www-form-urlencoded')) {
        return page(c, { error: 'form.unsupported' }, 400);
      }
      let body: Record<string, unknown>;
      try {
        body = { ...(await c.req.parseBody({ all: true })) };
      } catch {
        return page(c, { error: 'form.unsupported' }, 400);
      }
      delete body[CSRF_FIELD];
      const parsed = formSchema.safeParse(body);
      const rawClinic = typeof body.clinic === 'string' ? body.clinic.slice(0, 40) : '';
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        if (issue.code === 'unrecognized_keys' || issue.path.length === 0) return page(c, { error: 'form.unknownField' }, 400);
        const field = String(issue.path[0]);
        if (field === 'manifestText' && issue.code === 'too_big') return page(c, { error: 'archive.error.tooLarge' }, 413);
        if (field === 'clinic') return page(c, { values: { clinic: rawClinic }, error: 'archive.error.unknownClinic', errorField: 'clinic' }, 422);
        return page(c, { error: 'form.unsupported' }, 400);
      }
      const { manifest: file, manifestText = '', clinic = '' } = parsed.data;
      const values = { clinic, manifestText: manifestText.length <= 20_000 ? manifestText : '' };
      const hasFile = file instanceof File && file.size > 0;
      const hasText = manifestText.trim() !== '';
      if (hasFile && hasText) return page(c, { values, error: 'archive.error.both', errorField: 'manifest' }, 422);
      if (!hasFile && !hasText) return page(c, { values, error: 'archive.error.noManifest', errorField: 'manifest' }, 422);
      if (hasFile && file.size > MAX_MANIFEST_BYTES) return page(c, { values, error: 'archive.error.tooLarge', errorField: 'manifest' }, 413);
      const text = hasFile ? await file.text() : manifestText;
      const result = await keys.check(text, clinic || undefined);
      if (result.kind === 'unknown-clinic') return page(c, { values, error: 'archive.error.unknownClinic', errorField: 'clinic' }, 422);
      if (result.kind === 'no-clinic') return page(c, { values, error: 'archive.error.noClinic', errorField: 'clinic' }, 422);
      return page(c, { values: { clinic }, result });
    },
  );

  app.get('/clinics/:slug/archive-key', open(), async (c) => {
    const slug = c.req.param('slug');
    const key = SLUG_PATTERN.test(slug) ? await keys.publishedKey(slug) : undefined;
    if (!key) return c.notFound();
    return c.json({
      format: 'invent-clinic-archive-key',
      version: 1,
      clinic: { slug: key.slug, name: key.name },
      algorithm: 'Ed25519',
      publicKey: key.publicKey,
    });
  });

  return app;
}
