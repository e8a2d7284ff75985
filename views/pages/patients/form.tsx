/** @jsxImportSource hono/jsx */
// Registering and correcting a patient: one form, filled from the posted values on errors.
import type { Frame } from '../../frame.ts';
import type { FieldErrors } from '../../../src/http/forms.ts';
import type { MessageKey } from '../../../src/i18n/index.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import { SEXES } from '../../../src/features/patients/demographics.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';
import { PatientNames } from './common.tsx';

type Values = Record<string, string>;

function Text(props: { frame: Frame; v: Values; errors: FieldErrors; name: string; label: MessageKey; max: number; type?: string; dir?: 'ltr' | 'rtl' | 'auto'; required?: boolean; hint?: string }) {
  return (
    <Field frame={props.frame} name={props.name} label={props.frame.t(props.label)} error={props.errors[props.name]} {...(props.hint ? { hint: props.hint } : {})}>
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        maxlength={props.max}
        value={props.v[props.name] ?? ''}
        dir={props.dir ?? 'auto'}
        required={props.required ?? false}
        aria-invalid={props.errors[props.name] ? 'true' : undefined}
        aria-describedby={props.errors[props.name] ? `${props.name}-error` : undefined}
      />
    </Field>
  );
}

export interface PatientFormProps {
  frame: Frame;
  mode: 'new' | 'edit';
  values?: Values;
  errors?: FieldErrors;
  problem?: string;
  /** Possible duplicates found on registration: shown with a "register anyway" checkbox. */
  duplicates?: Patient[];
  /** The CPR's first digits (YYMM) are not the birth month: shown with a "the CPR is right" checkbox. */
  cprMismatch?: boolean;
  patient?: Patient;
}

