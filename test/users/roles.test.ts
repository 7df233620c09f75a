import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';
import { i18n } from '../../src/i18n/index.ts';
import { roleName } from '../../src/users/roles.views.tsx';
import { createTestApp, type TestApp } from '../support/app.ts';
import { newestAudit } from '../support/audit-log.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const userId = async (email: string) => (await rows<{ id: string }>(t.db, sql`select id from users where email = ${email}`))[0].id;
const roleOf = async (email: string) =>
  (await t.db.select({ role: s.users.role, adminRoles: s.users.adminRoles }).from(s.users).where(eq(s.users.email, email)))[0];

describe('admin roles, assigned by the organization global admin', () => {
  it('a global admin makes a user billing admin with one audit row and one e-mail; the user can then buy', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const page = await admin.get(`/users/${t.fx.contosoUser}`);
    expect(page.text).toContain('Admin roles');
    expect(page.queries).toBeLessThanOrEqual(3);
    const before = await t.signedIn(t.fx.emails.user);
    expect((await before.get('/purchase')).status).toBe(403);
    const res = await admin.post(`/users/${t.fx.contosoUser}/roles`, { role: 'billing_admin' });
    expect(res.status).toBe(303);
    expect(res.queries).toBeLessThanOrEqual(3);
    expect((await admin.get(res.location!)).text).toContain('The admin roles have been saved.');
    expect(await roleOf(t.fx.emails.user)).toEqual({ role: 'billing_admin', adminRoles: [] });
    const { actorName, after } = await newestAudit(t.db, 'user.role_granted');
    expect({ actorName, after }).toMatchObject({ actorName: 'Alex Admin', after: { role: 'billing_admin' } });
    const [mail] = await rows<{ subject: string; body: string }>(
      t.db,
      sql`select subject, body from outbox where to_address = ${t.fx.emails.user} order by id desc limit 1`,
    );
    // Uma has no language of her own: Contoso's country's (Polish), whatever the admin browses in.
    expect(mail.body).toContain(roleName(i18n('pl').t, 'billing_admin'));
    expect((await before.get('/purchase')).status).toBe(200);
    await admin.post(`/users/${t.fx.contosoUser}/roles`, { role: 'user' });
  });

  it('a narrower admin role opens only its own pages: a users admin sees users, not purchases, and grants nothing', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    expect((await admin.post(`/users/${t.fx.contosoUser}/roles`, { role: 'user', adminRoles: ['users'] }, { 'hx-request': 'true' })).text).toContain(
      'The admin roles have been saved.',
    );
    const uma = await t.signedIn(t.fx.emails.user);
    expect((await uma.get('/users')).status).toBe(200);
    expect((await uma.get('/users/new')).status).toBe(200);
    expect((await uma.get('/purchase')).status).toBe(403);
    const bea = await userId(t.fx.emails.billing);
    expect((await uma.post(`/users/${bea}/roles`, { role: 'global_admin' })).status).toBe(403);
    expect((await roleOf(t.fx.emails.billing)).role).toBe('billing_admin');
    await admin.post(`/users/${t.fx.contosoUser}/roles`, { role: 'user' });
  });

  it('removing the last global admin is refused with a clear message and changes nothing', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const me = await userId(t.fx.emails.global);
    const res = await admin.post(`/users/${me}/roles`, { role: 'billing_admin' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('This is the last global admin');
    expect((await roleOf(t.fx.emails.global)).role).toBe('global_admin');
  });

  it('the billing account owner stays a global admin until ownership is handed to another global admin', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const [me, bea] = [await userId(t.fx.emails.global), await userId(t.fx.emails.billing)];
    expect((await admin.post(`/users/${bea}/billing-owner`)).status).toBe(409);
    expect((await admin.post(`/users/${bea}/roles`, { role: 'global_admin' })).status).toBe(303);
    expect((await admin.post(`/users/${me}/roles`, { role: 'billing_admin' })).text).toContain('owns the billing account');
    expect((await admin.post(`/users/${bea}/billing-owner`)).status).toBe(303);
    const owners = await rows<{ email: string }>(t.db, sql`select email from users where org_id = ${t.fx.contoso} and is_billing_owner`);
    expect(owners).toEqual([{ email: t.fx.emails.billing }]);
    expect((await admin.post(`/users/${me}/roles`, { role: 'billing_admin' })).status).toBe(303);
    // Back as the demo data was: Bea makes Alex owner and global admin again.
    const beaClient = await t.signedIn(t.fx.emails.billing);
    expect((await beaClient.post(`/users/${me}/roles`, { role: 'global_admin' })).status).toBe(303);
    expect((await beaClient.post(`/users/${me}/billing-owner`)).status).toBe(303);
    expect((await beaClient.post(`/users/${bea}/roles`, { role: 'billing_admin' })).status).toBe(303);
  });

  it("role and billing-owner e-mails go out in the recipient's language, not the acting admin's", async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const [{ name: org }] = await rows<{ name: string }>(t.db, sql`select name from organizations where id = ${t.fx.contoso}`);
    const lastMail = async (to: string) =>
      (await rows<{ subject: string; body: string }>(t.db, sql`select subject, body from outbox where to_address = ${to} order by id desc limit 1`))[0];
    await t.db.execute(sql`update users set locale = 'pl' where email = ${t.fx.emails.user}`);
    await t.db.execute(sql`update users set locale = 'zh' where email = ${t.fx.emails.billing}`);
    try {
      expect((await admin.post(`/users/${t.fx.contosoUser}/roles`, { role: 'billing_admin' })).status).toBe(303);
      expect(await lastMail(t.fx.emails.user)).toMatchObject({ subject: i18n('pl').t('users.roles.mail.subject', { org }) });
      const [me, bea] = [await userId(t.fx.emails.global), await userId(t.fx.emails.billing)];
      expect((await admin.post(`/users/${bea}/roles`, { role: 'global_admin' })).status).toBe(303);
      expect((await admin.post(`/users/${bea}/billing-owner`)).status).toBe(303);
      expect(await lastMail(t.fx.emails.billing)).toEqual({
        subject: i18n('zh').t('users.roles.mail.ownerSubject', { org }),
        body: i18n('zh').t('users.roles.mail.ownerBody', { org }),
      });
      // Back as the demo data was.
      const beaClient = await t.signedIn(t.fx.emails.billing);
      expect((await beaClient.post(`/users/${me}/billing-owner`)).status).toBe(303);
      expect((await admin.post(`/users/${bea}/roles`, { role: 'billing_admin' })).status).toBe(303);
      expect((await admin.post(`/users/${t.fx.contosoUser}/roles`, { role: 'user' })).status).toBe(303);
    } finally {
      await t.db.execute(sql`update users set locale = null where email in (${t.fx.emails.user}, ${t.fx.emails.billing})`);
    }
  });

  it('a global admin who has just lost the role cannot grant with the session they still hold', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    await t.db.execute(sql`update users set role = 'billing_admin' where email = ${t.fx.emails.global}`);
    const res = await admin.post(`/users/${t.fx.contosoUser}/roles`, { role: 'global_admin' });
    await t.db.execute(sql`update users set role = 'global_admin' where email = ${t.fx.emails.global}`);
    expect(res.status).toBe(403);
    expect((await roleOf(t.fx.emails.user)).role).toBe('user');
  });

  it('a billing admin and another organization cannot assign roles', async () => {
    const billing = await t.signedIn(t.fx.emails.billing);
    expect((await billing.post(`/users/${t.fx.contosoUser}/roles`, { role: 'global_admin' })).status).toBe(403);
    const other = await t.signedIn(t.fx.emails.otherOrg);
    expect((await other.post(`/users/${t.fx.contosoUser}/roles`, { role: 'global_admin' })).status).toBe(404);
    expect((await roleOf(t.fx.emails.user)).role).toBe('user');
  });
});

