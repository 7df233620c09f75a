/** The two-step module's SQL: each change with its audit row (and mails) in one statement. */
import { sql, type SQL } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { rows, type Queryable } from '../db/client.ts';
import { localizedMailInsert, type LocalizedMail } from '../mail/outbox.ts';
import { bumpCounters, countersJson, type Counter } from '../auth/rate-limit.ts';
import { ACCOUNT_WINDOW, SIGNIN_LIMIT_ADDRESS, SIGNIN_LIMIT_PAIR, SIGNIN_WINDOW, type SignInKeys } from '../auth/signin-limits.ts';
import type { Auth } from '../context.ts';
import { recoveryHash } from './codes.ts';

/** The customer organization an audit row of this person belongs to (none for partner staff: their rows have no customer). */
const auditOrg = (auth: Auth) => (auth.org.kind === 'customer' ? auth.org.id : null);

export interface SecondStepState {
  counters: Counter[];
  totpKey: string | null;
  lastTimeStep: number | null;
  /** The typed recovery code is one of the person's unused ones. */
  recoveryFound: boolean;
}

/** One round trip: counts the attempt as a sign-in attempt (signin-limits.ts) and reads what the check needs. */
export async function countSecondStep(db: Queryable, userId: string, keys: SignInKeys, now: Date, recovery: string | null): Promise<SecondStepState> {
  const through = sql`not exists (select 1 from near where (key = ${keys.pair} and count > ${SIGNIN_LIMIT_PAIR}) or (key = ${keys.address} and count > ${SIGNIN_LIMIT_ADDRESS}))`;
  const [row] = await rows<{ near: Counter[]; far: Counter[] | null; totpKey: string | null; lastTimeStep: string | number | null; recoveryFound: boolean }>(
    db,
    sql`with near as (${bumpCounters([keys.pair, keys.address], SIGNIN_WINDOW, now)}),
        far as (${bumpCounters([keys.account], ACCOUNT_WINDOW, now, through)})
      select ${countersJson(sql`near`)} as near, ${countersJson(sql`far`)} as far,
        t.totp_key as "totpKey", t.last_time_step as "lastTimeStep",
        exists (select 1 from recovery_codes r where r.user_id = ${userId} and r.code_hash = ${recovery ? recoveryHash(recovery) : ''} and r.used_at is null) as "recoveryFound"
      from (select 1) one left join two_step t on t.user_id = ${userId}`,
  );
  return {
    counters: [...row.near, ...(row.far ?? [])],
    totpKey: row.totpKey,
    lastTimeStep: row.lastTimeStep === null ? null : Number(row.lastTimeStep),
    recoveryFound: row.recoveryFound,
  };
}

/** The change that spends a code, for createSession's guard: it changes a row only the first time. */
export const spendTimeStep = (userId: string, step: number): SQL =>
  sql`update two_step set last_time_step = ${step} where user_id = ${userId} and (last_time_step is null or last_time_step < ${step}) returning 1`;
export const spendRecoveryCode = (userId: string, code: string, now: Date): SQL =>
  sql`update recovery_codes set used_at = ${now.toISOString()} where user_id = ${userId} and code_hash = ${recoveryHash(code)} and used_at is null returning 1`;

/** The person's state for the Two-step sign-in page. */
export interface TwoStepState {
  enabledAt: string | null;
  recoveryLeft: number;
  passkeys: { id: string; name: string; createdAt: string; lastUsedAt: string | null }[];
}

export async function twoStepState(db: Queryable, userId: string): Promise<TwoStepState> {
  const [row] = await rows<TwoStepState>(
    db,
    sql`select (select enabled_at from two_step where user_id = ${userId}) as "enabledAt",
      (select count(*)::int from recovery_codes where user_id = ${userId} and used_at is null) as "recoveryLeft",
      coalesce((select json_agg(json_build_object('id', id, 'name', name, 'createdAt', created_at, 'lastUsedAt', last_used_at) order by created_at, id)
        from passkeys where user_id = ${userId}), '[]'::json) as passkeys`,
  );
  return row;
}

const insertRecoveryCodes = (userId: string, codes: string[]) => sql`insert into recovery_codes (user_id, code_hash)
  select ${userId}, h from unnest(${`{${codes.map(recoveryHash).join(',')}}`}::text[]) as h`;

/**
 * Turns two-step sign-in on (or moves it to a new authenticator app) in one statement: the key with the
 * step of the code just entered, a new set of recovery codes, this session marked as past the second
 * step, the person's other sessions ended, and the audit row.
 */
