/**
 * Two-step sign-in as a test does it: the authenticator app's code computed from the key in the database,
 * at the app's clock, as the person's phone would show it (RFC 6238).
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../src/db/client.ts';
import { currentCode } from '../../src/two-step/two-step.routes.tsx';
import type { Client } from './app.ts';

/** The key every test account set up by `enableTwoStepFor` shares (hex of 20 bytes). */
export const TEST_TOTP_KEY = '3132333435363738393031323334353637383930';

/** The person's key (hex), or null when two-step sign-in is off. */
export async function totpKeyOf(db: Db, email: string): Promise<string | null> {
  const [row] = await rows<{ key: string | null }>(
    db,
    sql`select t.totp_key as key from users u left join two_step t on t.user_id = u.id where lower(u.email) = lower(${email})`,
  );
  return row?.key ?? null;
}

/** Turns two-step sign-in on for `email` with TEST_TOTP_KEY, as its set-up would (no recovery codes). */
export async function enableTwoStepFor(db: Db, email: string): Promise<void> {
  await db.execute(
    sql`insert into two_step (user_id, totp_key) select id, ${TEST_TOTP_KEY} from users where lower(email) = lower(${email}) on conflict (user_id) do nothing`,
  );
}

/** The code the person's app shows at `at`. */
export async function codeFor(db: Db, email: string, at: Date): Promise<string> {
  const key = await totpKeyOf(db, email);
  if (!key) throw new Error(`${email} has no two-step sign-in`);
  return currentCode(key, at);
}

/** The current code, with the last used step forgotten first (see passSecondStep). */
export async function freshCode(db: Db, email: string, at: Date): Promise<string> {
  await db.execute(sql`update two_step set last_time_step = null where user_id = (select id from users where lower(email) = lower(${email}))`);
  return codeFor(db, email, at);
}

/** Partner staff act for customers only with two-step sign-in: the test accounts have it, as real ones must. */
export async function givePartnerStaffTwoStep(db: Db, email: string): Promise<void> {
  const [person] = await rows<{ role: string }>(db, sql`select role from users where lower(email) = lower(${email})`);
  if (person?.role === 'partner_admin' || person?.role === 'partner_agent') await enableTwoStepFor(db, email);
}

/**
 * The second step for a client on the code page: the current code. Tests sign the same person in many
 * times a minute, and a code is accepted once, so the last used step is forgotten first (the reuse check
 * has tests of its own, in test/two-step/).
 */
export async function passSecondStep(db: Db, client: Client, email: string, at: Date): Promise<void> {
  const res = await client.post('/signin/two-step', { code: await freshCode(db, email, at) });
  if (res.status !== 303) throw new Error(`second step of ${email} failed: ${res.status}`);
}
