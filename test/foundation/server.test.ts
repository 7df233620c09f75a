import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.tsx';
import { loadAssets } from '../../src/assets/manifest.ts';
import { openDatabase, rows } from '../../src/db/client.ts';
import { parseEnv } from '../../src/env.ts';
import { createTestApp } from '../support/app.ts';

/** Collects what the app writes to console.error, one entry per call. */
function captureErrors() {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  return { lines, restore: () => (console.error = original) };
}

describe('configuration', () => {
  it('defaults every setting', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, DATA_DIR: './data', NODE_ENV: 'development', PUBLIC_URL: 'http://localhost:3000' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('stops on a bad value with one line naming it', () => {
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/^Invalid environment variable PORT: /);
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL/);
    expect(() => parseEnv({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/);
    expect(() => parseEnv({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });
});

describe('health', () => {
  it('/readyz answers 503 when the database is unreachable, while /healthz still answers', async () => {
    const database = await openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none' });
    const app = createApp({ db: database.db, env: parseEnv({}), assets: loadAssets() });
    try {
      expect((await app.request('/readyz')).status).toBe(503);
      expect((await app.request('/healthz')).status).toBe(200);
    } finally {
      await database.close();
    }
  });
});

describe('the request context', () => {
  it("keeps hono's own functions: no middleware replaces one or adds its own (decision 116)", async () => {
    // On Node 24 a function stored on the context at each request kept every request's objects through
    // the young generation's collections (the compression once replaced c.html).
    const functionsOf = (c: object) =>
      Object.entries(c)
        .filter(([, v]) => typeof v === 'function')
        .map(([k, v]) => `${k}: ${String(v)}`)
        .sort();
    const database = await openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none' });
    try {
      const app = createApp({ db: database.db, env: parseEnv({}), assets: loadAssets() });
      let ours: string[] = [];
      app.get('/context-probe', (c) => {
        ours = functionsOf(c);
        return c.render('probe', { title: 'Probe' });
      });
      const page = await app.request('/context-probe', { headers: { 'accept-encoding': 'br' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-encoding')).toBe('br');
      let hono: string[] = [];
      await new Hono().get('/', (c) => ((hono = functionsOf(c)), c.text('ok'))).request('/');
      expect(hono.length).toBeGreaterThan(10);
      expect(ours).toEqual(hono);
    } finally {
      await database.close();
    }
  });
});

describe('errors and headers', () => {
  it('answers an unknown URL with the 404 page in the layout', async () => {
    const t = await createTestApp();
    try {
      const res = await t.client().get('/no/such/page');
      expect(res.status).toBe(404);
      expect(res.text).toContain('<h1>Page not found</h1>');
      expect(res.text).toContain('<footer>');
    } finally {
      await t.close();
    }
  });

  it("an unreachable database answers the 503 page in the reader's language, and htmx a short notice", async () => {
    const database = await openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none' });
    const app = createApp({ db: database.db, env: parseEnv({}), assets: loadAssets() });
    const logged = captureErrors();
    try {
      const started = Date.now();
      const page = await app.request('/', { headers: { cookie: 'pd_session=abc', 'accept-language': 'pl' } });
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('<h1>Chwilowo niedostępne</h1>');
      const partial = await app.request('/subscriptions', { headers: { cookie: 'pd_session=abc', 'accept-language': 'zh', 'hx-request': 'true' } });
      expect(partial.status).toBe(503);
      expect(await partial.text()).toMatch(/^<p class="notice notice-error" role="alert">暂时无法使用/);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(logged.lines.length).toBeLessThanOrEqual(1);
    } finally {
      logged.restore();
      await database.close();
    }
  });

  it('a failure shows the 500 page without a stack trace, and its log line carries no query parameters, e-mails or link tokens', async () => {
    // Not migrated: every query fails, as a broken query would, with drizzle's "Failed query ... params:" message.
    const database = await openDatabase({});
    const app = createApp({ db: database.db, env: parseEnv({}), assets: loadAssets() });
    const logged = captureErrors();
    try {
      const res = await app.request('/authorize/s3cretLinkToken1234567890', { headers: { cookie: 'pd_session=abcdefghijklmnopqrstuvwxyz234567' } });
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(text).toContain('Something went wrong');
      expect(text).not.toMatch(/at .*\.ts:\d+/);
      const form = new URLSearchParams({ email: 'victim@contoso.example', password: 'hunter2-secret' });
      await app.request('/signin', {
        method: 'POST',
        body: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'pd_csrf=abcdefghijklmnopqrstuvwxyz234567' },
      });
      expect(logged.lines.length).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(logged.lines[0])).toMatchObject({ level: 'error', method: 'GET', path: '/authorize/[redacted]', error: { message: 'Failed query' } });
      const all = logged.lines.join('\n');
      expect(all).not.toMatch(/params|s3cretLinkToken|abcdefghijklmnopqrstuvwxyz234567|victim@|hunter2|\$argon2/);
    } finally {
      logged.restore();
      await database.close();
    }
  }, 120_000);

  it('sends a CSP without inline scripts and the usual security headers', async () => {
    const t = await createTestApp();
    try {
      const res = await t.client().get('/signin');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toBe('max-age=15552000; includeSubDomains');
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    } finally {
      await t.close();
    }
  });
});

/** One GET through node's HTTP client: the status, the headers as sent, and the body's length on the wire. */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes }));
      })
      .on('error', reject);
  });
}

