/** Sessions the Lucia way: a random token in the cookie, only its SHA-256 in the database, sliding expiry. */
import { createHash } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { sql, type SQL } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { rows, statement, type Queryable } from '../db/client.ts';
import type { Auth } from '../context.ts';
import type { Organization, Session, User } from '../db/schema.ts';
import { isLocale } from '../i18n/locales.ts';
import { countryTimeZone } from '../i18n/regional.ts';
import { DAY } from '../time.ts';

export const SESSION_TTL = 30 * DAY;
/** A session used in its second half is extended to a full TTL again. */
const RENEW_BEFORE = 15 * DAY;
/** "Last seen" on the sessions list is kept to the hour: at most one extra statement an hour per session. */
const SEEN_EVERY = 60 * 60 * 1000;

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
export type SessionRow = Pick<Session, 'expiresAt' | 'twoStepVerified' | 'lastSeenAt'> &
  Pick<User, 'orgId' | 'email' | 'role' | 'view' | 'isBillingOwner' | 'emailVerifiedAt' | 'locale' | 'timeZone' | 'adminRoles'> &
  Pick<Organization, 'kind' | 'country'> & {
    userId: string;
    userName: string;
    orgName: string;
    sessionPublicId: string;
    /** The person has an authenticator app set up (two-step sign-in on). */
    twoStepOn: boolean;
    /** The organization requires two-step sign-in of its admins. */
    requireTwoStep: boolean;
  };

/** The session row's select, by the session id's placeholder; `sessionRead` (session-read.ts) joins a page's read to it. */
export const sessionSelect = sql`select s.expires_at as "expiresAt", u.id as "userId", u.org_id as "orgId", u.email, u.name as "userName", u.role, u.view,
    u.is_billing_owner as "isBillingOwner", u.email_verified_at as "emailVerifiedAt", u.locale, u.time_zone as "timeZone",
    u.admin_roles as "adminRoles", o.kind, o.name as "orgName", o.country,
    s.two_step_verified as "twoStepVerified", s.public_id as "sessionPublicId", s.last_seen_at as "lastSeenAt",
    exists (select 1 from two_step t where t.user_id = u.id) as "twoStepOn",
    coalesce((select p.require_two_step_for_admins from sign_in_policies p where p.org_id = u.org_id), false) as "requireTwoStep"
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
  const renew = expiresAt.getTime() - now.getTime() < RENEW_BEFORE;
  if (renew) {
    expiresAt = new Date(now.getTime() + SESSION_TTL);
    renewed = true;
  }
  // One statement for both: the renewal, and "last seen" when an hour old.
  if (renew || now.getTime() - new Date(row.lastSeenAt).getTime() >= SEEN_EVERY) {
    await db.execute(sql`update sessions set expires_at = ${expiresAt.toISOString()}, last_seen_at = ${now.toISOString()} where id = ${sessionId}`);
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
      twoStep: { on: row.twoStepOn, verified: row.twoStepVerified, required: row.requireTwoStep, sessionPublicId: row.sessionPublicId },
    },
    expiresAt,
    renewed,
  };
}

/**
 * Creates a session for `userId` in one statement that also ends the session it replaces (rotation on
 * sign-in), clears and refunds sign-in counters (see signin-limits.ts) and writes the audit row.
 * `guard` (a change of the same statement, e.g. marking a recovery code used) must change a row, or
 * nothing happens and the result is null: a code used by two requests at once signs in only one of them.
 */
export async function createSession(
  db: Queryable,
  opts: {
    userId: string;
    replacesToken?: string;
    now: Date;
    rateLimits?: { clear: string; refund: string[] };
    /** None: the password step of a two-step sign-in, which the second step audits. */
    audit: { orgId: string | null; actorName: string; action: string } | null;
    /** Whether the second step is done (or there is none to do): see twoStepVerified in the schema. */
    twoStepVerified?: boolean;
    /** The browser's User-Agent, for the sessions list. */
    userAgent?: string;
    guard?: SQL;
    /** A further change of the same statement, made only when `guard` changed a row (it may test `exists (select 1 from guard)`), e.g. a passkey's last use. */
    alsoWrite?: SQL;
  },
): Promise<{ token: string; expiresAt: Date } | null> {
  const token = generateToken();
  const expiresAt = new Date(opts.now.getTime() + SESSION_TTL);
  const oldId = opts.replacesToken ? hashToken(opts.replacesToken) : '';
  const refund = opts.rateLimits?.refund ?? [];
  const through = opts.guard ? sql`exists (select 1 from guard)` : sql`true`;
  const audit = opts.audit;
  const [row] = await rows<{ made: boolean }>(
    db,
    sql`
    with guard as (${opts.guard ?? sql`select 1`}),
      ended as (delete from sessions where id = ${oldId} and ${through}),
      cleared as (delete from rate_limits where key = ${opts.rateLimits?.clear ?? ''} and ${through}),
      refunded as (update rate_limits set count = greatest(count - 1, 0)
        where key in (${sql.join([sql`''`, ...refund.map((k) => sql`${k}`)], sql`, `)}) and ${through}),
      audited as (${
        audit
          ? auditInsert(
              { orgId: audit.orgId, actorUserId: opts.userId, actorName: audit.actorName, action: audit.action, targetType: 'user', targetId: opts.userId },
              sql`(select 1 where ${through}) g`,
            )
          : sql`select 1`
      }),
      also as (${opts.alsoWrite ?? sql`select 1`}),
      made as (insert into sessions (id, user_id, expires_at, two_step_verified, user_agent, last_seen_at)
        select ${hashToken(token)}, ${opts.userId}, ${expiresAt.toISOString()}, ${opts.twoStepVerified ?? false}, ${(opts.userAgent ?? '').slice(0, 300)}, ${opts.now.toISOString()}
        where ${through} returning 1)
    select exists (select 1 from made) as made`,
  );
  return row?.made ? { token, expiresAt } : null;
}

export async function invalidateSession(db: Queryable, sessionId: string): Promise<void> {
  await db.execute(sql`delete from sessions where id = ${sessionId}`);
}
