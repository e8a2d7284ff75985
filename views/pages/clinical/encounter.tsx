/** @jsxImportSource hono/jsx */
// One encounter: the note form while it is a draft, the signed note and its addenda after.
import type { Frame } from '../../frame.ts';
import type { FieldErrors } from '../../../src/http/forms.ts';
import type { MessageKey } from '../../../src/i18n/index.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';
import { ENCOUNTER_TYPES, NOTE_FIELDS, type Encounter } from '../../../src/features/clinical/types.ts';
import { statusLabel, typeLabel, VitalsLine, when } from './common.tsx';
import { utcToLocal } from '../../../src/features/clinical/time.ts';

type Values = Record<string, string>;

const NOTE_LABEL: Record<(typeof NOTE_FIELDS)[number], MessageKey> = {
  chiefComplaint: 'clinical.note.chiefComplaint',
  subjective: 'clinical.note.subjective',
  objective: 'clinical.note.objective',
  assessment: 'clinical.note.assessment',
  plan: 'clinical.note.plan',
};

/** The note, plus a diagnosis and a procedure to add; posts to `action`. */
export function EncounterForm(props: { frame: Frame; action: string; values?: Values | undefined; errors?: FieldErrors | undefined; submit: MessageKey }) {
  const { frame } = props;
  const { t } = frame;
  const v = props.values ?? {};
  const e = props.errors ?? {};
  return (
    <form method="post" action={props.action} class="encounter-form">
      <Csrf frame={frame} />
      {e._form && <Alert>{t(e._form)}</Alert>}
      <Field frame={frame} name="type" label={t('clinical.encounter.type')} error={e.type}>
        <select id="type" name="type">
          {ENCOUNTER_TYPES.map((ty) => (
            <option value={ty} selected={(v.type ?? 'consultation') === ty}>
              {typeLabel(frame, ty)}
            </option>
          ))}
        </select>
      </Field>
      <Field frame={frame} name="startedAt" label={t('clinical.encounter.startedAt')} error={e.startedAt} hint={t('clinical.encounter.startedAtHint')}>
        <input id="startedAt" name="startedAt" type="datetime-local" value={v.startedAt ?? ''} dir="ltr" />
      </Field>
      {NOTE_FIELDS.map((f) => (
        <Field frame={frame} name={f} label={t(NOTE_LABEL[f])} error={e[f]}>
          {f === 'chiefComplaint' ? (
            <input id={f} name={f} value={v[f] ?? ''} maxlength={500} dir="auto" />
          ) : (
            <textarea id={f} name={f} rows={4} maxlength={20000} dir="auto">
              {v[f] ?? ''}
            </textarea>
          )}
        </Field>
      ))}
      <fieldset>
        <legend>{t('clinical.dx.add')}</legend>
        <Field frame={frame} name="dxCode" label={t('clinical.dx.code')} error={e.dxCode} hint={t('clinical.dx.hint')}>
          <input
            id="dxCode"
            name="dxCode"
            value={v.dxCode ?? ''}
            maxlength={12}
            dir="ltr"
            list="icd10-options"
            autocomplete="off"
            hx-get="/icd10"
            hx-trigger="input changed delay:300ms"
            hx-target="#icd10-options"
            hx-swap="outerHTML"
          />
        </Field>
        <datalist id="icd10-options"></datalist>
        <Field frame={frame} name="dxText" label={t('clinical.dx.text')} error={e.dxText}>
          <input id="dxText" name="dxText" value={v.dxText ?? ''} maxlength={500} dir="auto" />
        </Field>
      </fieldset>
      <fieldset>
        <legend>{t('clinical.proc.add')}</legend>
        <Field frame={frame} name="procCode" label={t('clinical.proc.code')} error={e.procCode}>
          <input id="procCode" name="procCode" value={v.procCode ?? ''} maxlength={20} dir="ltr" />
        </Field>
        <Field frame={frame} name="procText" label={t('clinical.proc.text')} error={e.procText}>
          <input id="procText" name="procText" value={v.procText ?? ''} maxlength={500} dir="auto" />
        </Field>
      </fieldset>
      <button type="submit">{t(props.submit)}</button>
    </form>
  );
}

export function EncounterNewPage(props: { frame: Frame; patientId: string; values?: Values | undefined; errors?: FieldErrors | undefined }) {
  return (
    <section>
      <p>
        <a href={`/patients/${props.patientId}`}>{props.frame.t('clinical.backToChart')}</a>
      </p>
      <h1>{props.frame.t('clinical.encounters.new')}</h1>
      <EncounterForm frame={props.frame} action={`/patients/${props.patientId}/encounters/new`} submit="clinical.encounter.saveDraft" values={props.values} errors={props.errors} />
    </section>
  );
}

