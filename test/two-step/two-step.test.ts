/** Two-step sign-in in process, on both databases: set-up, the second step, recovery codes, the policy and the partner rule. */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { DEMO_PASSWORD } from '../../src/seed/seed.ts';
import { codeAt, keyFromHex, timeStep } from '../../src/two-step/codes.ts';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';
import { codeFor } from '../support/two-step.ts';
import { htmlErrors } from '../support/html.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

/** Sets two-step sign-in up from the page as a person does: the key from the page, the code from the "app". */
async function setUp(client: Client): Promise<{ key: string; codes: string[] }> {
  const page = await client.get('/settings/two-step');
  expect(page.status).toBe(200);
  expect(page.text).toContain('<svg');
  const key = page.text.match(/name="key" value="([0-9a-f]{40})"/)![1];
  // The key as text too, base32 in groups of four, as authenticator apps take it typed.
  expect(page.text).toMatch(/<code class="secret">[A-Z2-7]{4}( [A-Z2-7]{1,4})+<\/code>/);
  const code = codeAt(keyFromHex(key)!, timeStep(t.clock.now));
  const done = await client.post('/settings/two-step/setup', { key, code });
  expect(done.status).toBe(200);
  const codes = [...done.text.matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((m) => m[1]);
  expect(codes).toHaveLength(10);
  return { key, codes };
}

async function passwordStep(email: string): Promise<Client> {
  const client = t.client();
  const res = await client.post('/signin', { email, password: DEMO_PASSWORD });
  expect(res.location).toBe('/signin/two-step');
  return client;
}

describe('two-step sign-in', () => {
  const email = 'billing@contoso.example';
  let key = '';
  let codes: string[] = [];

  it('is turned on only with a current code, and stores the key, ten hashed recovery codes and an audit row', async () => {
    const client = await t.signedIn(email);
    const other = await t.signedIn(email);
    const page = await client.get('/settings/two-step');
    const offered = page.text.match(/name="key" value="([0-9a-f]{40})"/)![1];
    const wrong = await client.post('/settings/two-step/setup', {
      key: offered,
      code: '000000' === codeAt(keyFromHex(offered)!, timeStep(t.clock.now)) ? '111111' : '000000',
    });
    expect(wrong.status).toBe(422);
    expect(text(wrong.text)).toContain('This code is not right.');
    ({ key, codes } = await setUp(client));
    const [stored] = await rows<{ key: string; codes: number; plain: number }>(
      t.db,
      sql`select t.totp_key as key, (select count(*)::int from recovery_codes r where r.user_id = u.id) as codes,
        (select count(*)::int from recovery_codes r where r.user_id = u.id and r.code_hash = any(${`{${codes.join(',')}}`}::text[])) as plain
        from users u join two_step t on t.user_id = u.id where u.email = ${email}`,
    );
    expect(stored).toEqual({ key, codes: 10, plain: 0 });
    // The other session was signed out; this one goes on.
    expect((await other.get('/settings/preferences')).location).toMatch(/^\/signin/);
    expect((await client.get('/settings/two-step')).text).toContain('Two-step sign-in is on since');
    const [audit] = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from audit_log where action = 'user.two_step.enabled'`);
    expect(audit.n).toBe(1);
  });

  it('asks for the code after the password; nothing else opens before it', async () => {
    const client = await passwordStep(email);
    expect((await client.get('/subscriptions')).location).toBe('/signin/two-step');
    const page = await client.get('/signin/two-step');
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain('Enter your code');
  });

  it('accepts the current code with spaces, refuses it a second time, and gives letters a clear error', async () => {
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const code = codeAt(keyFromHex(key)!, timeStep(t.clock.now));
    const client = await passwordStep(email);
    const letters = await client.post('/signin/two-step', { code: '12a 456' });
    expect(letters.status).toBe(422);
    expect(text(letters.text)).toContain('A code from the app has digits only.');
    const ok = await client.post('/signin/two-step', { code: `${code.slice(0, 3)} ${code.slice(3)}` });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/');
    expect((await client.get('/subscriptions')).status).toBe(200);
    const again = await passwordStep(email);
    const reused = await again.post('/signin/two-step', { code });
    expect(reused.status).toBe(401);
    expect(text(reused.text)).toContain('This code has been used already.');
  });

  it('counts wrong codes toward the sign-in limits', async () => {
    const client = await passwordStep(email);
    let last = 0;
    for (let i = 0; i < 6; i++) last = (await client.post('/signin/two-step', { code: '000001' })).status;
    expect(last).toBe(429);
    await t.db.execute(sql`delete from rate_limits`);
  });

  it('takes a recovery code once', async () => {
    const client = await passwordStep(email);
    expect((await client.post('/signin/two-step', { code: codes[0].toUpperCase() })).status).toBe(303);
    const again = await passwordStep(email);
    const used = await again.post('/signin/two-step', { code: codes[0] });
    expect(used.status).toBe(401);
    expect(text(used.text)).toContain('This recovery code is not right or has been used already.');
    expect((await again.post('/signin/two-step', { code: codes[1] })).status).toBe(303);
    expect(text((await again.get('/settings/two-step')).text)).toContain('Unused recovery codes: 8 of 10.');
  });

  it('makes a new set of recovery codes that replaces the old', async () => {
    const client = await t.signedIn(email);
    const res = await client.post('/settings/two-step/recovery-codes');
    const fresh = [...res.text.matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((m) => m[1]);
    expect(fresh).toHaveLength(10);
    const again = await passwordStep(email);
    expect((await again.post('/signin/two-step', { code: codes[2] })).status).toBe(401);
    expect((await again.post('/signin/two-step', { code: fresh[0] })).status).toBe(303);
  });

  it('signs in with a passkey and records its last use in the sign-in statement itself', async () => {
    // A P-256 authenticator in the test: the assertion a browser would send, signed with its key.
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    const credentialId = randomBytes(16).toString('base64');
    const [user] = await rows<{ id: string }>(t.db, sql`select id from users where email = ${email}`);
    await t.db.execute(
      sql`insert into passkeys (user_id, credential_id, name, algorithm, public_key) values (${user.id}, ${credentialId}, 'Test key', -7, ${point.toString('hex')})`,
    );
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const client = await passwordStep(email);
    const options = JSON.parse((await client.post('/signin/two-step/passkey/options')).text) as { challenge: string; rpId: string };
    const authenticatorData = Buffer.concat([createHash('sha256').update(options.rpId).digest(), Buffer.from([0x05, 0, 0, 0, 1])]);
    const clientData = Buffer.from(
      JSON.stringify({
        type: 'webauthn.get',
        challenge: Buffer.from(options.challenge, 'base64').toString('base64url'),
        origin: 'http://localhost',
        crossOrigin: false,
      }),
    );
    const signature = sign('sha256', Buffer.concat([authenticatorData, createHash('sha256').update(clientData).digest()]), privateKey);
    const res = await client.post('/signin/two-step/passkey', {
      credentialId,
      authenticatorData: authenticatorData.toString('base64'),
      clientData: clientData.toString('base64'),
      signature: signature.toString('base64'),
    });
    expect(res.status).toBe(303);
    // The session, its page read and the passkey: no statement more than before.
    expect(res.queries).toBeLessThanOrEqual(3);
    const [stored] = await rows<{ lastUsedAt: Date | string }>(
      t.db,
      sql`select last_used_at as "lastUsedAt" from passkeys where credential_id = ${credentialId}`,
    );
    expect(new Date(stored.lastUsedAt).getTime()).toBe(t.clock.now.getTime());
    expect(text((await client.get('/settings/two-step')).text)).toMatch(/Test key · Added [^·]+ · last used /);
    await t.db.execute(sql`delete from passkeys where credential_id = ${credentialId}`);
  });

  it('is turned off with a code checked as at sign-in: a wrong or reused one is refused, a recovery code turns it off', async () => {
    const other = 'user@fabrikam.example';
    const client = await t.signedIn(other);
    const mine = await setUp(client);
    const current = codeAt(keyFromHex(mine.key)!, timeStep(t.clock.now));
    const wrong = await client.post('/settings/two-step/disable', { offCode: current === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(422);
    expect(text(wrong.text)).toContain('This code is not right.');
    // The code that turned it on is spent: refused as a reuse.
    const reused = await client.post('/settings/two-step/disable', { offCode: current });
    expect(reused.status).toBe(422);
    expect(text(reused.text)).toContain('This code has been used already.');
    const letters = await client.post('/settings/two-step/disable', { offCode: '12a 456' });
    expect(text(letters.text)).toContain('A code from the app has digits only.');
    const off = await client.post('/settings/two-step/disable', { offCode: mine.codes[0] });
    expect(off.status).toBe(303);
    expect(text((await client.get(off.location!)).text)).toContain('Two-step sign-in is off.');
    const [state] = await rows<{ on: boolean }>(
      t.db,
      sql`select exists (select 1 from two_step t join users u on u.id = t.user_id where u.email = ${other}) as on`,
    );
    expect(state.on).toBe(false);
    await t.db.execute(sql`delete from rate_limits`);
  });
});

describe('the policy and the partner rule', () => {
  it('sends an admin without two-step sign-in to set it up once the global admin requires it', async () => {
    const global = await t.signedIn('admin@contoso.example');
    expect((await global.post('/settings/security', { requireTwoStep: 'on' })).status).toBe(303);
    const billing = await t.signedIn('user@contoso.example');
    // A plain user is not an admin: not affected.
    expect((await billing.get('/subscriptions')).status).not.toBe(303);
    const admin = await t.signedIn('admin@contoso.example');
    const res = await admin.get('/subscriptions');
    expect(res.location).toBe('/settings/two-step');
    expect(text((await admin.get('/settings/two-step')).text)).toContain('Your organization requires two-step sign-in of its admins.');
    await setUp(admin);
    expect((await admin.get('/subscriptions')).status).toBe(200);
    expect((await admin.post('/settings/security', {})).status).toBe(303);
  });

  it('refuses partner staff without two-step sign-in on every customer route of the portal, with a link to set it up', async () => {
    const partner = t.client();
    expect((await partner.post('/signin', { email: 'agent@northwind.example', password: DEMO_PASSWORD })).status).toBe(303);
    for (const path of [
      `/portal/customers/${t.fx.contoso}`,
      `/portal/customers/${t.fx.contoso}/users`,
      `/portal/customers/${t.fx.contoso}/domains`,
      `/portal/relationships/${t.fx.contosoReseller}/remove`,
    ]) {
      const res = await partner.get(path);
      expect(res.status, path).toBe(403);
      expect(text(res.text)).toContain("Partner staff must have two-step sign-in on before they open a customer's admin center");
      expect(res.text).toContain('href="/settings/two-step"');
    }
    expect((await partner.get('/portal')).status).toBe(200);
    const helped = await t.signedIn('agent@northwind.example');
    expect((await helped.get(`/portal/customers/${t.fx.contoso}`)).status).toBe(200);
    expect(await codeFor(t.db, 'agent@northwind.example', t.clock.now)).toMatch(/^\d{6}$/);
  });
});

describe('signed-in sessions', () => {
  it('lists the sessions with the browser in words, signs one out, and all but this one', async () => {
    const email = 'user@contoso.example';
    await t.db.execute(sql`delete from sessions where user_id = (select id from users where email = ${email})`);
    const android = t.client();
    await android.post(
      '/signin',
      { email, password: DEMO_PASSWORD },
      { 'user-agent': 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36' },
    );
    const mac = t.client();
    await mac.post(
      '/signin',
      { email, password: DEMO_PASSWORD },
      { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15' },
    );
    const me = t.client();
    await me.post(
      '/signin',
      { email, password: DEMO_PASSWORD },
      { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0' },
    );
    const page = await me.get('/settings/preferences');
    expect(page.queries).toBeLessThanOrEqual(3);
    const shown = text(page.text);
    expect(shown).toContain('Chrome on Android');
    expect(shown).toContain('Safari on macOS');
    expect(shown).toContain('Firefox on Windows · This browser');
    const ids = [...page.text.matchAll(/action="\/settings\/sessions\/([0-9a-f-]{36})\/signout"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    // Another person's session id changes nothing.
    const stranger = await t.signedIn('admin@fabrikam.example');
    expect((await stranger.post(`/settings/sessions/${ids[0]}/signout`)).status).toBe(404);
    expect((await me.post(`/settings/sessions/${ids[0]}/signout`)).status).toBe(303);
    // Exactly one of the other two is signed out.
    const still = [(await android.get('/settings/preferences')).status, (await mac.get('/settings/preferences')).status];
    expect(still.sort()).toEqual([200, 303]);
    expect((await me.post('/settings/sessions/signout-others')).status).toBe(303);
    expect((await android.get('/settings/preferences')).location).toMatch(/^\/signin/);
    expect((await mac.get('/settings/preferences')).location).toMatch(/^\/signin/);
    expect((await me.get('/settings/preferences')).status).toBe(200);
    const [audit] = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from audit_log where action like 'user.sessions.%'`);
    expect(audit.n).toBe(2);
  });
});

