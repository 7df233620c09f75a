import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/session.ts';
import { rows } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';
import { DEMO_PASSWORD } from '../../src/seed/seed.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { verificationLink } from '../support/verification.ts';
import { DAY } from '../../src/time.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const signUp = (client = t.client(), over: Record<string, string> = {}) =>
  client.post('/signup', {
    orgName: 'Tailwind Toys',
    country: 'PL',
    name: 'Tia Founder',
    email: 'tia@tailwind.example',
    password: 'a-long-enough-password',
    ...over,
  });

describe('sign-up', () => {
  it('creates the organization with its creator as global admin and billing account owner, usable once the e-mail is confirmed', async () => {
    const client = t.client();
    const res = await signUp(client);
    expect(res.location).toBe('/signup/sent');
    const [user] = await t.db.select().from(s.users).where(eq(s.users.email, 'tia@tailwind.example'));
    expect(user.role).toBe('global_admin');
    expect(user.isBillingOwner).toBe(true);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.emailVerifiedAt).toBeNull();
    const [org] = await t.db.select().from(s.organizations).where(eq(s.organizations.id, user.orgId));
    expect(org).toMatchObject({ name: 'Tailwind Toys', country: 'PL', kind: 'customer' });
    const sent = await client.get('/signup/sent');
    expect(sent.text).toContain('Check your e-mail');
    expect(sent.text).toContain('href="/dev/mailbox"');

    // Signed in but unverified: only the page that says so, whatever was asked for.
    const signIn = await client.post('/signin', { email: 'tia@tailwind.example', password: 'a-long-enough-password', next: '/subscriptions' });
    expect(signIn.location).toBe('/verify-email');
    expect((await client.get('/')).location).toBe('/verify-email');
    expect((await client.get('/subscriptions')).location).toBe('/verify-email');
    const pending = await client.get('/verify-email');
    expect(pending.text).toContain('confirm that tia@tailwind.example is your address');

    const link = await client.get(await verificationLink(t.db, 'tia@tailwind.example'));
    const token = link.text.match(/name="token" value="([a-z2-7]+)"/)![1];
    const confirmed = await client.post('/verify-email/confirm', { token });
    expect(confirmed.location).toBe('/');
    const home = await client.get('/');
    expect(home.text).toContain('Welcome, Tia Founder');
    expect(home.text).toContain('Your e-mail address is confirmed.');
  });

  it('answers an e-mail that already has an account exactly as a free one, writes no account and tells the owner instead', async () => {
    const [{ before }] = await t.db.select({ before: count() }).from(s.organizations);
    const taken = await signUp(t.client(), { email: 'ADMIN@contoso.example', orgName: 'Copycat' });
    const free = await signUp(t.client(), { email: 'free-address@tailwind.example', orgName: 'Original' });
    expect([taken.status, taken.location, taken.text]).toEqual([free.status, free.location, free.text]);
    expect(taken.headers.getSetCookie()).toEqual(free.headers.getSetCookie());
    const [{ after }] = await t.db.select({ after: count() }).from(s.organizations);
    expect(after).toBe(before + 1);
    const toOwner = await t.db.select().from(s.outbox).where(eq(s.outbox.toAddress, 'ADMIN@contoso.example'));
    expect(toOwner.map((m) => m.subject)).toEqual(['Someone tried to sign up with your e-mail address']);
    expect(toOwner[0].body).not.toContain('/verify-email');
  });

  it('explains each invalid field and keeps what was typed', async () => {
    const res = await signUp(t.client(), { orgName: 'X', country: 'ZZ', email: 'not-an-email', password: 'short', name: 'Kept Name' });
    expect(res.status).toBe(422);
    for (const m of [
      'Enter an organization name of 2 to 120 characters.',
      'Choose a country/region from the list.',
      'Enter a valid e-mail address.',
      'The password must have 10 to 200 characters.',
    ]) {
      expect(res.text).toContain(m);
    }
    expect(res.text).toContain('value="Kept Name"');
    expect(res.text).not.toContain('value="short"');
  });
});

