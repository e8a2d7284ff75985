/** @jsxImportSource hono/jsx */
import type { Frame } from '../../frame.ts';
import { AUDIT_ACTIONS } from '../../../src/audit/types.ts';
import { Alert } from '../../components/form.tsx';

export interface AuditRowView {
  seq: number;
  when: string;
  who: string;
  roles: string;
  action: string;
  outcome: string;
  entity: string;
  patient: string;
  route: string;
  ip: string;
  reason: string;
  detail: string;
}

export interface AuditFilterView {
  person: string;
  patient: string;
  action: string;
  outcome: string;
  from: string;
  to: string;
}

export function AuditPage(props: {
  frame: Frame;
  filter: AuditFilterView;
  people: { id: string; name: string }[];
  rows: AuditRowView[];
  older?: string;
  verification: string;
  error?: string;
}) {
  const { t } = props.frame;
  const f = props.filter;
  return (
    <>
      <h1>{t('audit.title')}</h1>
      <p class="hint" data-testid="audit-verification">
        {props.verification}
      </p>
      {props.error && <Alert>{props.error}</Alert>}
      <form method="get" action="/admin/audit" class="filters row" hx-get="/admin/audit" hx-target="#main" hx-push-url="true">
        <label>
          {t('audit.person')}
          <select name="person">
            <option value="">{t('audit.anyone')}</option>
            {props.people.map((p) => (
              <option value={p.id} selected={f.person === p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.patient')}
          <input name="patient" value={f.patient} maxlength={64} dir="ltr" />
        </label>
        <label>
          {t('audit.action')}
          <select name="action">
            <option value="">{t('audit.any')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option value={a} selected={f.action === a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.outcome')}
          <select name="outcome">
            <option value="">{t('audit.any')}</option>
            {['success', 'failure', 'denied'].map((o) => (
              <option value={o} selected={f.outcome === o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.from')}
          <input type="date" name="from" value={f.from} />
        </label>
        <label>
          {t('audit.to')}
          <input type="date" name="to" value={f.to} />
        </label>
        <button type="submit">{t('audit.filter')}</button>
      </form>
      <form method="get" action="/admin/audit.csv" class="row">
        {Object.entries(f)
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <input type="hidden" name={k} value={v} />
          ))}
        <label>
          {t('audit.csvReason')}
          <input name="reason" required minlength={3} maxlength={200} dir="auto" />
        </label>
        <button type="submit" class="secondary">
          {t('audit.csv')}
        </button>
      </form>
      {props.rows.length === 0 ? (
        <p>{t('audit.none')}</p>
      ) : (
        <table class="audit">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('audit.when')}</th>
              <th>{t('audit.person')}</th>
              <th>{t('audit.what')}</th>
              <th>{t('audit.entity')}</th>
              <th>{t('audit.where')}</th>
              <th>{t('audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr data-seq={r.seq} class={r.outcome === 'success' ? '' : 'bad'}>
                <td>{r.seq}</td>
                <td>{r.when}</td>
                <td dir="auto">
                  {r.who}
                  {r.roles && <small class="hint"> ({r.roles})</small>}
                </td>
                <td>
                  {r.action} · {r.outcome}
                </td>
                <td dir="ltr">
                  {r.entity}
                  {r.patient && <div>patient {r.patient}</div>}
                </td>
                <td dir="ltr">
                  {r.route}
                  {r.ip && <div>{r.ip}</div>}
                </td>
                <td dir="ltr">
                  {r.reason && <div dir="auto">{r.reason}</div>}
                  <code>{r.detail}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.older && (
        <p>
          <a href={props.older} hx-get={props.older} hx-target="#main" hx-push-url="true">
            {t('audit.older')}
          </a>
        </p>
      )}
    </>
  );
}