describe('changing one’s own password', () => {
  it('needs the current password (counted like a sign-in) and signs out every other session', async () => {
    const email = 'admin@fabrikam.example';
    const elsewhere = await t.signedIn(email);
    const me = await t.signedIn(email);
    const wrong = await me.post('/settings/password', { currentPassword: 'not-it', newPassword: 'a-brand-new-password' });
    expect(wrong.status).toBe(401);
    expect(text(wrong.text)).toContain('The current password is not right.');
    const ok = await me.post('/settings/password', { currentPassword: DEMO_PASSWORD, newPassword: 'a-brand-new-password' });
    expect(ok.status).toBe(303);
    expect(text((await me.get(ok.location!)).text)).toContain('Your password has been changed');
    expect((await elsewhere.get('/settings/preferences')).location).toMatch(/^\/signin/);
    expect((await t.client().post('/signin', { email, password: 'a-brand-new-password' })).status).toBe(303);
    await me.post('/settings/password', { currentPassword: 'a-brand-new-password', newPassword: DEMO_PASSWORD });
  });
});

describe("a global admin resets another admin's two-step sign-in", () => {
  it('resets it (audited, both mailed in their language), signs the person out, and is never offered for oneself', async () => {
    const email = 'billing@contoso.example';
    const global = await t.signedIn('admin@contoso.example');
    const [billing] = await rows<{ id: string }>(t.db, sql`select id from users where email = ${email}`);
    const billingClient = await t.signedIn(email);
    await t.db.execute(sql`update users set locale = 'pl' where email = ${email}`);
    await t.db.execute(sql`update users set locale = 'en' where email = 'admin@contoso.example'`);
    const page = await global.get(`/users/${billing.id}`);
    expect(text(page.text)).toContain('Reset two-step sign-in');
    const [me] = await rows<{ id: string }>(t.db, sql`select id from users where email = 'admin@contoso.example'`);
    expect(text((await global.get(`/users/${me.id}`)).text)).not.toContain('Reset two-step sign-in');
    expect((await global.post(`/users/${me.id}/two-step/reset`)).status).toBe(404);
    expect((await billingClient.post(`/users/${me.id}/two-step/reset`)).status).toBe(403);
    const res = await global.post(`/users/${billing.id}/two-step/reset`);
    expect(res.status).toBe(303);
    expect(text((await global.get(res.location!)).text)).toContain('Two-step sign-in has been reset');
    const [state] = await rows<{ on: boolean; sessions: number }>(
      t.db,
      sql`select exists (select 1 from two_step where user_id = ${billing.id}) as on, (select count(*)::int from sessions where user_id = ${billing.id}) as sessions`,
    );
    expect(state).toEqual({ on: false, sessions: 0 });
    const mails = await rows<{ to: string; subject: string }>(
      t.db,
      sql`select to_address as to, subject from outbox where subject like '%two-step%' or subject like '%dwuetapowe%' order by id`,
    );
    expect(mails).toEqual([
      { to: email, subject: 'Twoje logowanie dwuetapowe zostało zresetowane' },
      { to: 'admin@contoso.example', subject: 'You reset the two-step sign-in of Bea Billing' },
    ]);
    const activity = text((await global.get('/activity')).text);
    expect(activity).toContain('reset the two-step sign-in of Bea Billing');
    // Signs in with the password alone now.
    expect((await t.client().post('/signin', { email, password: DEMO_PASSWORD })).location).toBe('/');
  });

  it('tells the customer, for each delegated-admin partner, that its staff need two-step sign-in', async () => {
    const global = await t.signedIn('admin@contoso.example');
    const page = text((await global.get('/settings/partner-relationships')).text);
    expect(page).toContain('Its staff must use two-step sign-in to act for you.');
  });
});

