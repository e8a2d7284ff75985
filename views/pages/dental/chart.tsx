/** @jsxImportSource hono/jsx */
// The dental chart page: display options (date, numbering, dentition) as a plain GET form, the
// odontogram, the tooth panel, and every finding as a table (the drawing's text equivalent).
import type { Frame } from '../../frame.ts';
import type { Patient } from '../../../src/features/patients/repo.ts';
import type { MessageKey } from '../../../src/i18n/index.ts';
import type { DentalChart } from '../../../src/dental/fold.ts';
import { DENTITION_VIEWS, NUMBERINGS, displayNumber, type DentitionView } from '../../../src/dental/teeth.ts';
import { dentalHref, type ViewOptions } from '../../../src/features/dental/forms.ts';
import { Alert } from '../../components/form.tsx';
import { PatientNames } from '../patients/common.tsx';
import { Odontogram } from './odontogram.tsx';
import { ToothPanel, type PanelProps } from './panel.tsx';
import { findingName, findingText, toothName } from './labels.ts';

export const PANEL_ID = 'dental-panel';

export interface DentalPageProps {
  frame: Frame;
  patient: Patient;
  chart: DentalChart;
  names: Map<string, string>;
  view: ViewOptions;
  /** The dentition drawn (the view's, or the chart's default). */
  dentition: DentitionView;
  today: string;
  past: boolean;
  timezone: string;
  canWrite: boolean;
  canDraft: boolean;
  selected?: number | undefined;
  panel?: Pick<PanelProps, 'values' | 'errors' | 'notice'>;
  queryError?: MessageKey | undefined;
  notice?: string | undefined;
}

function Options({ p }: { p: DentalPageProps }) {
  const { t } = p.frame;
  const action = `/patients/${p.patient.id}/dental${p.selected ? `/teeth/${p.selected}` : ''}`;
  return (
    <form method="get" action={action} class="row filters" data-form="view">
      <label>
        {t('dental.asOf')}
        <input type="date" name="asOf" value={p.view.asOf ?? ''} max={p.today} aria-invalid={p.queryError ? 'true' : undefined} />
      </label>
      <label>
        {t('dental.numbering')}
        <select name="numbering">
          {NUMBERINGS.map((n) => (
            <option value={n} selected={p.view.numbering === n}>
              {t(`dental.numbering.${n}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('dental.dentition')}
        <select name="dentition">
          {DENTITION_VIEWS.map((d) => (
            <option value={d} selected={p.dentition === d}>
              {t(`dental.dentition.${d}`)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="secondary">
        {t('dental.show')}
      </button>
      {p.past && <a href={dentalHref(p.patient.id, { ...p.view, asOf: undefined }, p.selected)}>{t('dental.today')}</a>}
    </form>
  );
}

function FindingsTable({ p }: { p: DentalPageProps }) {
  const { t } = p.frame;
  const teeth = [...p.chart.teeth.values()];
  return (
    <section class="card" data-list="all-findings">
      <h2>{t('dental.listTitle')}</h2>
      {teeth.length === 0 ? (
        <p>{t('dental.noFindings')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('dental.toothColumn')}</th>
              <th>{t('dental.state')}</th>
              <th>{t('dental.findings')}</th>
              <th>{t('dental.planned')}</th>
              <th>{t('dental.drafts')}</th>
            </tr>
          </thead>
          <tbody>
            {teeth.map((c) => (
              <tr data-tooth-row={c.tooth}>
                <td>
                  <a href={`${dentalHref(p.patient.id, p.view, c.tooth)}#${PANEL_ID}`}>
                    <strong dir="ltr">{displayNumber(c.tooth, p.view.numbering)}</strong>
                  </a>{' '}
                  <small dir="auto">{toothName(t, c.tooth)}</small>
                </td>
                <td>{c.state ? findingName(t, c.state.finding) : '—'}</td>
                <td dir="auto">{c.findings.map((f) => findingText(t, f)).join('; ') || '—'}</td>
                <td dir="auto">{c.planned.map((f) => findingText(t, f)).join('; ') || '—'}</td>
                <td dir="auto">{c.drafts.map((f) => findingText(t, f)).join('; ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function DentalChartPage(p: DentalPageProps) {
  const { t } = p.frame;
  const view = { ...p.view, dentition: p.view.dentition };
  return (
    <>
      <section class="card" data-patient={p.patient.id}>
        <p>
          <a href={`/patients/${p.patient.id}`}>{t('dental.backToPatient')}</a>
        </p>
        <h1>{t('dental.title')}</h1>
        <p class="row">
          <PatientNames patient={p.patient} />
          <span>
            {t('patients.mrn')}: <strong dir="ltr">{p.patient.mrn}</strong>
          </span>
        </p>
        {p.notice && <Alert kind="info">{p.notice}</Alert>}
        {p.queryError && <Alert>{t(p.queryError)}</Alert>}
        <Options p={p} />
        {p.past && p.view.asOf && (
          <p class="notice" role="status" data-as-of={p.view.asOf}>
            {t('dental.pastView', { date: p.view.asOf })}
          </p>
        )}
        {/* The arches are drawn as seen facing the patient, whatever the page's direction. */}
        <div dir="ltr" class="odontogram">
          <Odontogram
            chart={p.chart}
            t={t}
            numbering={p.view.numbering}
            dentition={p.dentition}
            href={(fdi) => `${dentalHref(p.patient.id, view, fdi)}#${PANEL_ID}`}
            panel={`#${PANEL_ID}`}
            {...(p.selected ? { selected: p.selected } : {})}
          />
        </div>
      </section>
      <section class="card" id={PANEL_ID} aria-live="polite">
        {p.selected ? (
          <ToothPanel
            frame={p.frame}
            patientId={p.patient.id}
            tooth={p.selected}
            chart={p.chart.teeth.get(p.selected)}
            names={p.names}
            view={view}
            past={p.past}
            canWrite={p.canWrite}
            canDraft={p.canDraft}
            timezone={p.timezone}
            {...p.panel}
          />
        ) : (
          <p class="hint">{t('dental.chooseTooth')}</p>
        )}
      </section>
      <FindingsTable p={p} />
    </>
  );
}