describe('admin roles, assigned by a delegated-admin partner', () => {
  it('a partner holding "Admin roles" grants a role on behalf of the customer, who sees it in the activity log', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const url = `/portal/customers/${t.fx.contoso}/users/${t.fx.contosoUser}/roles`;
    expect((await partner.post(url, { role: 'user', adminRoles: 'licenses' })).status).toBe(303);
    expect((await roleOf(t.fx.emails.user)).adminRoles).toEqual(['licenses']);
    const { actorName, partnerOrgId } = await newestAudit(t.db, 'user.role_granted');
    // The row names the person; the partner comes from partner_org_id, put into words in the reader's language.
    expect({ actorName, partnerOrgId }).toEqual({ actorName: 'Nadia Partner', partnerOrgId: t.fx.northwind });
    const activity = await (await t.signedIn(t.fx.emails.global)).get('/activity');
    expect(activity.text).toMatch(/Northwind Traders \(Nadia Partner\) gave [^<]+ the admin role Licenses\./);
  });

  it('a partner without "Admin roles" gets 403, and sees no roles form', async () => {
    await t.db.execute(sql`update partner_relationships set roles = '{users,passwords,licenses,domains}' where id = ${t.fx.contosoDelegatedAdmin}`);
    const partner = await t.signedIn(t.fx.emails.partner);
    const page = await partner.get(`/portal/customers/${t.fx.contoso}/users/${t.fx.contosoUser}`);
    expect(page.text).not.toContain('Save admin roles');
    expect((await partner.post(`/portal/customers/${t.fx.contoso}/users/${t.fx.contosoUser}/roles`, { role: 'global_admin' })).status).toBe(403);
    expect((await roleOf(t.fx.emails.user)).role).toBe('user');
    await t.db.execute(sql`update partner_relationships set roles = '{users,passwords,licenses,domains,admin_roles}' where id = ${t.fx.contosoDelegatedAdmin}`);
  });
});

describe.runIf(process.env.DATABASE_URL)('two removals at once (PostgreSQL)', () => {
  it('of the last two global admins, exactly one removal succeeds', async () => {
    // Fabrikam without a billing account owner (as data from before ownership existed), two global admins;
    // each removes the other's global admin role at the same moment (a partner never touches the global admin
    // role: issue 23).
    await t.db.execute(sql`update users set is_billing_owner = false where email = 'admin@fabrikam.example'`);
    await t.db.execute(sql`update users set role = 'global_admin' where email = 'billing@fabrikam.example'`);
    const [alexClient, beaClient] = [await t.signedIn('admin@fabrikam.example'), await t.signedIn('billing@fabrikam.example')];
    const [alex, bea] = [await userId('admin@fabrikam.example'), await userId('billing@fabrikam.example')];
    const url = (id: string) => `/users/${id}/roles`;
    const results = await Promise.all([alexClient.post(url(bea), { role: 'user' }), beaClient.post(url(alex), { role: 'user' })]);
    // The later one, under the lock, finds its actor no longer a global admin: refused.
    expect(results.map((r) => r.status).sort()).toEqual([303, 403]);
    const [{ n }] = await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int n from users u join organizations o on o.id = u.org_id where o.name = 'Fabrikam Ltd.' and u.role = 'global_admin'`,
    );
    expect(n).toBe(1);
  });
});