export interface EncounterPageProps {
  frame: Frame;
  encounter: Encounter;
  names: Map<string, string>;
  timezone: string;
  canWrite: boolean;
  canSign: boolean;
  /** The draft is the viewer's own: only its author edits or signs it. */
  isAuthor: boolean;
  canVitals: boolean;
  notice?: string | undefined;
  problem?: string | undefined;
  values?: Values | undefined;
  errors?: FieldErrors | undefined;
  addendumError?: MessageKey | undefined;
}

export function EncounterPage(props: EncounterPageProps) {
  const { frame, encounter: e, names, timezone: tz } = props;
  const { t } = frame;
  const draft = e.status === 'draft';
  const values: Values = props.values ?? { type: e.type, startedAt: utcToLocal(e.startedAt, tz), ...e.notes };
  return (
    <article class="encounter" data-encounter={e.id} data-status={e.status}>
      <p class="row">
        <a href={`/patients/${e.patientId}`}>{t('clinical.backToChart')}</a>
        <a href={`/patients/${e.patientId}/encounters`}>{t('clinical.encounters.all')}</a>
      </p>
      <h1>
        {typeLabel(frame, e.type)} · <time datetime={e.startedAt}>{when(frame, e.startedAt, tz)}</time>
      </h1>
      <p>
        {t('clinical.encounter.clinician')}: {names.get(e.clinicianId) ?? ''} · <span class={`badge ${e.status}`}>{statusLabel(frame, e.status)}</span>
        {e.signedAt && <> · {t('clinical.encounter.signedBy', { name: names.get(e.signedBy ?? '') ?? '', at: when(frame, e.signedAt, tz) })}</>}
      </p>
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {props.problem && <Alert>{props.problem}</Alert>}
      {e.diagnoses.length > 0 && (
        <section>
          <h2>{t('clinical.dx.title')}</h2>
          <ul>
            {e.diagnoses.map((d) => (
              <li data-diagnosis={d.id}>
                {d.icd10 && <code dir="ltr">{d.icd10}</code>} <span dir="auto">{d.text}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {e.procedures.length > 0 && (
        <section>
          <h2>{t('clinical.proc.title')}</h2>
          <ul>
            {e.procedures.map((p) => (
              <li>
                {p.code && <code dir="ltr">{p.code}</code>} <span dir="auto">{p.text}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h2>{t('clinical.vitals.title')}</h2>
        <ul>
          {e.vitals.map((v) => (
            <li>
              <time datetime={v.takenAt}>{when(frame, v.takenAt, tz)}</time>: <VitalsLine frame={frame} v={v} />
            </li>
          ))}
        </ul>
        {props.canVitals && <a href={`/patients/${e.patientId}/vitals/new?encounter=${e.id}`}>{t('clinical.vitals.record')}</a>}
      </section>
      {frame.viewer?.permissions.has('document:upload') && (
        <p>
          <a href={`/patients/${e.patientId}/documents/new?encounter=${e.id}`}>{t('docs.upload')}</a>
        </p>
      )}
      {draft && props.canWrite && props.isAuthor ? (
        <EncounterForm frame={frame} action={`/encounters/${e.id}`} values={values} errors={props.errors} submit="clinical.encounter.saveDraft" />
      ) : (
        <section class="notes">
          {NOTE_FIELDS.map((f) =>
            e.notes[f] ? (
              <>
                <h2>{t(NOTE_LABEL[f])}</h2>
                <p class="note" dir="auto">
                  {e.notes[f]}
                </p>
              </>
            ) : null,
          )}
        </section>
      )}
      {draft && props.canSign && props.isAuthor && (
        <form method="post" action={`/encounters/${e.id}/sign`}>
          <Csrf frame={frame} />
          <button type="submit">{t('clinical.encounter.sign')}</button>
        </form>
      )}
      {!draft && (
        <section class="addenda">
          <h2>{t('clinical.addenda.title')}</h2>
          <ul>
            {e.addenda.map((a) => (
              <li data-addendum={a.id}>
                <small>
                  <time datetime={a.at}>{when(frame, a.at, tz)}</time> · {names.get(a.authorId) ?? ''}
                </small>
                <p class="note" dir="auto">
                  {a.text}
                </p>
              </li>
            ))}
          </ul>
          {props.canWrite && (
            <form method="post" action={`/encounters/${e.id}/addenda`}>
              <Csrf frame={frame} />
              <Field frame={frame} name="text" label={t('clinical.addenda.add')} error={props.addendumError}>
                <textarea id="text" name="text" rows={3} maxlength={20000} dir="auto"></textarea>
              </Field>
              <button type="submit">{t('clinical.addenda.save')}</button>
            </form>
          )}
        </section>
      )}
    </article>
  );
}
