import { sql } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { rows, type Queryable } from '../db/client.ts';
import type { Organization, User } from '../db/schema.ts';
import { mailInsert, type Mail } from '../mail/outbox.ts';
import { bumpCounters, countersJson, type Counter } from './rate-limit.ts';
import { ACCOUNT_WINDOW, SIGNIN_LIMIT_ADDRESS, SIGNIN_LIMIT_PAIR, SIGNIN_WINDOW, type SignInKeys } from './signin-limits.ts';

/** The account signing in, typed from the users table, with its organization's kind and whether its address is verified. */
type Candidate = Pick<User, 'id' | 'orgId' | 'name' | 'role' | 'passwordHash'> & {
  orgKind: Organization['kind'];
  orgName: string;
  verified: boolean;
  twoStepOn: boolean;
  disabled: boolean;
};

export interface SignInCandidate {
  counters: Counter[];
  user: Candidate | null;
}

/**
 * One round trip: counts the attempt against the account-and-address and the address; against the
 * account's budget only when those two let it through (so one address cannot spend the owner's
 * budget); and finds the account.
 */
export async function countAttemptAndFindUser(db: Queryable, email: string, keys: SignInKeys, now: Date): Promise<SignInCandidate> {
  const through = sql`not exists (select 1 from near where (key = ${keys.pair} and count > ${SIGNIN_LIMIT_PAIR}) or (key = ${keys.address} and count > ${SIGNIN_LIMIT_ADDRESS}))`;
  const [row] = await rows<
    { near: Counter[]; far: Counter[] | null } & (
      Candidate | ({ [K in Exclude<keyof Candidate, 'verified' | 'twoStepOn' | 'disabled'>]: null } & { verified: false; twoStepOn: false; disabled: false })
    )
  >(
    db,
    sql`with near as (${bumpCounters([keys.pair, keys.address], SIGNIN_WINDOW, now)}),
        far as (${bumpCounters([keys.account], ACCOUNT_WINDOW, now, through)})
      select ${countersJson(sql`near`)} as near, ${countersJson(sql`far`)} as far,
        u.id, u.org_id as "orgId", u.name, u.role, u.password_hash as "passwordHash", o.kind as "orgKind", o.name as "orgName",
        u.email_verified_at is not null as verified, u.disabled_at is not null as disabled,
        exists (select 1 from two_step t where t.user_id = u.id) as "twoStepOn"
      from (select 1) one
      left join users u on lower(u.email) = lower(${email})
      left join organizations o on o.id = u.org_id`,
  );
  const { near, far, ...user } = row;
  return { counters: [...near, ...(far ?? [])], user: user.id === null ? null : user };
}

export interface SignUpInput {
  orgName: string;
  country: string;
  name: string;
  email: string;
  passwordHash: string;
  /** The language the person signed up in: their pages and e-mails. */
  locale: string;
  /** The initial domain is `<name>.<suffix>` (DOMAIN_SUFFIX). */
  domainSuffix: string;
  /** SHA-256 of the authorization link's token the person came from, if any. */
  linkTokenHash: string | null;
  verification: { tokenHash: string; expiresAt: Date; mail: Mail };
  /** To the address's owner when it already has an account; at most one an hour (dedupe key). */
  takenMail: Mail;
  now: Date;
}

/**
 * One statement: when the address is free, the organization, its global admin (also billing account
 * owner) and the audit row; verified at once when the person came from an open authorization link
 * addressed to this e-mail, otherwise with a verification token and its mail. When the address is
 * taken, only the mail to its owner. `null` when taken (also when a concurrent sign-up won the race).
 */
export async function signUpAccount(db: Queryable, input: SignUpInput): Promise<{ userId: string; orgId: string; verified: boolean } | null> {
  const at = input.now.toISOString();
  try {
    const [row] = await rows<{ userId: string; orgId: string; verified: boolean } | { userId: null; orgId: null; verified: null }>(
      db,
      sql`with existing as (select id from users where lower(email) = lower(${input.email})),
        link as (select 1 from invitations where token_hash = ${input.linkTokenHash ?? ''} and lower(email) = lower(${input.email})
          and accepted_at is null and revoked_at is null and expires_at > ${at}::timestamptz),
        o as (
          insert into organizations (kind, name, country) select 'customer', ${input.orgName}, ${input.country}
          where not exists (select 1 from existing) returning id),
        u as (
          insert into users (org_id, email, name, password_hash, role, is_billing_owner, email_verified_at, locale)
          select o.id, ${input.email}, ${input.name}, ${input.passwordHash}, 'global_admin', true,
            case when exists (select 1 from link) then ${at}::timestamptz end, ${input.locale} from o
          returning id, org_id, email_verified_at),
        d as (
          insert into domains (org_id, name, txt_token, verified_at, is_default, is_initial)
          select o.id, initial_domain_name(${input.orgName}, o.id, ${input.domainSuffix}), md5(random()::text), now(), true, true from o),
        a as (${auditInsert(
          {
            orgId: sql`u.org_id`,
            actorUserId: sql`u.id`,
            actorName: input.name,
            action: 'organization.created',
            targetType: 'organization',
            targetId: sql`u.org_id::text`,
            after: sql`json_build_object('name', ${input.orgName}::text, 'country', ${input.country}::text)`,
          },
          sql`u`,
        )}),
        v as (
          insert into email_verifications (token_hash, user_id, expires_at)
          select ${input.verification.tokenHash}, u.id, ${input.verification.expiresAt.toISOString()}::timestamptz from u
          where u.email_verified_at is null returning user_id),
        vm as (${mailInsert([input.verification.mail], sql`exists (select 1 from v)`)}),
        tm as (${mailInsert([input.takenMail], sql`exists (select 1 from existing)`)})
      select (select id from u) as "userId", (select org_id from u) as "orgId", (select email_verified_at is not null from u) as verified`,
    );
    return row.userId === null ? null : row;
  } catch (e) {
    if (isUniqueViolation(e)) return null;
    throw e;
  }
}

export function isUniqueViolation(e: unknown): boolean {
  for (let err = e as { code?: string; cause?: unknown } | undefined; err; err = err.cause as typeof err) {
    if (err.code === '23505') return true;
  }
  return false;
}