describe('sign-in', () => {
  it('a wrong password is refused with a message, keeping the e-mail', async () => {
    const res = await t.client().post('/signin', { email: t.fx.emails.billing, password: 'wrong-password' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('The e-mail or the password is not right.');
    expect(res.text).toContain(`value="${t.fx.emails.billing}"`);
  });

  it('limits attempts per address across accounts', async () => {
    const client = t.client();
    let status = 0;
    for (let i = 0; i < 51 && status !== 429; i++) status = (await client.post('/signin', { email: `nobody${i}@example.com`, password: 'x' })).status;
    expect(status).toBe(429);
    const elsewhere = await t.client().post('/signin', { email: 'nobody0@example.com', password: 'x' });
    expect(elsewhere.status).toBe(401);
  });

  it('comes back to the page that asked for sign-in, and never to another site', async () => {
    const client = t.client();
    const asked = await client.get('/?from=mail');
    expect(asked.location).toBe('/signin?next=%2F%3Ffrom%3Dmail');
    const form = await client.get(asked.location!);
    expect(form.text).toContain('name="next" value="/?from=mail"');
    const res = await client.post('/signin', { email: t.fx.emails.global, password: DEMO_PASSWORD, next: '/?from=mail' });
    expect(res.location).toBe('/?from=mail');
    const evil = await t.client().post('/signin', { email: t.fx.emails.global, password: DEMO_PASSWORD, next: '//evil.example/' });
    expect(evil.location).toBe('/');
  });

  it('sends partner staff to the partner portal', async () => {
    const res = await t.client().post('/signin', { email: t.fx.emails.partner, password: DEMO_PASSWORD });
    expect(res.location).toBe('/portal');
  });

  it('tells a disabled account whose password is right that it is disabled and whom to ask; a wrong password learns nothing', async () => {
    const email = 'leaver@contoso.example';
    const [leaver] = await rows<{ id: string }>(
      t.db,
      sql`insert into users (org_id, email, name, password_hash, role, email_verified_at)
        select org_id, ${email}, 'Lee Leaver', password_hash, 'user', now() from users where email = ${t.fx.emails.global} returning id`,
    );
    const admin = await t.signedIn(t.fx.emails.global);
    expect((await admin.post(`/users/${leaver.id}/disable`)).status).toBe(303);
    const right = await t.client().post('/signin', { email, password: DEMO_PASSWORD });
    expect(right.status).toBe(403);
    expect(right.text).toContain('This account has been disabled, so it cannot sign in. If you still need it, ask an admin of Contoso Sp. z o.o.');
    expect(right.headers.get('set-cookie') ?? '').not.toContain('pd_session');
    const wrong = await t.client().post('/signin', { email, password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('The e-mail or the password is not right.');
    expect(wrong.text).not.toContain('has been disabled');
    const [sessions] = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from sessions where user_id = ${leaver.id}`);
    expect(sessions.n).toBe(0);
  });
});

describe('sessions', () => {
  const sessionCount = async (userEmail: string) => {
    const [{ n }] = await t.db
      .select({ n: count() })
      .from(s.sessions)
      .innerJoin(s.users, eq(s.users.id, s.sessions.userId))
      .where(eq(s.users.email, userEmail));
    return n;
  };

  it('stores only the SHA-256 of the token, in an HttpOnly SameSite=Lax cookie', async () => {
    const client = t.client();
    const res = await client.post('/signin', { email: t.fx.emails.billing, password: DEMO_PASSWORD });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('pd_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const token = client.cookies.get('pd_session')!;
    const stored = await t.db.select({ id: s.sessions.id }).from(s.sessions);
    expect(stored.map((r) => r.id)).toContain(hashToken(token));
    expect(stored.map((r) => r.id)).not.toContain(token);
  });

  it('rotates on sign-in: the session held before is ended', async () => {
    const client = await t.signedIn(t.fx.emails.user);
    const first = client.cookies.get('pd_session')!;
    const before = await sessionCount(t.fx.emails.user);
    await client.post('/signin', { email: t.fx.emails.user, password: DEMO_PASSWORD });
    const second = client.cookies.get('pd_session')!;
    expect(second).not.toBe(first);
    expect(await sessionCount(t.fx.emails.user)).toBe(before);
    const replay = t.client();
    replay.cookies.set('pd_session', first);
    expect((await replay.get('/')).location).toBe('/signin?next=%2F');
  });

  it('sign-out ends the session on the server, so a copied cookie no longer works', async () => {
    const client = await t.signedIn(t.fx.emails.global);
    const token = client.cookies.get('pd_session')!;
    expect((await client.post('/signout')).location).toBe('/signin');
    const [row] = await t.db
      .select()
      .from(s.sessions)
      .where(eq(s.sessions.id, hashToken(token)));
    expect(row).toBeUndefined();
    const replay = t.client();
    replay.cookies.set('pd_session', token);
    expect((await replay.get('/')).status).toBe(303);
  });

  it('slides: a session used in its second half is extended; one unused for 30 days has expired', async () => {
    const client = await t.signedIn(t.fx.emails.billing);
    const id = hashToken(client.cookies.get('pd_session')!);
    const expiry = async () => (await t.db.select({ e: s.sessions.expiresAt }).from(s.sessions).where(eq(s.sessions.id, id)))[0].e.getTime();
    const first = await expiry();
    t.clock.now = new Date(Date.now() + 20 * DAY);
    expect((await client.get('/')).status).toBe(200);
    expect(await expiry()).toBeGreaterThan(first + 19 * DAY);
    t.clock.now = new Date(Date.now() + 20 * DAY + 31 * DAY);
    expect((await client.get('/')).location).toBe('/signin?next=%2F');
    t.clock.now = new Date();
  });

  it('costs one statement to recognise a signed-in request', async () => {
    const client = await t.signedIn(t.fx.emails.global);
    const res = await client.get('/');
    expect(res.queryLog.filter((q) => /\bfrom sessions\b/.test(q))).toHaveLength(1);
    expect(res.queryLog.filter((q) => /\bsessions\b/.test(q))).toHaveLength(1);
  });
});

describe('CSRF', () => {
  it('refuses a form without the token, and one from a foreign origin, changing nothing', async () => {
    const client = await t.signedIn(t.fx.emails.global);
    const noToken = await client.request('/settings/view', {
      method: 'POST',
      body: new URLSearchParams({ view: 'dashboard' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('This form has expired');
    const foreign = await client.post('/settings/view', { view: 'dashboard' }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const [u] = await t.db.select({ view: s.users.view }).from(s.users).where(eq(s.users.email, t.fx.emails.global));
    expect(u.view).toBe('simplified');
  });
});

describe('roles', () => {
  it('a customer user without an admin role gets 403 on admin actions', async () => {
    const client = await t.signedIn(t.fx.emails.user);
    const res = await client.post('/settings/view', { view: 'dashboard' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Not allowed');
  });

  it('the admin view is stored per user and changes the navigation', async () => {
    const client = await t.signedIn(t.fx.emails.billing);
    expect((await client.get('/')).text).toContain('Add more products');
    await client.post('/settings/view', { view: 'dashboard', back: '/' });
    const home = await client.get('/');
    expect(home.text).toContain('Purchase services');
    expect(home.text).toContain('Your products');
    expect(home.text).toContain('Your view has been changed.');
    const [u] = await t.db.select({ view: s.users.view }).from(s.users).where(eq(s.users.email, t.fx.emails.billing));
    expect(u.view).toBe('dashboard');
  });
});

describe('housekeeping', () => {
  it('deletes expired sessions and day-old sign-in counters, keeping live ones', async () => {
    const { deleteExpired } = await import('../../src/auth/cleanup.ts');
    const live = await t.signedIn(t.fx.emails.billing);
    const liveId = hashToken(live.cookies.get('pd_session')!);
    const past = new Date(Date.now() - 2 * DAY);
    await t.db
      .insert(s.sessions)
      .values({ id: 'expired-session', userId: (await t.db.select().from(s.users).where(eq(s.users.email, t.fx.emails.user)))[0].id, expiresAt: past });
    await t.db.insert(s.rateLimits).values([
      { key: 'signin:account:old@example.com', windowStart: past, count: 3 },
      { key: 'signin:account:recent@example.com', windowStart: new Date(), count: 1 },
    ]);
    await deleteExpired(t.db, new Date());
    const ids = (await t.db.select({ id: s.sessions.id }).from(s.sessions)).map((r) => r.id);
    expect(ids).toContain(liveId);
    expect(ids).not.toContain('expired-session');
    const keys = (await t.db.select({ key: s.rateLimits.key }).from(s.rateLimits)).map((r) => r.key);
    expect(keys).toContain('signin:account:recent@example.com');
    expect(keys).not.toContain('signin:account:old@example.com');
  });
});
