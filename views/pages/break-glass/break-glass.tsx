/** @jsxImportSource hono/jsx */
import type { Frame } from '../../frame.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';

export function RestrictedPage(props: { frame: Frame; patientId: string; mrn: string; canBreak: boolean; minutes: number; minReason: number; error?: string; reason?: string }) {
  const { t } = props.frame;
  return (
    <section class="card narrow">
      <h1>{t('glass.title')}</h1>
      <p>
        {t('glass.body')} <span dir="ltr">{props.mrn}</span>
      </p>
      {props.error && <Alert>{props.error}</Alert>}
      {props.canBreak ? (
        <>
          <p>{t('glass.canBreak', { minutes: props.minutes })}</p>
          <form method="post" action={`/patients/${props.patientId}/break-glass`} class="stack">
            <Csrf frame={props.frame} />
            <Field frame={props.frame} name="reason" label={t('glass.reason')}>
              <textarea id="reason" name="reason" required minlength={props.minReason} maxlength={500} rows={3} dir="auto">
                {props.reason ?? ''}
              </textarea>
            </Field>
            <button type="submit" class="danger">
              {t('glass.submit')}
            </button>
          </form>
        </>
      ) : (
        <p>{t('glass.cannot')}</p>
      )}
    </section>
  );
}

export function RestrictionPage(props: { frame: Frame; patientId: string; restricted: boolean; clinicians: { id: string; name: string; named: boolean }[]; notice?: string }) {
  const { t } = props.frame;
  return (
    <section class="card narrow">
      <h1>{t('restrict.title')}</h1>
      <p>{t('restrict.intro')}</p>
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      <form method="post" action={`/patients/${props.patientId}/restriction`} class="stack">
        <Csrf frame={props.frame} />
        <label class="check">
          <input type="checkbox" name="restricted" value="1" checked={props.restricted} /> {t('restrict.restricted')}
        </label>
        <fieldset class="roles">
          <legend>{t('restrict.clinicians')}</legend>
          {props.clinicians.map((c) => (
            <label class="check">
              <input type="checkbox" name="clinicians" value={c.id} checked={c.named} /> <span dir="auto">{c.name}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit">{t('restrict.save')}</button>
      </form>
    </section>
  );
}

export interface GrantView {
  who: string;
  mrn: string;
  patientId: string;
  reason: string;
  granted: string;
  until: string;
}

export function GrantsPage(props: { frame: Frame; grants: GrantView[] }) {
  const { t } = props.frame;
  return (
    <>
      <h1>{t('glass.reviewTitle')}</h1>
      {props.grants.length === 0 ? (
        <p>{t('glass.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('glass.who')}</th>
              <th>{t('glass.patient')}</th>
              <th>{t('glass.reason')}</th>
              <th>{t('audit.when')}</th>
              <th>{t('glass.until')}</th>
            </tr>
          </thead>
          <tbody>
            {props.grants.map((g) => (
              <tr data-grant={g.patientId}>
                <td dir="auto">{g.who}</td>
                <td dir="ltr">{g.mrn}</td>
                <td dir="auto">{g.reason}</td>
                <td>{g.granted}</td>
                <td>{g.until}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
