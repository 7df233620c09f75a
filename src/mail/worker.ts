/**
 * Delivers the outbox. Rows are claimed with FOR UPDATE SKIP LOCKED in the same statement that pushes
 * their `send_after` past a lease, so several server instances never pick the same mail; the SMTP
 * conversation then happens outside any transaction (a slow mail server never holds a lock or, on
 * PGlite, the only connection). A failure is recorded and retried with exponential back-off; after
 * MAX_ATTEMPTS (about a day of trying) the mail is marked failed and stays in the outbox with its last
 * error, so a permanently refused address is not retried forever and can still be looked up.
 */
import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { rows, type Db } from '../db/client.ts';
import type { outbox } from '../db/schema.ts';
import type { Env } from '../env.ts';
import { logError } from '../http/errors.ts';

/** What the worker needs from a nodemailer transport (tests pass one to a local SMTP server). */
export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

/**
 * A claimed mail comes back to the queue after this long if its instance died while sending it; longer
 * than nodemailer's own time limits (2 min to connect, 10 min of socket silence), so a slow send is
 * never claimed a second time while still in progress.
 */
const LEASE_MS = 15 * 60_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 60 * 60_000;
const BATCH = 20;
/** 12 tries: 30 s, 1, 2, 4 … 256 min, then 6 h twice, about 20 hours in all. */
export const MAX_ATTEMPTS = 12;

/** 30 s, 1 min, 2 min, … capped at 6 h. */
export function retryDelay(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

export function senderAddress(env: Pick<Env, 'PUBLIC_URL'>): string {
  return `partnerdesk <no-reply@${new URL(env.PUBLIC_URL).hostname}>`;
}

/** A mail this worker has leased for delivery. */
type Claimed = Pick<typeof outbox.$inferSelect, 'id' | 'toAddress' | 'subject' | 'body' | 'attempts'>;

/** Sends every mail due at `now` (up to one batch); returns how many went out and how many failed. */
export async function deliverDue(
  db: Db,
  transport: MailTransport,
  now: Date,
  from = 'partnerdesk <no-reply@localhost>',
): Promise<{ sent: number; failed: number }> {
  const at = now.toISOString();
  const claimed = await rows<Claimed>(
    db,
    sql`update outbox o set send_after = ${at}::timestamptz + make_interval(secs => ${LEASE_MS / 1000}), attempts = o.attempts + 1
      from (select id from outbox where sent_at is null and failed_at is null and send_after <= ${at}::timestamptz
            order by send_after, id limit ${BATCH} for update skip locked) due
      where o.id = due.id
      returning o.id, o.to_address as "toAddress", o.subject, o.body, o.attempts`,
  );
  let sent = 0;
  let failed = 0;
  for (const mail of claimed) {
    try {
      await transport.sendMail({ from, to: mail.toAddress, subject: mail.subject, text: mail.body });
      await db.execute(sql`update outbox set sent_at = ${at}::timestamptz, last_error = null where id = ${mail.id}`);
      sent++;
    } catch (e) {
      const error = String((e as Error).message ?? e).slice(0, 500);
      if (mail.attempts >= MAX_ATTEMPTS) {
        await db.execute(sql`update outbox set failed_at = ${at}::timestamptz, last_error = ${error} where id = ${mail.id}`);
        logError('mail given up', e, { outboxId: mail.id, attempts: mail.attempts });
      } else {
        const retryAt = new Date(now.getTime() + retryDelay(mail.attempts)).toISOString();
        await db.execute(sql`update outbox set send_after = ${retryAt}::timestamptz, last_error = ${error} where id = ${mail.id}`);
      }
      failed++;
    }
  }
  return { sent, failed };
}

/** A job the worker runs every `everyMs` (e.g. expiry reminders). It must be idempotent: every instance runs it. */
export interface PeriodicJob {
  name: string;
  everyMs: number;
  run(db: Db, now: Date): Promise<void>;
}

const periodicJobs: PeriodicJob[] = [];

/** Registers a job for every mail worker started afterwards (call it at module load). A second registration of a name is ignored. */
export function registerPeriodicJob(job: PeriodicJob): void {
  if (!periodicJobs.some((j) => j.name === job.name)) periodicJobs.push(job);
}

/** Runs the registered jobs that are due; `lastRun` is kept by the caller. */
export async function runDueJobs(db: Db, now: Date, lastRun: Map<string, number>): Promise<void> {
  for (const job of periodicJobs) {
    const last = lastRun.get(job.name);
    if (last !== undefined && now.getTime() - last < job.everyMs) continue;
    lastRun.set(job.name, now.getTime());
    try {
      await job.run(db, now);
    } catch (e) {
      logError(`periodic job ${job.name} failed`, e);
    }
  }
}

/**
 * Polls every `pollMs`: runs the due periodic jobs, then delivers the due mail. Without SMTP_URL no
 * mail is sent and none is marked failed: it waits in the outbox, listed by /dev/mailbox.
 * Returns a stop function that waits for the tick in progress.
 */
export function startMailWorker(opts: {
  db: Db;
  env: Env;
  pollMs?: number;
  now?: () => Date;
  transport?: MailTransport;
  /** Called after each tick with how many have run (tests wait on it instead of sleeping). */
  onTick?: (ticks: number) => void;
}): () => Promise<void> {
  const { db, env } = opts;
  const clock = opts.now ?? (() => new Date());
  const transport: MailTransport | null = opts.transport ?? (env.SMTP_URL ? nodemailer.createTransport(env.SMTP_URL) : null);
  const from = senderAddress(env);
  const lastRun = new Map<string, number>();
  let stopped = false;
  let ticks = 0;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const tick = async () => {
    try {
      await runDueJobs(db, clock(), lastRun);
      if (transport) {
        // Keep going while whole batches are delivered, so a backlog drains without waiting a tick each.
        for (let i = 0; i < 50 && !stopped; i++) {
          const { sent, failed } = await deliverDue(db, transport, clock(), from);
          if (sent + failed < BATCH) break;
        }
      }
    } catch (e) {
      logError('mail worker tick failed', e);
    }
    opts.onTick?.(++ticks);
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, opts.pollMs ?? 5000);
  };
  running = tick().finally(schedule);

  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
