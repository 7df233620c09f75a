import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { outbox } from '../db/schema.ts';

export interface Mail {
  to: string;
  subject: string;
  /** Plain text: small, readable in any client. */
  body: string;
  /** A mail that must go at most once (e.g. an expiry reminder): a second enqueue is ignored. */
  dedupeKey?: string;
}

/** Writes e-mails to the outbox; call it inside the transaction that makes the change they announce. */
export async function enqueueMail(db: Queryable, ...mails: Mail[]): Promise<void> {
  if (mails.length === 0) return;
  await db
    .insert(outbox)
    .values(mails.map((m) => ({ toAddress: m.to, subject: m.subject, body: m.body, dedupeKey: m.dedupeKey ?? null })))
    .onConflictDoNothing({ target: outbox.dedupeKey });
}

/**
 * The same insert as an SQL statement another statement can embed as a CTE, so a change, its audit rows
 * and its e-mails take one round trip. `onlyIf` (e.g. `exists (select 1 from changed)`) writes the
 * mails only when the change happened.
 */
export function mailInsert(mails: Mail[], onlyIf: SQL = sql`true`): SQL {
  if (mails.length === 0) return sql`select 1 where false`;
  const values = sql.join(
    mails.map((m) => sql`(${m.to}::text, ${m.subject}::text, ${m.body}::text, ${m.dedupeKey ?? null}::text)`),
    sql`, `,
  );
  return sql`insert into outbox (to_address, subject, body, dedupe_key)
    select v.to_address, v.subject, v.body, v.dedupe_key from (values ${values}) as v (to_address, subject, body, dedupe_key)
    where ${onlyIf}
    on conflict (dedupe_key) do nothing`;
}
