/** @jsxImportSource hono/jsx */
import type { Frame } from '../../frame.ts';
import { Alert, Csrf } from '../../components/form.tsx';

export interface SessionRow {
  id: string;
  device: string;
  ip: string;
  started: string;
  lastSeen: string;
  current: boolean;
}

export function SessionsPage(props: { frame: Frame; sessions: SessionRow[]; notice?: string }) {
  const { t } = props.frame;
  return (
    <>
      <h1>{t('account.sessions.title')}</h1>
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      <table>
        <thead>
          <tr>
            <th>{t('account.sessions.device')}</th>
            <th>{t('account.sessions.ip')}</th>
            <th>{t('account.sessions.started')}</th>
            <th>{t('account.sessions.lastSeen')}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {props.sessions.map((s) => (
            <tr data-session={s.id}>
              <td dir="auto">{s.device}</td>
              <td dir="ltr">{s.ip}</td>
              <td>{s.started}</td>
              <td>{s.lastSeen}</td>
              <td>
                {s.current ? (
                  <strong>{t('account.sessions.this')}</strong>
                ) : (
                  <form method="post" action="/account/sessions/end" class="inline">
                    <Csrf frame={props.frame} />
                    <input type="hidden" name="session" value={s.id} />
                    <button type="submit" class="link">
                      {t('account.sessions.end')}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="row">
        <form method="post" action="/account/sessions/end-others" class="inline">
          <Csrf frame={props.frame} />
          <button type="submit" class="secondary">
            {t('account.sessions.endOthers')}
          </button>
        </form>
        <form method="post" action="/sign-out/everywhere" class="inline">
          <Csrf frame={props.frame} />
          <button type="submit" class="danger">
            {t('account.signOutEverywhere')}
          </button>
        </form>
      </div>
    </>
  );
}
