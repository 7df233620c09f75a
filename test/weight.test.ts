/**
 * Low bandwidth: every page the access table lists is fetched as the caller who may see it, with
 * `Accept-Encoding: br, gzip`, and must fit the first TCP round trip (14 KB on the wire) and the query
 * budget (3 statements), and be valid HTML (test/support/html.ts), the stylesheet each page inlines
 * included. The stylesheet must stay under 8 KB compressed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { brotliCompressSync } from 'node:zlib';
import { loadAssets } from '../src/assets/manifest.ts';
import { INLINE_CSS } from '../src/ui/style.ts';
import { createTestApp, type Client, type TestApp } from './support/app.ts';
import { htmlErrors } from './support/html.ts';
import { createLinkAs } from './invitations/helpers.ts';
import type { AccessRow, Caller } from './access/types.ts';

const tables = import.meta.glob<{ rows: AccessRow[] }>('./access/*.rows.ts', { eager: true });
const pages = Object.values(tables)
  .flatMap((m) => m.rows)
  .filter((r) => r.method === 'GET' && !r.path.startsWith('/assets/'));
/** Who looks at a page: the fullest view of it first. */
const viewers: Caller[] = ['global', 'billing', 'partner', 'user', 'otherOrg', 'anon'];
const HTML_BUDGET = 14 * 1024;
const CSS_BUDGET = 8 * 1024;
const QUERY_BUDGET = 3;

let t: TestApp;
const clients = new Map<Caller, Client>();
const report: { page: string; viewer: string; raw: number; wire: number; queries: number }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  for (const c of viewers) {
    const email =
      c === 'anon'
        ? null
        : { global: t.fx.emails.global, billing: t.fx.emails.billing, partner: t.fx.emails.partner, user: t.fx.emails.user, otherOrg: t.fx.emails.otherOrg }[c];
    clients.set(c, email ? await t.signedIn(email) : t.client());
  }
});
afterAll(async () => {
  console.table(report);
  await t?.close();
});

async function weigh(client: Client, url: string) {
  const { res, queries } = await client.raw(url, { headers: { 'accept-encoding': 'br, gzip' } });
  const body = Buffer.from(await res.arrayBuffer());
  const headerBytes = [...res.headers].reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
  return { res, queries, wire: body.length + headerBytes, encoded: res.headers.get('content-encoding') };
}

describe('page weight and query budget', () => {
  for (const row of pages) {
    const viewer = viewers.find((v) => row.expect[v] === 200);
    if (!viewer) continue;
    it(`${row.path} as ${viewer}: ≤ 14 KB compressed, ≤ ${QUERY_BUDGET} queries, valid HTML`, async () => {
      const url = row.url?.(t.fx) ?? row.path;
      const { res, queries, wire, encoded } = await weigh(clients.get(viewer)!, url);
      expect(res.status).toBe(200);
      const page = await clients.get(viewer)!.get(url);
      const raw = page.text.length;
      if ((page.headers.get('content-type') ?? '').startsWith('text/html')) expect(await htmlErrors(page.text)).toEqual([]);
      report.push({ page: url, viewer, raw, wire, queries });
      if (raw > 1024 && (res.headers.get('content-type') ?? '').startsWith('text/html')) expect(encoded).toBe('br');
      expect(wire).toBeLessThanOrEqual(HTML_BUDGET);
      expect(queries).toBeLessThanOrEqual(QUERY_BUDGET);
    });
  }

  it('the stylesheet is inlined, ≤ 8 KB compressed, allowed by its hash alone; htmx only where something swaps, deferred and content-hashed', async () => {
    const signin = await t.client().get('/signin');
    const style = /<style>([\s\S]*?)<\/style>/.exec(signin.text)?.[1] ?? '';
    expect(style).toBe(INLINE_CSS);
    const cssWire = brotliCompressSync(style).length;
    report.push({ page: '<style>', viewer: 'anon', raw: style.length, wire: cssWire, queries: 0 });
    expect(cssWire).toBeLessThanOrEqual(CSS_BUDGET);
    const csp = signin.headers.get('content-security-policy') ?? '';
    const hash = `'sha256-${createHash('sha256').update(style).digest('base64')}'`;
    expect(csp).toContain(`style-src 'self' ${hash}`);
    expect(csp).not.toContain('unsafe-inline');
    // Sign-in and the authorization page swap nothing: no htmx. A list that swaps its pages loads it.
    const { htmx } = loadAssets();
    expect(signin.text).not.toContain('<script');
    expect(signin.text).not.toContain('<link rel="stylesheet"');
    const admin = await t.signedIn(t.fx.emails.global);
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: t.fx.emails.global });
    const authorize = await admin.get(`/authorize/${token}`);
    expect(authorize.status).toBe(200);
    expect(authorize.text).not.toContain('<script');
    const subs = await admin.get('/subscriptions');
    expect(subs.text).toContain(`<script src="${htmx}" defer=""></script></head>`);
    expect(htmx).toMatch(/^\/assets\/htmx\.[0-9a-f]{12}\.js$/);
    const js = await t.client().raw(htmx, { headers: { 'accept-encoding': 'br' } });
    expect(js.res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
