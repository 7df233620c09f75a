/** The two delegated roles partners may now ask for: offered on links, granted on acceptance, shown, and holding their scope. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { createLinkAs } from '../invitations/helpers.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { signUpAndVerify } from '../support/verification.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('"Domains" and "Admin roles" as delegated roles', () => {
  it('the new-link form offers both, unticked by default', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const page = await partner.get('/portal/links');
    expect(page.text).toMatch(/name="roles" value="users" checked/);
    expect(page.text).toMatch(/name="roles" value="domains"(?! checked)/);
    expect(page.text).toMatch(/name="roles" value="admin_roles"(?! checked)/);
    expect(page.text).toContain('Admin roles');
  });

  it('a link asking for only "Domains" is accepted as such: the partner reaches domains, not users, and the customer sees the role', async () => {
    const c = t.client();
    await signUpAndVerify(t.db, c, {
      orgName: 'Tailspin Toys',
      country: 'PL',
      name: 'Tia Tailspin',
      email: 'tia@tailspin.example',
      password: 'a-long-enough-password',
    });
    const { token, partner } = await createLinkAs(t, t.fx.emails.partner, {
      email: 'tia@tailspin.example',
      roles: ['domains'],
      offerKind: '',
      offerReseller: '',
    });
    expect((await c.get(`/authorize/${token}`)).text).toContain('Roles: Domains');
    expect((await c.post(`/authorize/${token}`, { step: '1', delegatedAdmin: 'yes' })).status).toBeLessThan(400);
    await c.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'no' });
    const [org] = await rows<{ id: string }>(t.db, sql`select org_id as id from users where email = 'tia@tailspin.example'`);
    const [rel] = await rows<{ roles: string[] }>(
      t.db,
      sql`select roles from partner_relationships where org_id = ${org.id} and type = 'delegated_admin' and status = 'active'`,
    );
    expect(rel.roles).toEqual(['domains']);
    expect((await c.get('/settings/partner-relationships')).text).toContain('Domains');
    expect((await partner.get(`/portal/customers/${org.id}/domains`)).status).toBe(200);
    expect((await partner.get(`/portal/customers/${org.id}`)).status).toBe(404);
  });
});
