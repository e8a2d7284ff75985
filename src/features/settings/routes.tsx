/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { parseForm, type FieldErrors } from '../../http/forms.ts';
import { can } from '../../access/guard.ts';
import { ROLES } from '../../access/roles.ts';
import { auditContext, markAudited } from '../../audit/context.ts';
import type { SettingsService } from './service.ts';
import type { ClinicSettings } from '../../tenancy/settings.ts';
import { PermissionsPage, SettingsPage } from '../../../views/pages/admin/settings.tsx';

const int = (min: number, max: number) => z.string().regex(/^\d{1,4}$/).transform(Number).pipe(z.number().int().min(min).max(max));
const settingsForm = z
  .object({
    ...Object.fromEntries(ROLES.map((r) => [`twoFactor.${r}`, z.enum(['optional', 'required'])])),
    idleTimeoutMinutes: int(1, 240),
    absoluteTimeoutHours: int(1, 24),
    minPasswordLength: int(12, 128),
    timezone: z.string().trim().min(1).max(64),
    defaultLanguage: z.enum(['en', 'ar']),
    hostingRegion: z.string().trim().min(1).max(100),
    uploadLimitMb: int(1, 1024).optional(),
    archiveAlertPerHour: int(1, 1000).optional(),
  })
  .strict();

export function settingsRoutes(deps: { urls: StaticUrls; settings: SettingsService }) {
  const app = new Hono<AppEnv>();
  const { urls, settings } = deps;

  app.get('/admin/settings', can('settings:manage'), async (c) => {
    const cur = await settings.current(c.get('viewer')!.clinicId);
    const saved = c.req.query('saved') === '1';
    return renderPage(c, urls, {
      title: c.get('t')('settings.title'),
      body: (frame) => <SettingsPage frame={frame} settings={cur.settings} timezone={cur.timezone} {...(saved ? { notice: frame.t('settings.saved') } : {})} />,
    });
  });

  app.post('/admin/settings', can('settings:manage'), async (c) => {
    const form = await parseForm(c, settingsForm);
    const cur = await settings.current(c.get('viewer')!.clinicId);
    const show = (errors: FieldErrors) =>
      renderPage(c, urls, {
        title: c.get('t')('settings.title'),
        status: 400,
        body: (frame) => <SettingsPage frame={frame} settings={cur.settings} timezone={form.raw.timezone ?? cur.timezone} errors={errors} />,
      });
    if (!form.ok) return show(form.errors);
    const d = form.data as Record<string, unknown>;
    const next: ClinicSettings = {
      twoFactor: Object.fromEntries(ROLES.map((r) => [r, d[`twoFactor.${r}`] as 'optional' | 'required'])),
      idleTimeoutMinutes: d.idleTimeoutMinutes as number,
      absoluteTimeoutHours: d.absoluteTimeoutHours as number,
      minPasswordLength: d.minPasswordLength as number,
      defaultLanguage: d.defaultLanguage as 'en' | 'ar',
      hostingRegion: d.hostingRegion as string,
      uploadLimitMb: (d.uploadLimitMb as number | undefined) ?? cur.settings.uploadLimitMb,
      archiveAlertPerHour: (d.archiveAlertPerHour as number | undefined) ?? cur.settings.archiveAlertPerHour,
    };
    try {
      await settings.save(auditContext(c), next, d.timezone as string);
    } catch (err) {
      if ((err as Error).message === 'timezone') return show({ timezone: 'settings.badTimezone' });
      throw err;
    }
    markAudited(c);
    return c.redirect('/admin/settings?saved=1', 303);
  });

  app.get('/admin/permissions', can('settings:manage'), (c) =>
    renderPage(c, urls, { title: c.get('t')('permissions.title'), body: (frame) => <PermissionsPage frame={frame} /> }),
  );

  return app;
}
