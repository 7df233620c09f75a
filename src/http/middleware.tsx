import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_COOKIE, validateSession } from '../auth/cookie.ts';
import { generateToken } from '../auth/session.ts';
import type { AppEnv, Deps } from '../context.ts';
import type { Role } from '../db/schema.ts';
import { i18n } from '../i18n/index.ts';
import { negotiateLocale } from '../i18n/locales.ts';
import { ErrorPage } from '../ui/error-page.tsx';
import { permissionsOf, type Permission } from '../users/roles.rules.ts';
import { FLASH_COOKIE, secureCookies } from './respond.ts';

export const LOCALE_COOKIE = 'pd_locale';
export const CSRF_COOKIE = 'pd_csrf';

/** Puts the dependencies, the language and the one-time flash message on the context. */
export const requestContext =
  (deps: Deps): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    c.set('deps', deps);
    c.set('i18n', i18n(negotiateLocale(c.req.header('accept-language'), getCookie(c, LOCALE_COOKIE))));
    const flash = getCookie(c, FLASH_COOKIE) ?? null;
    c.set('flash', flash);
    if (flash && c.req.method === 'GET') deleteCookie(c, FLASH_COOKIE, { path: '/' });
    await next();
  };

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Double-submit token: a random value in an HttpOnly, SameSite=Lax cookie that every form repeats in
 * `_csrf` (htmx posts the form, so the field goes along). A cross-site page can neither read the cookie
 * nor guess the value; a foreign Origin is refused outright as well.
 */
export const csrf = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  let token = getCookie(c, CSRF_COOKIE);
  const known = !!token && /^[a-z2-7]{32}$/.test(token);
  if (!known) {
    token = generateToken();
    setCookie(c, CSRF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'Lax', secure: secureCookies(c) });
  }
  c.set('csrf', token!);
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const origin = c.req.header('origin');
    const foreign = origin && origin !== 'null' && new URL(origin).host !== c.req.header('host');
    const sent = c.req.header('x-csrf-token') ?? (await formField(c, '_csrf'));
    if (foreign || !known || typeof sent !== 'string' || !sameToken(sent, token!)) {
      return errorPage(c, 403, 'error.csrf.title', 'error.csrf.body');
    }
  }
  await next();
};

async function formField(c: Context, name: string): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return undefined;
  return (await c.req.parseBody())[name];
}

/** Reads the session cookie (when there is one) and puts `auth` on the context. */
export const session = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  c.set('auth', getCookie(c, SESSION_COOKIE) ? await validateSession(c) : null);
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
      const back = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search || '') : c.req.header('referer') ? new URL(c.req.header('referer')!).pathname : '/';
      return c.redirect(`/signin?next=${encodeURIComponent(back)}`, 303);
    }
    const held = [auth.user.role, ...(auth.org.kind === 'customer' ? permissionsOf(auth.user) : [])];
    if (roles.length > 0 && !held.some((r) => roles.includes(r))) return errorPage(c, 403, 'error.forbidden.title', 'error.forbidden.body');
    await next();
  };

export function errorPage(c: Context<AppEnv>, status: 400 | 403 | 404 | 409 | 410 | 422 | 429 | 500, title: Parameters<ReturnType<typeof i18n>['t']>[0], body: Parameters<ReturnType<typeof i18n>['t']>[0]) {
  c.status(status);
  const { t } = c.get('i18n');
  return c.render(<ErrorPage title={t(title)} body={t(body)} />, { title: t(title) });
}
