/** @jsxImportSource hono/jsx */
// A patient's encounters, newest first, one page at a time: "load more" swaps in the next page with
// htmx, and the same control is a plain link without JavaScript.
import type { Frame } from '../../frame.ts';
import type { EncounterPage } from '../../../src/features/clinical/types.ts';
import { EncounterRow } from './common.tsx';

export interface TimelineProps {
  frame: Frame;
  patientId: string;
  page: EncounterPage;
  names: Map<string, string>;
  timezone: string;
}

/** The rows of one page and the control for the next; the htmx fragment is exactly this. */
export function TimelineRows(props: TimelineProps) {
  const { frame, page, patientId } = props;
  const next = page.next ? `/patients/${patientId}/encounters?before=${encodeURIComponent(page.next)}` : undefined;
  return (
    <>
      {page.items.map((e) => (
        <EncounterRow frame={frame} e={e} names={props.names} tz={props.timezone} />
      ))}
      {next && (
        <li class="more">
          <a href={next} hx-get={next} hx-target="closest li" hx-swap="outerHTML" data-next={page.next}>
            {frame.t('clinical.encounters.more')}
          </a>
        </li>
      )}
    </>
  );
}

export function TimelinePage(props: TimelineProps & { canWrite: boolean }) {
  const { t } = props.frame;
  return (
    <section>
      <p class="row">
        <a href={`/patients/${props.patientId}`}>{t('clinical.backToChart')}</a>
        {props.canWrite && <a href={`/patients/${props.patientId}/encounters/new`}>{t('clinical.encounters.new')}</a>}
      </p>
      <h1>{t('clinical.encounters.title')}</h1>
      {props.page.items.length === 0 ? <p>{t('clinical.none')}</p> : null}
      <ul class="timeline" id="timeline">
        <TimelineRows {...props} />
      </ul>
    </section>
  );
}
