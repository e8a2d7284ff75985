/** @jsxImportSource hono/jsx */
// The clinical part of the chart: allergies (a banner when any is active), problems, active
// medications, last vitals and recent encounters. Render it only for viewers with clinical:read
// (the service refuses other roles anyway: AC4).
import type { Frame } from '../../frame.ts';
import type { ClinicalSummaryData } from '../../../src/features/clinical/types.ts';
import type { MessageKey } from '../../../src/i18n/index.ts';
import { Csrf } from '../../components/form.tsx';
import { EncounterRow, VitalsLine, when } from './common.tsx';

/** A one-button form that changes a record's status (resolve an allergy or problem, stop a medication). */
function StatusButton(props: { frame: Frame; action: string; status: string; label: MessageKey }) {
  return (
    <form method="post" action={props.action} class="inline">
      <Csrf frame={props.frame} />
      <input type="hidden" name="status" value={props.status} />
      <button type="submit" class="link">
        {props.frame.t(props.label)}
      </button>
    </form>
  );
}

export interface ClinicalSummaryProps {
  frame: Frame;
  patientId: string;
  summary: ClinicalSummaryData;
  /** Display names of staff by user id. */
  names?: Map<string, string>;
  timezone?: string;
  /** False where the page already shows the allergy banner above the summary (the chart). */
  banner?: boolean;
}

export function AllergyBanner({ frame, summary }: { frame: Frame; summary: ClinicalSummaryData }) {
  const active = summary.allergies.filter((a) => a.status === 'active');
  if (active.length === 0) return <p class="allergy-banner none">{frame.t('clinical.allergies.noneKnown')}</p>;
  return (
    <p class="allergy-banner" role="alert">
      <strong>{frame.t('clinical.allergies.banner')}</strong>{' '}
      {active.map((a, i) => (
        <>
          {i > 0 ? (frame.lang === 'ar' ? '، ' : ', ') : ''}
          <span class={`allergy ${a.severity}`} dir="auto">
            {a.substance} ({frame.t(`clinical.severity.${a.severity}` as MessageKey)})
          </span>
        </>
      ))}
    </p>
  );
}

export function ClinicalSummary(props: ClinicalSummaryProps) {
  const { frame, summary: s, patientId } = props;
  const { t } = frame;
  const names = props.names ?? new Map<string, string>();
  const tz = props.timezone ?? 'Asia/Bahrain';
  const perms = frame.viewer?.permissions;
  return (
    <section class="clinical-summary" aria-labelledby="clinical-summary-title">
      <h2 id="clinical-summary-title">{t('clinical.summary.title')}</h2>
      {props.banner !== false && <AllergyBanner frame={frame} summary={s} />}
      <div class="grid">
        <section>
          <h3>{t('clinical.allergies.title')}</h3>
          <ul>
            {s.allergies.map((a) => (
              <li data-allergy={a.id}>
                <span dir="auto">{a.substance}</span>
                {a.reaction ? (
                  <>
                    {' '}
                    — <span dir="auto">{a.reaction}</span>
                  </>
                ) : null}{' '}
                ({t(`clinical.severity.${a.severity}` as MessageKey)}, {t(`clinical.status.${a.status}` as MessageKey)}){' '}
                {a.status === 'active' && perms?.has('allergy:write') && (
                  <StatusButton frame={frame} action={`/patients/${patientId}/allergies/${a.id}/status`} status="resolved" label="clinical.markResolved" />
                )}
              </li>
            ))}
          </ul>
          {perms?.has('allergy:write') && <a href={`/patients/${patientId}/allergies/new`}>{t('clinical.allergies.add')}</a>}
        </section>
        <section>
          <h3>{t('clinical.problems.title')}</h3>
          {s.problems.length === 0 ? <p>{t('clinical.none')}</p> : null}
          <ul>
            {s.problems.map((p) => (
              <li data-problem={p.id}>
                {p.icd10 ? <code dir="ltr">{p.icd10}</code> : null} <span dir="auto">{p.text}</span>
                {p.onset ? (
                  <>
                    {' '}
                    · {t('clinical.problems.onset')} <span dir="ltr">{p.onset}</span>
                  </>
                ) : null}{' '}
                ({t(`clinical.status.${p.status}` as MessageKey)}){' '}
                {p.status === 'active' && perms?.has('clinical:write') && (
                  <StatusButton frame={frame} action={`/patients/${patientId}/problems/${p.id}/status`} status="resolved" label="clinical.markResolved" />
                )}
              </li>
            ))}
          </ul>
          {perms?.has('clinical:write') && <a href={`/patients/${patientId}/problems/new`}>{t('clinical.problems.add')}</a>}
        </section>
        <section>
          <h3>{t('clinical.medications.title')}</h3>
          {s.activeMedications.length === 0 ? <p>{t('clinical.none')}</p> : null}
          <ul>
            {s.activeMedications.map((m) => (
              <li data-medication={m.id}>
                <span dir="auto">{[m.name, m.strength, m.dose].filter(Boolean).join(' · ')}</span>
                {m.startDate ? (
                  <>
                    {' '}
                    ({t('clinical.medications.since')} <span dir="ltr">{m.startDate}</span>)
                  </>
                ) : null}{' '}
                {perms?.has('clinical:write') && <StatusButton frame={frame} action={`/patients/${patientId}/medications/${m.id}/status`} status="stopped" label="clinical.medications.stop" />}
              </li>
            ))}
          </ul>
          {perms?.has('clinical:write') && <a href={`/patients/${patientId}/medications/new`}>{t('clinical.medications.add')}</a>}
        </section>
        <section>
          <h3>{t('clinical.vitals.last')}</h3>
          {s.lastVitals ? (
            <p>
              <time datetime={s.lastVitals.takenAt}>{when(frame, s.lastVitals.takenAt, tz)}</time>: <VitalsLine frame={frame} v={s.lastVitals} />
            </p>
          ) : (
            <p>{t('clinical.none')}</p>
          )}
          {perms?.has('vitals:write') && <a href={`/patients/${patientId}/vitals/new`}>{t('clinical.vitals.record')}</a>}
        </section>
      </div>
      <section>
        <h3>{t('clinical.encounters.recent')}</h3>
        {s.recentEncounters.length === 0 ? <p>{t('clinical.none')}</p> : null}
        <ul class="timeline">
          {s.recentEncounters.map((e) => (
            <EncounterRow frame={frame} e={e} names={names} tz={tz} />
          ))}
        </ul>
        <p class="row">
          <a href={`/patients/${patientId}/encounters`}>{t('clinical.encounters.all')}</a>
          {perms?.has('clinical:write') && <a href={`/patients/${patientId}/encounters/new`}>{t('clinical.encounters.new')}</a>}
        </p>
      </section>
    </section>
  );
}

/** The summary on its own page (GET /patients/:id/clinical). */
export function ClinicalSummaryPage(props: ClinicalSummaryProps) {
  return (
    <>
      <p>
        <a href={`/patients/${props.patientId}`}>{props.frame.t('clinical.backToChart')}</a>
      </p>
      <ClinicalSummary {...props} />
    </>
  );
}
