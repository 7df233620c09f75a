/** Sessions the Lucia way: a random token in the cookie, only its SHA-256 in the database, sliding expiry. */
import { createHash } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { sql } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { statement, type Queryable } from '../db/client.ts';
import type { Auth } from '../context.ts';
import type { Organization, Session, User } from '../db/schema.ts';
import { isLocale } from '../i18n/locales.ts';
import { countryTimeZone } from '../i18n/regional.ts';
import { DAY } from '../time.ts';

export const SESSION_TTL = 30 * DAY;
/** A session used in its second half is extended to a full TTL again. */
const RENEW_BEFORE = 15 * DAY;

export function generateToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * The CSRF token of a signed-in request: derived from the session token (which only the browser holding
 * the HttpOnly cookie knows) with a label, so it is tied to the session, needs no storage, and showing
 * it in a form reveals nothing about the session token or the stored session id.
 */
export function sessionCsrfToken(token: string): string {
  // 20 bytes are 32 base32 letters (node's own SHA-256: this runs on every signed-in request).
  return encodeBase32LowerCaseNoPadding(createHash('sha256').update(`partnerdesk csrf\0${token}`).digest().subarray(0, 20));
}

export type SessionValidation = { auth: Auth; expiresAt: Date; renewed: boolean } | { auth: null; expiresAt: null; renewed: false };

/** The session with its person and organization, typed from the schema (camelCase aliases). */
export type SessionRow = Pick<Session, 'expiresAt'> &
  Pick<User, 'orgId' | 'email' | 'role' | 'view' | 'isBillingOwner' | 'emailVerifiedAt' | 'locale' | 'timeZone' | 'adminRoles'> &
  Pick<Organization, 'kind' | 'country'> & { userId: string; userName: string; orgName: string };

/** The session row's select, by the session id's placeholder; `sessionRead` (session-read.ts) joins a page's read to it. */
export const sessionSelect = sql`select s.expires_at as "expiresAt", u.id as "userId", u.org_id as "orgId", u.email, u.name as "userName", u.role, u.view,
    u.is_billing_owner as "isBillingOwner", u.email_verified_at as "emailVerifiedAt", u.locale, u.time_zone as "timeZone",
    u.admin_roles as "adminRoles", o.kind, o.name as "orgName", o.country
  from sessions s join users u on u.id = s.user_id join organizations o on o.id = u.org_id
  where s.id = ${sql.placeholder('sessionId')}`;

const sessionRow = statement<SessionRow, { sessionId: string }>(() => sessionSelect);

/** One query; a second only when the session enters its second half and is extended. */
export async function validateSessionToken(db: Queryable, token: string, now: Date): Promise<SessionValidation> {
  const sessionId = hashToken(token);
  const [row] = await sessionRow(db, { sessionId });
  return sessionFrom(db, sessionId, row, now);
}

/**
 * The signed-in person and organization from the session's row (none: no such session, or it expired),
 * extending a session used in its second half (a second statement, at most twice a month per session).
 */
export async function sessionFrom(db: Queryable, sessionId: string, row: SessionRow | undefined, now: Date): Promise<SessionValidation> {
  if (!row) return { auth: null, expiresAt: null, renewed: false };
  let expiresAt = new Date(row.expiresAt);
  if (expiresAt.getTime() <= now.getTime()) return { auth: null, expiresAt: null, renewed: false };
  let renewed = false;
  if (expiresAt.getTime() - now.getTime() < RENEW_BEFORE) {
    expiresAt = new Date(now.getTime() + SESSION_TTL);
    await db.execute(sql`update sessions set expires_at = ${expiresAt.toISOString()} where id = ${sessionId}`);
    renewed = true;
  }
  return {
    auth: {
      sessionId,
      user: {
        id: row.userId,
        orgId: row.orgId,
        email: row.email,
        name: row.userName,
        role: row.role,
        view: row.view,
        isBillingOwner: row.isBillingOwner,
        emailVerifiedAt: row.emailVerifiedAt === null ? null : new Date(row.emailVerifiedAt),
        locale: isLocale(row.locale) ? row.locale : null,
        timeZone: row.timeZone ?? countryTimeZone(row.country),
        adminRoles: row.adminRoles,
      },
      org: { id: row.orgId, kind: row.kind, name: row.orgName, country: row.country },
    },
    expiresAt,
    renewed,
  };
}

/**
 * Creates a session for `userId` in one statement that also ends the session it replaces (rotation on
 * sign-in), clears and refunds sign-in counters (see signin-limits.ts) and writes the audit row.
 */
export async function createSession(
  db: Queryable,
  opts: {
    userId: string;
    replacesToken?: string;
    now: Date;
    rateLimits?: { clear: string; refund: string[] };
    audit: { orgId: string | null; actorName: string; action: string };
  },
): Promise<{ token: string; expiresAt: Date }> {
  const token = generateToken();
  const expiresAt = new Date(opts.now.getTime() + SESSION_TTL);
  const oldId = opts.replacesToken ? hashToken(opts.replacesToken) : '';
  const refund = opts.rateLimits?.refund ?? [];
  await db.execute(sql`
    with ended as (delete from sessions where id = ${oldId}),
      cleared as (delete from rate_limits where key = ${opts.rateLimits?.clear ?? ''}),
      refunded as (update rate_limits set count = greatest(count - 1, 0)
        where key in (${sql.join([sql`''`, ...refund.map((k) => sql`${k}`)], sql`, `)})),
      audited as (${auditInsert({ orgId: opts.audit.orgId, actorUserId: opts.userId, actorName: opts.audit.actorName, action: opts.audit.action, targetType: 'user', targetId: opts.userId })})
    insert into sessions (id, user_id, expires_at) values (${hashToken(token)}, ${opts.userId}, ${expiresAt.toISOString()})`);
  return { token, expiresAt };
}

export async function invalidateSession(db: Queryable, sessionId: string): Promise<void> {
  await db.execute(sql`delete from sessions where id = ${sessionId}`);
}
