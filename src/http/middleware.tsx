import type { Context, MiddlewareHandler } from 'hono';
import { render } from '#jsx/jsx-runtime';
import type { AppEnv, Deps } from '../context.ts';
import { sendHtml } from './compress.ts';
import { i18n } from '../i18n/index.ts';
import { negotiateLocale } from '../i18n/locales.ts';
import { ErrorPage } from '../ui/error-page.tsx';
import { FLASH_COOKIE, isPartial, readCookie, removeCookie } from './respond.ts';

export const LOCALE_COOKIE = 'pd_locale';

/** Puts the dependencies, the language and the one-time flash message on the context. */
export const requestContext =
  (deps: Deps): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    c.set('deps', deps);
    c.set('i18n', i18n(negotiateLocale(c.req.header('accept-language'), readCookie(c, LOCALE_COOKIE))));
    const flash = readCookie(c, FLASH_COOKIE) ?? null;
    c.set('flash', flash);
    if (flash && c.req.method === 'GET') removeCookie(c, FLASH_COOKIE);
    await next();
  };

export function errorPage(
  c: Context<AppEnv>,
  status: 400 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 500 | 503,
  title: Parameters<ReturnType<typeof i18n>['t']>[0],
  body: Parameters<ReturnType<typeof i18n>['t']>[0],
) {
  c.status(status);
  const { t } = c.get('i18n');
  // htmx asked for a part of the page: a short notice it can swap in, not a whole page inside the page.
  if ((status === 413 || status >= 500) && isPartial(c))
    return sendHtml(c, render(c, <p class="notice notice-error" role="alert">{`${t(title)}. ${t(body)}`}</p>), status);
  return c.render(<ErrorPage title={t(title)} body={t(body)} />, { title: t(title) });
}

/** The 404 page: also what another organization's id, or a partner without the grant, gets. */
export const notFound = (c: Context<AppEnv>) => errorPage(c, 404, 'error.notFound.title', 'error.notFound.body');

/** The 403 page: signed in, but this role may not. */
export const forbidden = (c: Context<AppEnv>) => errorPage(c, 403, 'error.forbidden.title', 'error.forbidden.body');
