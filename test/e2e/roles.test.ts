import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { startTestDns, type TestDns } from '../domains/dns-server.ts';
import { bothWays, shows, startE2E, type E2E } from './browser.ts';

let e: E2E;
let dns: TestDns;
beforeAll(async () => {
  dns = await startTestDns();
  e = await startE2E({ DNS_SERVERS: dns.address });
});
afterAll(async () => {
  await e?.close();
  await dns?.close();
});

describe.each(bothWays)('admin roles in a browser $name', ({ js }) => {
  it('a global admin makes a user billing admin, who can then buy and change partners', async () => {
    const { fx } = e.t;
    const admin = await e.page({ js });
    await e.signIn(admin, fx.emails.global);
    await admin.goto(`/users/${fx.contosoUser}`);
    await admin.getByRole('radio', { name: 'Billing admin' }).check();
    await admin.getByRole('button', { name: 'Save admin roles' }).click();
    await shows(admin.getByText('The admin roles have been saved.'));
    const uma = await e.page({ js });
    await e.signIn(uma, fx.emails.user);
    expect((await uma.goto('/purchase'))!.status()).toBe(200);
    expect((await uma.goto(`/subscriptions/${fx.contosoResoldSub}`))!.status()).toBe(200);
    await shows(uma.getByRole('heading', { name: 'Partner information' }));
    await e.t.db.execute(sql`update users set role = 'user' where id = ${fx.contosoUser}`);
    await admin.context().close();
    await uma.context().close();
  });

  it('removing the last global admin is refused with the reason', async () => {
    const { fx } = e.t;
    const admin = await e.page({ js });
    await e.signIn(admin, fx.emails.global);
    const [me] = await rows<{ id: string }>(e.t.db, sql`select id from users where email = ${fx.emails.global}`);
    await admin.goto(`/users/${me.id}`);
    await admin.getByRole('radio', { name: 'User', exact: true }).check();
    await admin.getByRole('button', { name: 'Save admin roles' }).click();
    await shows(admin.getByText('This is the last global admin'));
    expect((await rows<{ role: string }>(e.t.db, sql`select role from users where id = ${me.id}`))[0].role).toBe('global_admin');
    await admin.context().close();
  });

  it('a partner holding "Admin roles" grants a role for the customer, who sees it in the activity log', async () => {
    const { fx } = e.t;
    const partner = await e.page({ js });
    await e.signIn(partner, fx.emails.partner);
    await partner.goto(`/portal/customers/${fx.contoso}/users/${fx.contosoUser}`);
    await partner.getByRole('checkbox', { name: 'Domains' }).check();
    await partner.getByRole('button', { name: 'Save admin roles' }).click();
    await shows(partner.getByText('The admin roles have been saved.'));
    const admin = await e.page({ js });
    await e.signIn(admin, fx.emails.global);
    await admin.goto('/activity');
    await shows(admin.getByText('Northwind Traders (Nadia Partner) gave Uma User the admin role Domains.'));
    await e.t.db.execute(sql`update users set admin_roles = '{}' where id = ${fx.contosoUser}`);
    await partner.context().close();
    await admin.context().close();
  });
});

describe.each(bothWays)('domains in a browser $name', ({ js }) => {
  it('a domain is added, fails to verify, verifies once the TXT record is served, becomes default and is removed', async () => {
    const name = js ? 'e2e-js.example' : 'e2e-plain.example';
    const admin = await e.page({ js });
    await e.signIn(admin, e.t.fx.emails.global);
    await admin.goto('/');
    // On a phone the navigation is a Menu to open first.
    await admin.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Menu', exact: true }).click();
    await admin.getByRole('link', { name: 'Domains' }).click();
    await admin.getByLabel('Domain name').fill(name);
    await admin.getByRole('button', { name: 'Add domain' }).click();
    await shows(admin.getByText('The domain has been added.'));
    const value = await admin.locator('code').first().innerText();
    expect(value).toMatch(/^partnerdesk-verification=[0-9a-f]{32}$/);
    await admin.getByRole('button', { name: `Verify: ${name}` }).click();
    await shows(admin.getByText('No TXT record was found'));
    dns.txt.set(name, [value]);
    await admin.getByRole('button', { name: `Verify: ${name}` }).click();
    await shows(admin.getByText('The domain is verified.'));
    await admin.getByRole('button', { name: `Set as default: ${name}` }).click();
    await shows(admin.getByText('The default domain has been changed.'));
    await admin.getByRole('button', { name: 'Set as default: contosospzoo.partnerdesk.local' }).click();
    await shows(admin.getByText('The default domain has been changed.'));
    await admin.getByRole('button', { name: `Remove: ${name}` }).click();
    if (!js) await shows(admin.getByText('The domain has been removed.'));
    await admin.getByRole('button', { name: `Remove: ${name}` }).waitFor({ state: 'detached' });
    expect(await rows(e.t.db, sql`select 1 from domains where name = ${name}`)).toEqual([]);
    await admin.context().close();
  });

  it('a partner without "Domains" cannot reach the customer’s domains pages', async () => {
    const { fx } = e.t;
    await e.t.db.execute(sql`update partner_relationships set roles = '{users,passwords,licenses,admin_roles}' where id = ${fx.contosoDelegatedAdmin}`);
    const partner = await e.page({ js });
    await e.signIn(partner, fx.emails.partner);
    await partner.goto(`/portal/customers/${fx.contoso}`);
    expect(await partner.getByRole('link', { name: 'Domains' }).count()).toBe(0);
    await partner.goto(`/portal/customers/${fx.contoso}/domains`);
    await shows(partner.getByRole('heading', { name: 'Page not found' }));
    await e.t.db.execute(sql`update partner_relationships set roles = '{users,passwords,licenses,domains,admin_roles}' where id = ${fx.contosoDelegatedAdmin}`);
    await partner.context().close();
  });
});
