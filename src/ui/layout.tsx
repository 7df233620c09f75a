import type { MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import { render, useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import { localeNames, locales } from '../i18n/locales.ts';
import { FAVICON_DATA_URL } from '../assets/favicon.ts';
import { CsrfField } from './form.tsx';
import { navFor } from './nav.ts';
import { Notice } from './notice.tsx';

function Header() {
  const c = useRequestContext<AppEnv>();
  const auth = c.get('auth');
  const { t } = c.get('i18n');
  if (!auth) {
    return (
      <header class="top">
        <a class="brand" href="/">
          partnerdesk
        </a>
      </header>
    );
  }
  const isCustomerAdmin = auth.user.role === 'global_admin' || auth.user.role === 'billing_admin';
  const other = auth.user.view === 'simplified' ? 'dashboard' : 'simplified';
  return (
    <header class="top">
      <a class="brand" href="/">
        partnerdesk
      </a>
      <span class="who">
        {auth.org.name} · {auth.user.name}
      </span>
      {isCustomerAdmin && (
        <form method="post" action="/settings/view" class="inline">
          <CsrfField />
          <input type="hidden" name="back" value={c.req.path} />
          <button name="view" value={other} class="link">
            {t(other === 'dashboard' ? 'layout.switchToDashboard' : 'layout.switchToSimplified')}
          </button>
        </form>
      )}
      <form method="post" action="/signout" class="inline">
        <CsrfField />
        <button class="link">{t('auth.signout')}</button>
      </form>
    </header>
  );
}

function Nav() {
  const c = useRequestContext<AppEnv>();
  const auth = c.get('auth');
  if (!auth) return null;
  const { t } = c.get('i18n');
  const path = c.req.path;
  // A <details> menu: collapsed on a phone and opened by a tap without JavaScript; on a wider screen
  // the stylesheet shows its content and hides the summary (see app.css, .menu).
  return (
    <nav aria-label={t('nav.label')}>
      <details class="menu">
        <summary>{t('nav.menu')}</summary>
        {navFor(auth.user).map((group) => (
          <ul>
            {group.label && <li class="group">{t(group.label)}</li>}
            {group.items.map((item) => (
              <li>
                <a href={item.href} aria-current={path === item.href ? 'page' : undefined}>
                  {t(item.label)}
                </a>
              </li>
            ))}
          </ul>
        ))}
      </details>
    </nav>
  );
}

function Footer() {
  const c = useRequestContext<AppEnv>();
  const { locale, t } = c.get('i18n');
  const { env } = c.get('deps');
  return (
    <footer>
      {/* Without SMTP, mail only shows in the development mailbox: every signed-in person may read their own there. */}
      {c.get('auth') && !env.SMTP_URL && env.NODE_ENV !== 'production' && <a href="/dev/mailbox">{t('mail.mailbox.title')}</a>}
      <form method="post" action="/language" class="inline">
        <CsrfField />
        <input type="hidden" name="back" value={c.req.path} />
        <span>{t('layout.language')}: </span>
        {locales.map((l) => (
          <button name="locale" value={l} class="link" lang={l} aria-pressed={l === locale ? 'true' : 'false'}>
            {localeNames[l]}
          </button>
        ))}
      </form>
      {c.get('auth') && (
        <p>
          <a href="/settings/preferences">{t('prefs.link')}</a>
        </p>
      )}
    </footer>
  );
}

export function Flash() {
  const c = useRequestContext<AppEnv>();
  const flash = c.get('flash');
  const { t, has } = c.get('i18n');
  if (!flash || !has(flash)) return null;
  return <Notice message={t(flash)} />;
}

function Page({ children, title }: { title: string; children?: Child }) {
  const c = useRequestContext<AppEnv>();
  const { locale, t } = c.get('i18n');
  const { assets } = c.get('deps');
  return (
    <html lang={locale === 'zh' ? 'zh-CN' : locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · partnerdesk`}</title>
        <link rel="icon" href={FAVICON_DATA_URL} />
        <link rel="stylesheet" href={assets.css} />
        <meta name="htmx-config" content='{"includeIndicatorCSS":false}' />
        <script src={assets.htmx} defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          {t('layout.skip')}
        </a>
        <Header />
        <div class="frame">
          <Nav />
          <main id="main" tabindex={-1}>
            <Flash />
            {children}
          </main>
        </div>
        {/* Present before any swap, so screen readers announce what htmx puts here (see ui/fragment.tsx). */}
        <div id="live" class="vh" role="status" aria-live="polite"></div>
        <Footer />
      </body>
    </html>
  );
}

/** `c.render(content, { title })`: the page in the layout, rendered for this request. */
export const layout: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.setRenderer((content, props) => c.html(`<!DOCTYPE html>${render(c, <Page title={props.title}>{content}</Page>)}`));
  await next();
};
