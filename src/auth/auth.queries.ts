import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.ts';
import type { Role } from '../db/schema.ts';
import { bumpCounters, type Counter } from './rate-limit.ts';

export interface SignInCandidate {
  counters: Counter[];
  user: { id: string; orgId: string; name: string; role: Role; passwordHash: string; orgKind: string } | null;
}

/** One round trip: counts the attempt against the account and the address, and finds the account. */
export async function countAttemptAndFindUser(db: Queryable, email: string, keys: string[], windowSeconds: number, now: Date): Promise<SignInCandidate> {
  const [row] = await rows<{ counters: Counter[]; id: string | null; org_id: string; name: string; role: Role; password_hash: string; kind: string }>(
    db,
    sql`with rl as (${bumpCounters(keys, windowSeconds, now)})
      select (select json_agg(json_build_object('key', key, 'count', count, 'window_start', window_start)) from rl) as counters,
        u.id, u.org_id, u.name, u.role, u.password_hash, o.kind
      from (select 1) one
      left join users u on lower(u.email) = lower(${email})
      left join organizations o on o.id = u.org_id`,
  );
  return {
    counters: row.counters,
    user: row.id ? { id: row.id, orgId: row.org_id, name: row.name, role: row.role, passwordHash: row.password_hash, orgKind: row.kind } : null,
  };
}

export class EmailTakenError extends Error {}

/** The organization, its global admin (also billing account owner), its initial domain and the audit row, in one statement. */
export async function createCustomerAccount(
  db: Queryable,
  input: { orgName: string; country: string; name: string; email: string; passwordHash: string; domainSuffix: string },
): Promise<{ userId: string; orgId: string }> {
  try {
    const [row] = await rows<{ user_id: string; org_id: string }>(
      db,
      sql`with o as (
          insert into organizations (kind, name, country) values ('customer', ${input.orgName}, ${input.country}) returning id),
        u as (
          insert into users (org_id, email, name, password_hash, role, is_billing_owner)
          select o.id, ${input.email}, ${input.name}, ${input.passwordHash}, 'global_admin', true from o returning id, org_id),
        d as (
          insert into domains (org_id, name, txt_token, verified_at, is_default, is_initial)
          select o.id, initial_domain_name(${input.orgName}, o.id, ${input.domainSuffix}), md5(random()::text), now(), true, true from o),
        a as (
          insert into audit_log (org_id, actor_user_id, actor_name, action, target_type, target_id, after)
          select u.org_id, u.id, ${input.name}, 'organization.created', 'organization', u.org_id::text,
            json_build_object('name', ${input.orgName}::text, 'country', ${input.country}::text) from u)
        select id as user_id, org_id from u`,
    );
    return { userId: row.user_id, orgId: row.org_id };
  } catch (e) {
    if (isUniqueViolation(e)) throw new EmailTakenError();
    throw e;
  }
}

export function isUniqueViolation(e: unknown): boolean {
  for (let err = e as { code?: string; cause?: unknown } | undefined; err; err = err.cause as typeof err) {
    if (err.code === '23505') return true;
  }
  return false;
}
