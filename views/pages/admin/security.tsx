/** @jsxImportSource hono/jsx */
import type { Frame } from '../../frame.ts';
import type { SecurityEventRow } from '../../../src/features/security/service.ts';
import type { MessageKey } from '../../../src/i18n/index.ts';
import { Csrf } from '../../components/form.tsx';

export interface SecurityRowView extends SecurityEventRow {
  when: string;
}

export function SecurityEventsPage(props: { frame: Frame; rows: SecurityRowView[]; open: boolean; older?: string }) {
  const { t } = props.frame;
  return (
    <>
      <h1>{t('security.title')}</h1>
      <p class="row">
        {props.open ? <a href="/admin/security?all=1">{t('security.all')}</a> : <a href="/admin/security">{t('security.onlyOpen')}</a>}
      </p>
      {props.rows.length === 0 ? (
        <p>{t('security.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('security.when')}</th>
              <th>{t('security.kind')}</th>
              <th>{t('security.detail')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr data-event={r.kind}>
                <td>{r.when}</td>
                <td>{t(`security.kind.${r.kind}` as MessageKey)}</td>
                <td dir="ltr">
                  <code>{r.detail}</code>
                </td>
                <td>
                  {r.reviewedAt ? (
                    <small class="hint">{t('security.reviewed')}</small>
                  ) : (
                    <form method="post" action={`/admin/security/${r.id}/review`} class="inline">
                      <Csrf frame={props.frame} />
                      <button type="submit" class="secondary">
                        {t('security.review')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.older && (
        <p>
          <a href={props.older}>{t('security.older')}</a>
        </p>
      )}
    </>
  );
}
