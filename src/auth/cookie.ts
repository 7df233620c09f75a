import type { Context } from 'hono';
import type { Auth, AppEnv } from '../context.ts';
import { now, readCookie, removeCookie, writeCookie } from '../http/respond.ts';
import { planOf } from './session-read.ts';
import { hashToken, sessionCsrfToken, sessionFrom, validateSessionToken } from './session.ts';

export const SESSION_COOKIE = 'pd_session';
export const CSRF_COOKIE = 'pd_csrf';

export function sessionToken(c: Context<AppEnv>): string | undefined {
  return readCookie(c, SESSION_COOKIE);
}

/**
 * The session cookie, and the CSRF cookie set to the token derived from this session (forms carry the
 * same value; the cookie is only a mirror so that the token survives into the signed-out state).
 */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date) {
  writeCookie(c, SESSION_COOKIE, token, { expires: expiresAt });
  writeCookie(c, CSRF_COOKIE, sessionCsrfToken(token));
  c.set('csrf', sessionCsrfToken(token));
}

export function clearSessionCookie(c: Context<AppEnv>) {
  removeCookie(c, SESSION_COOKIE);
}

/**
 * The session of the request's cookie. When the route's read can ride along (session-read.ts), it is
 * read in the same statement and kept on the context for the route.
 */
export async function validateSession(c: Context<AppEnv>): Promise<Auth | null> {
  const token = sessionToken(c)!;
  const db = c.get('deps').db;
  const found = planOf(c);
  let result;
  if (found) {
    const sessionId = hashToken(token);
    const { session, ...read } = await found.planned.read.withSession(db, sessionId, found.planned.values);
    result = await sessionFrom(db, sessionId, session, now(c));
    if (result.auth) c.set('preread', { plan: found.plan, planned: found.planned, read });
  } else result = await validateSessionToken(db, token, now(c));
  if (!result.auth) clearSessionCookie(c);
  else if (result.renewed) writeCookie(c, SESSION_COOKIE, token, { expires: result.expiresAt });
  return result.auth;
}
