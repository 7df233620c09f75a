import type { MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import { Html, render, swapAttributesWritten, useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import { sendHtml } from '../http/compress.ts';
import { localeNames, locales } from '../i18n/locales.ts';
import { FAVICON_DATA_URL } from '../assets/favicon.ts';
import { CsrfField } from './form.tsx';
import { navFor } from './nav.ts';
import { Notice } from './notice.tsx';
import { headEnd } from './style.ts';

function Header() {
  const c = useRequestContext<AppEnv>();
  const auth = c.get('auth');
  const { t } = c.get('i18n');
  return (
    <header class="top">
      <a class="brand" href="/">
        partnerdesk
      </a>
      {auth && (
        <span class="who">
          {auth.org.name} · {auth.user.name}
        </span>
      )}
      {auth && (
        <form method="post" action="/signout" class="inline">
          <CsrfField />
          <button class="link">{t('auth.signout')}</button>
        </form>
      )}
    </header>
  );
}

/** The other view's switch, at the navigation's end: it changes what the navigation lists. */
function ViewSwitch() {
  const c = useRequestContext<AppEnv>();
  const auth = c.get('auth');
  const { t } = c.get('i18n');
  if (!auth || (auth.user.role !== 'global_admin' && auth.user.role !== 'billing_admin')) return null;
  const other = auth.user.view === 'simplified' ? 'dashboard' : 'simplified';
  return (
    <form method="post" action="/settings/view">
      <CsrfField />
      <input type="hidden" name="back" value={c.req.path} />
      <button name="view" value={other} class="link">
        {t(other === 'dashboard' ? 'layout.switchToDashboard' : 'layout.switchToSimplified')}
      </button>
    </form>
  );
}

function Nav() {
  const c = useRequestContext<AppEnv>();
  const auth = c.get('auth');
  if (!auth) return null;
  const { t } = c.get('i18n');
  const path = c.req.path;
  // On a phone the list is hidden until "Menu" (a link to #nav) makes the navigation the page's
  // :target; on a wider screen it always shows. No JavaScript, no <details> (see app.css, .menu).
  return (
    <nav id="nav" aria-label={t('nav.label')}>
      <p class="menu">
        <a class="menu-open" href="#nav">
          {t('nav.menu')}
        </a>
        <a class="menu-close" href="#main">
          {t('nav.close')}
        </a>
      </p>
      <div class="menu-items">
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
        <ViewSwitch />
      </div>
    </nav>
  );
}

function Footer() {
  const c = useRequestContext<AppEnv>();
  const { locale, t } = c.get('i18n');
  const { env } = c.get('deps');
  const auth = c.get('auth');
  return (
    <footer>
      <ul>
        {/* Without SMTP, mail only shows in the development mailbox: every signed-in person may read their own there. */}
        {auth && !env.SMTP_URL && env.NODE_ENV !== 'production' && (
          <li>
            <a href="/dev/mailbox">{t('mail.mailbox.title')}</a>
          </li>
        )}
        {auth && (
          <li>
            <a href="/settings/preferences">{t('prefs.link')}</a>
          </li>
        )}
        <li>
          <form method="post" action="/language">
            <CsrfField />
            <input type="hidden" name="back" value={c.req.path} />
            <span>{t('layout.languageLabel')}</span>
            {locales.map((l) => (
              <button name="locale" value={l} class="link" lang={l} aria-pressed={l === locale ? 'true' : 'false'}>
                {localeNames[l]}
              </button>
            ))}
          </form>
        </li>
      </ul>
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
  // The body first: whether it holds anything htmx swaps decides whether the head loads htmx.
  const swapsBefore = swapAttributesWritten();
  const body = (
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
  );
  const tail = new Html(headEnd(c.get('deps').assets.htmx, swapAttributesWritten() > swapsBefore));
  return (
    <html lang={locale === 'zh' ? 'zh-CN' : locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · partnerdesk`}</title>
        <link rel="icon" href={FAVICON_DATA_URL} />
        {tail}
      </head>
      {body}
    </html>
  );
}

/**
 * `c.render(content, { title })`: the page in the layout, rendered for this request. The stylesheet and
 * htmx go in at the head's end (src/ui/style.ts): htmx only on a page with something to swap. The page
 * is one string of pieces, joined once, by the compression's write (a search of its text here would join
 * it, a copy of the whole page, on every request).
 */
export const layout: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.setRenderer((content, props) => sendHtml(c, `<!DOCTYPE html>${render(c, <Page title={props.title}>{content}</Page>)}`));
  await next();
};