export async function enableTwoStep(db: Queryable, auth: Auth, p: { keyHex: string; step: number; codes: string[] }): Promise<void> {
  const replacing = auth.twoStep.on;
  await db.execute(sql`with
    saved as (insert into two_step (user_id, totp_key, last_time_step) values (${auth.user.id}, ${p.keyHex}, ${p.step})
      on conflict (user_id) do update set totp_key = excluded.totp_key, last_time_step = excluded.last_time_step, enabled_at = now()),
    old_codes as (delete from recovery_codes where user_id = ${auth.user.id}),
    codes as (${insertRecoveryCodes(auth.user.id, p.codes)}),
    this_one as (update sessions set two_step_verified = true where id = ${auth.sessionId}),
    others as (delete from sessions where user_id = ${auth.user.id} and id <> ${auth.sessionId}),
    a as (${auditInsert({
      orgId: auditOrg(auth),
      actorUserId: auth.user.id,
      actorName: auth.user.name,
      action: replacing ? 'user.two_step.app_changed' : 'user.two_step.enabled',
      targetType: 'user',
      targetId: auth.user.id,
      after: sql`json_build_object('name', ${auth.user.name}::text)`,
    })})
    select 1`);
}

/** A new set of ten recovery codes replaces the old one. */
export async function replaceRecoveryCodes(db: Queryable, auth: Auth, codes: string[]): Promise<void> {
  await db.execute(sql`with
    old_codes as (delete from recovery_codes where user_id = ${auth.user.id}),
    codes as (${insertRecoveryCodes(auth.user.id, codes)}),
    a as (${auditInsert({
      orgId: auditOrg(auth),
      actorUserId: auth.user.id,
      actorName: auth.user.name,
      action: 'user.two_step.recovery_codes_replaced',
      targetType: 'user',
      targetId: auth.user.id,
      after: sql`json_build_object('name', ${auth.user.name}::text)`,
    })})
    select 1`);
}

/**
 * Turns the person's own two-step sign-in off, guarded by the code they just entered (`spend`, which
 * changes a row only once). False when the code was spent meanwhile.
 */
export async function disableOwnTwoStep(db: Queryable, auth: Auth, spend: SQL): Promise<boolean> {
  const [row] = await rows<{ done: boolean }>(
    db,
    sql`with spent as (${spend}),
      gone as (delete from two_step where user_id = ${auth.user.id} and exists (select 1 from spent) returning 1),
      codes as (delete from recovery_codes where user_id = ${auth.user.id} and exists (select 1 from gone)),
      keys as (delete from passkeys where user_id = ${auth.user.id} and exists (select 1 from gone)),
      a as (${auditInsert(
        {
          orgId: auditOrg(auth),
          actorUserId: auth.user.id,
          actorName: auth.user.name,
          action: 'user.two_step.disabled',
          targetType: 'user',
          targetId: auth.user.id,
          after: sql`json_build_object('name', ${auth.user.name}::text)`,
        },
        sql`gone`,
      )})
    select exists (select 1 from gone) as done`,
  );
  return row.done;
}

/**
 * A global admin resets another admin's two-step sign-in in their organization: the key, recovery codes
 * and passkeys go, the person's sessions end, both are mailed. Null: no such admin there (or oneself).
 */
export async function resetTwoStep(
  db: Queryable,
  auth: Auth,
  targetId: string,
  mails: (target: { email: string; name: string }) => LocalizedMail[],
  target: { email: string; name: string } | null,
): Promise<boolean> {
  if (!target) return false;
  const [row] = await rows<{ done: boolean }>(
    db,
    sql`with t as (select id, name from users where id = ${targetId} and org_id = ${auth.org.id} and id <> ${auth.user.id}
        and (role in ('global_admin', 'billing_admin') or cardinality(admin_roles) > 0)),
      gone as (delete from two_step where user_id in (select id from t) returning user_id),
      codes as (delete from recovery_codes where user_id in (select id from t)),
      keys as (delete from passkeys where user_id in (select id from t)),
      ended as (delete from sessions where user_id in (select id from t)),
      a as (${auditInsert(
        {
          orgId: auth.org.id,
          actorUserId: auth.user.id,
          actorName: auth.user.name,
          action: 'user.two_step.reset',
          targetType: 'user',
          targetId: sql`t.id::text`,
          after: sql`json_build_object('name', t.name)`,
        },
        sql`t`,
      )}),
      m as (${localizedMailInsert(mails(target), sql`exists (select 1 from t)`)})
    select exists (select 1 from t) as done`,
  );
  return row.done;
}

/** Who a reset would concern: an admin of the organization other than the actor (for the mails' names), with their two-step state. */
export async function resetTarget(db: Queryable, auth: Auth, targetId: string): Promise<{ email: string; name: string; on: boolean } | null> {
  const [row] = await rows<{ email: string; name: string; on: boolean }>(
    db,
    sql`select u.email, u.name, exists (select 1 from two_step t where t.user_id = u.id) as on from users u
      where u.id = ${targetId} and u.org_id = ${auth.org.id} and u.id <> ${auth.user.id}
        and (u.role in ('global_admin', 'billing_admin') or cardinality(u.admin_roles) > 0)`,
  );
  return row ?? null;
}

