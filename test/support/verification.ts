/** Sign-up as a person does it: the form, then the link from the verification e-mail (the outbox). */
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { rows } from '../../src/db/client.ts';
import type { Client } from './app.ts';

/** The path of the newest verification link sent to `email`, as the mail shows it. */
export async function verificationLink(db: Db, email: string): Promise<string> {
  const [mail] = await rows<{ body: string }>(
    db,
    sql`select body from outbox where lower(to_address) = lower(${email}) and body like '%/verify-email/confirm?token=%' order by id desc limit 1`,
  );
  const url = mail?.body.match(/https?:\/\/[^/\s]+(\/verify-email\/confirm\?token=[a-z2-7]+)/)?.[1];
  if (!url) throw new Error(`no verification mail to ${email}`);
  return url;
}

/** Fills in sign-up, follows the link from the e-mail and signs in: the client ends signed in and verified. */
export async function signUpAndVerify(
  db: Db,
  client: Client,
  form: { orgName: string; country: string; name: string; email: string; password: string },
): Promise<void> {
  const made = await client.post('/signup', form);
  if (made.location !== '/signup/sent') throw new Error(`sign-up of ${form.email} answered ${made.status} ${made.location}`);
  const link = await verificationLink(db, form.email);
  const page = await client.get(link);
  const token = page.text.match(/name="token" value="([a-z2-7]+)"/)?.[1] ?? '';
  const confirmed = await client.post('/verify-email/confirm', { token });
  if (confirmed.location !== '/signin') throw new Error(`verification of ${form.email} answered ${confirmed.status}`);
  const signedIn = await client.post('/signin', { email: form.email, password: form.password });
  if (signedIn.status !== 303) throw new Error(`sign-in of ${form.email} answered ${signedIn.status}`);
}
