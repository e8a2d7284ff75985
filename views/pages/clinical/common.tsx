/** @jsxImportSource hono/jsx */
// Small pieces shared by the clinical pages: vitals line, encounter type/status labels, times.
import type { Frame } from '../../frame.ts';
import type { MessageKey } from '../../../src/i18n/index.ts';
import { formatDateTime } from '../../../src/i18n/format.ts';
import type { EncounterListItem, Vitals } from '../../../src/features/clinical/types.ts';

export const when = (frame: Frame, iso: string, tz: string) => formatDateTime(iso, frame.lang, tz);

export const typeLabel = (frame: Frame, type: string) => frame.t(`clinical.type.${type}` as MessageKey);
export const statusLabel = (frame: Frame, status: string) => frame.t(`clinical.status.${status}` as MessageKey);

/**
 * "BP 120/80 mmHg · pulse 72/min · ..." with units; only what was measured. Each value with its unit
 * is an isolated left-to-right run, so "72/min" does not come out as "min/72" in Arabic.
 */
export function VitalsLine({ frame, v }: { frame: Frame; v: Vitals }) {
  const { t } = frame;
  const parts: [string, string][] = [];
  if (v.systolic !== null && v.diastolic !== null) parts.push([t('clinical.vitals.bp'), `${v.systolic}/${v.diastolic} mmHg`]);
  if (v.pulse !== null) parts.push([t('clinical.vitals.pulse'), `${v.pulse}/min`]);
  if (v.temperatureC !== null) parts.push([t('clinical.vitals.temperatureC'), `${v.temperatureC} °C`]);
  if (v.respRate !== null) parts.push([t('clinical.vitals.respRate'), `${v.respRate}/min`]);
  if (v.spo2 !== null) parts.push(['SpO₂', `${v.spo2}%`]);
  if (v.weightKg !== null) parts.push([t('clinical.vitals.weightKg'), `${v.weightKg} kg`]);
  if (v.heightCm !== null) parts.push([t('clinical.vitals.heightCm'), `${v.heightCm} cm`]);
  if (v.bmi !== null) parts.push([t('clinical.vitals.bmi'), String(v.bmi)]);
  return (
    <span class="vitals" data-vitals={v.id} dir="auto">
      {parts.map(([label, value], i) => (
        <>
          {i > 0 ? ' · ' : ''}
          {label} <bdi dir="ltr">{value}</bdi>
        </>
      ))}
    </span>
  );
}

export function EncounterRow({ frame, e, names, tz }: { frame: Frame; e: EncounterListItem; names: Map<string, string>; tz: string }) {
  return (
    <li class="encounter-row" data-encounter={e.id}>
      <a href={`/encounters/${e.id}`}>
        <time datetime={e.startedAt}>{when(frame, e.startedAt, tz)}</time> · {typeLabel(frame, e.type)}
      </a>{' '}
      <span class={`badge ${e.status}`}>{statusLabel(frame, e.status)}</span> <span dir="auto">{e.chiefComplaint}</span>{' '}
      <small>{names.get(e.clinicianId) ?? ''}</small>
    </li>
  );
}
