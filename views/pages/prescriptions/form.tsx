/** @jsxImportSource hono/jsx */
// Writing a prescription: the licence number (remembered), fixed item rows (no JavaScript needed),
// and, when a medicine matches a recorded allergy, the warning with its "prescribe anyway" box.
import type { Frame } from '../../frame.ts';
import type { FieldErrors } from '../../../src/http/forms.ts';
import type { MessageKey } from '../../../src/i18n/index.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import type { AllergyMatch } from '../../../src/features/prescriptions/allergy.ts';
import { ITEM_TEXT, MAX_ROWS, fieldName, type ItemField } from '../../../src/features/prescriptions/forms.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';
import { AllergyLine, RxPatientLine } from './common.tsx';

type Values = Record<string, string>;

const LABEL: Record<ItemField, MessageKey> = {
  medicine: 'rx.item.medicine',
  strength: 'rx.item.strength',
  form: 'rx.item.form',
  dose: 'rx.item.dose',
  route: 'rx.item.route',
  frequency: 'rx.item.frequency',
  duration: 'rx.item.duration',
  quantity: 'rx.item.quantity',
  refills: 'rx.item.refills',
  instructionsEn: 'rx.item.instructionsEn',
  instructionsAr: 'rx.item.instructionsAr',
};
const SHORT: ItemField[] = ['medicine', 'strength', 'form', 'dose', 'route', 'frequency', 'duration', 'quantity', 'refills'];

function Input(props: { frame: Frame; v: Values; errors: FieldErrors; field: ItemField; row: number }) {
  const name = fieldName(props.field, props.row);
  const err = props.errors[name];
  const numeric = props.field === 'quantity' || props.field === 'refills';
  const max = numeric ? (props.field === 'quantity' ? 4 : 2) : ITEM_TEXT[props.field as keyof typeof ITEM_TEXT];
  const dir = props.field === 'instructionsAr' ? 'rtl' : props.field === 'instructionsEn' ? 'ltr' : 'auto';
  return (
    <Field frame={props.frame} name={name} label={props.frame.t(LABEL[props.field])} error={err}>
      {props.field.startsWith('instructions') ? (
        <textarea id={name} name={name} maxlength={max} rows={2} dir={dir} lang={props.field === 'instructionsAr' ? 'ar' : 'en'} aria-invalid={err ? 'true' : undefined}>
          {props.v[name] ?? ''}
        </textarea>
      ) : (
        <input
          id={name}
          name={name}
          type="text"
          inputmode={numeric ? 'numeric' : undefined}
          maxlength={max}
          value={props.v[name] ?? ''}
          dir={numeric ? 'ltr' : dir}
          aria-invalid={err ? 'true' : undefined}
          aria-describedby={err ? `${name}-error` : undefined}
        />
      )}
    </Field>
  );
}

/** One item row: the short fields in a grid, then the instructions in both languages. */
export function ItemRow(props: { frame: Frame; v: Values; errors: FieldErrors; row: number }) {
  const { frame, v, errors, row } = props;
  return (
    <fieldset class="stack rx-row" data-row={row}>
      <legend>{frame.t('rx.row', { n: row + 1 })}</legend>
      <div class="grid">
        {SHORT.map((field) => (
          <Input frame={frame} v={v} errors={errors} field={field} row={row} />
        ))}
      </div>
      <Input frame={frame} v={v} errors={errors} field="instructionsEn" row={row} />
      <Input frame={frame} v={v} errors={errors} field="instructionsAr" row={row} />
    </fieldset>
  );
}

/** With htmx, adds the next empty row in place; without it, the link opens the form with every row. */
export function AddRow(props: { frame: Frame; patientId: string; next: number }) {
  const base = `/patients/${props.patientId}/prescriptions/new`;
  return (
    <p id="rx-add-row">
      <a href={`${base}?rows=${MAX_ROWS}`} hx-get={`${base}/row?n=${props.next}`} hx-target="#rx-add-row" hx-swap="outerHTML">
        {props.frame.t('rx.addRow')}
      </a>
    </p>
  );
}

/** The htmx answer to "add a row": row n and the button for the one after. */
export function ItemRowFragment(props: { frame: Frame; patientId: string; row: number }) {
  return (
    <>
      <ItemRow frame={props.frame} v={{}} errors={{}} row={props.row} />
      {props.row + 1 < MAX_ROWS && <AddRow frame={props.frame} patientId={props.patientId} next={props.row + 1} />}
    </>
  );
}

export interface PrescriptionFormProps {
  frame: Frame;
  patient: Patient;
  /** Editing this draft (else a new prescription). */
  rxId?: string;
  values: Values;
  rows: number;
  allergies: string[];
  errors?: FieldErrors;
  warnings?: AllergyMatch[];
}

export function PrescriptionFormPage(props: PrescriptionFormProps) {
  const { frame } = props;
  const { t } = frame;
  const v = props.values;
  const errors = props.errors ?? {};
  const p = props.patient;
  const rows = Array.from({ length: props.rows }, (_, i) => i);
  return (
    <section class="card">
      <h1>{t(props.rxId ? 'rx.edit' : 'rx.new')}</h1>
      <RxPatientLine frame={frame} patient={p} />
      <AllergyLine frame={frame} substances={props.allergies} />
      {errors._form && <Alert>{t(errors._form)}</Alert>}
      {Object.keys(errors).some((k) => k !== '_form') && <Alert>{t('rx.error.fix')}</Alert>}
      <form method="post" action={props.rxId ? `/prescriptions/${props.rxId}` : `/patients/${p.id}/prescriptions`} class="stack">
        <Csrf frame={frame} />
        <input type="hidden" name="rows" value={String(props.rows)} />
        {v.encounterId && <input type="hidden" name="encounterId" value={v.encounterId} />}
        {props.warnings && props.warnings.length > 0 && (
          <div class="alert" role="alert" data-testid="allergy-warning">
            <p>
              <strong>{t('rx.allergy.warning')}</strong>
            </p>
            <ul>
              {props.warnings.map((w) => (
                <li>
                  <bdi dir="auto">{w.medicine}</bdi> — {t('rx.allergy.substance')} <bdi dir="auto">{w.substance}</bdi>
                </li>
              ))}
            </ul>
            <label>
              <input type="checkbox" name="prescribeAnyway" value="1" /> {t('rx.allergy.prescribeAnyway')}
            </label>
          </div>
        )}
        <Field frame={frame} name="licenceNo" label={t('rx.licence')} error={errors.licenceNo} hint={t('rx.licenceHint')}>
          <input id="licenceNo" name="licenceNo" type="text" maxlength={40} required value={v.licenceNo ?? ''} dir="ltr" aria-invalid={errors.licenceNo ? 'true' : undefined} />
        </Field>
        {rows.map((row) => (
          <ItemRow frame={frame} v={v} errors={errors} row={row} />
        ))}
        {props.rows < MAX_ROWS && <AddRow frame={frame} patientId={p.id} next={props.rows} />}
        <p class="row">
          <button type="submit">{t('rx.save')}</button>
          <a href={`/patients/${p.id}/prescriptions`}>{t('rx.back')}</a>
        </p>
      </form>
    </section>
  );
}
