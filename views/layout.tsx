/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { Frame } from './frame.ts';
import { LanguageSwitch } from './components/language-switch.tsx';
import { Csrf } from './components/form.tsx';

// htmx 4 reads its configuration from this meta tag: same-origin requests only, no injected styles (HD2).
const HTMX_CONFIG = JSON.stringify({ mode: 'same-origin', includeIndicatorCSS: false, history: true });

export function Layout(props: { frame: Frame; title: string; children: Child }) {
  const { frame, title } = props;
  const { t, viewer } = frame;
  return (
    <html lang={frame.lang} dir={frame.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{`${title} · ${frame.brand}`}</title>
        {frame.csrf && <meta name="csrf-token" content={frame.csrf} />}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={frame.urls.css} />
        <script src={frame.urls.htmx} defer></script>
        <script src={frame.urls.app} defer></script>
      </head>
      <body {...(frame.csrf ? { 'hx-headers:inherited': JSON.stringify({ 'X-CSRF-Token': frame.csrf }) } : {})}>
        <a class="skip" href="#main">
          {t('nav.skip')}
        </a>
        <header class="top">
          <a class="brand" href="/">
            {frame.brand}
          </a>
          {viewer && frame.nav.length > 0 && (
            <nav aria-label={t('nav.main')}>
              <ul>
                {frame.nav.map((item) => (
                  <li>
                    <a href={item.href} aria-current={frame.path === item.href ? 'page' : undefined}>
                      {t(item.label)}
                      {item.href === '/admin/security' && frame.securityUnread ? (
                        <span class="badge" title={t('security.unread', { count: frame.securityUnread })} data-testid="security-unread">
                          {frame.securityUnread}
                        </span>
                      ) : null}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <div class="account">
            {viewer && (
              <a class="who" href="/account">
                {t('account.signedInAs', { name: viewer.name })}
              </a>
            )}
            {frame.hasSession && (
              <form method="post" action="/sign-out" class="inline">
                <Csrf frame={frame} />
                <button type="submit" class="link">
                  {t('account.signOut')}
                </button>
              </form>
            )}
            <LanguageSwitch frame={frame} />
          </div>
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <footer class="foot">
          <span>{t('app.name')}</span> · <span>{t('footer.tagline')}</span>
        </footer>
      </body>
    </html>
  );
}
