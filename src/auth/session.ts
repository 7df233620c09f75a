/** Sessions the Lucia way: a random token in the cookie, only its SHA-256 in the database, sliding expiry. */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { sql } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { rows, type Queryable } from '../db/client.ts';
import type { Auth } from '../context.ts';
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
  return encodeBase32LowerCaseNoPadding(sha256(new TextEncoder().encode(`partnerdesk csrf\0${token}`))).slice(0, 32);
}

export type SessionValidation = { auth: Auth; expiresAt: Date; renewed: boolean } | { auth: null; expiresAt: null; renewed: false };

/** One query; a second only when the session enters its second half and is extended. */
export async function validateSessionToken(db: Queryable, token: string, now: Date): Promise<SessionValidation> {
  const sessionId = hashToken(token);
  const [row] = await rows<{
    expires_at: Date | string;
    user_id: string;
    org_id: string;
    email: string;
    user_name: string;
    role: Auth['user']['role'];
    view: Auth['user']['view'];
    is_billing_owner: boolean;
    email_verified_at: Date | string | null;
    locale: string | null;
    time_zone: string | null;
    admin_roles: string[];
    kind: Auth['org']['kind'];
    org_name: string;
    country: string;
  }>(
    db,
    sql`select s.expires_at, u.id as user_id, u.org_id, u.email, u.name as user_name, u.role, u.view,
          u.is_billing_owner, u.email_verified_at, u.locale, u.time_zone, u.admin_roles, o.kind, o.name as org_name, o.country
        from sessions s join users u on u.id = s.user_id join organizations o on o.id = u.org_id
        where s.id = ${sessionId}`,
  );
  if (!row) return { auth: null, expiresAt: null, renewed: false };
  let expiresAt = new Date(row.expires_at);
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
        id: row.user_id,
        orgId: row.org_id,
        email: row.email,
        name: row.user_name,
        role: row.role,
        view: row.view,
        isBillingOwner: row.is_billing_owner,
        emailVerifiedAt: row.email_verified_at === null ? null : new Date(row.email_verified_at),
        locale: isLocale(row.locale) ? row.locale : null,
        timeZone: row.time_zone ?? countryTimeZone(row.country),
        adminRoles: row.admin_roles,
      },
      org: { id: row.org_id, kind: row.kind, name: row.org_name, country: row.country },
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