/** The organization's policy changes (a global admin), audited. */
export async function setPolicy(db: Queryable, auth: Auth, require: boolean): Promise<void> {
  await db.execute(sql`with
    saved as (insert into sign_in_policies (org_id, require_two_step_for_admins) values (${auth.org.id}, ${require})
      on conflict (org_id) do update set require_two_step_for_admins = excluded.require_two_step_for_admins, updated_at = now()),
    a as (${auditInsert({
      orgId: auth.org.id,
      actorUserId: auth.user.id,
      actorName: auth.user.name,
      action: require ? 'organization.two_step_required' : 'organization.two_step_not_required',
      targetType: 'organization',
      targetId: auth.org.id,
      after: sql`json_build_object('name', ${auth.org.name}::text)`,
    })})
    select 1`);
}

/** Keeps a new challenge for this session (replacing any earlier one) and returns the person's passkeys' credential ids. */
export async function saveChallenge(db: Queryable, auth: Auth, hash: string, expiresAt: Date): Promise<string[]> {
  const [row] = await rows<{ ids: string[] }>(
    db,
    sql`with saved as (insert into webauthn_challenges (session_id, challenge_hash, expires_at) values (${auth.sessionId}, ${hash}, ${expiresAt.toISOString()})
        on conflict (session_id) do update set challenge_hash = excluded.challenge_hash, expires_at = excluded.expires_at)
      select coalesce((select json_agg(credential_id order by created_at) from passkeys where user_id = ${auth.user.id}), '[]'::json) as ids`,
  );
  return row.ids;
}

/** Spends this session's challenge (once, unexpired): the guard of a passkey's registration or sign-in. */
export const spendChallenge = (sessionId: string, hash: string, now: Date): SQL =>
  sql`delete from webauthn_challenges where session_id = ${sessionId} and challenge_hash = ${hash} and expires_at > ${now.toISOString()} returning 1`;

/** A passkey's last use, for createSession's `alsoWrite`: written only when its challenge was spent (the statement's `guard`). */
export const touchPasskey = (userId: string, credentialId: string, now: Date): SQL =>
  sql`update passkeys set last_used_at = ${now.toISOString()} where user_id = ${userId} and credential_id = ${credentialId} and exists (select 1 from guard) returning 1`;

/** Saves a verified passkey with its name, spending the challenge, audited. False when the challenge was spent or expired, or the key is known. */
export async function addPasskey(
  db: Queryable,
  auth: Auth,
  p: { credentialId: string; algorithm: number; publicKey: string; challengeHash: string; name: string },
  now: Date,
): Promise<boolean> {
  const [row] = await rows<{ done: boolean }>(
    db,
    sql`with ch as (${spendChallenge(auth.sessionId, p.challengeHash, now)}),
      made as (insert into passkeys (user_id, credential_id, name, algorithm, public_key)
        select ${auth.user.id}, ${p.credentialId}, ${p.name}, ${p.algorithm}, ${p.publicKey} where exists (select 1 from ch)
        on conflict (credential_id) do nothing returning id),
      a as (${auditInsert(
        {
          orgId: auditOrg(auth),
          actorUserId: auth.user.id,
          actorName: auth.user.name,
          action: 'user.passkey.added',
          targetType: 'user',
          targetId: auth.user.id,
          after: sql`json_build_object('name', ${auth.user.name}::text, 'passkey', ${p.name}::text)`,
        },
        sql`made`,
      )})
    select exists (select 1 from made) as done`,
  );
  return row.done;
}

export async function removePasskey(db: Queryable, auth: Auth, id: string): Promise<boolean> {
  const [row] = await rows<{ done: boolean }>(
    db,
    sql`with gone as (delete from passkeys where id = ${id}::uuid and user_id = ${auth.user.id} returning name),
      a as (${auditInsert(
        {
          orgId: auditOrg(auth),
          actorUserId: auth.user.id,
          actorName: auth.user.name,
          action: 'user.passkey.removed',
          targetType: 'user',
          targetId: auth.user.id,
          after: sql`json_build_object('name', ${auth.user.name}::text, 'passkey', gone.name)`,
        },
        sql`gone`,
      )})
    select exists (select 1 from gone) as done`,
  );
  return row.done;
}

/** The person's passkey with this credential id (none: not theirs). */
export async function passkeyOf(db: Queryable, userId: string, credentialId: string): Promise<{ algorithm: number; publicKey: string } | null> {
  const [row] = await rows<{ algorithm: number; publicKey: string }>(
    db,
    sql`select algorithm, public_key as "publicKey" from passkeys where user_id = ${userId} and credential_id = ${credentialId}`,
  );
  return row ?? null;
}

/** Whether the person has any passkey (the second step offers one then). */
export async function hasPasskeys(db: Queryable, userId: string): Promise<boolean> {
  const [row] = await rows<{ any: boolean }>(db, sql`select exists (select 1 from passkeys where user_id = ${userId}) as any`);
  return row.any;
}
