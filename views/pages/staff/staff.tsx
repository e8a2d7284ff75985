/** @jsxImportSource hono/jsx */
import type { Frame } from '../../frame.ts';
import type { StaffMember } from '../../../src/features/staff/repo.ts';
import type { FieldErrors } from '../../../src/http/forms.ts';
import { ROLES, type Role } from '../../../src/access/roles.ts';
import { Alert, Csrf, Field } from '../../components/form.tsx';

/** A one-time link, shown once to the administrator who made it. */
export interface ShownLink {
  kind: 'setup' | 'reset';
  email: string;
  url: string;
}

function LinkNotice({ frame, link }: { frame: Frame; link: ShownLink }) {
  return (
    <div class="notice" role="status">
      <p>{frame.t(link.kind === 'setup' ? 'staff.setupLink' : 'staff.resetLink', { email: link.email })}</p>
      <p>
        <code class="key" data-testid="one-time-link">
          {link.url}
        </code>
      </p>
    </div>
  );
}

function RoleBoxes({ frame, checked }: { frame: Frame; checked: Role[] }) {
  return (
    <fieldset class="roles">
      <legend>{frame.t('staff.roles')}</legend>
      {ROLES.map((r) => (
        <label class="check">
          <input type="checkbox" name="roles" value={r} checked={checked.includes(r)} /> {frame.t(`role.${r}`)}
        </label>
      ))}
    </fieldset>
  );
}

export function StaffListPage(props: { frame: Frame; staff: StaffMember[]; notice?: string; link?: ShownLink }) {
  const { t } = props.frame;
  return (
    <>
      <div class="row spread">
        <h1>{t('staff.title')}</h1>
        <a class="button" href="/admin/staff/new">
          {t('staff.add')}
        </a>
      </div>
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {props.link && <LinkNotice frame={props.frame} link={props.link} />}
      <table>
        <thead>
          <tr>
            <th>{t('staff.name')}</th>
            <th>{t('staff.email')}</th>
            <th>{t('staff.roles')}</th>
            <th>{t('staff.twoFactor')}</th>
            <th>{t('staff.status')}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {props.staff.map((m) => (
            <tr data-member={m.email}>
              <td dir="auto">{m.name}</td>
              <td dir="ltr">{m.email}</td>
              <td>{m.roles.map((r) => t(`role.${r}`)).join(props.frame.lang === 'ar' ? '، ' : ', ')}</td>
              <td>{m.twoFactor ? t('staff.yes') : t('staff.no')}</td>
              <td>{m.disabled || m.userDisabled ? t('staff.disabled') : m.hasPassword ? t('staff.active') : t('staff.noPassword')}</td>
              <td>
                <a href={`/admin/staff/${m.membershipId}`}>{t('staff.edit')}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function StaffNewPage(props: { frame: Frame; values?: Record<string, string>; roles?: Role[]; errors?: FieldErrors; problem?: string }) {
  const { t } = props.frame;
  const v = props.values ?? {};
  return (
    <section class="card narrow">
      <h1>{t('staff.add')}</h1>
      {props.problem && <Alert>{props.problem}</Alert>}
      <form method="post" action="/admin/staff" class="stack">
        <Csrf frame={props.frame} />
        <Field frame={props.frame} name="name" label={t('staff.name')} error={props.errors?.name}>
          <input id="name" name="name" required maxlength={200} value={v.name ?? ''} dir="auto" />
        </Field>
        <Field frame={props.frame} name="email" label={t('staff.email')} error={props.errors?.email}>
          <input id="email" type="email" name="email" required maxlength={254} value={v.email ?? ''} dir="ltr" />
        </Field>
        <RoleBoxes frame={props.frame} checked={props.roles ?? []} />
        {props.errors?.roles && <p class="field-error">{t(props.errors.roles)}</p>}
        <button type="submit">{t('staff.add')}</button>
      </form>
    </section>
  );
}

export function StaffDetailPage(props: { frame: Frame; member: StaffMember; notice?: string; problem?: string; link?: ShownLink }) {
  const { t } = props.frame;
  const m = props.member;
  const action = (path: string, label: string, cls = 'secondary') => (
    <form method="post" action={`/admin/staff/${m.membershipId}/${path}`} class="inline">
      <Csrf frame={props.frame} />
      <button type="submit" class={cls}>
        {label}
      </button>
    </form>
  );
  return (
    <>
      <h1 dir="auto">{m.name}</h1>
      <p dir="ltr">{m.email}</p>
      {props.notice && <Alert kind="info">{props.notice}</Alert>}
      {props.problem && <Alert>{props.problem}</Alert>}
      {props.link && <LinkNotice frame={props.frame} link={props.link} />}
      <section class="card">
        <form method="post" action={`/admin/staff/${m.membershipId}/roles`} class="stack">
          <Csrf frame={props.frame} />
          <RoleBoxes frame={props.frame} checked={m.roles} />
          <button type="submit">{t('staff.saveRoles')}</button>
        </form>
      </section>
      <section class="card row">
        {m.disabled ? action('enable', t('staff.enable')) : action('disable', t('staff.disable'), 'danger')}
        {action('reset-password', t('staff.resetPassword'))}
        {m.twoFactor && action('reset-2fa', t('staff.reset2fa'))}
        {action('end-sessions', t('staff.endSessions'))}
      </section>
      <p>
        <a href="/admin/staff">{t('common.back')}</a>
      </p>
    </>
  );
}
