import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../src/db/schema.ts';
import { deliverDue } from '../../src/mail/worker.ts';
import { tokenFromMail } from '../invitations/helpers.ts';
import { startSmtp } from '../mail/smtp.ts';
import { bothWays, shows, startE2E, type E2E } from './browser.ts';

let e: E2E;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  e = await startE2E();
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp?.close();
  await e?.close();
});

/** Marks the page; a full reload would lose the mark, an htmx swap keeps it. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { mark: string }).mark = 'kept'));
const marked = (page: Page) => page.evaluate(() => (window as unknown as { mark?: string }).mark);

async function createLink(page: Page, email: string, js: boolean) {
  await page.goto('/portal/links');
  await mark(page);
  await page.getByLabel('Delegated admin', { exact: true }).check();
  await page.getByLabel('Trial', { exact: true }).check();
  await page.getByLabel('Product').selectOption('business-basic');
  await page.getByLabel('Number of licenses').fill('4');
  await page.getByLabel('Your terms').fill('Support on weekdays, 9 to 17.');
  await page.getByLabel("Customer's e-mail").fill(email);
  await page.getByLabel('Language of the e-mail').selectOption('en');
  await page.getByRole('button', { name: 'Create and send link' }).click();
  await shows(page.getByRole('heading', { name: 'Link created and sent' }));
  // Shown once, whole: the field holds the entire link and fits the window (it wraps; nothing is cut off).
  const field = page.locator('#new-link');
  const box = (await field.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
  const url = (await field.textContent())!;
  expect(url).toMatch(/^http:\/\/\S+\/authorize\/[a-z2-7]{32}$/);
  // With JavaScript a Copy button puts it on the clipboard and says so in the live region; without, only the
  // field (one click selects all of it) is there.
  const copy = page.getByRole('button', { name: 'Copy link' });
  if (js) {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    await copy.click();
    await shows(page.locator('#live').getByText('Link copied.'));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  } else expect(await copy.isVisible()).toBe(false);
  return url.replace(/^.*\/authorize\//, '');
}

describe.each(bothWays)('authorization links in a browser $name', ({ js }) => {
  it('the new-link form hides product and licenses until an offer is chosen', async () => {
    const partner = await e.page({ js });
    await e.signIn(partner, e.t.fx.emails.partner);
    await partner.goto('/portal/links');
    expect(await partner.getByLabel('Product').isVisible()).toBe(false);
    expect(await partner.getByLabel('Number of licenses').isVisible()).toBe(false);
    await partner.getByLabel('Trial', { exact: true }).check();
    await shows(partner.getByLabel('Product'));
    await shows(partner.getByLabel('Number of licenses'));
    await partner.getByLabel('No offer', { exact: true }).check();
    expect(await partner.getByLabel('Product').isVisible()).toBe(false);
  });

  it('a partner e-mails a link, a new customer signs up from it and authorizes, the partner adds a user, and loses access the moment the customer removes delegated admin', async () => {
    const { fx } = e.t;
    // A customer with no relationship to Northwind yet: it creates its organization from the link itself.
    const mode = js ? 'js' : 'nojs';
    const customer = `admin@tailspin-${mode}.example`;
    const orgName = `Tailspin Toys ${js ? 'Scripted' : 'Plain'}`;

    const partner = await e.page({ js });
    await e.signIn(partner, fx.emails.partner);
    const shown = await createLink(partner, customer, js);
    expect(await marked(partner)).toBe(js ? 'kept' : undefined);
    await shows(partner.locator('tr', { hasText: customer }).getByText('Sent'));

    // The mail worker delivers the outbox to the local SMTP server; the customer follows the link in that e-mail.
    await deliverDue(e.t.db, smtp.transport(), new Date());
    const mail = smtp.inbox.find((m) => m.to.includes(customer))!;
    expect(mail.subject).toBe('Northwind Traders asks to become your partner');
    expect(mail.text).toContain('Support on weekdays, 9 to 17.');
    const token = tokenFromMail(mail.text);
    expect(token).toBe(shown);

    const admin = await e.page({ js });
    await admin.goto(new URL(/https?:\/\/\S+\/authorize\/[a-z2-7]{32}/.exec(mail.text)![0]).pathname);
    await shows(admin.getByRole('heading', { name: 'Northwind Traders asks to become your partner' }));
    await shows(admin.getByText('Support on weekdays, 9 to 17.'));
    await admin.getByText('No account? Create your organization').click();
    await admin.getByLabel('Organization name').fill(orgName);
    await admin.getByLabel('Country/region').selectOption('PL');
    await admin.getByLabel('Your name').fill('Tess Founder');
    expect(await admin.getByLabel('E-mail').inputValue()).toBe(customer);
    await admin.getByLabel('Password').fill('a-long-enough-password');
    await admin.getByRole('button', { name: 'Create account' }).click();
    await admin.waitForURL(`${e.baseUrl}/authorize/${token}`);
    const [founder] = await e.t.db.select().from(s.users).where(eq(s.users.email, customer));
    expect(founder.role).toBe('global_admin');
    const orgId = founder.orgId;

    // The seed's steps: Yes is chosen already, then Next; the offer, then Accept. The authorization page
    // loads no htmx: each step is a whole page, so the tab's title follows it.
    expect(await admin.getByLabel('Yes').isChecked()).toBe(true);
    expect(await admin.locator('script').count()).toBe(0);
    await admin.getByRole('button', { name: 'Next' }).click();
    await shows(admin.getByLabel('Start the trial of Business Basic'));
    await admin.getByRole('button', { name: 'Accept' }).click();
    await shows(admin.getByRole('heading', { name: 'You authorized Northwind Traders' }));
    expect(await admin.title()).toBe('You authorized Northwind Traders · partnerdesk');

    const [link] = await e.t.db.select().from(s.invitations).where(eq(s.invitations.email, customer));
    expect(link.acceptedAt).not.toBeNull();
    const rels = await e.t.db.select().from(s.partnerRelationships).where(eq(s.partnerRelationships.orgId, orgId));
    expect(rels).toHaveLength(1);
    expect(rels[0]).toMatchObject({
      partnerOrgId: fx.northwind,
      type: 'delegated_admin',
      status: 'active',
      invitationId: link.id,
      roles: ['users', 'passwords', 'licenses'],
    });
    const da = rels[0];
    const trials = await e.t.db.select().from(s.subscriptions).where(eq(s.subscriptions.orgId, orgId));
    expect(trials).toMatchObject([{ productId: 'business-basic', status: 'trial', quantity: 4 }]);

    // The partner finds its new customer in the portal, opens its admin center and adds a user.
    await partner.goto('/portal/links');
    await shows(partner.locator('tr', { hasText: customer }).getByText('Accepted'));
    await partner.goto('/portal');
    await partner.getByLabel('Search by name').fill(orgName);
    await partner.getByRole('button', { name: 'Search' }).click();
    await partner.locator(`#customer-${orgId}`).getByRole('link', { name: 'Open admin center' }).click();
    await shows(partner.getByRole('heading', { name: `${orgName} · Users and licenses` }));
    expect(new URL(partner.url()).pathname).toBe(`/portal/customers/${orgId}`);
    await partner.getByRole('link', { name: 'Add a user' }).click();
    const newUser = { name: `Ola ${js ? 'Scripted' : 'Plain'}`, email: `ola@tailspin-${mode}.example` };
    await partner.getByLabel('Name').fill(newUser.name);
    await partner.getByLabel('E-mail').fill(newUser.email);
    await partner.getByLabel('New password').fill('another-long-password');
    await partner.getByRole('button', { name: 'Add user' }).click();
    await shows(partner.getByText('The user has been added.'));
    await partner.getByRole('link', { name: 'Back to users' }).click();
    await shows(partner.locator('tr', { hasText: newUser.email }).getByRole('link', { name: newUser.name }));
    const [added] = await e.t.db.select().from(s.users).where(eq(s.users.email, newUser.email));
    expect(added).toMatchObject({ orgId, name: newUser.name, role: 'user' });

    // The customer's admin removes delegated admin at Settings → Partner relationships, after confirming.
    await admin.locator('#authorize').getByRole('link', { name: 'Partner relationships' }).click();
    await admin.waitForURL(`${e.baseUrl}/settings/partner-relationships`);
    await mark(admin);
    await admin.locator(`#rel-${da.id}`).getByRole('button', { name: 'Remove' }).click();
    await shows(admin.getByText('Remove Delegated admin for Northwind Traders?'));
    if (js) expect(new URL(admin.url()).pathname).toBe('/settings/partner-relationships');
    await admin.getByRole('button', { name: 'Yes, remove' }).click();
    await shows(admin.getByText('The relationship has been ended.'));
    // The ended relationship leaves the current ones and waits behind "Show ended (1)".
    await shows(admin.locator(`#partner-${fx.northwind}`).getByRole('link', { name: 'Show ended (1)' }));
    expect(await admin.locator(`#rel-${da.id}`).count()).toBe(0);
    expect(await marked(admin)).toBe(js ? 'kept' : undefined);
    expect(new URL(admin.url()).pathname).toBe('/settings/partner-relationships');
    const [ended] = await e.t.db.select().from(s.partnerRelationships).where(eq(s.partnerRelationships.id, da.id));
    expect(ended.status).toBe('ended');

    // The partner's very next request to the customer's admin center is 404.
    const gone = await partner.goto(`/portal/customers/${orgId}`);
    expect(gone?.status()).toBe(404);
    await shows(partner.getByRole('heading', { name: 'Page not found' }));
    await partner.context().close();
    await admin.context().close();
  }, 60_000);

  it('a partner revokes a link it sent, and the link then shows a clear page', async () => {
    const partner = await e.page({ js });
    await e.signIn(partner, e.t.fx.emails.partnerAgent);
    const email = `revoke-${js ? 'js' : 'nojs'}@example.com`;
    const token = await createLink(partner, email, js);
    await mark(partner);
    await partner.getByRole('button', { name: `Revoke the link for ${email}` }).click();
    await shows(partner.locator('tr', { hasText: email }).getByText('Revoked'));
    expect(await marked(partner)).toBe(js ? 'kept' : undefined);

    const page = await e.page({ js });
    const res = await page.goto(`/authorize/${token}`);
    expect(res?.status()).toBe(410);
    await shows(page.getByRole('heading', { name: 'This link was revoked' }));
    await partner.context().close();
    await page.context().close();
  });
});
