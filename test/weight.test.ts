/**
 * Low bandwidth: every page the access table lists is fetched as the caller who may see it, with
 * `Accept-Encoding: br, gzip`, and must fit the first TCP round trip (14 KB on the wire) and the query
 * budget (3 statements), and be valid HTML (test/support/html.ts). The stylesheet must stay under 8 KB
 * compressed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAssets } from '../src/assets/manifest.ts';
import { createTestApp, type Client, type TestApp } from './support/app.ts';
import { htmlErrors } from './support/html.ts';
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

  it('the stylesheet is ≤ 8 KB compressed and cached immutable; htmx is deferred and content-hashed', async () => {
    const { css, htmx } = loadAssets();
    const { res, wire } = await weigh(t.client(), css);
    report.push({ page: css, viewer: 'anon', raw: 0, wire, queries: 0 });
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(wire).toBeLessThanOrEqual(CSS_BUDGET);
    const page = await t.client().get('/signin');
    expect(page.text).toContain(`<script src="${htmx}" defer=""></script>`);
    expect(htmx).toMatch(/^\/assets\/htmx\.[0-9a-f]{12}\.js$/);
    const js = await t.client().raw(htmx, { headers: { 'accept-encoding': 'br' } });
    expect(js.res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
