import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';
import { advisor, auditRows, mails, snapshot } from '../partner-of-record/snapshot.ts';

let t: TestApp;
let admin: Client;
const partial = { 'hx-request': 'true', 'hx-request-type': 'partial' };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signedIn(t.fx.emails.billing);
});
afterAll(() => t?.close());

async function startCheckout(productId = 'business-premium') {
  const res = await admin.post('/checkout', { productId });
  expect(res.status).toBe(303);
  return res.location!;
}

describe('purchase services', () => {
  it('lists the plans and, in a plan’s details, only the products sold in the organization’s country/region', async () => {
    const plans = await admin.get('/purchase');
    expect(plans.status).toBe(200);
    expect(plans.text).toContain('Enterprise');
    expect(plans.queries).toBeLessThanOrEqual(3);
    const china = await t.signedIn(t.fx.emails.otherOrg);
    const cn = await china.get('/purchase/business');
    expect(cn.text).toContain('Business Standard');
    expect(cn.text).not.toContain('Business Premium');
    expect((await admin.get('/purchase/business')).text).toContain('Business Premium');
    expect((await admin.get('/purchase/nothing')).status).toBe(404);
  });

  it('refuses a forced request for a product not sold in the country/region, and orders nothing', async () => {
    const china = await t.signedIn(t.fx.emails.otherOrg);
    const before = await snapshot(t.db);
    const res = await china.post('/checkout', { productId: 'business-premium' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('This product is not sold in your organization’s country/region');
    expect(await snapshot(t.db)).toBe(before);
  });
});

describe('the checkout wizard', () => {
  it('buys with a partner of record added by Partner ID, and a second submit buys nothing more', async () => {
    const url = await startCheckout();
    const step1 = await admin.get(url);
    expect(step1.text).toContain('Number of licenses');
    expect(step1.queries).toBeLessThanOrEqual(3);

    for (const bad of ['-5', '0', '100001', '9999999999', 'many']) {
      const res = await admin.post(`${url}/licenses`, { quantity: bad, billingFrequency: 'yearly' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Enter a whole number of licenses from 1 to 100,000.');
      expect(res.text).toContain(`value="${bad}"`);
    }
    expect((await admin.post(`${url}/licenses`, { quantity: '12', billingFrequency: 'yearly' })).location).toBe(url);
    const review = await admin.get(url);
    expect(review.text).toContain('Partner information');
    expect(review.text).toContain('<summary>Need help with your order?</summary>');
    expect(review.text).toContain(`href="/partners?checkout=${url.split('/').pop()}"`);

    // Add: type the Partner ID, the partner's name is shown to confirm (no JS: the page reloads with it).
    const add = await admin.post(`${url}/partner`, { partnerId: '1000001' });
    expect(add.location).toBe(`${url}?partnerId=1000001`);
    const confirm = await admin.get(add.location!);
    expect(confirm.text).toContain('Add this partner?');
    expect(confirm.text).toContain('Northwind Traders');
    expect((await admin.post(`${url}/partner`, { partnerId: '1000001', confirm: '1' })).status).toBe(303);
    expect((await admin.get(url)).text).toContain('The partner has been added to your order.');

    const before = (await rows<{ n: number }>(t.db, sql`select count(*)::int as n from subscriptions where org_id = ${t.fx.contoso}`))[0].n;
    const outboxBefore = (await mails(t.db)).length;
    const [first, second] = [await admin.post(`${url}/place`), await admin.post(`${url}/place`)];
    expect(first.location).toBe(url);
    expect(second.location).toBe(url);
    const done = await admin.get(url);
    expect(done.text).toContain('Thank you. Your order is complete.');
    expect(done.text).toContain('Northwind Traders');
    const after = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from subscriptions where org_id = ${t.fx.contoso}`);
    expect(after[0].n).toBe(before + 1);
    const [sub] = await t.db
      .select({ quantity: s.subscriptions.quantity, billingFrequency: s.subscriptions.billingFrequency, partnerId: s.partners.partnerId })
      .from(s.checkouts)
      .innerJoin(s.subscriptions, eq(s.subscriptions.id, s.checkouts.subscriptionId))
      .innerJoin(s.partners, eq(s.partners.orgId, s.subscriptions.partnerOrgId))
      .where(eq(s.checkouts.id, url.split('/').pop()!));
    expect(sub).toEqual({ quantity: 12, billingFrequency: 'yearly', partnerId: '1000001' });
    expect((await auditRows(t.db, 'subscription.purchased')).length).toBe(1);
    expect((await mails(t.db)).slice(outboxBefore).map((m) => m.toAddress)).toEqual(['hello@northwind-traders.example']);
    expect((await advisor(t.db, t.fx.contoso, t.fx.northwind)).filter((r) => r.status === 'active')).toHaveLength(1);
    // The finished order refuses further edits.
    expect((await admin.post(`${url}/licenses`, { quantity: '3', billingFrequency: 'monthly' })).status).toBe(303);
    expect((await rows<{ quantity: number }>(t.db, sql`select quantity from checkouts where id = ${url.split('/').pop()}`))[0].quantity).toBe(12);
  });

  it('two submits of the final step at the same moment buy once', async () => {
    const url = await startCheckout('business-basic');
    await admin.post(`${url}/licenses`, { quantity: '4', billingFrequency: 'monthly' });
    const [a, b] = await Promise.all([admin.post(`${url}/place`), admin.post(`${url}/place`)]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const subs = await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from subscriptions s join checkouts c on c.subscription_id = s.id where c.id = ${url.split('/').pop()}`,
    );
    expect(subs[0].n).toBe(1);
    const purchased = await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_log where action = 'subscription.purchased' and after->>'checkoutId' = ${url.split('/').pop()}`,
    );
    expect(purchased[0].n).toBe(1);
  });

  it('the Partner information pane refuses unknown, malformed and ineligible partners with the reason, changing nothing', async () => {
    const url = await startCheckout('business-basic');
    await admin.post(`${url}/licenses`, { quantity: '3', billingFrequency: 'monthly' });
    const cases: [Record<string, string>, string][] = [
      [{ partnerId: 'abc' }, 'A Partner ID has digits only'],
      [{ partnerId: '999999', confirm: '1' }, 'No partner has this Partner ID.'],
      [{ partnerId: '1000138', confirm: '1' }, 'Adatum Consulting does not serve Poland.'],
      [{ partnerId: '1001645', confirm: '1' }, 'Coho Networks is not a partner for Business Basic.'],
    ];
    for (const [form, message] of cases) {
      const before = await snapshot(t.db);
      const res = await admin.post(`${url}/partner`, form);
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain(`value="${form.partnerId}"`);
      expect(await snapshot(t.db)).toBe(before);
    }
    expect((await admin.get(`${url}?partnerId=999999`)).text).toContain('No partner has this Partner ID.');
  });

  it('answers htmx with the Partner information pane only', async () => {
    const url = await startCheckout('business-basic');
    await admin.post(`${url}/licenses`, { quantity: '3', billingFrequency: 'monthly' });
    const lookup = await admin.post(`${url}/partner`, { partnerId: '1000549' }, partial);
    expect(lookup.status).toBe(200);
    expect(lookup.text.startsWith('<section id="partner-info"')).toBe(true);
    expect(lookup.text).toContain('Wide World Importers IT');
    const saved = await admin.post(`${url}/partner`, { partnerId: '1000549', confirm: '1' }, partial);
    expect(saved.text).toContain('The partner has been added to your order.');
    const removed = await admin.post(`${url}/partner`, { action: 'remove' }, partial);
    expect(removed.text).toContain('No partner of record is added to this order.');
  });

  it('survives a reload: the wizard state is on the server', async () => {
    const url = await startCheckout('business-basic');
    await admin.post(`${url}/licenses`, { quantity: '7', billingFrequency: 'monthly' });
    const again = await admin.get(url);
    expect(again.text).toContain('<li aria-current="step">Review</li>');
    expect(again.text).toMatch(/<dd>7<\/dd>/);
    expect((await admin.get(`${url}?step=1`)).text).toContain('value="7"');
  });

  it('another organization’s checkout is a 404 and a user gets 403', async () => {
    const url = await startCheckout('business-basic');
    const other = await t.signedIn(t.fx.emails.otherOrg);
    expect((await other.get(url)).status).toBe(404);
    expect((await other.post(`${url}/place`)).status).toBe(404);
    expect((await (await t.signedIn(t.fx.emails.user)).get(url)).status).toBe(403);
  });
});
