import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.ts';
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

describe.each(bothWays)('delegated admin in a browser $name', ({ js }) => {
  it('the partner manages a customer user, then loses access the moment the customer removes delegated admin', async () => {
    const { fx } = e.t;
    const partner = await e.page({ js });
    await e.signIn(partner, fx.emails.partner);
    await partner.goto(`/portal/customers/${fx.contoso}`);
    await partner.getByRole('link', { name: /^Uma / }).click();
    await shows(partner.getByRole('heading', { name: 'Profile' }));
    if (js) await mark(partner);
    const name = js ? 'Uma Scripted' : 'Uma Plain';
    await partner.getByLabel('Name').fill(name);
    await partner.getByRole('button', { name: 'Save', exact: true }).click();
    await shows(partner.getByText('The user has been saved.'));
    expect(await partner.getByLabel('Name').inputValue()).toBe(name);
    if (js) expect(await marked(partner)).toBe(true);

    // The partner also gave Uma the "Passwords" role during the relationship (issue 23: recorded).
    await e.t.db.execute(sql`update users set admin_roles = '{passwords}' where id = ${fx.contosoUser}`);
    await e.t.db.execute(sql`insert into role_grants (org_id, user_id, role, partner_org_id, granted_by_user_id, relationship_id)
      select ${fx.contoso}, ${fx.contosoUser}, 'passwords', ${fx.northwind}, u.id, ${fx.contosoDelegatedAdmin} from users u where u.email = ${fx.emails.partner}`);

    const admin = await e.page({ js });
    await e.signIn(admin, fx.emails.global);
    await admin.goto('/settings/partner-relationships');
    await shows(admin.getByText('Only the reseller can end this relationship. Ask Northwind Traders to remove it.'));
    expect(await admin.locator(`#rel-${fx.contosoReseller} button[disabled]`).count()).toBe(1);
    if (js) await mark(admin);
    await admin.locator(`#rel-${fx.contosoDelegatedAdmin}`).getByRole('button', { name: 'Remove' }).click();
    await shows(admin.getByText('Remove Delegated admin for Northwind Traders?'));
    if (js) expect(new URL(admin.url()).pathname).toBe('/settings/partner-relationships');
    await admin.getByRole('button', { name: 'Yes, remove' }).click();
    await shows(admin.getByText('The relationship has been ended.'));
    // The ended relationship leaves the current rows and is counted behind "Show ended (N)".
    await shows(admin.locator(`#partner-${fx.northwind}`).getByRole('link', { name: 'Show ended (1)' }));
    expect(await admin.locator(`#rel-${fx.contosoDelegatedAdmin}`).count()).toBe(0);
    if (js) expect(await marked(admin)).toBe(true);
    else expect(new URL(admin.url()).pathname).toBe('/settings/partner-relationships');

    // What the partner left behind: Show ended → Details, one action for the role (htmx swaps the section).
    await admin.locator(`#partner-${fx.northwind}`).getByRole('link', { name: 'Show ended (1)' }).click();
    await admin.getByRole('link', { name: 'Details' }).first().click();
    await shows(admin.getByRole('heading', { name: 'Left behind by Northwind Traders' }));
    if (js) await mark(admin);
    await admin.getByRole('button', { name: /^Remove the role Passwords from Uma/ }).click();
    await shows(admin.getByText('Done: what the partner left behind is disabled or removed.'));
    if (js) expect(await marked(admin)).toBe(true);
    const [uma] = await rows<{ roles: string[] }>(e.t.db, sql`select admin_roles as roles from users where id = ${fx.contosoUser}`);
    expect(uma.roles).toEqual([]);

    // The partner's next request, on any page of the customer's admin center, is 404.
    await partner.reload();
    await shows(partner.getByRole('heading', { name: 'Page not found' }));
    await admin.goto(`/activity?partner=${fx.northwind}`);
    await shows(admin.getByText(`Northwind Traders (Nadia Partner) edited the user ${name}.`).first());

    await e.t.db.execute(sql`update partner_relationships set status = 'active', ended_at = null where id = ${fx.contosoDelegatedAdmin}`);
    await e.t.db.execute(sql`delete from role_grants where relationship_id = ${fx.contosoDelegatedAdmin}`);
    await partner.context().close();
    await admin.context().close();
  });
});

describe.each(bothWays)('partner portal in a browser $name', ({ js }) => {
  it('the reseller searches its customers and removes its reseller relationship after confirming', async () => {
    const { fx } = e.t;
    const partner = await e.page({ js });
    await e.signIn(partner, fx.emails.partner);
    await partner.goto('/portal');
    if (js) await mark(partner);
    await partner.getByLabel('Search by name').fill('contoso');
    await partner.getByRole('button', { name: 'Search' }).click();
    await partner.locator('#customers').getByText('Fabrikam Ltd.').waitFor({ state: 'detached' });
    await partner.locator(`#rel-${fx.contosoReseller}`).getByRole('button', { name: 'Remove' }).click();
    await partner.getByRole('button', { name: 'Yes, remove' }).click();
    await shows(partner.getByText('The relationship has been ended.'));
    await shows(partner.locator(`#rel-${fx.contosoReseller}`).getByText('Ended'));
    if (js) expect(await marked(partner)).toBe(true);
    await e.t.db.execute(sql`update partner_relationships set status = 'active', ended_at = null where id = ${fx.contosoReseller}`);
    await partner.context().close();
  });
});
