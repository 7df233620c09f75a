import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.tsx';
import { loadAssets } from '../../src/assets/manifest.ts';
import * as s from '../../src/db/schema.ts';
import { DEMO_PASSWORD } from '../../src/seed/seed.ts';
import { parseEnv } from '../../src/env.ts';
import { generateToken, sessionCsrfToken } from '../../src/auth/session.ts';
import { Client, createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const viewOf = async (email: string) => (await t.db.select({ view: s.users.view }).from(s.users).where(eq(s.users.email, email)))[0].view;

describe('CSRF token tied to the session', () => {
  it('is the base32 of the labelled SHA-256, as @oslojs/encoding writes it (tokens already in forms stay valid)', () => {
    for (let i = 0; i < 50; i++) {
      const token = generateToken();
      const digest = createHash('sha256').update(`partnerdesk csrf\0${token}`).digest().subarray(0, 20);
      expect(sessionCsrfToken(token)).toBe(encodeBase32LowerCaseNoPadding(digest));
    }
  });

  it("refuses a signed-in form carrying a valid signed-out token, or another session's token", async () => {
    const victim = await t.signedIn(t.fx.emails.billing);
    // An attacker's own cookie and matching field (cookie tossing): not this session's token.
    const tossed = t.client();
    await tossed.get('/signin');
    victim.cookies.set('pd_csrf', tossed.csrf!);
    const withTossed = await victim.post('/settings/view', { view: 'dashboard' });
    expect(withTossed.status).toBe(403);
    // Another session's token, even a real one.
    const other = await t.signedIn(t.fx.emails.global);
    victim.cookies.set('pd_csrf', other.csrf!);
    expect((await victim.post('/settings/view', { view: 'dashboard' })).status).toBe(403);
    expect(await viewOf(t.fx.emails.billing)).toBe('simplified');
  });

  it("changes the token at every sign-in, and the pages carry the session's token", async () => {
    const client = t.client();
    await client.get('/signin');
    const before = client.csrf;
    await client.post('/signin', { email: t.fx.emails.user, password: DEMO_PASSWORD });
    expect(client.csrf).not.toBe(before);
    const page = await client.get('/');
    expect(page.text).toContain(`name="_csrf" value="${client.csrf}"`);
    const again = await t.signedIn(t.fx.emails.user);
    expect(again.csrf).not.toBe(client.csrf);
  });
});

describe('Origin check', () => {
  it('compares scheme, host and port: another scheme or port is foreign, this site is not', async () => {
    const client = await t.signedIn(t.fx.emails.global);
    for (const origin of ['https://localhost', 'http://localhost:8080', 'http://evil.example', 'not a url', '::::']) {
      expect((await client.post('/settings/view', { view: 'dashboard' }, { origin })).status, origin).toBe(403);
    }
    expect(await viewOf(t.fx.emails.global)).toBe('simplified');
    expect((await client.post('/settings/view', { view: 'simplified' }, { origin: 'http://localhost' })).status).toBe(303);
    expect((await client.post('/settings/view', { view: 'simplified' }, { origin: 'http://localhost:3000' })).status).toBe(303);
  });
});

describe('caching', () => {
  it('marks signed-in pages private, no-store, and leaves signed-out pages and assets alone', async () => {
    const client = await t.signedIn(t.fx.emails.global);
    expect((await client.get('/')).headers.get('cache-control')).toBe('private, no-store');
    expect((await client.get('/subscriptions')).headers.get('cache-control')).toBe('private, no-store');
    expect((await t.client().get('/signin')).headers.get('cache-control')).not.toBe('private, no-store');
    const asset = await client.get(loadAssets().css);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
  });
});

describe('cookie names', () => {
  const https = () => {
    const app = createApp({ db: t.db, env: parseEnv({ NODE_ENV: 'test', PUBLIC_URL: 'https://desk.example' }), assets: loadAssets() });
    return new Client(app);
  };

  it('behind HTTPS are __Host- cookies: Secure, Path=/, no Domain; and signing in works with them', async () => {
    const client = https();
    const page = await client.get('/signin', { host: 'desk.example' });
    const csrf = page.headers.getSetCookie().find((c) => c.startsWith('__Host-pd_csrf='))!;
    expect(csrf).toMatch(/; Secure/);
    expect(csrf).toMatch(/; Path=\//);
    expect(csrf).not.toMatch(/Domain=/i);
    const token = client.cookies.get('__Host-pd_csrf')!;
    const body = new URLSearchParams({ _csrf: token, email: t.fx.emails.billing, password: DEMO_PASSWORD });
    const res = await client.request('/signin', {
      method: 'POST',
      body,
      headers: { host: 'desk.example', origin: 'https://desk.example', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(303);
    const session = res.headers.getSetCookie().find((c) => c.startsWith('__Host-pd_session='))!;
    expect(session).toMatch(/; Secure/);
    expect(session).toMatch(/HttpOnly/);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('pd_session='))).toBe(false);
    expect((await client.get('/', { host: 'desk.example' })).status).toBe(200);
  });

  it('on http://localhost keep their plain names, without Secure', async () => {
    const plain = await t.client().get('/signin');
    const csrf = plain.headers.getSetCookie().find((c) => c.startsWith('pd_csrf='));
    expect(csrf).toBeDefined();
    expect(csrf).not.toMatch(/Secure/);
  });
});
