import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { CSRF_COOKIE, sessionToken, validateSession } from '../auth/cookie.ts';
import { generateToken, sessionCsrfToken } from '../auth/session.ts';
import type { AppEnv, Deps } from '../context.ts';
import type { Role } from '../db/schema.ts';
import { i18n } from '../i18n/index.ts';
import { negotiateLocale } from '../i18n/locales.ts';
import { ErrorPage } from '../ui/error-page.tsx';
import { permissionsOf, type Permission } from '../users/roles.rules.ts';
import { FLASH_COOKIE, isPartial, readCookie, removeCookie, writeCookie } from './respond.ts';

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

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Signed in, the token is derived from the session (`sessionCsrfToken`): a cookie planted by someone
 * else cannot match it, and it changes with every sign-in. Signed out (sign-in, sign-up, language), it
 * is the double-submit value of an HttpOnly, SameSite=Lax cookie. Every form repeats it in `_csrf` (htmx
 * posts the form, so the field goes along). A request whose Origin is not this site (scheme, host and
 * port, compared with PUBLIC_URL and with the request's own origin) is refused outright as well.
 * Runs after `session()`, which tells whether the session cookie is a live session.
 */
export const csrf = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  let token: string | undefined;
  let known: boolean;
  if (c.get('auth')) {
    token = sessionCsrfToken(sessionToken(c)!);
    known = true;
  } else {
    token = readCookie(c, CSRF_COOKIE);
    known = !!token && /^[a-z2-7]{32}$/.test(token);
    if (!known) {
      token = generateToken();
      writeCookie(c, CSRF_COOKIE, token);
    }
  }
  c.set('csrf', token!);
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const sent = c.req.header('x-csrf-token') ?? (foreignOrigin(c) ? undefined : await formField(c, '_csrf'));
    if (!known || typeof sent !== 'string' || foreignOrigin(c) || !sameToken(sent, token!)) {
      return errorPage(c, 403, 'error.csrf.title', 'error.csrf.body');
    }
  }
  await next();
};

/** An Origin header that is neither PUBLIC_URL's origin nor this request's own (an unparsable one included). */
function foreignOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined || origin === 'null') return false;
  let own: string;
  try {
    own = new URL(c.req.url).origin;
  } catch {
    own = '';
  }
  const proto = c.req.header('x-forwarded-proto');
  const forwarded = proto === 'https' || proto === 'http' ? `${proto}://${c.req.header('host')}`.toLowerCase() : own;
  return ![new URL(c.get('deps').env.PUBLIC_URL).origin, own, forwarded].includes(origin.toLowerCase());
}

/** A body that does not parse as a form (a broken multipart boundary) has no token. */
async function formField(c: Context, name: string): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return undefined;
  return (await c.req.parseBody().catch(() => ({}) as Record<string, unknown>))[name];
}

/**
 * Reads the session cookie (when there is one) and puts `auth` on the context. Pages for a signed-in
 * person are never stored by the browser or a proxy (`private, no-store`): after sign-out, Back must not
 * show them, and a shared cache must never hand them to someone else.
 */
export const session = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const auth = sessionToken(c) ? await validateSession(c) : null;
  c.set('auth', auth);
  // On a browser that has never chosen (no cookie), a signed-in person reads their stored language.
  if (auth?.user.locale && !readCookie(c, LOCALE_COOKIE)) c.set('i18n', i18n(auth.user.locale));
  // Set before the route runs (a route may say no-store itself): after it, hono would copy the response to add it.
  if (auth) c.header('cache-control', 'private, no-store');
  await next();
};

export const customerAdmin: Role[] = ['global_admin', 'billing_admin'];
export const partnerStaff: Role[] = ['partner_admin', 'partner_agent'];

/** The organization's admins who may open the users pages: by base role or by a narrower admin role. */
export const userAdmins: (Role | Permission)[] = [...customerAdmin, 'users', 'passwords', 'licenses'];

/**
 * Signed out → sign-in (and back here after); signed in holding none of `roles` → 403. A narrower admin
 * role (users, passwords, licenses, domains) counts for a customer's person who holds it; a global admin
 * holds them all (src/users/roles.rules.ts).
 */
export const requireRole =
  (...roles: (Role | Permission)[]): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const auth = c.get('auth');
    if (!auth) {
      const referer = c.req.header('referer');
      // A Referer that is not a URL is ignored like a missing one.
      const back = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search || '') : referer && URL.canParse(referer) ? new URL(referer).pathname : '/';
      return c.redirect(`/signin?next=${encodeURIComponent(back)}`, 303);
    }
    const held = [auth.user.role, ...(auth.org.kind === 'customer' ? permissionsOf(auth.user) : [])];
    if (roles.length > 0 && !held.some((r) => roles.includes(r))) return errorPage(c, 403, 'error.forbidden.title', 'error.forbidden.body');
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
  if ((status === 413 || status >= 500) && isPartial(c)) return c.html(<p class="notice notice-error" role="alert">{`${t(title)}. ${t(body)}`}</p>, status);
  return c.render(<ErrorPage title={t(title)} body={t(body)} />, { title: t(title) });
}

/** The 404 page: also what another organization's id, or a partner without the grant, gets. */
export const notFound = (c: Context<AppEnv>) => errorPage(c, 404, 'error.notFound.title', 'error.notFound.body');

/** The 403 page: signed in, but this role may not. */
export const forbidden = (c: Context<AppEnv>) => errorPage(c, 403, 'error.forbidden.title', 'error.forbidden.body');
