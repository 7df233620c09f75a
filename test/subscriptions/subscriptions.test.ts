import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signedIn(t.fx.emails.global);
});
afterAll(() => t?.close());

describe('the subscriptions list', () => {
  it('shows each subscription with product, licenses, status, renewal date and partner of record, within the query budget', async () => {
    const res = await admin.get('/subscriptions');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Business Standard');
    expect(res.text).toContain('Enterprise E3');
    expect(res.text).toContain('>25<');
    expect(res.text).toContain('Trial');
    expect(res.text).toContain('Northwind Traders');
    expect(res.text).toContain('Partner ID 1000138');
    expect(res.queries).toBeLessThanOrEqual(3);
  });

  it('a billing admin sees it too; a user gets 403', async () => {
    expect((await (await t.signedIn(t.fx.emails.billing)).get('/subscriptions')).status).toBe(200);
    expect((await (await t.signedIn(t.fx.emails.user)).get('/subscriptions')).status).toBe(403);
  });

  it('pages through many subscriptions with keyset pagination, every one once, at the same cost on every page', async () => {
    const other = await t.signedIn(t.fx.emails.otherOrg);
    await t.db.execute(sql`insert into subscriptions (org_id, product_id, quantity, status, renews_at)
      select ${t.fx.fabrikam}, 'frontline-f1', g, 'active', case when g % 7 = 0 then null else now() + (g % 5) * interval '1 day' end
      from generate_series(1, 45) g`);
    for (const [sort, dir] of [
      ['renewal', 'asc'],
      ['renewal', 'desc'],
      ['created', 'desc'],
      ['product', 'asc'],
    ]) {
      const seen: string[] = [];
      const costs: number[] = [];
      let url: string | null = `/subscriptions?sort=${sort}&dir=${dir}`;
      while (url) {
        const res = await other.get(url);
        expect(res.status).toBe(200);
        costs.push(res.queries);
        seen.push(...[...res.text.matchAll(/href="\/subscriptions\/([0-9a-f-]{36})"/g)].map((m) => m[1]));
        url = res.text.match(/href="([^"]+)" rel="next"/)?.[1].replaceAll('&amp;', '&') ?? null;
      }
      expect(seen.length, `${sort} ${dir}`).toBe(48);
      expect(new Set(seen).size).toBe(48);
      expect(new Set(costs).size).toBe(1);
      expect(costs[0]).toBeLessThanOrEqual(3);
    }
  });
});
