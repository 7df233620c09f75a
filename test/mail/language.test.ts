import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';
import { productName } from '../../src/catalog/text.ts';
import { i18n } from '../../src/i18n/index.ts';
import type { Locale } from '../../src/i18n/locales.ts';
import { countryLocale } from '../../src/i18n/regional.ts';
import { runExpiryJob } from '../../src/relationships/expiry.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createLinkAs } from '../invitations/helpers.ts';
import { DAY } from '../../src/time.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // Contoso's admin reads Chinese, Northwind's partner admin Polish: neither is their country's language.
  await t.db.execute(sql`update users set locale = 'zh' where email = ${t.fx.emails.global}`);
  await t.db.execute(sql`update users set locale = 'pl' where email = ${t.fx.emails.partner}`);
  // The agent who sends links browses in Chinese.
  await t.db.execute(sql`update users set locale = 'zh' where email = ${t.fx.emails.partnerAgent}`);
}, 120_000);
afterAll(() => t?.close());

const lastMailTo = async (to: string) =>
  (
    await rows<{ subject: string; body: string }>(t.db, sql`select subject, body from outbox where lower(to_address) = lower(${to}) order by id desc limit 1`)
  )[0];
const says = (locale: Locale, ...args: Parameters<ReturnType<typeof i18n>['t']>) => i18n(locale).t(...args);

describe("every e-mail in its recipient's language", () => {
  it('an authorization link to an address with no account: the language the partner picked, whatever the partner browses in', async () => {
    const { mail } = await createLinkAs(t, t.fx.emails.partnerAgent, { email: 'anna@nowa-firma.example', mailLocale: 'pl', offerKind: '', productId: '' });
    expect(mail.subject).toBe(says('pl', 'links.mail.invitation.subject', { partner: 'Northwind Traders' }));
  });

  it("without a pick, the language of the partner organization's country", async () => {
    const [{ country }] = await rows<{ country: string }>(t.db, sql`select country from organizations where id = ${t.fx.northwind}`);
    const { mail } = await createLinkAs(t, t.fx.emails.partnerAgent, { email: 'li@xin.example', mailLocale: '', offerKind: '', productId: '' });
    expect(mail.subject).toBe(says(countryLocale(country), 'links.mail.invitation.subject', { partner: 'Northwind Traders' }));
  });

  it("an authorization link to an existing account: that person's own language, not the pick", async () => {
    const { mail } = await createLinkAs(t, t.fx.emails.partnerAgent, { email: t.fx.emails.global, mailLocale: 'en' });
    expect(mail.subject).toBe(says('zh', 'links.mail.invitation.subject', { partner: 'Northwind Traders' }));
  });

  it('accepting a link: the customer and the partner who sent it each read their own language', async () => {
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: t.fx.emails.global, offerKind: '', productId: '', offerReseller: '' });
    const admin = await t.signedIn(t.fx.emails.global);
    const res = await admin.post(`/authorize/${token}`, { step: '1', delegatedAdmin: 'yes' });
    expect(res.status).toBe(303);
    expect((await lastMailTo(t.fx.emails.global)).subject).toBe(says('zh', 'links.mail.accepted.customer.subject', { partner: 'Northwind Traders' }));
    expect((await lastMailTo(t.fx.emails.partner)).subject).toBe(says('pl', 'links.mail.accepted.partner.subject', { customer: 'Contoso Sp. z o.o.' }));
  });

  it("a new partner of record: the partner's language (its country's, for a contact address with no account)", async () => {
    const [p] = await t.db
      .select({ contactEmail: s.partners.contactEmail, country: s.organizations.country, name: s.partners.name })
      .from(s.partners)
      .innerJoin(s.organizations, eq(s.organizations.id, s.partners.orgId))
      .where(eq(s.partners.partnerId, '1000549'));
    const admin = await t.signedIn(t.fx.emails.billing);
    const [{ version }] = await rows<{ version: number }>(t.db, sql`select version from subscriptions where id = ${t.fx.contosoTrialSub}`);
    const res = await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, {
      partnerId: '1000549',
      action: 'add',
      confirm: '1',
      version: String(version),
    });
    expect(res.status).toBe(303);
    const locale = countryLocale(p.country);
    const mail = await lastMailTo(p.contactEmail);
    expect(mail.subject).toBe(says(locale, 'subs.mail.added.subject', { org: 'Contoso Sp. z o.o.' }));
    // The product too is named in the partner's language, not the stored English name.
    const [product] = await t.db
      .select({ id: s.products.id, name: s.products.name })
      .from(s.subscriptions)
      .innerJoin(s.products, eq(s.products.id, s.subscriptions.productId))
      .where(eq(s.subscriptions.id, t.fx.contosoTrialSub));
    const products = productName(i18n(locale), product.id, product.name);
    expect(mail.body).toBe(says(locale, 'subs.mail.added.body', { org: 'Contoso Sp. z o.o.', partner: p.name, products }));
  });

  it('expiry reminders: each recipient in their own language', async () => {
    const now = new Date();
    await t.db.execute(
      sql`update partner_relationships set ends_at = ${new Date(now.getTime() + 20 * DAY).toISOString()} where id = ${t.fx.contosoDelegatedAdmin}`,
    );
    await runExpiryJob(t.db, now);
    const names = { customer: 'Contoso Sp. z o.o.', days: 30 };
    expect((await lastMailTo(t.fx.emails.global)).subject).toBe(says('zh', 'rel.mail.reminder.subject', names));
    expect((await lastMailTo(t.fx.emails.partner)).subject).toBe(says('pl', 'rel.mail.reminder.subject', names));
  });

  it("an ended relationship: the customer's admins and the partner's admins each in their own language", async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const res = await admin.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`);
    expect(res.status).toBe(303);
    const fill = (l: Locale) => ({ type: says(l, 'rel.type.delegated_admin'), partner: 'Northwind Traders', customer: 'Contoso Sp. z o.o.' });
    expect((await lastMailTo(t.fx.emails.global)).subject).toBe(says('zh', 'rel.mail.ended.subject', fill('zh')));
    expect((await lastMailTo(t.fx.emails.partner)).subject).toBe(says('pl', 'rel.mail.ended.subject', fill('pl')));
  });

  it("select-all: each partner's summary in its own language, the count in its plural form", async () => {
    // Wide World Importers IT (1000549) sits in China, Adatum Consulting in Poland; neither has an account at its contact address.
    await t.db.execute(sql`update organizations set country = 'CN' where id = (select org_id from partners where partner_id = '1000549')`);
    await t.db.execute(sql`update organizations set country = 'PL' where id = ${t.fx.adatum}`);
    const admin = await t.signedIn(t.fx.emails.global);
    const listVersion = (await admin.get('/subscriptions')).text.match(/name="listVersion" value="([^"]+)"/)![1];
    const res = await admin.post('/subscriptions/partner', { all: '1', listVersion, partnerId: '1000549', action: 'add' });
    expect(res.status).toBe(303);
    const org = 'Contoso Sp. z o.o.';
    // Enterprise E3 moves from Adatum to Wide World (Business Basic is Wide World's already, Business Standard stays with the reseller).
    expect((await lastMailTo('hello@wide-world-importers-it.example')).body).toBe(
      says('zh', 'subs.mail.bulkAdded.body', { org, partner: 'Wide World Importers IT', count: 1 }),
    );
    const adatum = await lastMailTo('hello@adatum-consulting.example');
    expect(adatum.body).toBe(says('pl', 'subs.mail.bulkRemoved.body', { org, partner: 'Adatum Consulting', count: 1 }));
    expect(adatum.body).toContain('1 subskrypcja');
  });
});
