/** @jsxImportSource hono/jsx */
// Template administration (form:manage): the list, the built-in set added on demand, a new
// template, one template with its versions, editing (saves the next version), retire and reinstate.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv, StaticUrls } from '../../http/env.ts';
import { renderPage } from '../../http/render.tsx';
import { parseForm, type FieldErrors } from '../../http/forms.ts';
import { can, redirect } from '../../access/guard.ts';
import { auditContext, markAudited } from '../../audit/context.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { FormTemplateService, Template, TemplateChange } from './templates.ts';
import { KINDS, formValuesOf, rowsFor, templateSchema, toContent, type FormKind } from './content.ts';
import { TemplateListPage, TemplatePage } from '../../../views/pages/forms/templates.tsx';
import { TemplateFormPage } from '../../../views/pages/forms/template-form.tsx';

const NOTICES: Record<string, MessageKey> = {
  created: 'consents.template.created',
  saved: 'consents.template.saved',
  unchanged: 'consents.template.unchanged',
  retired: 'consents.template.retiredNotice',
  reinstated: 'consents.template.reinstated',
  builtin: 'consents.template.builtinAdded',
};
const PROBLEMS: Record<Exclude<TemplateChange, { ok: true }>['problem'], MessageKey> = {
  'not-found': 'consents.error.templateUnusable',
  retired: 'consents.error.templateRetired',
  conflict: 'consents.error.templateConflict',
};
const emptySchema = z.object({}).strict();

