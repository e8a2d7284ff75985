/** @jsxImportSource hono/jsx */
// Staff administration, clinic settings and the permission matrix (administrators).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { parseForm, readForm, type FieldErrors } from '../../http/forms.ts';
import { can, redirect } from '../../access/guard.ts';
import { ROLES, type Role } from '../../access/roles.ts';
import { auditContext, markAudited } from '../../audit/context.ts';
import type { StaffService } from './service.ts';
import { StaffError } from './errors.ts';
import { StaffDetailPage, StaffListPage, StaffNewPage, type ShownLink } from '../../../views/pages/staff/staff.tsx';

const addSchema = z
  .object({ name: z.string().trim().min(1).max(200), email: z.string().trim().min(3).max(254), roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length) })
  .strict();
const rolesSchema = z.object({ roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length) }).strict();
const emptySchema = z.object({}).strict();
const ID = /^m_[a-z2-7]{26}$/;

/** Form fields that repeat (checkboxes) arrive as a string or an array; this makes them an array. */
async function formWithRoles(c: Context<AppEnv>): Promise<Record<string, unknown> | 'unsupported'> {
  const raw = await readForm(c, { repeatable: ['roles'] });
  return raw;
}

export function staffRoutes(deps: { urls: StaticUrls; staff: StaffService; origin?: string }) {
  const app = new Hono<AppEnv>();
  const { urls, staff } = deps;
  const linkUrl = (c: Context<AppEnv>, token: string) => `${new URL(c.req.url).origin}/reset/${token}`;
  const problemText = (c: Context<AppEnv>, err: unknown) => {
    if (err instanceof StaffError) return c.get('t')(`staff.problem.${err.problem}`);
    throw err;
  };

  const list = async (c: Context<AppEnv>, extra: { notice?: string; link?: ShownLink } = {}) => {
    const members = await staff.list(auditContext(c));
    return renderPage(c, urls, { title: c.get('t')('staff.title'), body: (frame) => <StaffListPage frame={frame} staff={members} {...extra} /> });
  };

  const detail = async (c: Context<AppEnv>, id: string, extra: { notice?: string; problem?: string; link?: ShownLink; status?: 200 | 400 | 404 } = {}) => {
    if (!ID.test(id)) return c.notFound();
    let member;
    try {
      member = await staff.get(auditContext(c), id);
    } catch (err) {
      if (err instanceof StaffError && err.problem === 'not-found') return c.notFound();
      throw err;
    }
    const { status, ...rest } = extra;
    return renderPage(c, urls, {
      title: member.name,
      ...(status ? { status } : {}),
      body: (frame) => <StaffDetailPage frame={frame} member={member} {...rest} />,
    });
  };

  app.get('/admin/staff', can('staff:manage'), (c) => list(c));

  app.get('/admin/staff/new', can('staff:manage'), (c) =>
    renderPage(c, urls, { title: c.get('t')('staff.add'), body: (frame) => <StaffNewPage frame={frame} /> }),
  );

  app.post('/admin/staff', can('staff:manage'), async (c) => {
    const raw = await formWithRoles(c);
    const parsed = raw === 'unsupported' ? undefined : addSchema.safeParse(raw);
    const values = raw === 'unsupported' ? {} : (raw as Record<string, string>);
    const roles = (raw !== 'unsupported' && Array.isArray(raw.roles) ? raw.roles : []).filter((r): r is Role => (ROLES as readonly string[]).includes(String(r)));
    const show = (errors: FieldErrors, problem?: string) =>
      renderPage(c, urls, {
        title: c.get('t')('staff.add'),
        status: 400,
        body: (frame) => <StaffNewPage frame={frame} values={values} roles={roles} errors={errors} {...(problem ? { problem } : {})} />,
      });
    if (!parsed?.success) {
      const errors: FieldErrors = {};
      for (const i of parsed?.error.issues ?? []) {
        const f = String(i.path[0] ?? '_form');
        errors[f] ??= f === 'roles' ? 'staff.problem.noRole' : i.code === 'too_big' ? 'form.tooLong' : i.code === 'too_small' ? 'form.required' : 'form.invalid';
      }
      return show(raw === 'unsupported' ? { _form: 'form.unsupported' } : errors, raw === 'unsupported' ? c.get('t')('form.unsupported') : undefined);
    }
    try {
      const { member, setupToken } = await staff.add(auditContext(c), parsed.data);
      markAudited(c);
      const t = c.get('t');
      return list(c, {
        notice: t('staff.added', { email: member.email }),
        ...(setupToken ? { link: { kind: 'setup', email: member.email, url: linkUrl(c, setupToken) } } : {}),
      });
    } catch (err) {
      return show({}, problemText(c, err));
    }
  });

  app.get('/admin/staff/:id', can('staff:manage'), (c) => detail(c, c.req.param('id')));

  app.post('/admin/staff/:id/roles', can('staff:manage'), async (c) => {
    const id = c.req.param('id');
    if (!ID.test(id)) return c.notFound();
    const raw = await formWithRoles(c);
    const parsed = raw === 'unsupported' ? undefined : rolesSchema.safeParse(raw);
    if (!parsed?.success) return detail(c, id, { status: 400, problem: c.get('t')('staff.problem.noRole') });
    try {
      await staff.changeRoles(auditContext(c), id, parsed.data.roles);
      markAudited(c);
      return detail(c, id, { notice: c.get('t')('staff.rolesSaved') });
    } catch (err) {
      return detail(c, id, { status: 400, problem: problemText(c, err) });
    }
  });

  const action = (path: string, run: (c: Context<AppEnv>, id: string) => Promise<{ notice?: string; link?: ShownLink }>) =>
    app.post(`/admin/staff/:id/${path}`, can('staff:manage'), async (c) => {
      const id = c.req.param('id');
      if (!ID.test(id)) return c.notFound();
      const form = await parseForm(c, emptySchema);
      if (!form.ok) return detail(c, id, { status: 400, problem: c.get('t')(form.errors._form ?? 'form.invalid') });
      try {
        const shown = await run(c, id);
        markAudited(c);
        return detail(c, id, shown);
      } catch (err) {
        if (err instanceof StaffError && err.problem === 'not-found') return c.notFound();
        return detail(c, id, { status: 400, problem: problemText(c, err) });
      }
    });

  action('disable', async (c, id) => {
    await staff.setDisabled(auditContext(c), id, true);
    return { notice: c.get('t')('staff.disabledNotice', { email: (await staff.get(auditContext(c), id)).email }) };
  });
  action('enable', async (c, id) => {
    await staff.setDisabled(auditContext(c), id, false);
    return { notice: c.get('t')('staff.enabledNotice', { email: (await staff.get(auditContext(c), id)).email }) };
  });
  action('reset-password', async (c, id) => {
    const token = await staff.resetPasswordLink(auditContext(c), id);
    const m = await staff.get(auditContext(c), id);
    return { link: { kind: m.hasPassword ? 'reset' : 'setup', email: m.email, url: linkUrl(c, token) } };
  });
  action('reset-2fa', async (c, id) => {
    await staff.resetTwoFactor(auditContext(c), id);
    return { notice: c.get('t')('staff.reset2faDone', { email: (await staff.get(auditContext(c), id)).email }) };
  });
  action('end-sessions', async (c, id) => {
    const n = await staff.endSessions(auditContext(c), id);
    return { notice: c.get('t')('staff.sessionsEnded', { count: n }) };
  });

  return app;
}
