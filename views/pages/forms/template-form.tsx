/** @jsxImportSource hono/jsx */
// A new template, or the next version of one: titles and bodies in English and Arabic, a consent's
// scope, and field rows (type, labels in both languages, required, a choice's options). "More field
// rows" posts the form back with more rows (no JavaScript needed, nothing saved).
import type { Frame } from '../../frame.ts';
import type { FieldErrors } from '../../../src/http/forms.ts';
import type { Template } from '../../../src/features/forms/repo.ts';
import { FIELD_TYPES, LIMITS, SCOPES, rowKey, type FormKind } from '../../../src/features/forms/content.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';
import { KindBadge } from './common.tsx';

type Values = Record<string, string>;

function TextInput(props: { frame: Frame; name: string; label: string; v: Values; errors: FieldErrors; max: number; lang?: 'en' | 'ar'; area?: boolean }) {
  const { name } = props;
  const dir = props.lang === 'ar' ? 'rtl' : props.lang === 'en' ? 'ltr' : 'auto';
  const err = props.errors[name];
  const common = { id: name, name, maxlength: props.max, dir, lang: props.lang, 'aria-invalid': err ? 'true' : undefined, 'aria-describedby': err ? `${name}-error` : undefined };
  return (
    <Field frame={props.frame} name={name} label={props.label} error={err}>
      {props.area ? <textarea {...common} rows={6}>{props.v[name] ?? ''}</textarea> : <input type="text" {...common} value={props.v[name] ?? ''} />}
    </Field>
  );
}

function FieldRow({ frame, i, v, errors }: { frame: Frame; i: number; v: Values; errors: FieldErrors }) {
  const t = frame.t;
  const type = rowKey('Type', i);
  return (
    <fieldset class="stack rx-row" data-field-row={i}>
      <legend>{t('consents.template.fieldN', { n: i + 1 })}</legend>
      <Field frame={frame} name={type} label={t('consents.template.fieldType')} error={errors[type]}>
        <select id={type} name={type}>
          <option value="">{t('consents.template.fieldUnused')}</option>
          {FIELD_TYPES.map((ft) => (
            <option value={ft} selected={v[type] === ft}>
              {t(`consents.fieldType.${ft}`)}
            </option>
          ))}
        </select>
      </Field>
      <TextInput frame={frame} name={rowKey('LabelEn', i)} label={t('consents.template.labelEn')} v={v} errors={errors} max={LIMITS.label} lang="en" />
      <TextInput frame={frame} name={rowKey('LabelAr', i)} label={t('consents.template.labelAr')} v={v} errors={errors} max={LIMITS.label} lang="ar" />
      <div class="field">
        <label class="check">
          <input type="checkbox" name={rowKey('Required', i)} value="1" checked={v[rowKey('Required', i)] === '1'} /> {t('consents.template.fieldRequired')}
        </label>
      </div>
      <Field frame={frame} name={rowKey('Options', i)} label={t('consents.template.options')} hint={t('consents.template.optionsHint')} error={errors[rowKey('Options', i)]}>
        <textarea id={rowKey('Options', i)} name={rowKey('Options', i)} maxlength={LIMITS.options} rows={3} dir="auto">
          {v[rowKey('Options', i)] ?? ''}
        </textarea>
      </Field>
    </fieldset>
  );
}

export function TemplateFormPage(props: { frame: Frame; kind: FormKind; template?: Template; values: Values; rows: number; errors: FieldErrors; error?: string }) {
  const { frame, kind, template: tpl, values: v, errors } = props;
  const t = frame.t;
  return (
    <section class="card">
      <h1>
        {t(tpl ? 'consents.template.edit' : 'consents.template.new')} <KindBadge frame={frame} kind={kind} />
      </h1>
      {tpl && <p class="hint">{t('consents.template.editHint', { version: tpl.currentVersion + 1 })}</p>}
      {props.error && <Alert>{props.error}</Alert>}
      {errors._form && <Alert>{t(errors._form)}</Alert>}
      {Object.keys(errors).length > 0 && !errors._form && <Alert>{t('consents.error.checkFields')}</Alert>}
      <form method="post" action={tpl ? `/admin/forms/${tpl.id}` : '/admin/forms'} class="stack">
        <Csrf frame={frame} />
        {!tpl && <input type="hidden" name="kind" value={kind} />}
        {tpl && <input type="hidden" name="basedOn" value={v.basedOn ?? String(tpl.currentVersion)} />}
        <input type="hidden" name="rows" value={String(props.rows)} />
        <TextInput frame={frame} name="titleEn" label={t('consents.template.titleEn')} v={v} errors={errors} max={LIMITS.title} lang="en" />
        <TextInput frame={frame} name="titleAr" label={t('consents.template.titleAr')} v={v} errors={errors} max={LIMITS.title} lang="ar" />
        <TextInput frame={frame} name="bodyEn" label={t('consents.template.bodyEn')} v={v} errors={errors} max={LIMITS.body} lang="en" area />
        <TextInput frame={frame} name="bodyAr" label={t('consents.template.bodyAr')} v={v} errors={errors} max={LIMITS.body} lang="ar" area />
        {kind === 'consent' && (
          <Field frame={frame} name="scope" label={t('consents.template.scope')} error={errors.scope}>
            <select id="scope" name="scope">
              <option value="">{t('consents.choose')}</option>
              {SCOPES.map((s) => (
                <option value={s} selected={v.scope === s}>
                  {t(`consents.scope.${s}`)}
                </option>
              ))}
            </select>
          </Field>
        )}
        <h2>{t('consents.template.fields')}</h2>
        {Array.from({ length: props.rows }, (_, i) => (
          <FieldRow frame={frame} i={i} v={v} errors={errors} />
        ))}
        <p class="row">
          {/* Saving comes first: Enter in a text field presses the form's first button. */}
          <button type="submit">{t(tpl ? 'consents.template.saveVersion' : 'consents.template.create')}</button>
          <button type="submit" name="more" value="1" class="secondary" formnovalidate>
            {t('consents.template.moreRows')}
          </button>
          <a href={tpl ? `/admin/forms/${tpl.id}` : '/admin/forms'}>{t('common.cancel')}</a>
        </p>
      </form>
    </section>
  );
}
