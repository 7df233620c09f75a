import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currencies, currencyFor } from '../../src/catalog/currencies.ts';
import { rows } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';
import { catalogs } from '../../src/messages.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const nbsp = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const pl = { 'accept-language': 'pl' };
const zh = { 'accept-language': 'zh-CN' };

describe('the catalog in three languages', () => {
  it('every plan and product of the catalog has its name and description in English, Polish and Chinese', async () => {
    const plans = await t.db.select({ id: s.plans.id }).from(s.plans);
    const products = await t.db.select({ id: s.products.id }).from(s.products);
    for (const locale of ['en', 'pl', 'zh'] as const) {
      const messages = catalogs[locale] as Record<string, string>;
      for (const { id } of plans)
        for (const f of ['name', 'description']) expect(messages[`catalog.plan.${id}.${f}`], `${locale} plan ${id} ${f}`).toBeTruthy();
      for (const { id } of products)
        for (const f of ['name', 'description']) expect(messages[`catalog.product.${id}.${f}`], `${locale} product ${id} ${f}`).toBeTruthy();
    }
  });

  it('Purchase services reads in Polish: plan names, descriptions and the screen-reader labels', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const res = await admin.get('/purchase', pl);
    expect(res.text).toContain('<h2>Dodatki</h2>');
    expect(res.text).toContain('aria-label="Szczegóły planu Dodatki"');
    expect(res.text).toContain('Dla organizacji liczących do 300 osób.');
    expect(res.text).not.toContain('Add-ons');
    expect(res.text).not.toContain('For organizations of up to 300 people.');
    const plan = await admin.get('/purchase/addons', pl);
    expect(plan.text).toContain('<title>Dodatki · partnerdesk</title>');
    expect(plan.text).toContain('Skrzynka pocztowa 50 GB dla każdego użytkownika.');
    expect(plan.text).toContain('aria-label="Kup Dodatkowe miejsce na pliki"');
    expect(plan.text).not.toContain('50 GB mailbox per user.');
    expect(plan.queries).toBeLessThanOrEqual(3);
  });

  it('a plan page reads in Chinese, with local product names', async () => {
    const admin = await t.signedIn(t.fx.emails.otherOrg);
    const res = await admin.get('/purchase/business', zh);
    expect(res.text).toContain('<title>商业版 · partnerdesk</title>');
    expect(res.text).toContain('<h2>商业基础版</h2>');
    expect(res.text).toContain('网页版和移动版应用、邮箱、1 TB 存储空间。');
    expect(res.text).not.toContain('Web and mobile apps');
  });
});

describe('prices in the organization’s currency', () => {
  it('the currency follows the country: Poland PLN, China CNY, Germany EUR, elsewhere USD', () => {
    expect([currencyFor('PL'), currencyFor('CN'), currencyFor('DE'), currencyFor('US'), currencyFor('JP')]).toEqual(['PLN', 'CNY', 'EUR', 'USD', 'USD']);
  });

  it('the price list has a price for every product in every currency', async () => {
    const [{ missing }] = await rows<{ missing: number }>(
      t.db,
      sql`select count(*)::int as missing from products p cross join unnest(${`{${currencies.join(',')}}`}::text[]) c
        where not exists (select 1 from product_prices pp where pp.product_id = p.id and pp.currency = c)`,
    );
    expect(missing).toBe(0);
  });

  it('a Polish organization sees the PLN price list, formatted for the reader’s language', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    expect(nbsp((await admin.get('/purchase/business', pl)).text)).toContain('25,00 zł za licencję miesięcznie');
    expect(nbsp((await admin.get('/purchase/business')).text)).toContain('PLN 25.00 per license per month');
  });

  it('a Chinese organization sees CNY', async () => {
    const admin = await t.signedIn(t.fx.emails.otherOrg);
    expect((await admin.get('/purchase/business', zh)).text).toContain('每个许可证每月 ¥38.00');
  });

  it('checkout and the subscription it creates record the currency and the price charged', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const started = await admin.post('/checkout', { productId: 'business-basic' });
    expect(started.status).toBe(303);
    const id = started.location!.split('/').pop()!;
    const [checkout] = await t.db.select().from(s.checkouts).where(eq(s.checkouts.id, id));
    expect(checkout).toMatchObject({ currency: 'PLN', priceCents: 2500 });
    await admin.post(`/checkout/${id}/licenses`, { quantity: '10', billingFrequency: 'monthly' });
    const review = await admin.get(`/checkout/${id}`, pl);
    expect(nbsp(review.text)).toContain('250,00 zł');
    expect(review.text).toContain('<h1>Zamówienie: Business Basic</h1>');
    expect((await admin.post(`/checkout/${id}/place`)).status).toBe(303);
    const [done] = await t.db.select().from(s.checkouts).where(eq(s.checkouts.id, id));
    const [sub] = await t.db.select().from(s.subscriptions).where(eq(s.subscriptions.id, done.subscriptionId!));
    expect(sub).toMatchObject({ productId: 'business-basic', quantity: 10, currency: 'PLN', priceCents: 2500 });
  });

  it('a subscription page in Chinese names the product by its local name', async () => {
    const admin = await t.signedIn(t.fx.emails.otherOrg);
    const [sub] = await t.db.select().from(s.subscriptions).where(eq(s.subscriptions.id, t.fx.fabrikamSub));
    const res = await admin.get(`/subscriptions/${sub.id}`, zh);
    const local = { 'business-standard': '商业标准版', 'business-basic': '商业基础版', 'enterprise-e3': '企业版 E3' }[sub.productId]!;
    expect(res.text).toContain(`<h1>${local}</h1>`);
    expect(res.text).toContain(`<title>${local} · partnerdesk</title>`);
  });
});

describe('the development mailbox', () => {
  it('is linked in the footer for a signed-in person while no SMTP_URL is set, and not for someone signed out', async () => {
    for (const email of [t.fx.emails.user, t.fx.emails.partner]) {
      const c = await t.signedIn(email);
      let res = await c.get('/');
      if (res.location) res = await c.get(res.location);
      expect(res.text).toMatch(/<footer>[\s\S]*<a href="\/dev\/mailbox">Development mailbox<\/a>/);
    }
    expect((await t.client().get('/signin')).text).not.toContain('/dev/mailbox');
  });
});