describe('the new pages in their fullest state', () => {
  it('fit 14 KB compressed, 3 statements and valid HTML: the two-step page with passkeys, the second step, the codes and preferences', async () => {
    const email = 'partner@northwind.example';
    const partner = await t.signedIn(email);
    const [me] = await rows<{ id: string }>(t.db, sql`select id from users where email = ${email}`);
    await t.db.execute(sql`insert into passkeys (user_id, credential_id, name, algorithm, public_key)
      select ${me.id}, 'cred-' || n, 'Security key number ' || n, -7, repeat('ab', 65) from generate_series(1, 10) n`);
    const second = t.client();
    await second.post('/signin', { email, password: DEMO_PASSWORD });
    const codes = await partner.post('/settings/two-step/recovery-codes');
    expect(codes.status).toBe(200);
    for (const [client, url] of [
      [partner, '/settings/two-step'],
      [partner, '/settings/preferences'],
      [second, '/signin/two-step'],
      [partner, '/settings/security'],
    ] as const) {
      const { res, queries } = await client.raw(url, { headers: { 'accept-encoding': 'br, gzip' } });
      const wire = Buffer.from(await res.arrayBuffer()).length;
      expect(wire, url).toBeLessThanOrEqual(14 * 1024);
      expect(queries, url).toBeLessThanOrEqual(3);
      const page = await client.get(url);
      if (res.status === 200) expect(await htmlErrors(page.text), url).toEqual([]);
    }
    expect(await htmlErrors(codes.text)).toEqual([]);
    expect(codes.queries).toBeLessThanOrEqual(3);
  });
});
