import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../src/db/schema.ts';
import { deliverDue } from '../../src/mail/worker.ts';
import { tokenFromMail } from '../invitations/helpers.ts';
import { startSmtp } from '../mail/smtp.ts';
import { bothWays, shows, startE2E, type E2E } from './browser.ts';

const e2eEmails = { contoso: 'admin@contoso.example', fabrikam: 'admin@fabrikam.example' };

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

async function createLink(page: Page, email: string) {
  await page.goto('/portal/links');
  await mark(page);
  await page.getByLabel('Delegated admin', { exact: true }).check();
  await page.getByLabel('Trial', { exact: true }).check();
  await page.getByLabel('Product').selectOption('business-basic');
  await page.getByLabel('Number of licenses').fill('4');
  await page.getByLabel('Your terms').fill('Support on weekdays, 9 to 17.');
  await page.getByLabel("Customer's e-mail").fill(email);
  await page.getByRole('button', { name: 'Create and send link' }).click();
  await shows(page.getByRole('heading', { name: 'Link created and sent' }));
  return (await page.getByLabel('Authorization link').inputValue()).replace(/^.*\/authorize\//, '');
}

describe.each(bothWays)('authorization links in a browser $name', ({ js }) => {
  const customer = js ? e2eEmails.contoso : e2eEmails.fabrikam;

  it('a partner creates a link, the e-mail arrives over SMTP, the customer admin opens it, signs in and authorizes', async () => {
    const partner = await e.page({ js });
    await e.signIn(partner, e.t.fx.emails.partner);
    const shown = await createLink(partner, customer);
    expect(await marked(partner)).toBe(js ? 'kept' : undefined);
    await shows(partner.locator('tr', { hasText: customer }).getByText('Sent'));

    await deliverDue(e.t.db, smtp.transport(), new Date());
    const mail = smtp.inbox.find((m) => m.to.includes(customer) && m.text.includes(shown))!;
    expect(mail.subject).toBe('Northwind Traders asks to become your partner');
    const token = tokenFromMail(mail.text);
    expect(token).toBe(shown);

    const page = await e.page({ js });
    await page.goto(`/authorize/${token}`);
    await shows(page.getByRole('heading', { name: 'Northwind Traders asks to become your partner' }));
    await shows(page.getByText('Support on weekdays, 9 to 17.'));
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('E-mail').fill(customer);
    await page.getByLabel('Password').fill('partnerdesk-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${e.baseUrl}/authorize/${token}`);

    await mark(page);
    await page.getByLabel('Yes').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await shows(page.getByLabel('Start the trial of Business Basic'));
    await page.getByRole('button', { name: 'Accept' }).click();
    await shows(page.getByRole('heading', { name: 'You authorized Northwind Traders' }));
    expect(await marked(page)).toBe(js ? 'kept' : undefined);

    const [link] = await e.t.db.select().from(s.invitations).where(eq(s.invitations.email, customer));
    expect(link.acceptedAt).not.toBeNull();
    const [da] = await e.t.db
      .select()
      .from(s.partnerRelationships)
      .where(and(eq(s.partnerRelationships.invitationId, link.id), eq(s.partnerRelationships.type, 'delegated_admin')));
    expect(da).toMatchObject({ partnerOrgId: e.t.fx.northwind, status: 'active', roles: ['users', 'passwords', 'licenses'] });
    const trials = await e.t.db.select().from(s.subscriptions).where(and(eq(s.subscriptions.orgId, da.orgId), eq(s.subscriptions.quantity, 4)));
    expect(trials).toHaveLength(1);

    // The partner's list now shows the link as accepted.
    await partner.goto('/portal/links');
    await shows(partner.locator('tr', { hasText: customer }).getByText('Accepted'));
    await partner.context().close();
    await page.context().close();
  }, 60_000);

  it('a partner revokes a link it sent, and the link then shows a clear page', async () => {
    const partner = await e.page({ js });
    await e.signIn(partner, e.t.fx.emails.partnerAgent);
    const email = `revoke-${js ? 'js' : 'nojs'}@example.com`;
    const token = await createLink(partner, email);
    await mark(partner);
    await partner.getByRole('button', { name: `Revoke the link for ${email}` }).click();
    await shows(partner.locator('tr', { hasText: email }).getByText('Revoked'));
    expect(await marked(partner)).toBe(js ? 'kept' : undefined);

    const page = await e.page({ js });
    const res = await page.goto(`/authorize/${token}`);
    expect(res?.status()).toBe(410);
    await shows(page.getByRole('heading', { name: 'This link was withdrawn' }));
    await partner.context().close();
    await page.context().close();
  });
});