export function templateRoutes(deps: { urls: StaticUrls; templates: FormTemplateService }) {
  const app = new Hono<AppEnv>();
  const { urls, templates } = deps;
  const clinicOf = (c: Context<AppEnv>) => c.get('viewer')!.clinicId;
  const t = (c: Context<AppEnv>) => c.get('t');
  const notice = (c: Context<AppEnv>) => {
    const key = NOTICES[c.req.query('done') ?? ''];
    return key ? { notice: t(c)(key) } : {};
  };

  const list = async (c: Context<AppEnv>, o: { notice?: string; error?: string } = {}) => {
    const all = await templates.list(clinicOf(c));
    return renderPage(c, urls, { title: t(c)('consents.templates.title'), body: (frame) => <TemplateListPage frame={frame} templates={all} {...o} /> });
  };

  const form = (c: Context<AppEnv>, o: { kind: FormKind; template?: Template; values: Record<string, string>; errors?: FieldErrors; error?: string }, status: 200 | 400 | 409 = 200) =>
    renderPage(c, urls, {
      title: t(c)(o.template ? 'consents.template.edit' : 'consents.template.new'),
      status,
      body: (frame) => <TemplateFormPage frame={frame} rows={rowsFor(o.values, o.values.rows)} errors={o.errors ?? {}} {...o} />,
    });

  /** The template of /admin/forms/:id, named in the audit event. */
  const templateOf = async (c: Context<AppEnv>): Promise<Template | Response> => {
    const tpl = await templates.get(clinicOf(c), c.req.param('id') ?? '');
    if (!tpl) return c.notFound();
    c.set('auditEntity', { type: 'form-template', id: tpl.id });
    return tpl;
  };

  app.get('/admin/forms', can('form:manage'), async (c) => list(c, notice(c)));

  app.post('/admin/forms/builtin', can('form:manage'), async (c) => {
    const parsed = await parseForm(c, emptySchema);
    if (!parsed.ok) return list(c, { error: t(c)(parsed.errors._form ?? 'form.invalid') });
    await templates.addBuiltins(auditContext(c));
    markAudited(c);
    return redirect(c, '/admin/forms?done=builtin');
  });

  app.get('/admin/forms/new', can('form:manage'), (c) => {
    const kind = (KINDS as readonly string[]).includes(c.req.query('kind') ?? '') ? (c.req.query('kind') as FormKind) : 'consent';
    return form(c, { kind, values: { kind, ...(c.req.query('rows') ? { rows: c.req.query('rows')! } : {}) } });
  });

  app.post('/admin/forms', can('form:manage'), async (c) => {
    const parsed = await parseForm(c, templateSchema);
    const kind: FormKind = parsed.raw.kind === 'questionnaire' ? 'questionnaire' : 'consent';
    const rows = String(rowsFor(parsed.raw, parsed.raw.rows));
    if (parsed.ok && parsed.data.more) return form(c, { kind, values: { ...parsed.raw, rows: String(Number(rows) + 3) } });
    if (!parsed.ok) return form(c, { kind, values: { ...parsed.raw, rows }, errors: parsed.errors }, 400);
    const content = toContent(parsed.data, kind);
    if (!content.ok) return form(c, { kind, values: { ...parsed.raw, rows }, errors: content.errors }, 400);
    const id = await templates.create(auditContext(c), kind, content.content);
    markAudited(c);
    return redirect(c, `/admin/forms/${id}?done=created`);
  });

  app.get('/admin/forms/:id', can('form:manage'), async (c) => {
    const tpl = await templateOf(c);
    if (tpl instanceof Response) return tpl;
    const versions = await templates.versions(clinicOf(c), tpl.id);
    const asked = Number(c.req.query('version') ?? tpl.currentVersion);
    const shown = versions.find((v) => v.version === asked) ?? tpl.current;
    return renderPage(c, urls, { title: t(c)('consents.templates.title'), body: (frame) => <TemplatePage frame={frame} template={tpl} versions={versions} shown={shown} {...notice(c)} /> });
  });

  app.get('/admin/forms/:id/edit', can('form:manage'), async (c) => {
    const tpl = await templateOf(c);
    if (tpl instanceof Response) return tpl;
    const values = { ...formValuesOf(tpl.current.content), basedOn: String(tpl.currentVersion), ...(c.req.query('rows') ? { rows: c.req.query('rows')! } : {}) };
    return form(c, { kind: tpl.kind, template: tpl, values });
  });

  app.post('/admin/forms/:id', can('form:manage'), async (c) => {
    const tpl = await templateOf(c);
    if (tpl instanceof Response) return tpl;
    const parsed = await parseForm(c, templateSchema);
    const rows = String(rowsFor(parsed.raw, parsed.raw.rows));
    const base = { kind: tpl.kind, template: tpl };
    if (parsed.ok && parsed.data.more) return form(c, { ...base, values: { ...parsed.raw, rows: String(Number(rows) + 3) } });
    if (!parsed.ok) return form(c, { ...base, values: { ...parsed.raw, rows }, errors: parsed.errors }, 400);
    if (parsed.data.kind && parsed.data.kind !== tpl.kind) return form(c, { ...base, values: { ...parsed.raw, rows }, errors: { kind: 'form.invalid' } }, 400);
    const content = toContent(parsed.data, tpl.kind);
    if (!content.ok) return form(c, { ...base, values: { ...parsed.raw, rows }, errors: content.errors }, 400);
    const out = await templates.update(auditContext(c), tpl.id, content.content, Number(parsed.data.basedOn ?? tpl.currentVersion));
    if (!out.ok) return form(c, { ...base, values: { ...parsed.raw, rows }, error: t(c)(PROBLEMS[out.problem]) }, 409);
    if (!out.changed) return redirect(c, `/admin/forms/${tpl.id}?done=unchanged`);
    markAudited(c);
    return redirect(c, `/admin/forms/${tpl.id}?done=saved`);
  });

  for (const [op, retired] of [['retire', true], ['reinstate', false]] as const) {
    app.post(`/admin/forms/:id/${op}`, can('form:manage'), async (c) => {
      const tpl = await templateOf(c);
      if (tpl instanceof Response) return tpl;
      const parsed = await parseForm(c, emptySchema);
      const versions = await templates.versions(clinicOf(c), tpl.id);
      const page = (error: string, status: 400 | 409) =>
        renderPage(c, urls, { title: t(c)('consents.templates.title'), status, body: (frame) => <TemplatePage frame={frame} template={tpl} versions={versions} shown={tpl.current} error={error} /> });
      if (!parsed.ok) return page(t(c)(parsed.errors._form ?? 'form.invalid'), 400);
      const out = await templates.setRetired(auditContext(c), tpl.id, retired);
      if (!out.ok) return page(t(c)(PROBLEMS[out.problem]), 409);
      markAudited(c);
      return redirect(c, `/admin/forms/${tpl.id}?done=${retired ? 'retired' : 'reinstated'}`);
    });
  }

  return app;
}
