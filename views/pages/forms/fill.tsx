/** @jsxImportSource hono/jsx */
// Filling a consent or questionnaire for a patient: the template's text in both languages, its
// questions, who signs (patient or guardian with relationship), the date, the witness and, for a
// consent, the signature. The canvas appears only when static/js/signature.js runs; the typed name
// with "I confirm" works without JavaScript.
import type { Child } from 'hono/jsx';
import type { Frame } from '../../frame.ts';
import type { FieldErrors } from '../../../src/http/forms.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import type { Template } from '../../../src/features/forms/repo.ts';
import type { FormField } from '../../../src/features/forms/content.ts';
import type { StaffMemberName } from '../../../src/features/forms/service.ts';
import { MAX_ANSWER, MAX_NAME, RELATIONSHIPS, answerKey } from '../../../src/features/forms/answers.ts';
import { PAD_HEIGHT, PAD_WIDTH } from '../../../src/features/forms/signature.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';
import { RxPatientLine } from '../prescriptions/common.tsx';
import { FieldLabel, TemplateText } from './common.tsx';

type Values = Record<string, string>;

function ErrorLine({ frame, name, errors }: { frame: Frame; name: string; errors: FieldErrors }) {
  const err = errors[name];
  return err ? (
    <p class="field-error" id={`${name}-error`} role="alert">
      {frame.t(err)}
    </p>
  ) : null;
}

/** Radio buttons in a fieldset (yes/no, a choice, the signer). */
function Radios(props: { frame: Frame; name: string; legend: Child; choices: [value: string, label: string][]; v: Values; errors: FieldErrors; required?: boolean }) {
  const { name } = props;
  return (
    <fieldset class={props.errors[name] ? 'stack invalid' : 'stack'} aria-describedby={props.errors[name] ? `${name}-error` : undefined}>
      <legend>
        {props.legend}
        {props.required && ' *'}
      </legend>
      <div class="row">
        {props.choices.map(([value, label]) => (
          <label class="check">
            <input type="radio" name={name} value={value} checked={props.v[name] === value} /> {label}
          </label>
        ))}
      </div>
      <ErrorLine frame={props.frame} name={name} errors={props.errors} />
    </fieldset>
  );
}

function Question({ frame, field, v, errors }: { frame: Frame; field: FormField; v: Values; errors: FieldErrors }) {
  const name = answerKey(field);
  const t = frame.t;
  if (field.type === 'yesno') {
    const choices: [string, string][] = [['yes', t('consents.answer.yes')], ['no', t('consents.answer.no')]];
    return <Radios frame={frame} name={name} legend={<FieldLabel field={field} />} choices={choices} v={v} errors={errors} required={field.required} />;
  }
  if (field.type === 'choice') {
    const choices = (field.options ?? []).map((o): [string, string] => [o.value, `${o.en} · ${o.ar}`]);
    return <Radios frame={frame} name={name} legend={<FieldLabel field={field} />} choices={choices} v={v} errors={errors} required={field.required} />;
  }
  return (
    <div class={errors[name] ? 'field invalid' : 'field'}>
      <label for={name}>
        {/* One inline run: labels stack their children. */}
        <span>
          <FieldLabel field={field} />
          {field.required && ' *'}
        </span>
      </label>
      <input
        id={name}
        name={name}
        type={field.type === 'date' ? 'date' : 'text'}
        maxlength={MAX_ANSWER}
        dir="auto"
        value={v[name] ?? ''}
        aria-invalid={errors[name] ? 'true' : undefined}
        aria-describedby={errors[name] ? `${name}-error` : undefined}
      />
      <ErrorLine frame={frame} name={name} errors={errors} />
    </div>
  );
}

