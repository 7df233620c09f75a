import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { AppEnv } from '../context.ts';
import type { MessageKey } from '../i18n/index.ts';

export const FLASH_COOKIE = 'pd_flash';

export function secureCookies(c: Context<AppEnv>): boolean {
  return c.get('deps').env.PUBLIC_URL.startsWith('https:') || c.req.header('x-forwarded-proto') === 'https';
}

/**
 * Behind HTTPS every cookie of ours is `__Host-<name>`: the browser then insists on Secure, Path=/ and
 * no Domain, so a neighbouring subdomain cannot plant one (cookie tossing). On http://localhost the
 * browser would drop such cookies, so there the plain name stays.
 */
export function cookieName(c: Context<AppEnv>, name: string): string {
  return prefixed(secureCookies(c), name);
}

const prefixed = (secure: boolean, name: string) => (secure ? `__Host-${name}` : name);

/** Each request's cookies, parsed once: a signed-in page reads the session cookie three times. */
const jars = new WeakMap<Context, { secure: boolean; cookies: Record<string, string> }>();

export function readCookie(c: Context<AppEnv>, name: string): string | undefined {
  let jar = jars.get(c);
  if (!jar) jars.set(c, (jar = { secure: secureCookies(c), cookies: getCookie(c) }));
  return jar.cookies[prefixed(jar.secure, name)];
}

/** HttpOnly, SameSite=Lax, Path=/ unless `options` says otherwise; Secure behind HTTPS. */
export function writeCookie(c: Context<AppEnv>, name: string, value: string, options: Pick<CookieOptions, 'maxAge' | 'expires' | 'httpOnly'> = {}) {
  setCookie(c, cookieName(c, name), value, { path: '/', httpOnly: true, sameSite: 'Lax', secure: secureCookies(c), ...options });
}

export function removeCookie(c: Context<AppEnv>, name: string) {
  deleteCookie(c, cookieName(c, name), { path: '/', secure: secureCookies(c) });
}

/** A request made by htmx for a part of the page (not a boosted or full-page one). */
export function isPartial(c: Context): boolean {
  return c.req.header('hx-request') === 'true' && c.req.header('hx-request-type') !== 'full';
}

/**
 * The only gate for `next=` and `back=`: a path on this site, or `/`. Browsers strip tabs and newlines
 * from URLs and read `\` as `/`, so `/\t/evil.example` and `/\evil` are other sites to them; anything
 * with a control character, a backslash or a leading `//`, or that does not parse to this origin, is
 * refused. The value is already percent-decoded once by the form or query parser; encoded tricks that
 * survive (`%2F%2Fevil`) stay inert path text under this origin, which the URL check proves.
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return '/';
  // eslint-disable-next-line no-control-regex
  if (!value.startsWith('/') || value.startsWith('//') || /[\u0000-\u001f\u007f-\u009f\\\u2028\u2029]/.test(value)) return '/';
  try {
    const base = 'http://partnerdesk.invalid';
    const url = new URL(value, base);
    // Returned as the parser wrote it back: percent-encoded ASCII, safe in a Location header.
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}

/** Post/redirect/get with a one-time message shown by the next page. */
export function redirectWithFlash(c: Context<AppEnv>, location: string, message: MessageKey) {
  writeCookie(c, FLASH_COOKIE, message, { maxAge: 60 });
  return c.redirect(location, 303);
}

export function now(c: Context<AppEnv>): Date {
  return c.get('deps').now?.() ?? new Date();
}
