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
