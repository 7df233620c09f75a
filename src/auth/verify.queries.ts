import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.ts';
import { mailInsert, type Mail } from '../mail/outbox.ts';
import { bumpCounters, countersJson, type Counter } from './rate-limit.ts';
import { DAY } from '../time.ts';

export const VERIFY_TTL = DAY;

/**
 * Follows a verification link: the token row is deleted whatever its state (single use), and the user is
 * verified only when it had not expired. One statement.
 */
export async function confirmEmail(db: Queryable, tokenHash: string, now: Date): Promise<{ userId: string } | null> {
  const at = now.toISOString();
  const [row] = await rows<{ userId: string | null }>(
    db,
    sql`with v as (delete from email_verifications where token_hash = ${tokenHash} returning user_id, expires_at),
        u as (update users set email_verified_at = coalesce(email_verified_at, ${at}::timestamptz)
          from v where users.id = v.user_id and v.expires_at > ${at}::timestamptz returning users.id)
      select (select id from u) as "userId"`,
  );
  return row.userId ? { userId: row.userId } : null;
}

/**
 * A new link for a still unverified user, replacing the earlier ones, with its mail; counted against
 * `limit` per window first, and nothing is written past it. One statement.
 */
export async function resendVerification(
  db: Queryable,
  p: { userId: string; rateKey: string; limit: number; windowSeconds: number; now: Date; tokenHash: string; expiresAt: Date; mail: Mail },
): Promise<Counter[]> {
  const [row] = await rows<{ counters: Counter[] }>(
    db,
    sql`with rl as (${bumpCounters([p.rateKey], p.windowSeconds, p.now)}),
        ok as (select 1 from rl join users u on u.id = ${p.userId} and u.email_verified_at is null where rl.count <= ${p.limit}),
        gone as (delete from email_verifications where user_id = ${p.userId} and exists (select 1 from ok)),
        added as (
          insert into email_verifications (token_hash, user_id, expires_at)
          select ${p.tokenHash}, ${p.userId}, ${p.expiresAt.toISOString()}::timestamptz from ok returning user_id),
        m as (${mailInsert([p.mail], sql`exists (select 1 from added)`)})
      select ${countersJson(sql`rl`)} as counters`,
  );
  return row.counters;
}
