/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { parseForm } from '../../http/forms.ts';
import { can, redirect } from '../../access/guard.ts';
import { auditContext, eventFor, markAudited, type AuditSink } from '../../audit/context.ts';
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import { formatDateTime } from '../../i18n/format.ts';
import type { SecurityEventService } from './service.ts';
import { SecurityEventsPage } from '../../../views/pages/admin/security.tsx';

const PAGE = 50;

export function securityRoutes(deps: { urls: StaticUrls; security: SecurityEventService; clinics: ClinicRegistry; audit: AuditSink }) {
  const app = new Hono<AppEnv>();
  const { urls, security } = deps;

  app.get('/admin/security', can('security:read'), async (c) => {
    const viewer = c.get('viewer')!;
    const open = c.req.query('all') !== '1';
    const before = Number(c.req.query('before')) || undefined;
    const rows = await security.list(viewer.clinicId, { open, limit: PAGE, ...(before ? { before } : {}) });
    const tz = (await deps.clinics.get(viewer.clinicId)).timezone;
    const lang = c.get('lang');
    const last = rows.at(-1);
    const older = rows.length === PAGE && last ? `/admin/security?${open ? '' : 'all=1&'}before=${last.id}` : undefined;
    return renderPage(c, urls, {
      title: c.get('t')('security.title'),
      body: (frame) => (
        <SecurityEventsPage frame={frame} open={open} rows={rows.map((r) => ({ ...r, when: formatDateTime(r.at, lang, tz) }))} {...(older ? { older } : {})} />
      ),
    });
  });

  app.post('/admin/security/:id/review', can('security:read'), async (c) => {
    const id = Number(c.req.param('id'));
    const form = await parseForm(c, z.object({}).strict());
    if (!Number.isSafeInteger(id) || id < 1 || !form.ok) return c.notFound();
    const ctx = auditContext(c);
    const done = await security.review(ctx.clinicId, id, ctx.actor.userId!);
    if (!done) return c.notFound();
    await deps.audit(ctx.clinicId, [eventFor(ctx, { action: 'update', outcome: 'success', entity: { type: 'security-event', id: String(id) } })]);
    markAudited(c);
    return redirect(c, '/admin/security');
  });

  return app;
}
