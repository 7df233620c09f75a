import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AppEnv } from '../context.ts';
import type { MessageKey } from '../i18n/index.ts';

export const FLASH_COOKIE = 'pd_flash';

export function secureCookies(c: Context<AppEnv>): boolean {
  return c.get('deps').env.PUBLIC_URL.startsWith('https:') || c.req.header('x-forwarded-proto') === 'https';
}

/** A request made by htmx for a part of the page (not a boosted or full-page one). */
export function isPartial(c: Context): boolean {
  return c.req.header('hx-request') === 'true' && c.req.header('hx-request-type') !== 'full';
}

/** Only local paths: `next=` and `back=` must never send the user to another site. */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}

/** Post/redirect/get with a one-time message shown by the next page. */
export function redirectWithFlash(c: Context<AppEnv>, location: string, message: MessageKey) {
  setCookie(c, FLASH_COOKIE, message, { path: '/', httpOnly: true, sameSite: 'Lax', secure: secureCookies(c), maxAge: 60 });
  return c.redirect(location, 303);
}

export function now(c: Context<AppEnv>): Date {
  return c.get('deps').now?.() ?? new Date();
}