function SignatureFields({ frame, v, errors }: { frame: Frame; v: Values; errors: FieldErrors }) {
  const t = frame.t;
  return (
    <fieldset class="stack signature-field" id="signature-field">
      <legend>{t('consents.signature')}</legend>
      <div class="signature-pad" data-signature-pad hidden>
        <p class="hint">{t('consents.signature.drawHint')}</p>
        <canvas width={PAD_WIDTH} height={PAD_HEIGHT} data-signature-canvas role="img" aria-label={t('consents.signature.canvas')}></canvas>
        <p class="row">
          <button type="button" class="link" data-signature-clear>
            {t('consents.signature.clear')}
          </button>
        </p>
      </div>
      <input type="hidden" name="signature" id="signature" value={v.signature ?? ''} />
      <ErrorLine frame={frame} name="signature" errors={errors} />
      <p class="hint">{t('consents.signature.typedHint')}</p>
      <Field frame={frame} name="typedName" label={t('consents.typedName')} error={errors.typedName}>
        <input id="typedName" name="typedName" type="text" maxlength={MAX_NAME} autocomplete="off" dir="auto" value={v.typedName ?? ''} />
      </Field>
      <div class={errors.confirm ? 'field invalid' : 'field'}>
        <label class="check">
          <input type="checkbox" name="confirm" value="1" checked={v.confirm === '1'} /> {t('consents.confirm')}
        </label>
        <ErrorLine frame={frame} name="confirm" errors={errors} />
      </div>
    </fieldset>
  );
}

export function FillFormPage(props: {
  frame: Frame;
  patient: Patient;
  template: Template;
  witnesses: StaffMemberName[];
  today: string;
  values: Values;
  errors: FieldErrors;
  error?: string;
}) {
  const { frame, patient, template: tpl, values: v, errors } = props;
  const t = frame.t;
  const consent = tpl.kind === 'consent';
  return (
    <section class="card consent-form" data-template={tpl.id} data-version={tpl.currentVersion}>
      <RxPatientLine frame={frame} patient={patient} />
      {props.error && <Alert>{props.error}</Alert>}
      {errors._form && <Alert>{t(errors._form)}</Alert>}
      <TemplateText content={tpl.current.content} level={1} />
      <form method="post" action={`/patients/${patient.id}/forms`} class="stack" data-form-fill>
        <Csrf frame={frame} />
        <input type="hidden" name="templateId" value={tpl.id} />
        <input type="hidden" name="version" value={String(tpl.currentVersion)} />
        {v.submission && <input type="hidden" name="submission" value={v.submission} />}
        {tpl.current.content.fields.map((f) => (
          <Question frame={frame} field={f} v={v} errors={errors} />
        ))}
        <Radios
          frame={frame}
          name="signer"
          legend={t(consent ? 'consents.signer' : 'consents.completedBy')}
          choices={[['patient', t('consents.signer.patient')], ['guardian', t('consents.signer.guardian')]]}
          v={v}
          errors={errors}
        />
        <Field frame={frame} name="guardianName" label={t('consents.guardianName')} hint={t('consents.guardianHint')} error={errors.guardianName}>
          <input id="guardianName" name="guardianName" type="text" maxlength={MAX_NAME} dir="auto" value={v.guardianName ?? ''} />
        </Field>
        <Field frame={frame} name="relationship" label={t('consents.relationship')} error={errors.relationship}>
          <select id="relationship" name="relationship">
            <option value="">{t('consents.choose')}</option>
            {RELATIONSHIPS.map((r) => (
              <option value={r} selected={v.relationship === r}>
                {t(`consents.relationship.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field frame={frame} name="signedOn" label={t('consents.signedOn')} error={errors.signedOn}>
          <input id="signedOn" name="signedOn" type="date" max={props.today} required value={v.signedOn ?? ''} />
        </Field>
        <Field frame={frame} name="witness" label={t(consent ? 'consents.witness' : 'consents.takenBy')} error={errors.witness}>
          <select id="witness" name="witness">
            {props.witnesses.map((w) => (
              <option value={w.userId} selected={v.witness === w.userId}>
                {w.name}
              </option>
            ))}
          </select>
        </Field>
        {consent && <SignatureFields frame={frame} v={v} errors={errors} />}
        <p class="row">
          <button type="submit">{t(consent ? 'consents.sign' : 'consents.saveForm')}</button>
          <a href={`/patients/${patient.id}/forms`}>{t('common.cancel')}</a>
        </p>
      </form>
      {consent && <script src={frame.urls.signature} defer></script>}
    </section>
  );
}
