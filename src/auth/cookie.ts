import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Auth, AppEnv } from '../context.ts';
import { now, secureCookies } from '../http/respond.ts';
import { validateSessionToken } from './session.ts';

export const SESSION_COOKIE = 'pd_session';

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date) {
  setCookie(c, SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'Lax', secure: secureCookies(c), expires: expiresAt });
}

export function clearSessionCookie(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureCookies(c) });
}

export async function validateSession(c: Context<AppEnv>): Promise<Auth | null> {
  const token = getCookie(c, SESSION_COOKIE)!;
  const result = await validateSessionToken(c.get('deps').db, token, now(c));
  if (!result.auth) clearSessionCookie(c);
  else if (result.renewed) setSessionCookie(c, token, result.expiresAt);
  return result.auth;
}
