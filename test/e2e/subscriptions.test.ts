import { eq, sql } from 'drizzle-orm';
import * as s from '../../src/db/schema.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bothWays, shows, startE2E, type E2E } from './browser.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

describe.each(bothWays)('partner of record in a browser $name', ({ js }) => {
  beforeEach(async () => {
    await e.t.db.execute(sql`update subscriptions set partner_org_id = null where id = ${e.t.fx.contosoTrialSub}`);
  });

  it('an admin adds, refuses a wrong ID for, and removes the partner of record of a subscription', async () => {
    const page = await e.page({ js });
    await e.signIn(page, e.t.fx.emails.global);
    await page.goto(`/subscriptions/${e.t.fx.contosoTrialSub}`);
    // A marker outside the section: the htmx path must swap only Partner information, never reload the page.
    if (js) await page.evaluate(() => document.querySelector('h1')!.setAttribute('data-marker', 'kept'));
    const pane = page.locator('#partner-info');

    await pane.getByLabel('Partner ID').fill('12ab');
    await pane.getByRole('button', { name: 'Add' }).click();
    await shows(pane.getByText('A Partner ID has digits only'));
    expect(await pane.getByLabel('Partner ID').inputValue()).toBe('12ab');

    // As at checkout: the partner's name first, and nothing saved until it is confirmed; Cancel keeps the old state.
    await pane.getByLabel('Partner ID').fill('1000549');
    await pane.getByRole('button', { name: 'Add' }).click();
    await shows(pane.getByText('Add this partner?'));
    await shows(pane.getByText('Wide World Importers IT'));
    const [unsaved] = await e.t.db.select().from(s.subscriptions).where(eq(s.subscriptions.id, e.t.fx.contosoTrialSub));
    expect(unsaved.partnerOrgId).toBeNull();
    await pane.getByRole('button', { name: 'Confirm' }).click();
    await shows(pane.getByText('Wide World Importers IT'));
    await shows(page.getByText('The partner of record has been saved.'));

    await pane.getByRole('button', { name: 'Remove' }).click();
    await shows(pane.getByText('This subscription has no partner of record.'));
    await shows(page.getByText('The partner of record has been removed.'));
    if (js) expect(await page.locator('h1').getAttribute('data-marker')).toBe('kept');
    await page.context().close();
  });

  it('the reseller’s partner of record shows Remove disabled with the reason', async () => {
    const page = await e.page({ js });
    await e.signIn(page, e.t.fx.emails.billing);
    await page.goto(`/subscriptions/${e.t.fx.contosoResoldSub}`);
    expect(await page.locator('#partner-info').getByRole('button', { name: 'Remove' }).isDisabled()).toBe(true);
    await shows(page.getByText('Northwind Traders is your reseller: only the reseller can end this partner of record.'));
    await page.context().close();
  });

  it('an admin selects several subscriptions and changes their partner of record at once', async () => {
    const page = await e.page({ js });
    await e.signIn(page, e.t.fx.emails.global);
    await page.goto('/subscriptions');
    if (js) await page.evaluate(() => document.querySelector('h1')!.setAttribute('data-marker', 'kept'));
    await page.getByLabel('Select Business Basic').check();
    await page.getByLabel('Select Enterprise E3').check();
    await page.getByLabel('Partner ID').fill(js ? '1000549' : '1001645');
    await page.getByRole('button', { name: 'Add or change partner' }).click();
    if (js) {
      await shows(page.getByText('The partner of record of the selected subscriptions has been changed.'));
      expect(await page.locator('#subscription-list').getByText('Wide World Importers IT').count()).toBe(2);
      expect(await page.locator('h1').getAttribute('data-marker')).toBe('kept');
    } else {
      // Coho Networks does not sell Business Basic: nothing changes, the selection and the ID are kept.
      await shows(page.getByText('Coho Networks is not a partner for Business Basic.'));
      expect(await page.getByLabel('Select Enterprise E3').isChecked()).toBe(true);
      expect(await page.getByLabel('Partner ID').inputValue()).toBe('1001645');
    }
    await page.context().close();
  });
});
