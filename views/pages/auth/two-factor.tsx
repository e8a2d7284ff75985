/** @jsxImportSource hono/jsx */
import type { Frame } from '../../frame.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';

export interface EnrolView {
  /** data: URI of the server-rendered SVG QR code. */
  qr: string;
  manualKey: string;
  sealed: string;
}

export function EnrolPage(props: { frame: Frame; action: string; enrolment: EnrolView; required?: boolean; error?: string }) {
  const { t } = props.frame;
  const e = props.enrolment;
  return (
    <section class="card narrow">
      <h1>{t('enrol.title')}</h1>
      {props.required && <Alert kind="info">{t('enrol.required')}</Alert>}
      {props.error && <Alert>{props.error}</Alert>}
      <p>{t('enrol.step1')}</p>
      <img class="qr" src={e.qr} alt={t('enrol.qrAlt')} width={192} height={192} />
      <p>
        {t('enrol.manual')} <code class="key" data-testid="totp-key">{e.manualKey}</code>
      </p>
      <p>{t('enrol.step2')}</p>
      <form method="post" action={props.action} class="stack">
        <Csrf frame={props.frame} />
        <input type="hidden" name="sealed" value={e.sealed} />
        <Field frame={props.frame} name="code" label={t('code.label')}>
          <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength={10} dir="ltr" />
        </Field>
        <button type="submit">{t('enrol.submit')}</button>
      </form>
    </section>
  );
}

export function RecoveryCodesPage(props: { frame: Frame; codes: string[]; next: string }) {
  const { t } = props.frame;
  return (
    <section class="card narrow">
      <h1>{t('recovery.title')}</h1>
      <Alert kind="info">{t('recovery.intro')}</Alert>
      <ul class="codes" data-testid="recovery-codes">
        {props.codes.map((c) => (
          <li>{c}</li>
        ))}
      </ul>
      <p>
        <a href={props.next}>{t('recovery.continue')}</a>
      </p>
    </section>
  );
}
