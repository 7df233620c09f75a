import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothWays, shows, startE2E, type E2E } from './browser.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

/** A mark on the page that only a full navigation erases: with htmx it must survive every swap. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { kept: number }).kept = 1));
const marked = (page: Page) => page.evaluate(() => (window as unknown as { kept?: number }).kept === 1);

describe.each(bothWays)('suspend and resume delegated admin in a browser $name', ({ js }) => {
  it('the customer suspends the partner, the partner is refused, the customer resumes, the partner works again', async () => {
    const { fx } = e.t;
    const partner = await e.page({ js });
    await e.signIn(partner, fx.emails.partner);
    await partner.goto(`/portal/customers/${fx.contoso}`);
    await shows(partner.getByRole('link', { name: /^Uma / }));

    const admin = await e.page({ js });
    await e.signIn(admin, fx.emails.global);
    await admin.goto('/settings/partner-relationships');
    if (js) await mark(admin);
    const row = admin.locator(`#rel-${fx.contosoDelegatedAdmin}`);
    await row.getByRole('button', { name: 'Suspend delegated admin of Northwind Traders' }).click();
    await shows(admin.getByText('Suspend delegated admin of Northwind Traders?'));
    if (js) expect(new URL(admin.url()).pathname).toBe('/settings/partner-relationships');
    else expect(new URL(admin.url()).pathname).toBe(`/settings/partner-relationships/partners/${fx.northwind}/suspend`);
    await admin.getByRole('button', { name: 'Yes, suspend' }).click();
    await shows(admin.getByText('Delegated admin is suspended'));
    await shows(row.getByText('Suspended', { exact: true }));
    if (js) expect(await marked(admin)).toBe(true);

    // The partner's next request is refused with a page that says why; the portal shows it.
    await partner.reload();
    await shows(partner.getByRole('heading', { name: 'Access suspended' }));
    await shows(partner.getByText('Contoso Sp. z o.o. has suspended the access of Northwind Traders.'));
    await partner.goto('/portal');
    await shows(partner.getByText('Contoso Sp. z o.o. has suspended your delegated admin access.'));
    expect(await partner.getByRole('link', { name: 'Open admin center of Contoso Sp. z o.o.' }).count()).toBe(0);

    await row.getByRole('button', { name: 'Resume delegated admin of Northwind Traders' }).click();
    await shows(admin.getByText('Delegated admin is resumed, with the same roles as before.'));
    if (js) expect(await marked(admin)).toBe(true);

    await partner.reload();
    await partner.getByRole('link', { name: 'Open admin center of Contoso Sp. z o.o.' }).click();
    await shows(partner.getByRole('link', { name: /^Uma / }));
    await partner.context().close();
    await admin.context().close();
  });
});
