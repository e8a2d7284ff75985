/** @jsxImportSource hono/jsx */
// Forms for vitals, allergies, problems and medications, and the ICD-10 picker's options.
import type { Child } from 'hono/jsx';
import type { Frame } from '../../frame.ts';
import type { FieldErrors } from '../../../src/http/forms.ts';
import type { MessageKey } from '../../../src/i18n/index.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';
import { VITAL_FIELDS, VITAL_RANGES } from '../../../src/features/clinical/vitals.ts';
import { SEVERITIES } from '../../../src/features/clinical/types.ts';
import type { Icd10Match } from '../../../src/clinical/icd10/index.ts';

type Values = Record<string, string>;
interface FormProps {
  frame: Frame;
  patientId: string;
  values?: Values;
  errors?: FieldErrors;
}

function ClinicalForm(props: FormProps & { title: MessageKey; action: string; children: Child }) {
  const { t } = props.frame;
  const e = props.errors ?? {};
  return (
    <section>
      <p>
        <a href={`/patients/${props.patientId}`}>{t('clinical.backToChart')}</a>
      </p>
      <h1>{t(props.title)}</h1>
      <form method="post" action={props.action}>
        <Csrf frame={props.frame} />
        {e._form && <Alert>{t(e._form)}</Alert>}
        {props.children}
        <button type="submit">{t('clinical.save')}</button>
      </form>
    </section>
  );
}

const text = (p: FormProps, name: string, label: MessageKey, max: number, dir: 'auto' | 'ltr' = 'auto', type = 'text') => (
  <Field frame={p.frame} name={name} label={p.frame.t(label)} error={p.errors?.[name]}>
    <input id={name} name={name} type={type} value={p.values?.[name] ?? ''} maxlength={max} dir={dir} />
  </Field>
);

const UNITS: Record<(typeof VITAL_FIELDS)[number], string> = {
  systolic: 'mmHg',
  diastolic: 'mmHg',
  pulse: '/min',
  temperatureC: '°C',
  respRate: '/min',
  spo2: '%',
  weightKg: 'kg',
  heightCm: 'cm',
};

export function VitalsFormPage(props: FormProps & { encounterId?: string }) {
  const { t } = props.frame;
  return (
    <ClinicalForm {...props} title="clinical.vitals.record" action={`/patients/${props.patientId}/vitals`}>
      {props.encounterId && <input type="hidden" name="encounterId" value={props.encounterId} />}
      {props.errors?.encounterId && <Alert>{t(props.errors.encounterId)}</Alert>}
      {VITAL_FIELDS.map((f) => {
        const r = VITAL_RANGES[f];
        return (
          <Field frame={props.frame} name={f} label={`${t(`clinical.vitals.${f}` as MessageKey)} (${UNITS[f]})`} error={props.errors?.[f]} hint={`${r.min}–${r.max}`}>
            <input id={f} name={f} inputmode="decimal" value={props.values?.[f] ?? ''} maxlength={7} dir="ltr" />
          </Field>
        );
      })}
      <p class="hint">{t('clinical.vitals.bmiHint')}</p>
    </ClinicalForm>
  );
}

export function AllergyFormPage(props: FormProps) {
  const { t } = props.frame;
  return (
    <ClinicalForm {...props} title="clinical.allergies.add" action={`/patients/${props.patientId}/allergies`}>
      {text(props, 'substance', 'clinical.allergies.substance', 200)}
      {text(props, 'reaction', 'clinical.allergies.reaction', 500)}
      <Field frame={props.frame} name="severity" label={t('clinical.allergies.severity')} error={props.errors?.severity}>
        <select id="severity" name="severity">
          {SEVERITIES.map((s) => (
            <option value={s} selected={props.values?.severity === s}>
              {t(`clinical.severity.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </Field>
    </ClinicalForm>
  );
}

export function ProblemFormPage(props: FormProps) {
  return (
    <ClinicalForm {...props} title="clinical.problems.add" action={`/patients/${props.patientId}/problems`}>
      {text(props, 'code', 'clinical.dx.code', 12, 'ltr')}
      {text(props, 'text', 'clinical.dx.text', 500)}
      {text(props, 'onset', 'clinical.problems.onset', 10, 'ltr', 'date')}
    </ClinicalForm>
  );
}

export function MedicationFormPage(props: FormProps) {
  return (
    <ClinicalForm {...props} title="clinical.medications.add" action={`/patients/${props.patientId}/medications`}>
      {text(props, 'name', 'clinical.medications.name', 200)}
      {text(props, 'strength', 'clinical.medications.strength', 100)}
      {text(props, 'dose', 'clinical.medications.dose', 200)}
      {text(props, 'startDate', 'clinical.medications.start', 10, 'ltr', 'date')}
    </ClinicalForm>
  );
}

/** The diagnosis picker's suggestions (replaces the form's empty datalist). */
export function Icd10Options({ matches }: { matches: Icd10Match[] }) {
  return (
    <datalist id="icd10-options">
      {matches.map((m) => (
        <option value={m.code}>{`${m.code} ${m.title}`}</option>
      ))}
    </datalist>
  );
}
