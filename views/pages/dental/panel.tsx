/** @jsxImportSource hono/jsx */
// One tooth: what is charted on it (as of the chosen date), its planned work, drafts awaiting a
// dentist, notes and history, and the form for a new entry. The chart page shows it under the
// drawing (the drawing needs the full width to stay legible); htmx loads it alone into the panel;
// without JavaScript the tooth's link opens the page with it. Corrections are new entries: the small forms here remove, confirm or reject.
import type { Child } from 'hono/jsx';
import type { Frame } from '../../frame.ts';
import type { FieldErrors } from '../../../src/http/forms.ts';
import type { MessageKey } from '../../../src/i18n/index.ts';
import { formatDateTime } from '../../../src/i18n/format.ts';
import { MATERIALS, STATUSES, SURFACES, SURFACE_FINDINGS, TOOTH_STATES, TOOTH_TREATMENTS, type FindingKind } from '../../../src/dental/findings.ts';
import { stateOf, type Finding, type ToothChart } from '../../../src/dental/fold.ts';
import { dentalHref, type ViewOptions } from '../../../src/features/dental/forms.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';
import { findingName, findingText, materialName, surfaceLabel, toothLabel, toothName, toothNumbers } from './labels.ts';

export interface PanelProps {
  frame: Frame;
  patientId: string;
  tooth: number;
  chart: ToothChart | undefined;
  names: Map<string, string>;
  view: ViewOptions;
  /** Viewing an earlier date: nothing can be charted. */
  past: boolean;
  canWrite: boolean;
  canDraft: boolean;
  timezone: string;
  values?: Record<string, string> | undefined;
  errors?: FieldErrors | undefined;
  notice?: string | undefined;
}

const by = (p: PanelProps, f: { at: string; by: string }) =>
  p.frame.t('dental.by', { date: formatDateTime(f.at, p.frame.lang, p.timezone), name: p.names.get(f.by) ?? f.by });

/** A one-button form that posts one entry about an existing finding (remove, confirm, reject). */
function EntryButton(props: { p: PanelProps; f: Finding; action: 'record' | 'remove' | 'reject'; label: MessageKey; to: 'write' | 'draft' }) {
  const { p, f } = props;
  const action = `/patients/${p.patientId}/dental/teeth/${p.tooth}${props.to === 'draft' ? '/drafts' : ''}`;
  return (
    <form method="post" action={action} class="inline">
      <Csrf frame={p.frame} />
      <input type="hidden" name="finding" value={f.finding} />
      <input type="hidden" name="status" value={f.status} />
      <input type="hidden" name="action" value={props.action} />
      {props.action === 'record' && f.material && <input type="hidden" name="material" value={f.material} />}
      {f.surface && <input type="hidden" name={`surface_${f.surface}`} value="1" />}
      <input type="hidden" name="numbering" value={p.view.numbering} />
      {p.view.dentition && <input type="hidden" name="dentition" value={p.view.dentition} />}
      <button type="submit" class="link" aria-label={`${p.frame.t(props.label)}: ${findingText(p.frame.t, f)}`}>
        {p.frame.t(props.label)}
      </button>
    </form>
  );
}

function FindingList(props: { p: PanelProps; title: MessageKey; items: Finding[]; buttons: (f: Finding) => Child; kind: string }) {
  const { p } = props;
  if (props.items.length === 0) return null;
  return (
    <section data-list={props.kind}>
      <h3>{p.frame.t(props.title)}</h3>
      <ul>
        {props.items.map((f) => (
          <li data-finding={f.finding} data-surface={f.surface ?? 'tooth'} data-status={f.status} data-draft={f.draft ? '1' : undefined}>
            <strong dir="auto">{findingText(p.frame.t, f)}</strong> <small>{by(p, f)}</small>
            {f.note && (
              <>
                {' · '}
                <span dir="auto">{f.note}</span>
              </>
            )}{' '}
            {props.buttons(f)}
          </li>
        ))}
      </ul>
    </section>
  );
}

const GROUPS: [MessageKey, readonly FindingKind[]][] = [
  ['dental.group.surface', SURFACE_FINDINGS],
  ['dental.group.state', TOOTH_STATES],
  ['dental.group.treatment', TOOTH_TREATMENTS],
];

