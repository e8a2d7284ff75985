/** @jsxImportSource hono/jsx */
import type { Frame } from '../frame.ts';
import { Csrf } from './form.tsx';

/** A plain form: works without JavaScript, and POST keeps GET free of state changes. */
export function LanguageSwitch({ frame }: { frame: Frame }) {
  const other = frame.lang === 'ar' ? 'en' : 'ar';
  return (
    <form method="post" action="/lang" class="inline lang-switch">
      <Csrf frame={frame} />
      <input type="hidden" name="next" value={frame.path} />
      <button type="submit" name="lang" value={other} lang={other} class="link" title={frame.t('lang.switch')}>
        {frame.t(`lang.${other}`)}
      </button>
    </form>
  );
}
