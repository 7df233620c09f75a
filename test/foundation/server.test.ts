import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.tsx';
import { loadAssets } from '../../src/assets/manifest.ts';
import { openDatabase, rows } from '../../src/db/client.ts';
import { parseEnv } from '../../src/env.ts';
import { createTestApp } from '../support/app.ts';

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

  it('a failure shows the 500 page without a stack trace and logs one structured line', async () => {
    const database = await openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none' });
    const app = createApp({ db: database.db, env: parseEnv({}), assets: loadAssets() });
    const logged: string[] = [];
    const original = console.error;
    console.error = (line: string) => logged.push(line);
    try {
      const res = await app.request('/', { headers: { cookie: 'pd_session=abc' } });
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(text).toContain('Something went wrong');
      expect(text).not.toMatch(/at .*\.ts:\d+/);
      expect(logged).toHaveLength(1);
      expect(JSON.parse(logged[0])).toMatchObject({ level: 'error', method: 'GET', path: '/' });
    } finally {
      console.error = original;
      await database.close();
    }
  });

  it('sends a CSP without inline scripts and the usual security headers', async () => {
    const t = await createTestApp();
    try {
      const res = await t.client().get('/signin');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    } finally {
      await t.close();
    }
  });
});

describe('demo data', () => {
  it('is seeded once, and its sign-ins are listed again at the next start', async () => {
    const t = await createTestApp();
    try {
      const { seedDemo } = await import('../../src/db/seed.ts');
      const again = await seedDemo(t.db);
      expect(again?.users.map((u) => u.email)).toContain('admin@contoso.example');
      expect(again?.users).toHaveLength(9);
      expect(await rows(t.db, sql`select count(*)::int as n from organizations where name = 'Contoso Sp. z o.o.'`)).toEqual([{ n: 1 }]);
    } finally {
      await t.close();
    }
  });
});