describe('served by node', () => {
  // The headers as node sends them (npm start's path), beside the other suites' `app.request`.
  it('sends every answer its security headers, a signed-in page private and no-store, and HTML compressed', async () => {
    const t = await createTestApp();
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    try {
      await once(server, 'listening');
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const signed = await t.signedIn('admin@contoso.example');
      const cookie = [...signed.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const page = await get(`${base}/subscriptions`, { cookie, 'accept-encoding': 'br' });
      expect(page.status).toBe(200);
      expect(page.headers).toMatchObject({
        'cache-control': 'private, no-store',
        'content-encoding': 'br',
        'content-type': 'text/html; charset=UTF-8',
        vary: 'Accept-Encoding',
        'x-content-type-options': 'nosniff',
      });
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(Number(page.headers['content-length'])).toBe(page.bytes);
      const plain = await get(`${base}/subscriptions`, { cookie, 'accept-encoding': 'identity' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['content-type']).toBe('text/html; charset=UTF-8');
      expect(plain.bytes).toBeGreaterThan(page.bytes);
      const missing = await get(`${base}/subscriptions/00000000-0000-0000-0000-000000000000`, { cookie, 'accept-encoding': 'gzip' });
      expect(missing).toMatchObject({ status: 404, headers: { 'content-encoding': 'gzip', 'cache-control': 'private, no-store' } });
      const signedOut = await get(`${base}/subscriptions`, {});
      expect(signedOut.status).toBe(303);
      expect(signedOut.headers).toMatchObject({ location: '/signin?next=%2Fsubscriptions', 'x-frame-options': 'SAMEORIGIN' });
      expect(signedOut.headers['cache-control']).toBeUndefined();
    } finally {
      server.close();
      await t.close();
    }
  });
});

describe('demo data', () => {
  it('is seeded once, and its sign-ins are listed again at the next start', async () => {
    const t = await createTestApp();
    try {
      const { seedDemo } = await import('../../src/seed/seed.ts');
      const again = await seedDemo(t.db);
      expect(again?.users.map((u) => u.email)).toContain('admin@contoso.example');
      expect(again?.users).toHaveLength(9);
      expect(await rows(t.db, sql`select count(*)::int as n from organizations where name = 'Contoso Sp. z o.o.'`)).toEqual([{ n: 1 }]);
    } finally {
      await t.close();
    }
  });
});
