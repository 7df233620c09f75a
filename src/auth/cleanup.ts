import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import type { PeriodicJob } from '../mail/worker.ts';
import { DAY } from '../time.ts';

/** Sign-in, link and resend counters are kept a day past their windows (at most an hour), for support questions. */
const COUNTER_RETENTION_SECONDS = DAY / 1000;

/** Deletes expired sessions, verification links, passkey challenges and old rate-limit counters, which are never read again. Idempotent. */
export async function deleteExpired(db: Queryable, now: Date): Promise<void> {
  const at = now.toISOString();
  await db.execute(sql`with s as (delete from sessions where expires_at <= ${at}::timestamptz),
      v as (delete from email_verifications where expires_at <= ${at}::timestamptz),
      w as (delete from webauthn_challenges where expires_at <= ${at}::timestamptz)
    delete from rate_limits where window_start <= ${at}::timestamptz - make_interval(secs => ${COUNTER_RETENTION_SECONDS})`);
}

/** Run beside outbox delivery; src/server.ts lists it with the other background jobs. */
export const expiredSessionsJob: PeriodicJob = { name: 'expired-sessions', everyMs: 60 * 60 * 1000, run: deleteExpired };
