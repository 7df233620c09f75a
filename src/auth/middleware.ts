/** The session and CSRF checks every request passes before its route (assembled in src/app.tsx). */
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { errorPage, LOCALE_COOKIE } from '../http/middleware.tsx';
import { readCookie, writeCookie } from '../http/respond.ts';
import { i18n } from '../i18n/index.ts';
import { CSRF_COOKIE, sessionToken, validateSession } from './cookie.ts';
import { generateToken, sessionCsrfToken } from './session.ts';

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
