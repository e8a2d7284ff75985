/** @jsxImportSource hono/jsx */
// Rectification history: who changed which fields, when and why, with the values before.
import type { Frame } from '../../frame.ts';
import type { HistoryEntry, Patient } from '../../../src/features/patients/repo.ts';
import type { Demographics } from '../../../src/features/patients/demographics.ts';
import { formatDateTime } from '../../../src/i18n/format.ts';
import { PatientHeader } from './chart.tsx';
import { phonesText } from './common.tsx';

const shown = (d: Demographics, field: string): string => {
  const v = d[field as keyof Demographics];
  return Array.isArray(v) ? phonesText(v) : String(v ?? '');
};

export function PatientHistoryPage(props: { frame: Frame; patient: Patient; age: number; entries: HistoryEntry[]; names: Map<string, string>; timezone: string }) {
  const { t, lang } = props.frame;
  return (
    <>
      <PatientHeader frame={props.frame} patient={props.patient} age={props.age} />
      <h2>{t('patients.history')}</h2>
      {props.entries.length === 0 ? (
        <p>{t('patients.historyNone')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('patients.history.when')}</th>
              <th>{t('patients.history.who')}</th>
              <th>{t('patients.history.changes')}</th>
              <th>{t('patients.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((e) => (
              <tr>
                <td>{formatDateTime(e.at, lang, props.timezone)}</td>
                <td dir="auto">{(e.userId && props.names.get(e.userId)) ?? t('audit.operator')}</td>
                <td>
                  <ul>
                    {e.fields.map((f) => (
                      <li>
                        {t(`patients.field.${f as 'sex'}`)}: <span dir="auto">{shown(e.previous, f) || '—'}</span>
                      </li>
                    ))}
                  </ul>
                </td>
                <td dir="auto">{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href={`/patients/${props.patient.id}`}>{t('common.back')}</a>
      </p>
    </>
  );
}
