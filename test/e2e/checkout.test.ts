import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothWays, shows, startE2E, type E2E } from './browser.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

describe.each(bothWays)('buying with a partner in a browser $name', ({ js }) => {
  it('plan → Details → Buy → licenses → review with a partner from the finder → order placed once', async () => {
    const page = await e.page({ js });
    await e.signIn(page, e.t.fx.emails.billing);
    await page.goto('/purchase');
    await page.getByRole('link', { name: 'Details of Business' }).click();
    await page.getByRole('button', { name: 'Buy Business Basic' }).click();
    await page.waitForURL(/\/checkout\/[0-9a-f-]{36}$/);
    const checkoutUrl = page.url();

    await page.getByLabel('Number of licenses').fill('-3');
    await page.getByRole('button', { name: 'Next' }).click();
    await shows(page.getByText('Enter a whole number of licenses from 1 to 100,000.'));
    await page.getByLabel('Number of licenses').fill('8');
    await page.getByLabel('Yearly').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await shows(page.getByText('Total per year'));

    // Partner information: type the Partner ID, see the partner's name, confirm.
    if (js) await page.evaluate(() => document.querySelector('h1')!.setAttribute('data-marker', 'kept'));
    const pane = page.locator('#partner-info');
    await pane.getByLabel('Partner ID').fill('1000001');
    await pane.getByRole('button', { name: 'Add' }).click();
    await shows(pane.getByText('Add this partner?'));
    await shows(pane.getByText('Northwind Traders'));
    // Place order waits while a partner is being confirmed.
    expect(await page.getByRole('button', { name: 'Place order' }).isDisabled()).toBe(true);
    await pane.getByRole('button', { name: 'Confirm' }).click();
    await shows(page.getByText('The partner has been added to your order.'));
    await shows(pane.getByText('Northwind Traders'));
    expect(await page.getByRole('button', { name: 'Place order' }).isDisabled()).toBe(false);
    if (js) expect(await page.locator('h1').getAttribute('data-marker')).toBe('kept');

    // Need help with your order? → Get help from a partner → the finder → Choose returns here with it filled in.
    await page.getByText('Need help with your order?').click();
    await page.getByRole('link', { name: 'Get help from a partner' }).click();
    await page.waitForURL(/\/partners\?checkout=/);
    await page.getByRole('button', { name: 'Choose Wide World Importers IT' }).click();
    await page.waitForURL(checkoutUrl);
    await shows(page.locator('#partner-info').getByText('Wide World Importers IT'));

    await page.getByRole('button', { name: 'Place order' }).click();
    await shows(page.getByText('Thank you. Your order is complete.'));
    // A reload shows the same order: the wizard's state is on the server.
    await page.goto(checkoutUrl);
    await shows(page.getByText('Thank you. Your order is complete.'));
    await page.getByRole('link', { name: 'View the subscription' }).click();
    await shows(page.locator('#partner-info').getByText('Wide World Importers IT'));
    await page.context().close();
  });
});