export function PatientFormPage(props: PatientFormProps) {
  const { frame } = props;
  const { t } = frame;
  const v = props.values ?? {};
  const errors = props.errors ?? {};
  const f = { frame, v, errors };
  const action = props.mode === 'new' ? '/patients' : `/patients/${props.patient!.id}`;
  const formError = errors._form;
  return (
    <section class="card">
      <h1>{props.mode === 'new' ? t('patients.register') : t('patients.editTitle', { mrn: props.patient!.mrn })}</h1>
      {props.problem && <Alert>{props.problem}</Alert>}
      {formError && <Alert>{t(formError)}</Alert>}
      {Object.keys(errors).some((k) => k !== '_form') && <Alert>{t('patients.error.fix')}</Alert>}
      {props.duplicates && props.duplicates.length > 0 && (
        <div class="alert" role="alert" data-testid="duplicates">
          <p>{t('patients.duplicate.warning')}</p>
          <ul>
            {props.duplicates.map((p) => (
              <li>
                <a href={`/patients/${p.id}`}>
                  <span dir="ltr">{p.mrn}</span> <PatientNames patient={p} />
                </a>{' '}
                <span dir="ltr">{p.demographics.dateOfBirth}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {props.cprMismatch && (
        <div class="alert" role="alert" data-testid="cpr-mismatch">
          <p>{t('patients.cprMismatch.warning')}</p>
        </div>
      )}
      <form method="post" action={action} class="stack">
        <Csrf frame={frame} />
        {props.mode === 'edit' && <input type="hidden" name="version" value={v.version ?? String(props.patient!.version)} />}
        <fieldset class="stack">
          <legend>{t('patients.section.namesEn')}</legend>
          <Text {...f} name="givenNameEn" label="patients.givenName" max={100} dir="ltr" />
          <Text {...f} name="familyNameEn" label="patients.familyName" max={100} dir="ltr" />
          <Text {...f} name="fullNameEn" label="patients.fullName" max={200} dir="ltr" hint={t('patients.fullNameHint')} />
        </fieldset>
        <fieldset class="stack">
          <legend>{t('patients.section.namesAr')}</legend>
          <Text {...f} name="givenNameAr" label="patients.givenName" max={100} dir="rtl" />
          <Text {...f} name="familyNameAr" label="patients.familyName" max={100} dir="rtl" />
          <Text {...f} name="fullNameAr" label="patients.fullName" max={200} dir="rtl" hint={t('patients.fullNameHint')} />
        </fieldset>
        <fieldset class="stack">
          <legend>{t('patients.section.identity')}</legend>
          <Text {...f} name="dateOfBirth" label="patients.dateOfBirth" max={10} type="date" dir="ltr" required />
          <Field frame={frame} name="sex" label={t('patients.sex')} error={errors.sex}>
            <select id="sex" name="sex">
              {SEXES.map((s) => (
                <option value={s} selected={(v.sex ?? 'unknown') === s}>
                  {t(`patients.sex.${s}`)}
                </option>
              ))}
            </select>
          </Field>
          <Text {...f} name="cpr" label="patients.cpr" max={20} dir="ltr" hint={t('patients.cprHint')} />
          <Text {...f} name="nationality" label="patients.nationality" max={60} />
          <Field frame={frame} name="preferredLanguage" label={t('patients.preferredLanguage')} error={errors.preferredLanguage}>
            <select id="preferredLanguage" name="preferredLanguage">
              <option value="ar" selected={(v.preferredLanguage ?? 'ar') === 'ar'}>
                {t('lang.ar')}
              </option>
              <option value="en" selected={v.preferredLanguage === 'en'}>
                {t('lang.en')}
              </option>
            </select>
          </Field>
        </fieldset>
        <fieldset class="stack">
          <legend>{t('patients.section.contact')}</legend>
          <Text {...f} name="phone" label="patients.phone" max={30} type="tel" dir="ltr" />
          <Text {...f} name="phone2" label="patients.phone2" max={30} type="tel" dir="ltr" />
          <Text {...f} name="email" label="patients.email" max={254} type="email" dir="ltr" />
          <Field frame={frame} name="address" label={t('patients.address')} error={errors.address}>
            <textarea id="address" name="address" maxlength={500} rows={2} dir="auto">
              {v.address ?? ''}
            </textarea>
          </Field>
        </fieldset>
        <fieldset class="stack">
          <legend>{t('patients.section.emergency')}</legend>
          <Text {...f} name="emergencyName" label="patients.emergencyName" max={200} />
          <Text {...f} name="emergencyRelationship" label="patients.emergencyRelationship" max={60} />
          <Text {...f} name="emergencyPhone" label="patients.emergencyPhone" max={30} type="tel" dir="ltr" />
        </fieldset>
        <fieldset class="stack">
          <legend>{t('patients.section.insurance')}</legend>
          <Text {...f} name="insurancePayer" label="patients.insurancePayer" max={120} />
          <Text {...f} name="insuranceMember" label="patients.insuranceMember" max={60} dir="ltr" />
          <Text {...f} name="insuranceExpiry" label="patients.insuranceExpiry" max={10} type="date" dir="ltr" />
        </fieldset>
        {props.mode === 'edit' && (
          <Field frame={frame} name="reason" label={t('patients.reason')} error={errors.reason}>
            <textarea id="reason" name="reason" maxlength={500} rows={2} required dir="auto">
              {v.reason ?? ''}
            </textarea>
          </Field>
        )}
        {props.duplicates && props.duplicates.length > 0 && (
          <label class="check">
            <input type="checkbox" name="registerAnyway" value="1" /> {t('patients.duplicate.registerAnyway')}
          </label>
        )}
        {props.cprMismatch && (
          <label class="check">
            <input type="checkbox" name="confirmCpr" value="1" /> {t('patients.cprMismatch.confirm')}
          </label>
        )}
        <div class="row">
          <button type="submit">{props.mode === 'new' ? t('patients.register') : t('patients.save')}</button>
          <a href={props.mode === 'new' ? '/patients' : `/patients/${props.patient!.id}`}>{t('common.cancel')}</a>
        </div>
      </form>
    </section>
  );
}