function EntryForm({ p }: { p: PanelProps }) {
  const { t } = p.frame;
  const v = p.values ?? {};
  const e = p.errors ?? {};
  const draftOnly = !p.canWrite;
  // A surface box is one field per surface; their errors show on the fieldset.
  const surfaceError = e.surfaces ?? SURFACES.map((s) => e[`surface_${s}`]).find(Boolean);
  return (
    <form method="post" action={`/patients/${p.patientId}/dental/teeth/${p.tooth}${draftOnly ? '/drafts' : ''}`} class="stack" data-form="entry">
      <h3>{t('dental.newEntry')}</h3>
      <Csrf frame={p.frame} />
      {draftOnly && <p class="hint">{t('dental.draftHint')}</p>}
      {Object.keys(e).length > 0 && <Alert>{t(e._form ?? e.action ?? e.numbering ?? e.dentition ?? 'dental.error.fix')}</Alert>}
      <Field frame={p.frame} name="finding" label={t('dental.finding')} error={e.finding}>
        <select id="finding" name="finding">
          {GROUPS.map(([label, kinds]) => (
            <optgroup label={t(label)}>
              {kinds.map((k) => (
                <option value={k} selected={v.finding === k}>
                  {findingName(t, k)}
                </option>
              ))}
            </optgroup>
          ))}
          <option value="note" selected={v.finding === 'note'}>
            {findingName(t, 'note')}
          </option>
        </select>
      </Field>
      <fieldset class={surfaceError ? 'roles invalid' : 'roles'} aria-describedby="surfaces-hint">
        <legend>{t('dental.surfaces')}</legend>
        <small class="hint" id="surfaces-hint">
          {t('dental.surfacesHint')}
        </small>
        {SURFACES.map((s) => (
          <label class="check">
            <input type="checkbox" name={`surface_${s}`} id={`surface_${s}`} value="1" checked={v[`surface_${s}`] === '1'} />
            {surfaceLabel(t, p.tooth, s)}
          </label>
        ))}
        {surfaceError && (
          <p class="field-error" role="alert">
            {t(surfaceError)}
          </p>
        )}
      </fieldset>
      <Field frame={p.frame} name="status" label={t('dental.statusLabel')} error={e.status}>
        <select id="status" name="status">
          {STATUSES.map((s) => (
            <option value={s} selected={v.status === s}>
              {t(`dental.status.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field frame={p.frame} name="material" label={t('dental.material')} error={e.material}>
        <select id="material" name="material">
          <option value="">{t('dental.materialNone')}</option>
          {MATERIALS.map((m) => (
            <option value={m} selected={v.material === m}>
              {materialName(t, m)}
            </option>
          ))}
        </select>
      </Field>
      <Field frame={p.frame} name="note" label={t('dental.note')} error={e.note}>
        <textarea id="note" name="note" maxlength={1000} rows={2} dir="auto">
          {v.note ?? ''}
        </textarea>
      </Field>
      <input type="hidden" name="numbering" value={p.view.numbering} />
      {p.view.dentition && <input type="hidden" name="dentition" value={p.view.dentition} />}
      <p class="hint">{t('dental.appendOnly')}</p>
      <button type="submit">{t(draftOnly ? 'dental.saveDraft' : 'dental.save')}</button>
    </form>
  );
}

export function ToothPanel(p: PanelProps) {
  const { t } = p.frame;
  const c = p.chart;
  const editable = !p.past && (p.canWrite || p.canDraft);
  const dentist = !p.past && p.canWrite;
  const state = stateOf(c);
  return (
    <div data-panel-tooth={p.tooth}>
      <h2>
        {toothLabel(t, p.tooth, p.view.numbering)} — <span dir="auto">{toothName(t, p.tooth)}</span> <small dir="auto">{toothNumbers(t, p.tooth)}</small>
      </h2>
      {p.notice && <Alert kind="info">{p.notice}</Alert>}
      <p data-state={state}>
        {t('dental.state')}: <strong>{findingName(t, state)}</strong>
        {c?.state && <small> · {by(p, c.state)}</small>}{' '}
        {dentist && c?.state && c.state.finding !== 'present' && <EntryButton p={p} f={c.state} action="remove" label="dental.remove" to="write" />}
      </p>
      <FindingList p={p} kind="findings" title="dental.findings" items={c?.findings ?? []} buttons={(f) => dentist && <EntryButton p={p} f={f} action="remove" label="dental.remove" to="write" />} />
      <FindingList p={p} kind="planned" title="dental.planned" items={c?.planned ?? []} buttons={(f) => dentist && <EntryButton p={p} f={f} action="remove" label="dental.remove" to="write" />} />
      <FindingList
        p={p}
        kind="drafts"
        title="dental.drafts"
        items={c?.drafts ?? []}
        buttons={(f) =>
          dentist && (
            <>
              <EntryButton p={p} f={f} action="record" label="dental.confirm" to="write" /> <EntryButton p={p} f={f} action="reject" label="dental.reject" to="write" />
            </>
          )
        }
      />
      {c && c.notes.length > 0 && (
        <section data-list="notes">
          <h3>{t('dental.notes')}</h3>
          <ul>
            {c.notes.map((n) => (
              <li>
                <span dir="auto">{n.note}</span> <small>{by(p, n)}</small>
              </li>
            ))}
          </ul>
        </section>
      )}
      {!c && <p>{t('dental.noFindings')}</p>}
      {editable && <EntryForm p={p} />}
      {c && c.history.length > 0 && (
        <details data-list="history">
          <summary>
            {t('dental.history')} ({c.history.length})
          </summary>
          <ol>
            {c.history.map((e) => (
              <li data-entry={e.id}>
                <small>{by(p, e)}</small> · {t(`dental.action.${e.action}`)}: <span dir="auto">{findingText(t, e)}</span>
                {e.note && (
                  <>
                    {' · '}
                    <span dir="auto">{e.note}</span>
                  </>
                )}
              </li>
            ))}
          </ol>
        </details>
      )}
      <p>
        <a href={`${dentalHref(p.patientId, p.view)}`}>{t('dental.backToChart')}</a>
      </p>
    </div>
  );
}
