import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signedIn(t.fx.emails.billing);
});
afterAll(() => t?.close());

async function startCheckout(productId: string) {
  const res = await admin.post('/checkout', { productId });
  expect(res.status).toBe(303);
  return res.location!;
}

describe('the partner finder', () => {
  it('searches by name or Partner ID and filters by product and country/region, each entry with its details', async () => {
    const byName = await admin.get('/partners?q=northwind');
    expect(byName.text).toContain('Northwind Traders');
    expect(byName.text).toContain('1000001');
    expect(byName.text).toContain('Delegated admin');
    expect(byName.text).toContain('Poland');
    expect(byName.queries).toBe(1);
    expect((await admin.get('/partners?q=1000138')).text).toContain('Adatum Consulting');
    const filtered = await admin.get('/partners?product=business-basic&country=PL');
    expect(filtered.text).toContain('Wide World Importers IT');
    expect(filtered.text).not.toContain('Coho Networks');
    expect(filtered.text).not.toContain('Adatum Consulting');
  });

  it('pages with keyset pagination at the same cost', async () => {
    const seen: string[] = [];
    const costs: number[] = [];
    let url: string | null = '/partners';
    while (url) {
      const res = await admin.get(url);
      costs.push(res.queries);
      seen.push(...[...res.text.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]));
      url = res.text.match(/href="([^"]+)" rel="next"/)?.[1].replaceAll('&amp;', '&') ?? null;
    }
    expect(seen).toHaveLength(36);
    expect(new Set(costs).size).toBe(1);
  });

  it('from a checkout, offers only partners eligible for its product and country/region, and Choose fills the partner in', async () => {
    const url = await startCheckout('business-basic');
    await admin.post(`${url}/licenses`, { quantity: '3', billingFrequency: 'monthly' });
    const id = url.split('/').pop();
    const finder = await admin.get(`/partners?checkout=${id}`);
    expect(finder.status).toBe(200);
    expect(finder.text).toContain('Wide World Importers IT');
    expect(finder.text).not.toContain('Coho Networks');
    expect(finder.text).not.toContain('Adatum Consulting');
    expect(finder.text).toContain(`action="/checkout/${id}/partner"`);
    const chose = await admin.post(`/checkout/${id}/partner`, { partnerId: '1000549', confirm: '1' });
    expect(chose.location).toBe(url);
    expect((await admin.get(url)).text).toContain('Wide World Importers IT');
    const other = await t.signedIn(t.fx.emails.otherOrg);
    expect((await other.get(`/partners?checkout=${id}`)).status).toBe(404);
    expect((await admin.get('/partners?checkout=not-a-checkout')).status).toBe(404);
  });

  it('a query no form sends (a field twice) answers the 400 page', async () => {
    const res = await admin.get('/partners?q=a&q=b');
    expect(res.status).toBe(400);
    expect(res.text).toContain('<h1>This request could not be understood</h1>');
  });
});
